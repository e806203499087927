// The project's policy pack (policy/) run by the real pulumi CLI, as CI runs it:
// `pulumi preview --policy-pack policy --policy-pack-config policy-config.json`. The CLI starts a
// policy pack only through the pack's language host; the real Node.js one is not to be had here, so
// the harness puts a stand-in on PATH that runs policy packs as it does (harness/policyLanguageHost.ts).
// Resources need a `gitlab` plugin to be checked: a check-only one (fixtures/checkOnlyGitLab) is
// enough for a preview.

import assert from "node:assert/strict";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { addDays, utcDate } from "../../config/dates";
import { GitLabProvider } from "../../infra/gitlab/provider";
import { ProjectAccessToken } from "../../infra/gitlab/projectAccessToken";
import { GITLAB_TYPES } from "../../infra/gitlab/wire";
import pushTokenStack = require("../../infra/index");
import { POLICY_NAMES, policies as packPolicies } from "../../policy/policies";
import { DEFAULT_LEAST_PRIVILEGE, describeResource, scopeFindings, violationMessage } from "../../policy/rules";
import { E2eStack, createEngineEnv, failureOf, writeNodePluginLauncher, type EngineEnv } from "./harness";
import { makeTempRoot, removeTempRoot } from "./harness/tempRoots";

const PROJECT = "gitlab-push-tokens";
const AS_CI_RUNS_IT = { policyPacks: ["policy"], policyPackConfigs: ["policy-config.json"] } as const;
const PACK = "gitlab-push-token-guardrails";
// The pack judges expiries against today: a date 90 days ahead is valid on any day the suite runs.
const expiresAt = addDays(utcDate(new Date()), 90);
const gitlab = { baseUrl: "https://gitlab.example.com/api/v4" };

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

describe("the policy pack through the real CLI", () => {
  let env: EngineEnv;
  let pluginDir: string;
  before(async () => {
    env = await createEngineEnv();
    pluginDir = makeTempRoot("check-only-gitlab-");
    writeNodePluginLauncher(pluginDir, "gitlab", path.join(__dirname, "fixtures/checkOnlyGitLab/provider.ts"));
    await env.installGitLabPlugin(pluginDir);
  });
  after(() => {
    env?.cleanup();
    if (pluginDir) removeTempRoot(pluginDir);
  });

  it("passes the project's own program on a least-privilege config: every policy runs, none is violated", async (t) => {
    const stack = await E2eStack.create(env, {
      name: "policy-pass",
      program: async () => pushTokenStack(),
      config: {
        [`${PROJECT}:gitlab`]: gitlab,
        [`${PROJECT}:pushTokens`]: [{ name: "GITLAB_CI_PUSHER", project: "xlink/xlink-k8s-gitops", expiresAt, consumers: [{ project: "xlink/xlink-app", key: "GITLAB_PUSHER_TOKEN" }] }],
      },
    });
    const started = Date.now();
    const preview = await stack.preview(AS_CI_RUNS_IT);
    t.diagnostic(`pulumi preview --policy-pack: ${Date.now() - started} ms`);

    assert.deepEqual(policyEvents(preview.events), []);
    const summaries = policySummaries(preview.events);
    assert.deepEqual([...new Set(summaries.flatMap((summary) => summary.passed ?? []))].sort(), Object.values(POLICY_NAMES).sort());
    assert.deepEqual(summaries.flatMap((summary) => summary.failed ?? []), []);
    assert.ok(summaries.every((summary) => summary.policyPackName === PACK), JSON.stringify(summaries));
    assert.deepEqual(preview.changeSummary, { create: 5 }); // stack, provider, component, token, variable
  });

  it("stops a preview whose token has the api scope, with the pack's own message in the engine events", async () => {
    const name = "too-broad";
    const stack = await E2eStack.create(env, {
      name: "policy-violation",
      program: async () => {
        const provider = new GitLabProvider("gitlab", gitlab);
        new ProjectAccessToken(name, { project: "xlink/xlink-k8s-gitops", name, scopes: ["write_repository", "api"], accessLevel: "developer", expiresAt }, { provider });
      },
      config: {},
    });
    const failure = await failureOf(stack.preview(AS_CI_RUNS_IT));

    const [finding] = scopeFindings(["write_repository", "api"], { ...DEFAULT_LEAST_PRIVILEGE, maxLifetimeDays: 365 });
    const urn = `urn:pulumi:policy-violation::${PROJECT}::${GITLAB_TYPES.projectAccessToken}::${name}`;
    const violations = policyEvents(failure.events).map(({ resourceUrn, policyName, policyPackName, enforcementLevel, message }) => ({ resourceUrn, policyName, policyPackName, enforcementLevel, message }));
    // The engine prints a violation as the policy's description, then the pack's message.
    assert.deepEqual(violations, [
      {
        resourceUrn: urn,
        policyName: POLICY_NAMES.leastPrivilege,
        policyPackName: PACK,
        enforcementLevel: "mandatory",
        message: `${descriptionOf(POLICY_NAMES.leastPrivilege)}\n${violationMessage(describeResource(GITLAB_TYPES.projectAccessToken, name), finding)}\n`,
      },
      {
        resourceUrn: urn,
        policyName: POLICY_NAMES.tokenConsumed,
        policyPackName: PACK,
        enforcementLevel: "mandatory",
        message: `${descriptionOf(POLICY_NAMES.tokenConsumed)}\nproject access token "${name}" is held by no CI/CD variable in this stack, yet stays valid until it expires. Fix: make a variable's value this token's \`token\` output, or delete the token (deleting it revokes it).\n`,
      },
    ]);
    assert.match(violations[0].message, /has scope "api", broader than a push token needs/);
    // `result` is in the CLI's summary event, not yet in the SDK's type of it.
    assert.equal((failure.events.find((event) => event.summaryEvent)?.summaryEvent as { result?: string } | undefined)?.result, "failed");
    assert.match(failure.message, /^pulumi preview failed \(exit 1\): preview failed\n/);
  });
});
