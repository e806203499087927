// `pulumi up` of two stacks through the real CLI, as the pipeline runs it (with the policy pack),
// and the exact GitLab state it leaves: the README's dev stack, and a fan-out stack whose consumers
// cover every variable setting the program offers. Then a second preview that must change nothing,
// and `destroy`, which must revoke every token and delete every variable. On the emulator, the
// request log shows that each operation made exactly the calls it must, and a preview none that write.

import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { addDays } from "../../config/dates";
import { itOnEmulator } from "./harness/e2eMode";
import { AS_CI_RUNS_IT, startGitLabWorld, type GitLabWorld } from "./harness/gitlabWorld";
import type { GitLabToken, GitLabVariable } from "./harness/gitlabTarget";
import { runPipelineJob } from "./harness/pipelineJobs";
import { readStackState, type StackState } from "./harness/stackState";
import type { E2eStack } from "./harness/stack";
import { ACCESS_LEVEL, consumerVariable, DEV_PROJECTS, devPushTokens, today, tokenDescription, variableDescription } from "./stacks";

const FAN_OUT_PROJECTS = ["xlink-gitops", "fan-app", "fan-worker", "fan-api", "fan-release", "fan-docs"] as const;

const withoutId = ({ id: _id, ...token }: GitLabToken) => token;
const byScope = (a: GitLabVariable, b: GitLabVariable) => a.environmentScope.localeCompare(b.environmentScope);
const valueOf = (state: StackState, generation: string) => {
  const token = state.tokens.find((each) => each.name === generation);
  assert.ok(token?.value, `no value for ${generation} in the state`);
  return token.value;
};

let world: GitLabWorld;
before(async () => {
  world = await startGitLabWorld({ projects: [...DEV_PROJECTS, ...FAN_OUT_PROJECTS] });
});
after(() => world?.close());

