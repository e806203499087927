// The README's rotation, step by step, through the pipeline's own `pulumi up` (.gitlab-ci.yml):
// a normal rotation (the new generation is created beside the old one, every consumer variable moves
// to it, nothing is revoked and GitLab's rotate API is never called), its cleanup a day later
// (exactly one revocation, no variable touched), and an emergency rotation (one `up` creates the new
// token, moves the variables, and only then revokes the leaked one). GitLab's state is read through
// its REST API; on the emulator, the request log shows each step made exactly the calls it needs, in
// the order that keeps every pipeline working.

import assert from "node:assert/strict";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { after, before, describe, it } from "node:test";
import { addDays } from "../../config/dates";
import { GITLAB_TYPES } from "../../infra/gitlab/wire";
import { WITHHELD } from "../../infra/sdkDebugText";
import { itOnEmulator } from "./harness/e2eMode";
import { inconsistencies } from "./harness/consistency";
import { AS_CI_RUNS_IT, startGitLabWorld, type GitLabWorld } from "./harness/gitlabWorld";
import { runPipelineJob } from "./harness/pipelineJobs";
import { plaintextSecrets } from "./harness/secretScan";
import { readStackState, type StackState } from "./harness/stackState";
import type { E2eStack } from "./harness/stack";
import { seedPushTokens, today, variableDescription } from "./stacks";
import type { LoggedRequest } from "./gitlabEmulator";

const PROJECTS = ["xlink-k8s-gitops", "xlink-app", "xlink-worker"] as const;
const first = addDays(today(), 20);
const second = addDays(today(), 90);
const third = addDays(today(), 120);

let world: GitLabWorld;
let stack: E2eStack;
const calls: Record<string, LoggedRequest[]> = {};
/** Everything the CLI printed in this file, by step; the engine events of each step; every token value the state ever held. */
const printed: Record<string, string> = {};
const events: Record<string, readonly EngineEvent[]> = {};
const seenTokens = new Map<number, string>();
async function stateNow(): Promise<StackState> {
  const state = await readStackState(stack);
  for (const token of state.tokens) if (token.value) seenTokens.set(token.tokenId, token.value);
  return state;
}
async function previewAs(step: string) {
  const result = await stack.preview(AS_CI_RUNS_IT);
  printed[`${step} preview`] = result.stdout + result.stderr;
  events[`${step} preview`] = result.events;
  return result;
}

function pushTokens(expiresAt: string, retiring?: { expiresAt: string; revokeAfter: string }) {
  return seedPushTokens(world, { expiresAt, retiring, workerScope: "production" });
}

/** The pipeline's `pulumi up` after `edit` of the stack file, as a merged merge request runs it; the emulator's log of it kept as `calls[step]`. */
async function apply(step: string, config: ReturnType<typeof pushTokens>) {
  stack.writeConfig({ "gitlab-push-tokens:gitlab": { baseUrl: world.target.baseUrl }, "gitlab-push-tokens:pushTokens": config });
  world.emulator?.log.clear();
  const up = await runPipelineJob(stack, "apply");
  printed[`${step} up`] = up.stdout + up.stderr;
  events[`${step} up`] = up.events;
  if (world.emulator) calls[step] = world.emulator.log.requests();
  assert.equal(up.code, 0, up.stdout + up.stderr);
  return up;
}

const generation = (expiresAt: string) => `${world.project("xlink-k8s-gitops")}:GITLAB_CI_PUSHER@${expiresAt}`;
const tokenOf = (state: StackState, expiresAt: string) => {
  const token = state.tokens.find((each) => each.name === generation(expiresAt));
  assert.ok(token, `no generation ${expiresAt} in the state`);
  return token;
};
/** What each consumer variable holds, as GitLab returns it, and the description Pulumi gave it. */
async function consumerValues() {
  return Promise.all(
    [
      ["xlink-app", "*"],
      ["xlink-worker", "production"],
    ].map(async ([project, scope]) => {
      const variable = await world.target.variable(world.project(project), "GITLAB_PUSHER_TOKEN", scope);
      return { value: variable?.value, description: variable?.description };
    }),
  );
}
const holding = (state: StackState, expiresAt: string) => {
  const value = tokenOf(state, expiresAt).value;
  const description = variableDescription("rotation", "GITLAB_CI_PUSHER", world.project("xlink-k8s-gitops"), expiresAt);
  return [
    { value, description },
    { value, description },
  ];
};
const describeEvent = (event: EngineEvent) =>
  event.diagnosticEvent ? `${event.diagnosticEvent.severity} diagnostic ${event.diagnosticEvent.message.split(":")[0]}` : Object.keys(event).filter((key) => key !== "sequence" && key !== "timestamp").join(",");
