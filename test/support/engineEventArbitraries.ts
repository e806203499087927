// fast-check arbitraries for engine event streams of any shape the engine may print: steps on GitLab
// tokens, variables and other resources, every operation, diagnostics of every severity, policy
// violations of every level, summaries; with free text, token-shaped canaries and Markdown-significant
// characters in every field a person or a program writes, so that the renderer's properties (it is
// deterministic, never shows a token, never exceeds its limit) are checked on what it cannot foresee.

import fc from "fast-check";
import { COMPONENT_TYPE, TOKEN_TYPE, VARIABLE_TYPE } from "./engineEvents";

/** GitLab-shaped tokens; the renderer must never print one. */
export const TOKEN_SHAPED = /(?:glpat|gldt|glrt|glptt|glft|glimt|glagent|glcbt|glsoat|glffct|gloas|glwt)-[A-Za-z0-9_.-]{8,}/;

const canary = fc.constantFrom("glpat-CanaryFakeToken0123456789", "gldt-CanaryFakeDeploy01234567", "glrt-CanaryFake_runner.0123");
const awkward = fc.constantFrom("|", "`", "``", "*", "_", "@maintainers", "#12", "!3", "<script>", "\n", "\r\n", "\u001b[31m", "<{%fg 3%}>", "--", "-->", "[x](y)", "~", "$", " ");
/** Free text: words, Markdown and GitLab syntax, control codes, and now and then a token. */
export const freeText = fc
  .array(fc.oneof({ weight: 4, arbitrary: fc.string({ maxLength: 12 }) }, { weight: 2, arbitrary: awkward }, { weight: 1, arbitrary: canary }), { maxLength: 6 })
  .map((parts) => parts.join(""));