describe("the dev stack (README) through pulumi up", () => {
  const pusherExpiresAt = addDays(today(), 82);
  const taggerExpiresAt = addDays(today(), 157);
  let stack: E2eStack;
  let state: StackState;
  const calls: Record<string, Record<string, number>> = {};
  before(async () => {
    stack = await world.stack("dev", { pushTokens: devPushTokens(world, { pusherExpiresAt, taggerExpiresAt }) });
  });

  it("up creates exactly the declared tokens: name, role, scopes, expiry, description", async () => {
    world.emulator?.log.clear();
    const up = await runPipelineJob(stack, "apply");
    if (world.emulator) calls.up = world.emulator.log.countsByRoute();
    assert.equal(up.code, 0, up.stdout + up.stderr);
    // The stack, the provider, 2 components, 2 tokens, 3 variables.
    assert.deepEqual(up.changes, { create: 9 });
    state = await readStackState(stack);

    const gitops = await world.target.tokens(world.project("xlink-k8s-gitops"));
    assert.deepEqual(gitops.map(withoutId), [
      { name: "GITLAB_CI_PUSHER", description: tokenDescription("dev"), scopes: ["write_repository"], accessLevel: ACCESS_LEVEL.developer, expiresAt: pusherExpiresAt, active: true, revoked: false },
    ]);
    const charts = await world.target.tokens(world.project("xlink-charts"));
    assert.deepEqual(charts.map(withoutId), [
      { name: "RELEASE_TAGGER", description: tokenDescription("dev"), scopes: ["write_repository"], accessLevel: ACCESS_LEVEL.maintainer, expiresAt: taggerExpiresAt, active: true, revoked: false },
    ]);
    // The state knows each token by GitLab's id: the one that a revocation will name.
    assert.deepEqual(
      state.tokens.map((token) => [token.name, token.tokenId]).sort(),
      [
        [`${world.project("xlink-charts")}:RELEASE_TAGGER@${taggerExpiresAt}`, charts[0].id],
        [`${world.project("xlink-k8s-gitops")}:GITLAB_CI_PUSHER@${pusherExpiresAt}`, gitops[0].id],
      ].sort(),
    );
    for (const project of ["xlink-app", "xlink-worker", "xlink-release"]) assert.deepEqual(await world.target.tokens(world.project(project)), [], `no token in ${project}`);
  });

  it("and exactly the declared variables, protected, masked, raw, each holding its token's value", async () => {
    const pusher = valueOf(state, `${world.project("xlink-k8s-gitops")}:GITLAB_CI_PUSHER@${pusherExpiresAt}`);
    const pusherVariable = (environmentScope: string) =>
      consumerVariable({ key: "GITLAB_PUSHER_TOKEN", value: pusher, environmentScope, description: variableDescription("dev", "GITLAB_CI_PUSHER", world.project("xlink-k8s-gitops"), pusherExpiresAt) });
    assert.deepEqual(await world.target.variables(world.project("xlink-app")), [pusherVariable("*")]);
    assert.deepEqual(await world.target.variables(world.project("xlink-worker")), [pusherVariable("production")]);
    // Hidden: GitLab never returns the value (the emulator-only test below reads it).
    assert.deepEqual(await world.target.variables(world.project("xlink-release")), [
      consumerVariable({ key: "CHARTS_PUSH_TOKEN", value: null, hidden: true, description: variableDescription("dev", "RELEASE_TAGGER", world.project("xlink-charts"), taggerExpiresAt) }),
    ]);
    for (const project of ["xlink-k8s-gitops", "xlink-charts"]) assert.deepEqual(await world.target.variables(world.project(project)), [], `no variable in ${project}`);
  });

  itOnEmulator("each variable holds the very value GitLab issued for its generation, the hidden one included", () => {
    const emulator = world.emulator!;
    for (const [project, key, scope, generation] of [
      ["xlink-app", "GITLAB_PUSHER_TOKEN", "*", `GITLAB_CI_PUSHER@${pusherExpiresAt}`],
      ["xlink-worker", "GITLAB_PUSHER_TOKEN", "production", `GITLAB_CI_PUSHER@${pusherExpiresAt}`],
      ["xlink-release", "CHARTS_PUSH_TOKEN", "*", `RELEASE_TAGGER@${taggerExpiresAt}`],
    ] as const) {
      const token = state.tokens.find((each) => each.name.endsWith(`:${generation}`))!;
      const issued = emulator.state.token(token.tokenId)!.value;
      assert.equal(emulator.state.variable(world.project(project), key, scope)?.value, issued, `${key} in ${project}`);
      assert.equal(token.value, issued, `${generation} in the state`);
    }
  });

  itOnEmulator("up made exactly the calls a create needs", () => {
    // The pipeline's `pulumi up` previews, then updates: each phase starts the plugin, whose Configure
    // checks the API token (GET /user). Each generation is one POST, each consumer variable one POST;
    // GitLab's answers are the new state, so nothing is read back.
    assert.deepEqual(calls.up, { "GET /user": 2, "POST /projects/:id/access_tokens": 2, "POST /projects/:id/variables": 3 });
  });

  it("a second preview with --expect-no-changes passes, every resource unchanged", async () => {
    world.emulator?.log.clear();
    const preview = await stack.preview({ ...AS_CI_RUNS_IT, expectNoChanges: true });
    if (world.emulator) calls.preview = world.emulator.log.countsByRoute();
    assert.deepEqual(preview.changeSummary, { same: 9 });
  });

  itOnEmulator("the preview wrote nothing to GitLab: its only call is Configure's GET /user", () => {
    assert.deepEqual(calls.preview, { "GET /user": 1 });
  });

  it("destroy revokes every token and deletes every variable", async () => {
    world.emulator?.log.clear();
    const destroyed = await stack.destroy();
    if (world.emulator) calls.destroy = world.emulator.log.countsByRoute();
    assert.deepEqual(destroyed.summary.resourceChanges, { delete: 9 });
    for (const project of ["xlink-k8s-gitops", "xlink-charts"]) {
      const tokens = await world.target.tokens(world.project(project));
      assert.equal(tokens.length, 1);
      assert.deepEqual(tokens.map(({ active, revoked }) => ({ active, revoked })), [{ active: false, revoked: true }], `the token in ${project}`);
    }
    for (const project of DEV_PROJECTS) assert.deepEqual(await world.target.variables(world.project(project)), [], `variables left in ${project}`);
    assert.deepEqual((await readStackState(stack)).resources, []);
  });

  itOnEmulator("destroy made exactly the calls it needs", () => {
    // Configure once; each variable one DELETE (with its scope); each token a DELETE and the GET that
    // sees it revoked (upstream waits for the revocation, which GitLab performs asynchronously).
    assert.deepEqual(calls.destroy, { "GET /user": 1, "DELETE /projects/:id/variables/:key": 3, "DELETE /projects/:id/access_tokens/:token_id": 2, "GET /projects/:id/access_tokens/:token_id": 2 });
  });
});