const routes = (requests: readonly LoggedRequest[]) => requests.map((request) => `${request.method} ${request.route}`);
/**
 * What the apply job costs before it changes anything: its `pulumi refresh` configures the provider
 * (GET /user) and reads each token and variable the state holds once; its `pulumi up` configures the
 * provider for the preview and again for the update.
 */
const applyReads = (tokens: number, variables: number) => [
  ...Array<string>(3).fill("GET /user"),
  ...Array<string>(tokens).fill("GET /projects/:id/access_tokens/:token_id"),
  ...Array<string>(variables).fill("GET /projects/:id/variables/:key"),
];
/** The refresh's reads come first: every write follows the last of them. */
function assertReadsBeforeWrites(requests: readonly LoggedRequest[], reads: number) {
  const firstWrite = requests.findIndex((request) => request.method !== "GET");
  assert.ok(firstWrite === -1 || firstWrite >= reads, `a write (#${firstWrite}) before the refresh's ${reads} reads were done: ${routes(requests).join(", ")}`);
}

before(async () => {
  world = await startGitLabWorld({ projects: [...PROJECTS] });
  stack = await world.stack("rotation", { pushTokens: pushTokens(first) });
  await apply("create", pushTokens(first));
  await stateNow();
});
after(() => world?.close());

describe("a normal rotation (README, Rotation, steps 1 and 2)", () => {
  let before_: StackState;
  let after_: StackState;
  const revokeAfter = new Date(Date.now() + 86_400_000).toISOString().replace(/\.\d{3}Z$/, "Z");

  it("previews as the README promises: one token created, every consumer variable updated, nothing deleted", async () => {
    before_ = await stateNow();
    stack.writeConfig({ "gitlab-push-tokens:gitlab": { baseUrl: world.target.baseUrl }, "gitlab-push-tokens:pushTokens": pushTokens(second, { expiresAt: first, revokeAfter }) });
    const preview = await previewAs("rotation");
    // Unchanged: the stack, the provider, the component and the retiring generation.
    assert.deepEqual(preview.changeSummary, { create: 1, update: 2, same: 4 });
  });

  it("up leaves both generations valid in GitLab and moves every variable to the new one", async () => {
    const up = await apply("rotation", pushTokens(second, { expiresAt: first, revokeAfter }));
    assert.deepEqual(up.changes, { create: 1, update: 2, same: 4 });
    after_ = await stateNow();
    const old = tokenOf(after_, first);
    assert.equal(old.tokenId, tokenOf(before_, first).tokenId, "the retiring generation is the token it was");
    const fresh = tokenOf(after_, second);
    const tokens = await world.target.tokens(world.project("xlink-k8s-gitops"));
    assert.deepEqual(
      tokens.map(({ id, expiresAt, active, revoked }) => ({ id, expiresAt, active, revoked })),
      [
        { id: old.tokenId, expiresAt: first, active: true, revoked: false },
        { id: fresh.tokenId, expiresAt: second, active: true, revoked: false },
      ],
    );
    assert.deepEqual(await consumerValues(), holding(after_, second));
    assert.deepEqual(await inconsistencies(world, stack), []);
  });

  itOnEmulator("made exactly the calls a rotation needs, and never GitLab's rotate API", () => {
    // The refresh reads the one token and two variables; one POST creates the new generation; one
    // PUT per consumer moves it. No DELETE, no rotate: nothing is revoked.
    assert.deepEqual(routes(calls.rotation).sort(), [...applyReads(1, 2), "POST /projects/:id/access_tokens", "PUT /projects/:id/variables/:key", "PUT /projects/:id/variables/:key"].sort());
    assertReadsBeforeWrites(calls.rotation, 1 + 2 + 1);
    // Each PUT names its variable's scope, so it can never change a same-named variable of another.
    const fields = ["description", "environment_scope", "masked", "protected", "raw", "value", "variable_type"];
    assert.deepEqual(
      calls.rotation
        .filter((request) => request.method === "PUT")
        .map((request) => [request.path.split("/").slice(-3, -2)[0], request.query, Object.keys(request.body as object).sort()])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
      [
        [encodeURIComponent(world.project("xlink-app")), { filter: { environment_scope: "*" } }, fields],
        [encodeURIComponent(world.project("xlink-worker")), { filter: { environment_scope: "production" } }, fields],
      ],
    );
  });
});

