// The project's policy pack (policy/) run by the real pulumi CLI, as CI runs it:
// `--policy-pack policy --policy-pack-config policy-config.json`, against the stand-in plugin and the
// GitLab emulator (a real GitLab with the real plugin in `npm run e2e`). The CLI starts a policy pack
// only through the pack's language host; the real Node.js one is not to be had here, so the harness
// runs a stand-in that runs policy packs as it does (harness/policyLanguageHost.ts).
//
// The pack passes the project's own program (every scenario suite also runs the pipeline's commands
// with it, so each of their stacks passes too); and each mandatory policy stops a small program that
// breaks it, and only it, with that policy's own message, before anything reaches GitLab.

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { addDays } from "../../config/dates";
import { GitLabProvider } from "../../infra/gitlab/provider";
import { ProjectAccessToken, type ProjectAccessTokenArgs } from "../../infra/gitlab/projectAccessToken";
import { ProjectVariable, type ProjectVariableArgs } from "../../infra/gitlab/projectVariable";
import { GITLAB_TYPES } from "../../infra/gitlab/wire";
import { POLICY_NAMES, policies as packPolicies } from "../../policy/policies";
import { DEFAULT_LEAST_PRIVILEGE, describeResource, protectionFindings, scopeFindings, violationMessage } from "../../policy/rules";
import { itOnEmulator } from "./harness/e2eMode";
import { AS_CI_RUNS_IT, startGitLabWorld, type GitLabWorld } from "./harness/gitlabWorld";
import { E2eStack, failureOf } from "./harness/stack";
import { DEV_PROJECTS, devPushTokens, today } from "./stacks";

const PROJECT = "gitlab-push-tokens";
const PACK = "gitlab-push-token-guardrails";
// The pack judges expiries against today: a date 90 days ahead is valid on any day the suite runs.
const expiresAt = addDays(today(), 90);

const policyEvents = (events: readonly EngineEvent[]) => events.flatMap((event) => (event.policyEvent ? [event.policyEvent] : []));
// The CLI sends one summary per resource for the resource policies and one for the stack policies
// (apitype.PolicyAnalyzeSummaryEvent, PolicyAnalyzeStackSummaryEvent); the SDK's EngineEvent type
// does not declare them yet.
interface PolicySummary {
  readonly policyPackName: string;
  readonly passed?: string[];
  readonly failed?: string[];
}
type SummaryEvents = { policyAnalyzeSummaryEvent?: PolicySummary; policyAnalyzeStackSummaryEvent?: PolicySummary };
const policySummaries = (events: readonly EngineEvent[]) =>
  events.flatMap((event) => {
    const { policyAnalyzeSummaryEvent, policyAnalyzeStackSummaryEvent } = event as EngineEvent & SummaryEvents;
    return [policyAnalyzeSummaryEvent, policyAnalyzeStackSummaryEvent].filter((summary) => summary !== undefined);
  });
const descriptionOf = (name: string) => packPolicies.find((policy) => policy.name === name)?.description;
/** How the engine words a violation: the policy's description, a newline, the pack's message. */
const asEngineWordsIt = (policy: string, message: string) => `${descriptionOf(policy)}\n${message}\n`;

let world: GitLabWorld;
before(async () => {
  world = await startGitLabWorld({ projects: [...DEV_PROJECTS] });
});
after(() => world?.close());

describe("the policy pack through the real CLI", () => {
  it("passes the project's own program on the dev stack: every policy runs, none is violated", async (t) => {
    const stack = await world.stack("policy-pass", { pushTokens: devPushTokens(world) });
    const started = Date.now();
    const preview = await stack.preview(AS_CI_RUNS_IT);
    t.diagnostic(`pulumi preview --policy-pack: ${Date.now() - started} ms`);

    assert.deepEqual(policyEvents(preview.events), []);
    const summaries = policySummaries(preview.events);
    assert.deepEqual([...new Set(summaries.flatMap((summary) => summary.passed ?? []))].sort(), Object.values(POLICY_NAMES).sort());
    assert.deepEqual(summaries.flatMap((summary) => summary.failed ?? []), []);
    assert.ok(summaries.every((summary) => summary.policyPackName === PACK), JSON.stringify(summaries));
    assert.deepEqual(preview.changeSummary, { create: 9 });
  });
});