describe("a fan-out stack through pulumi up", () => {
  const calls: Record<string, Record<string, number>> = {};
  const expiresAt = addDays(today(), 30);
  let stack: E2eStack;
  before(async () => {
    stack = await world.stack("fanout", {
      pushTokens: [
        {
          name: "GITOPS_PUSHER",
          project: world.project("xlink-gitops"),
          accessLevel: "maintainer",
          scopes: ["read_repository", "write_repository"],
          expiresAt,
          consumers: [
            { project: world.project("fan-app"), key: "GITOPS_TOKEN" },
            { project: world.project("fan-worker"), key: "GITOPS_TOKEN", environmentScope: "production" },
            { project: world.project("fan-worker"), key: "GITOPS_TOKEN", environmentScope: "review/*" },
            // Unprotected: the program allows it (and warns), the policy pack refuses it unless excepted.
            { project: world.project("fan-api"), key: "DEPLOY_PUSH_TOKEN", protected: false },
            { project: world.project("fan-release"), key: "GITOPS_TOKEN", hidden: true },
            // By numeric id, as a stack may name a project.
            { project: world.projectId("fan-docs"), key: "GITOPS_TOKEN" },
          ],
        },
      ],
    });
  });

  it("the pipeline's up stops at its preview on the unprotected variable: nothing reaches GitLab", async () => {
    world.emulator?.log.clear();
    const up = await runPipelineJob(stack, "apply");
    assert.equal(up.code, 1, up.stdout + up.stderr);
    assert.deepEqual(up.errors, ["preview failed"]);
    const unprotected = `${world.project("fan-api")}:DEPLOY_PUSH_TOKEN`;
    assert.match(up.stdout, new RegExp(`\\[mandatory\\]  gitlab-credential-variable-masked-protected  \\(gitlab:index:ProjectVariable: ${unprotected}\\)`));
    assert.match(up.stdout, new RegExp(`\\[mandatory\\]  gitlab-token-variable-masked-protected  \\(gitlab:index:ProjectVariable: ${unprotected}\\)`));
    for (const project of ["xlink-gitops", ...FAN_OUT_PROJECTS.slice(1)]) {
      assert.deepEqual(await world.target.tokens(world.project(project)), [], `tokens in ${project}`);
      assert.deepEqual(await world.target.variables(world.project(project)), [], `variables in ${project}`);
    }
    if (world.emulator) assert.deepEqual(world.emulator.log.writes(), []);
  });

  it("excepted in policy-config.json, as a team would, up creates one token and six variables with exactly the declared settings", async () => {
    const unprotected = `${world.project("fan-api")}:DEPLOY_PUSH_TOKEN`;
    writePolicyConfig({
      "gitlab-credential-variable-masked-protected": { exceptions: [unprotected] },
      "gitlab-token-variable-masked-protected": { exceptions: [unprotected] },
    });
    world.emulator?.log.clear();
    const up = await runPipelineJob(stack, "apply");
    if (world.emulator) calls.up = world.emulator.log.countsByRoute();
    assert.equal(up.code, 0, up.stdout + up.stderr);
    assert.deepEqual(up.changes, { create: 10 });
    // Allowed, and warned about on every run.
    assert.match(up.stdout, new RegExp(`warning: variable DEPLOY_PUSH_TOKEN in ${world.project("fan-api")} is not protected`));

    const [token, ...others] = await world.target.tokens(world.project("xlink-gitops"));
    assert.deepEqual(others, []);
    assert.deepEqual(withoutId(token), { name: "GITOPS_PUSHER", description: tokenDescription("fanout"), scopes: ["read_repository", "write_repository"], accessLevel: ACCESS_LEVEL.maintainer, expiresAt, active: true, revoked: false });
    const state = await readStackState(stack);
    assert.deepEqual(state.tokens.map((each) => each.tokenId), [token.id]);
    const value = state.tokens[0].value!;
    const variable = (key: string, settings: Partial<GitLabVariable> = {}) =>
      consumerVariable({ key, value, description: variableDescription("fanout", "GITOPS_PUSHER", world.project("xlink-gitops"), expiresAt), ...settings });
    assert.deepEqual(await world.target.variables(world.project("fan-app")), [variable("GITOPS_TOKEN")]);
    assert.deepEqual((await world.target.variables(world.project("fan-worker"))).sort(byScope), [variable("GITOPS_TOKEN", { environmentScope: "production" }), variable("GITOPS_TOKEN", { environmentScope: "review/*" })]);
    assert.deepEqual(await world.target.variables(world.project("fan-api")), [variable("DEPLOY_PUSH_TOKEN", { protected: false })]);
    assert.deepEqual(await world.target.variables(world.project("fan-release")), [variable("GITOPS_TOKEN", { value: null, hidden: true })]);
    assert.deepEqual(await world.target.variables(world.projectId("fan-docs")), [variable("GITOPS_TOKEN")]);
  });

  itOnEmulator("the hidden variable holds the value GitLab issued, and up made exactly the calls a create needs", async () => {
    const [token] = await world.target.tokens(world.project("xlink-gitops"));
    assert.equal(world.emulator!.state.variable(world.project("fan-release"), "GITOPS_TOKEN")?.value, world.emulator!.state.token(token.id)?.value);
    assert.deepEqual(calls.up, { "GET /user": 2, "POST /projects/:id/access_tokens": 1, "POST /projects/:id/variables": 6 });
  });

  it("a second preview with --expect-no-changes passes", async () => {
    world.emulator?.log.clear();
    const preview = await stack.preview({ ...AS_CI_RUNS_IT, expectNoChanges: true });
    if (world.emulator) calls.preview = world.emulator.log.countsByRoute();
    assert.deepEqual(preview.changeSummary, { same: 10 });
  });

  itOnEmulator("that preview wrote nothing to GitLab", () => {
    assert.deepEqual(calls.preview, { "GET /user": 1 });
  });

  it("destroy revokes the token and deletes all six variables", async () => {
    const destroyed = await stack.destroy();
    assert.deepEqual(destroyed.summary.resourceChanges, { delete: 10 });
    assert.deepEqual((await world.target.tokens(world.project("xlink-gitops"))).map(({ active, revoked }) => ({ active, revoked })), [{ active: false, revoked: true }]);
    for (const project of FAN_OUT_PROJECTS) assert.deepEqual(await world.target.variables(world.project(project)), [], `variables left in ${project}`);
  });
});

/** Replaces policy-config.json in the world's work dir (a copy: the repository's stays as it is), keeping the least-privilege defaults. */
function writePolicyConfig(extra: Record<string, unknown>): void {
  const file = path.join(world.env.workDir, "policy-config.json");
  writeFileSync(file, `${JSON.stringify({ ...JSON.parse(readFileSync(file, "utf8")), ...extra }, null, 2)}\n`);
}