describe("its cleanup after revokeAfter (README, Rotation, step 3)", () => {
  let before_: StackState;

  it("previews one token deleted, nothing else changed", async () => {
    before_ = await stateNow();
    stack.writeConfig({ "gitlab-push-tokens:gitlab": { baseUrl: world.target.baseUrl }, "gitlab-push-tokens:pushTokens": pushTokens(second) });
    const preview = await previewAs("cleanup");
    assert.deepEqual(preview.changeSummary, { delete: 1, same: 6 });
  });

  it("up revokes exactly the retiring token; the variables keep the current one", async () => {
    const up = await apply("cleanup", pushTokens(second));
    assert.deepEqual(up.changes, { delete: 1, same: 6 });
    const retired = tokenOf(before_, first);
    const current = tokenOf(before_, second);
    const tokens = await world.target.tokens(world.project("xlink-k8s-gitops"));
    assert.deepEqual(
      tokens.map(({ id, active, revoked }) => ({ id, active, revoked })),
      [
        { id: retired.tokenId, active: false, revoked: true },
        { id: current.tokenId, active: true, revoked: false },
      ],
    );
    assert.deepEqual(await consumerValues(), holding(before_, second));
    assert.deepEqual(await inconsistencies(world, stack), []);
  });

  itOnEmulator("made exactly one revocation and no variable write", () => {
    // The refresh reads both generations and both variables; a revocation is a DELETE and the GET
    // that sees the token revoked.
    assert.deepEqual(routes(calls.cleanup).sort(), [...applyReads(2, 2), "DELETE /projects/:id/access_tokens/:token_id", "GET /projects/:id/access_tokens/:token_id"].sort());
    assertReadsBeforeWrites(calls.cleanup, 2 + 2 + 1);
  });
});

describe("an emergency rotation (README: a new expiresAt without retiring)", () => {
  let before_: StackState;

  it("previews the new token created, the variables updated and the leaked one deleted", async () => {
    before_ = await stateNow();
    stack.writeConfig({ "gitlab-push-tokens:gitlab": { baseUrl: world.target.baseUrl }, "gitlab-push-tokens:pushTokens": pushTokens(third) });
    const preview = await previewAs("emergency");
    assert.deepEqual(preview.changeSummary, { create: 1, update: 2, delete: 1, same: 3 });
  });

  it("one up creates the new token, moves both variables to it and revokes the leaked one", async () => {
    const up = await apply("emergency", pushTokens(third));
    assert.deepEqual(up.changes, { create: 1, update: 2, delete: 1, same: 3 });
    const after_ = await stateNow();
    const leaked = tokenOf(before_, second);
    const fresh = tokenOf(after_, third);
    const tokens = await world.target.tokens(world.project("xlink-k8s-gitops"));
    assert.deepEqual(
      tokens.slice(1).map(({ id, active, revoked }) => ({ id, active, revoked })),
      [
        { id: leaked.tokenId, active: false, revoked: true },
        { id: fresh.tokenId, active: true, revoked: false },
      ],
    );
    assert.deepEqual(await consumerValues(), holding(after_, third));
    assert.deepEqual(await inconsistencies(world, stack), []);
  });

  itOnEmulator("moved every variable before it revoked the leaked token, with exactly the calls it needs", () => {
    const step = calls.emergency;
    // The refresh reads the leaked token and both variables; then create, move both, revoke (and
    // read the revoked token back).
    assert.deepEqual(
      routes(step).sort(),
      [...applyReads(1, 2), "POST /projects/:id/access_tokens", "PUT /projects/:id/variables/:key", "PUT /projects/:id/variables/:key", "DELETE /projects/:id/access_tokens/:token_id", "GET /projects/:id/access_tokens/:token_id"].sort(),
    );
    assertReadsBeforeWrites(step, 1 + 2 + 1);
    const at = (route: string) => step.filter((request) => `${request.method} ${request.route}` === route).map((request) => request.seq);
    const [created] = at("POST /projects/:id/access_tokens");
    const moves = at("PUT /projects/:id/variables/:key");
    const [revoked] = at("DELETE /projects/:id/access_tokens/:token_id");
    assert.ok(moves.every((seq) => created < seq && seq < revoked), `create #${created}, variable writes #${moves.join(", #")}, revocation #${revoked}`);
  });
});