describe("each mandatory policy stops a program that breaks it, with its own message", () => {
  const gitops = () => world.project("xlink-k8s-gitops");
  const app = () => world.project("xlink-app");
  const pusher = (name: string): ProjectAccessTokenArgs => ({ project: gitops(), name, scopes: ["write_repository"], accessLevel: "developer", expiresAt });
  const variable = (key: string, value: ProjectVariableArgs["value"], settings: Partial<ProjectVariableArgs> = {}): ProjectVariableArgs => ({
    project: app(),
    key,
    value,
    protected: true,
    masked: true,
    hidden: false,
    environmentScope: "*",
    variableType: "env_var",
    raw: true,
    ...settings,
  });

  /** A stack running `program` over the binding, previewed as CI previews; the violations the engine reported. */
  async function violationsOf(name: string, program: (provider: GitLabProvider) => void) {
    const stack = await E2eStack.create(world.env, {
      name,
      program: async () => program(new GitLabProvider("gitlab", { baseUrl: world.target.baseUrl })),
      config: {},
    });
    const failure = await failureOf(stack.preview(AS_CI_RUNS_IT));
    assert.match(failure.message, /^pulumi preview failed \(exit 1\): preview failed\n/);
    // `result` is in the CLI's summary event, not yet in the SDK's type of it.
    assert.equal((failure.events.find((event) => event.summaryEvent)?.summaryEvent as { result?: string } | undefined)?.result, "failed");
    return policyEvents(failure.events).map(({ resourceUrn, policyName, policyPackName, enforcementLevel, message }) => ({ resourceUrn, policyName, policyPackName, enforcementLevel, message }));
  }
  const violation = (stack: string, type: string, name: string, policy: string, message: string) => ({
    resourceUrn: `urn:pulumi:${stack}::${PROJECT}::${type}::${name}`,
    policyName: policy,
    policyPackName: PACK,
    enforcementLevel: "mandatory",
    message: asEngineWordsIt(policy, message),
  });

  it(`${POLICY_NAMES.leastPrivilege}: a token with the api scope`, async () => {
    const violations = await violationsOf("too-broad", (provider) => {
      const token = new ProjectAccessToken("too-broad", { ...pusher("too-broad"), scopes: ["write_repository", "api"] }, { provider });
      new ProjectVariable("held", variable("GITLAB_PUSHER_TOKEN", token.token), { provider });
    });
    const [finding] = scopeFindings(["write_repository", "api"], { ...DEFAULT_LEAST_PRIVILEGE, maxLifetimeDays: 365 });
    assert.deepEqual(violations, [
      violation("too-broad", GITLAB_TYPES.projectAccessToken, "too-broad", POLICY_NAMES.leastPrivilege, violationMessage(describeResource(GITLAB_TYPES.projectAccessToken, "too-broad"), finding)),
    ]);
    assert.match(violations[0].message, /has scope "api", broader than a push token needs/);
  });

  it(`${POLICY_NAMES.credentialVariable}: an unmasked variable whose key names a credential`, async () => {
    const violations = await violationsOf("plain-credential", (provider) => {
      new ProjectVariable("deploy-key", variable("DEPLOY_KEY", "a deploy key, not from a token", { masked: false }), { provider });
    });
    const [finding] = protectionFindings({ masked: false, hidden: false, protected: true }, "its key has the word KEY", `${app()}:DEPLOY_KEY`, `of policy ${POLICY_NAMES.credentialVariable}`);
    assert.deepEqual(violations, [
      violation("plain-credential", GITLAB_TYPES.projectVariable, "deploy-key", POLICY_NAMES.credentialVariable, violationMessage(describeResource(GITLAB_TYPES.projectVariable, "deploy-key"), finding)),
    ]);
  });

  it(`${POLICY_NAMES.tokenVariable}: an unprotected variable holding a token, whatever its key`, async () => {
    const violations = await violationsOf("unprotected", (provider) => {
      const token = new ProjectAccessToken("pusher", pusher("pusher"), { provider });
      new ProjectVariable("gitops-push", variable("GITOPS_PUSH", token.token, { protected: false }), { provider });
    });
    const why = `its value holds ${describeResource(GITLAB_TYPES.projectAccessToken, "pusher")}`;
    const [finding] = protectionFindings({ masked: true, hidden: false, protected: false }, why, `${app()}:GITOPS_PUSH`, `of policy ${POLICY_NAMES.tokenVariable}`);
    assert.deepEqual(violations, [
      violation("unprotected", GITLAB_TYPES.projectVariable, "gitops-push", POLICY_NAMES.tokenVariable, violationMessage(describeResource(GITLAB_TYPES.projectVariable, "gitops-push"), finding)),
    ]);
  });

  it(`${POLICY_NAMES.tokenConsumed}: a token no variable holds`, async () => {
    const violations = await violationsOf("unheld", (provider) => {
      new ProjectAccessToken("unheld", pusher("unheld"), { provider });
    });
    assert.deepEqual(violations, [
      violation(
        "unheld",
        GITLAB_TYPES.projectAccessToken,
        "unheld",
        POLICY_NAMES.tokenConsumed,
        'project access token "unheld" is held by no CI/CD variable in this stack, yet stays valid until it expires. Fix: make a variable\'s value this token\'s `token` output, or delete the token (deleting it revokes it).',
      ),
    ]);
  });

  it(`${POLICY_NAMES.createBeforeDelete}: a token replaced delete-first`, async () => {
    const violations = await violationsOf("delete-first", (provider) => {
      const token = new ProjectAccessToken("delete-first", pusher("delete-first"), { provider, deleteBeforeReplace: true });
      new ProjectVariable("held", variable("GITLAB_PUSHER_TOKEN", token.token), { provider });
    });
    assert.deepEqual(violations, [
      violation(
        "delete-first",
        GITLAB_TYPES.projectAccessToken,
        "delete-first",
        POLICY_NAMES.createBeforeDelete,
        'project access token "delete-first" sets deleteBeforeReplace: a replacement would revoke the live token before the new one exists and before the variables move to it, so every job pushing in between fails. Fix: remove the deleteBeforeReplace option; Pulumi then creates the replacement first.',
      ),
    ]);
  });

  itOnEmulator("and none of this file's six previews wrote to GitLab: each one's only call was Configure's GET /user", () => {
    assert.deepEqual(world.emulator!.log.countsByRoute(), { "GET /user": 6 });
  });
});
