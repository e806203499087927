// The engine events `PULUMI_ENABLE_STREAMING_JSON_PREVIEW=1 pulumi preview --json` prints, one JSON
// object a line, as zod schemas of the fields the note reads. The shapes are the engine's published
// types: pulumi/pulumi `sdk/go/common/apitype/events.go` (v3.276.0), which the SDK's
// `automation/events.ts` mirrors. An event carries exactly one of the `…Event` fields; kinds the note
// does not read are accepted and ignored, so a newer CLI's new events do not break it. Fields the
// note does not read are dropped, so nothing else of an event (a state's outputs above all) can reach
// the note. Pure.

import { z } from "zod";

/** `(what it should be), found (what it is)`: the kind of the value only, never the value. */
export function kindOf(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

const found = (expected: string) => ({ error: (issue: { input?: unknown }) => `should be ${expected}, found ${kindOf(issue.input)}` });
const text = (expected = "a string") => z.string(found(expected));
const optionalText = (expected?: string) => text(expected).nullish();
const names = z.array(z.string(), found("a list of property names")).nullish();

/** A resource's inputs: secrets as `[secret]` or the engine's wrapped form, unknowns as the sentinel. */
const inputsSchema = z.record(z.string(), z.unknown(), found("an object")).nullish();

/** StepEventStateMetadata: what the note keeps of a state before or after a step. */
export const stateSchema = z
  .object(
    {
      type: optionalText("a type token string"),
      urn: optionalText("a URN string"),
      custom: z.boolean(found("true or false")).nullish(),
      parent: optionalText("a URN string"),
      inputs: inputsSchema,
    },
    found("an object"),
  )
  .nullish();

/** StepEventMetadata: one step of the plan. */
const stepMetadataSchema = z.object(
  {
    op: z.string(found("an operation name such as create or update")).min(1, { error: "should be an operation name such as create or update" }),
    urn: text("a URN string"),
    type: optionalText("a type token string"),
    old: stateSchema,
    new: stateSchema,
    /** Keys causing a replacement. */
    keys: names,
    /** Keys that changed. */
    diffs: names,
    detailedDiff: z.record(z.string(), z.unknown(), found("an object")).nullish(),
  },
  found("an object"),
);

/** DiagnosticEvent: a message logged by the program, a provider or the engine. */
export const diagnosticSchema = z.object(
  {
    urn: optionalText(),
    prefix: optionalText(),
    message: text().nullish(),
    /** debug, info, info#err, warning or error. */
    severity: text().nullish(),
    ephemeral: z.boolean(found("true or false")).nullish(),
  },
  found("an object"),
);

const policyException = z.object({ id: text(), reason: text().nullish() }, found("an object"));

/** PolicyEvent: one violation a policy pack reported. */
const policyEventSchema = z.object(
  {
    resourceUrn: optionalText(),
    message: text(),
    policyName: text(),
    policyPackName: text(),
    policyPackVersion: optionalText(),
    /** mandatory, advisory, remediate, disabled. */
    enforcementLevel: text(),
    severity: optionalText(),
    exceptions: z.array(policyException, found("a list")).nullish(),
  },
  found("an object"),
);

/** PolicyAnalyzeSummaryEvent and PolicyAnalyzeStackSummaryEvent: which policies of a pack passed and failed. */
const policySummarySchema = z.object(
  {
    resourceUrn: optionalText(),
    policyPackName: text(),
    policyPackVersion: optionalText(),
    passed: z.array(z.string(), found("a list of policy names")).nullish(),
    failed: z.array(z.string(), found("a list of policy names")).nullish(),
  },
  found("an object"),
);

const countsSchema = z.record(z.string(), z.number(found("a count")).int({ error: "should be a count (a whole number, 0 or more)" }).min(0, { error: "should be a count (a whole number, 0 or more)" }), found("an object of counts"));

/** SummaryEvent: the end of the run. */
const summarySchema = z.object(
  {
    maybeCorrupt: z.boolean(found("true or false")).nullish(),
    resourceChanges: countsSchema.nullish(),
    /** Pack name (the CLI of 3.276 writes `<name>|<kind>|<location>`) → version. */
    PolicyPacks: z.record(z.string(), z.string(), found("an object")).nullish(),
    isPreview: z.boolean(found("true or false")).nullish(),
    /** succeeded, failed or canceled (OperationResult). */
    result: optionalText(),
  },
  found("an object"),
);

const stepEvent = z.object({ metadata: stepMetadataSchema }, found("an object"));
const anyObject = z.object({}, found("an object"));

/** EngineEvent: the discriminated union, by which field is set. */
export const engineEventSchema = z.object(
  {
    sequence: z.number(found("a number")).int({ error: "should be a whole number" }),
    timestamp: z.number(found("a number")),
    cancelEvent: anyObject.nullish(),
    stdoutEvent: z.object({ message: text().nullish() }, found("an object")).nullish(),
    diagnosticEvent: diagnosticSchema.nullish(),
    preludeEvent: z.object({ config: z.record(z.string(), z.unknown(), found("an object")).nullish() }, found("an object")).nullish(),
    summaryEvent: summarySchema.nullish(),
    resourcePreEvent: stepEvent.nullish(),
    resOutputsEvent: stepEvent.nullish(),
    resOpFailedEvent: stepEvent.nullish(),
    policyEvent: policyEventSchema.nullish(),
    policyAnalyzeSummaryEvent: policySummarySchema.nullish(),
    policyAnalyzeStackSummaryEvent: policySummarySchema.nullish(),
    policyRemediateSummaryEvent: policySummarySchema.nullish(),
  },
  found("an object"),
);

export type EngineEventRecord = z.infer<typeof engineEventSchema>;
export type StepMetadata = z.infer<typeof stepMetadataSchema>;
export type StateMetadata = NonNullable<z.infer<typeof stateSchema>>;

/**
 * The first problem zod found, as `<path> <problem>` (`steps[0].urn should be a URN string`), one line.
 * Paths name keys, which come from the input: the caller makes the line safe.
 */
export function firstProblem(error: z.ZodError): string {
  const issue = error.issues[0];
  const where = issue.path.map((part, index) => (typeof part === "number" ? `[${part}]` : index === 0 ? String(part) : `.${String(part)}`)).join("");
  return where === "" ? issue.message : `${where} ${issue.message}`;
}