describe("secrets through all of it", () => {
  const secrets = () => [{ label: "the API token", value: world.apiToken }, ...[...seenTokens].map(([id, value]) => ({ label: `token #${id}`, value }))];
  /** The SDK's debug log of a step's RPC answers is there, a token generation's among them, and every body is withheld. */
  function assertAnswersWithheld(step: string, stepEvents: readonly EngineEvent[]) {
    // The SDK's EngineEvent type leaves "debug" out of the severities the engine sends.
    const debugMessages = stepEvents.flatMap((event) => ((event.diagnosticEvent?.severity as string | undefined) === "debug" ? [event.diagnosticEvent!.message] : []));
    const answers = debugMessages.filter((message) => message.includes(" RPC finished"));
    assert.ok(
      answers.some((answer) => answer.startsWith(`RegisterResource RPC finished: resource:${world.project("xlink-k8s-gitops")}:GITLAB_CI_PUSHER@`) && answer.includes(`[${GITLAB_TYPES.projectAccessToken}]; err: null, resp: `)),
      `${step}: no token generation's answer in the debug log\n${answers.join("")}`,
    );
    assert.deepEqual(answers.filter((answer) => !answer.endsWith(`, resp: ${WITHHELD}\n`)), [], step);
  }

  it("no token value and no API token in plaintext in any file of the backend, PULUMI_HOME or the work dir, or anything the CLI printed", () => {
    assert.equal(seenTokens.size, 3, "three generations were issued");
    assert.deepEqual(plaintextSecrets(world.env, secrets(), printed), []);
  });

  it("no engine event carries a token value or the API token; the SDK's debug log of each RPC answer is there, its body withheld", () => {
    // Upstream (@pulumi/pulumi runtime/resource.js) logs every RPC answer at debug level, whatever the
    // log level, and a token's RegisterResource answer holds its value; `--event-log`, the Automation
    // API's onEvent and `pulumi up --json` hand debug events on. infra/sdkDebugLog.ts withholds each
    // body (README, Security notes).
    const carriers = Object.entries(events).flatMap(([step, stepEvents]) =>
      stepEvents.flatMap((event) => (secrets().some((secret) => JSON.stringify(event).includes(secret.value)) ? [`${step}: ${describeEvent(event)}`] : [])),
    );
    assert.deepEqual(carriers, []);
    // The answers are still logged, each withheld: this fails if the scrubbing stops, not only if the leak returns.
    for (const [step, stepEvents] of Object.entries(events)) assertAnswersWithheld(step, stepEvents);
  });

  it("the pipeline's `pulumi preview --json`, streaming the engine's events as .gitlab-ci.yml exports it, prints none: its debug lines are withheld", async () => {
    const pipeline = await runPipelineJob(stack, "preview");
    assert.equal(pipeline.code, 0, pipeline.stderr);
    assert.deepEqual(plaintextSecrets(world.env, secrets(), { "pipeline preview --json": pipeline.stdout + pipeline.stderr }), []);
    // What the runner writes to preview.jsonl and the note is made from: one engine event a line (the
    // job exports PULUMI_ENABLE_STREAMING_JSON_PREVIEW=1; the classic document would not parse line by
    // line), the SDK's debug log among them.
    const streamed = pipeline.stdout.trimEnd().split("\n").map((line) => JSON.parse(line) as EngineEvent);
    assert.ok(streamed.some((event) => event.summaryEvent), "the preview printed no summary: not the event stream");
    assertAnswersWithheld("pipeline preview", streamed);
  });

  itOnEmulator("nor any value the emulator ever issued, its own administrator tokens included", () => {
    const issued = world.emulator!.state.tokens().map((token) => ({ label: `token #${token.id} (${token.name})`, value: token.value }));
    assert.equal(issued.length, 5);
    assert.deepEqual(plaintextSecrets(world.env, issued, printed), []);
  });

  it("and still none once destroy has revoked the last token and deleted the variables", async () => {
    const destroyed = await stack.destroy();
    printed.destroy = destroyed.stdout + destroyed.stderr;
    events.destroy = destroyed.events;
    assert.deepEqual(destroyed.summary.resourceChanges, { delete: 6 });
    assert.deepEqual((await world.target.tokens(world.project("xlink-k8s-gitops"))).map((token) => token.active), [false, false, false]);
    assert.deepEqual(plaintextSecrets(world.env, secrets(), printed), []);
  });
});