const name = fc.oneof(fc.stringMatching(/^[a-z][a-z0-9/:_@.-]{0,20}$/), freeText.filter((text) => !text.includes("::") && text !== ""));
const op = fc.constantFrom("create", "update", "replace", "delete", "same", "create-replacement", "delete-replaced", "import", "read", "discard", "refresh");
const type = fc.constantFrom(TOKEN_TYPE, VARIABLE_TYPE, COMPONENT_TYPE, "gitlab:index/groupAccessToken:GroupAccessToken", "pulumi:providers:gitlab", "random:index/randomId:RandomId", "pulumi:pulumi:Stack");
const value = fc.oneof(
  freeText,
  fc.boolean(),
  fc.integer(),
  fc.constant("04da6b54-80e4-46f7-96ec-b56ff0331ba9"),
  fc.constant("[secret]"),
  fc.constant({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", ciphertext: "v1:x" }),
  fc.array(freeText, { maxLength: 3 }),
);
const inputs = fc.record(
  {
    name: value,
    project: value,
    group: value,
    key: value,
    value,
    scopes: fc.oneof(fc.array(fc.oneof(fc.constantFrom("write_repository", "read_repository", "api"), freeText), { maxLength: 3 }), value),
    accessLevel: fc.oneof(fc.constantFrom("developer", "maintainer", "owner"), value),
    expiresAt: fc.oneof(fc.constantFrom("2027-03-01", "2027-06-01"), value),
    protected: fc.oneof(fc.boolean(), value),
    masked: fc.oneof(fc.boolean(), value),
    hidden: fc.boolean(),
    environmentScope: fc.oneof(fc.constant("*"), value),
    description: fc.oneof(fc.constantFrom("Push token T for xlink/app, expires 2027-03-01.", "Push token T for xlink/app, expires 2027-06-01."), freeText),
  },
  { requiredKeys: [] },
);
const urnOf = (stack: string, resourceType: string, resourceName: string, parented: boolean) => `urn:pulumi:${stack}::proj::${parented && resourceType !== COMPONENT_TYPE ? `${COMPONENT_TYPE}$` : ""}${resourceType}::${resourceName}`;
const resource = fc.record({ stack: fc.constantFrom("dev", "dev", "prod"), type, name, parented: fc.boolean() }).map((r) => ({ ...r, urn: urnOf(r.stack, r.type, r.name, r.parented) }));
const state = (urn: string, resourceType: string) => fc.record({ type: fc.constant(resourceType), urn: fc.constant(urn), custom: fc.boolean(), parent: fc.constantFrom("", "urn:pulumi:dev::proj::gitlab-push-tokens:index:PushToken::p:T"), inputs });

const stepEvent = resource.chain((r) =>
  fc.record({
    kind: fc.constantFrom("resourcePreEvent", "resOutputsEvent", "resOpFailedEvent"),
    metadata: fc.record(
      {
        op,
        urn: fc.constant(r.urn),
        type: fc.constant(r.type),
        old: fc.option(state(r.urn, r.type), { nil: null }),
        new: fc.option(state(r.urn, r.type), { nil: null }),
        keys: fc.array(freeText, { maxLength: 2 }),
        diffs: fc.array(fc.oneof(fc.constantFrom("value", "scopes", "expiresAt"), freeText), { maxLength: 3 }),
        detailedDiff: fc.option(fc.dictionary(freeText, fc.constant({ diffKind: "update", inputDiff: true }), { maxKeys: 2 }), { nil: null }),
      },
      { requiredKeys: ["op", "urn", "type"] },
    ),
  }).map(({ kind, metadata }) => ({ [kind]: { metadata, planning: true } })),
);
const diagnosticEvent = fc.record({ urn: fc.option(resource.map((r) => r.urn), { nil: undefined }), prefix: fc.option(freeText, { nil: undefined }), message: freeText, severity: fc.constantFrom("debug", "info", "info#err", "warning", "error", "odd"), ephemeral: fc.boolean() }, { requiredKeys: ["message", "severity"] }).map((diagnosticEvent) => ({ diagnosticEvent }));
const policyEvent = fc
  .record({
    resourceUrn: fc.option(resource.map((r) => r.urn), { nil: undefined }),
    message: fc.tuple(freeText, freeText).map(([description, message]) => `${description}\n${message}\n`),
    policyName: freeText,
    policyPackName: fc.oneof(fc.constant("gitlab-push-token-guardrails"), freeText),
    policyPackVersion: fc.constantFrom("0.1.0", "1.2.3"),
    enforcementLevel: fc.constantFrom("mandatory", "advisory", "remediate", "disabled"),
    exceptions: fc.array(fc.record({ id: freeText, reason: freeText }), { maxLength: 1 }),
  }, { requiredKeys: ["message", "policyName", "policyPackName", "enforcementLevel"] })
  .map((policyEvent) => ({ policyEvent }));
const summaries = fc
  .record({ kind: fc.constantFrom("policyAnalyzeSummaryEvent", "policyAnalyzeStackSummaryEvent"), policyPackName: fc.oneof(fc.constant("gitlab-push-token-guardrails"), freeText), passed: fc.array(freeText, { maxLength: 3 }), failed: fc.array(freeText, { maxLength: 2 }) })
  .map(({ kind, ...summary }) => ({ [kind]: summary }));
const otherEvent = fc.oneof(fc.constant({ cancelEvent: {} }), fc.constant({ policyLoadEvent: {} }), freeText.map((message) => ({ stdoutEvent: { message, color: "never" } })), fc.constant({ preludeEvent: { config: { "proj:x": "glpat-CanaryFakeToken0123456789" } } }));
const summaryEvent = fc
  .record({ resourceChanges: fc.dictionary(fc.oneof(op, freeText), fc.nat({ max: 50 }), { maxKeys: 4 }), result: fc.constantFrom("succeeded", "failed", "canceled"), maybeCorrupt: fc.boolean(), PolicyPacks: fc.dictionary(freeText, fc.constantFrom("0.1.0"), { maxKeys: 2 }) })
  .map((summary) => ({ summaryEvent: { ...summary, isPreview: true, durationSeconds: 1 } }));

/** A stream as the CLI prints it: one event a line, sequence numbers in order, sometimes with its summary. */
export const eventStream = fc
  .tuple(fc.array(fc.oneof({ weight: 5, arbitrary: stepEvent }, { weight: 2, arbitrary: diagnosticEvent }, { weight: 2, arbitrary: policyEvent }, { weight: 1, arbitrary: summaries }, { weight: 1, arbitrary: otherEvent }), { maxLength: 25 }), fc.option(summaryEvent, { nil: undefined }))
  .map(([events, summary]) => [...events, ...(summary ? [summary] : [])].map((event, sequence) => JSON.stringify({ sequence, timestamp: 1_764_600_000 + sequence, ...event })));
