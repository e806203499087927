// GitLab failing in the middle of the pipeline's `pulumi up`: 5xx answers, a 429 with Retry-After, and
// connection resets, injected by the emulator on a token create or a variable write. Each time the
// run either retries as the provider does (5xx and 429; go-gitlab's policy) or fails loudly, naming the
// resource and GitLab's answer; a rerun converges; no consumer is left on a revoked token; and no live
// token exists that the state does not know, except the one case the engine cannot know about (a
// create whose answer was lost), which docs/troubleshooting.md's recovery settles.

import assert from "node:assert/strict";
import { after, afterEach, before, describe, it } from "node:test";
import { addDays } from "../../config/dates";
import { inconsistencies } from "./harness/consistency";
import { describeOnEmulator } from "./harness/e2eMode";
import { startGitLabWorld, type GitLabWorld } from "./harness/gitlabWorld";
import { runPipelineJob, type PipelineRun } from "./harness/pipelineJobs";
import { readStackState } from "./harness/stackState";
import type { E2eStack } from "./harness/stack";
import { seedPushTokens, today } from "./stacks";

const PROJECTS = ["xlink-k8s-gitops", "xlink-app", "xlink-worker"] as const;

describeOnEmulator("faults injected mid-up", () => {
  let world: GitLabWorld;
  before(async () => {
    world = await startGitLabWorld({ projects: [...PROJECTS] });
  });
  after(() => world?.close());
  // The cases share the projects. One that fails stops before its own clean-up (a destroy), and its
  // leftovers (a live token, a variable's key taken, a fault still armed) would fail every case after
  // it for a reason of its own: start each from an empty GitLab instead, whatever happened before.
  afterEach(async () => {
    world.emulator!.control.clearFaults();
    const gitops = world.project("xlink-k8s-gitops");
    for (const token of await world.target.tokens(gitops)) if (token.active) await world.target.revokeToken(gitops, token.id);
    for (const project of ["xlink-app", "xlink-worker"].map((name) => world.project(name))) {
      for (const variable of await world.target.variables(project)) await world.target.deleteVariable(project, variable.key, variable.environmentScope);
    }
  });

  const pushTokens = (expiresAt: string) => seedPushTokens(world, { expiresAt });
  const config = (tokens: unknown) => ({ "gitlab-push-tokens:gitlab": { baseUrl: world.target.baseUrl }, "gitlab-push-tokens:pushTokens": tokens });
  const routes = () => world.emulator!.log.requests().map((request) => `${request.method} ${request.route} ${request.status}${request.fault ? ` (${request.fault})` : ""}`);
  /** Runs the pipeline's up with the log cleared first. */
  const apply = async (stack: E2eStack): Promise<PipelineRun> => {
    world.emulator!.log.clear();
    return runPipelineJob(stack, "apply");
  };
  const assertConverged = async (stack: E2eStack) => {
    const up = await apply(stack);
    assert.equal(up.code, 0, up.stdout + up.stderr);
    assert.deepEqual(await inconsistencies(world, stack), []);
    const preview = await stack.preview({ expectNoChanges: true });
    assert.equal(preview.changeSummary.same, Object.values(preview.changeSummary).reduce((sum, n) => sum + (n ?? 0), 0));
  };
  /**
   * The run failed with exactly `message` from the provider, plus the engine's own summary. Which
   * summary is a race inside the engine: "update failed", or, when the failed step cancels the policy
   * pack's work in flight, "failed to run policy: context canceled" (an analysis) or "failed to run
   * remediation: context canceled" (a remediation, which the pack's host runs before each analysis).
   */
  const assertFailedWith = (run: PipelineRun, message: string) => {
    const summaries = ["update failed", "failed to run policy: context canceled", "failed to run remediation: context canceled"];
    assert.deepEqual(run.errors.filter((error) => !summaries.includes(error)), [message]);
    assert.equal(run.errors.length, 2, run.errors.join("\n"));
  };
  let counter = 0;
  const freshStack = async (tokens: unknown) => world.stack(`faults-${++counter}`, { pushTokens: tokens });

  it("a 500 on the token's create and a 429 with Retry-After on a variable's are retried by the provider: the up succeeds, one token, two variables", async () => {
    const stack = await freshStack(pushTokens(addDays(today(), 30)));
    const serverError = world.emulator!.control.injectFault({ method: "POST", path: "/projects/:id/access_tokens", fault: { kind: "status", status: 500 } });
    const rateLimit = world.emulator!.control.injectFault({ method: "POST", path: "/projects/:id/variables", fault: { kind: "rateLimit", retryAfterSeconds: 1 } });
    const up = await apply(stack);
    assert.equal(up.code, 0, up.stdout + up.stderr);
    assert.deepEqual([serverError.hits, rateLimit.hits], [1, 1]);
    assert.deepEqual(routes().filter((route) => route.startsWith("POST")).sort(), [
      "POST /projects/:id/access_tokens 201",
      "POST /projects/:id/access_tokens 500 (status 500)",
      "POST /projects/:id/variables 201",
      "POST /projects/:id/variables 201",
      "POST /projects/:id/variables 429 (429 retry after 1s)",
    ]);
    assert.equal((await world.target.tokens(world.project("xlink-k8s-gitops"))).filter((token) => token.active).length, 1);
    assert.deepEqual(await inconsistencies(world, stack), []);
    // The next case uses the same projects: remove this stack's tokens and variables.
    await stack.destroy();
  });

  it("a connection reset on a variable create fails the up loudly, naming the variable; the rerun converges", async () => {
    const stack = await freshStack(pushTokens(addDays(today(), 32)));
    world.emulator!.control.injectFault({ method: "POST", path: `/projects/${encodeURIComponent(world.project("xlink-worker"))}/variables`, fault: { kind: "reset" } });
    const up = await apply(stack);
    assert.equal(up.code, 1, up.stdout + up.stderr);
    // The provider does not retry a dropped connection (a POST may have done its work).
    assertFailedWith(up, `GitLab API error occurred: Unable to create project variable: POST ${world.target.baseUrl}/projects/${world.project("xlink-worker")}/variables: read ECONNRESET`);
    assert.match(up.stdout, new RegExp(`gitlab:index:ProjectVariable \\(${world.project("xlink-worker")}:GITLAB_PUSHER_TOKEN\\):\\n\\s+error: GitLab API error occurred`));
    // What was created is in the state: the token and the other variable.
    assert.deepEqual(await inconsistencies(world, stack), []);
    assert.equal(await world.target.variable(world.project("xlink-worker"), "GITLAB_PUSHER_TOKEN"), undefined);
    await assertConverged(stack);
    // The next case uses the same projects: remove this stack's tokens and variables.
    await stack.destroy();
  });

  it("an emergency rotation whose variable write is reset never revokes the leaked token: no consumer is left on a revoked token; the rerun finishes it", async () => {
    const first = addDays(today(), 33);
    const second = addDays(today(), 120);
    const stack = await freshStack(pushTokens(first));
    assert.equal((await apply(stack)).code, 0);
    const leaked = (await readStackState(stack)).tokens[0];
    stack.writeConfig(config(pushTokens(second)));
    world.emulator!.control.injectFault({ method: "PUT", path: `/projects/${encodeURIComponent(world.project("xlink-app"))}/variables/:key`, fault: { kind: "reset" } });
    const up = await apply(stack);
    assert.equal(up.code, 1, up.stdout);
    assertFailedWith(up, `GitLab API error occurred: Unable to update project variable: PUT ${world.target.baseUrl}/projects/${world.project("xlink-app")}/variables/GITLAB_PUSHER_TOKEN: read ECONNRESET`);
    // The engine stops before its deletes when a step fails: the leaked token is still valid, and the
    // variable that did not move still works.
    assert.deepEqual(routes().filter((route) => route.startsWith("DELETE")), []);
    assert.equal((await world.target.token(world.project("xlink-k8s-gitops"), leaked.tokenId))?.active, true);
    assert.deepEqual(await inconsistencies(world, stack), []);
    await assertConverged(stack);
    assert.equal((await world.target.token(world.project("xlink-k8s-gitops"), leaked.tokenId))?.revoked, true);
    // The next case uses the same projects: remove this stack's tokens and variables.
    await stack.destroy();
  });

  describe("a create whose answer is lost (GitLab did the work, the connection dropped): docs/troubleshooting.md, When `pulumi up` fails", () => {
    it("a token: the up fails and the token is live without the state knowing it; revoking it, as docs/troubleshooting.md says, lets the rerun converge", async () => {
      const stack = await freshStack(pushTokens(addDays(today(), 34)));
      world.emulator!.control.injectFault({ method: "POST", path: "/projects/:id/access_tokens", when: "after", fault: { kind: "reset" } });
      const up = await apply(stack);
      assert.equal(up.code, 1, up.stdout);
      assertFailedWith(up, `Error creating GitLab ProjectAccessToken: Could not create GitLab ProjectAccessToken, unexpected error: POST ${world.target.baseUrl}/projects/${world.project("xlink-k8s-gitops")}/access_tokens: read ECONNRESET`);
      const [orphan] = (await world.target.tokens(world.project("xlink-k8s-gitops"))).filter((token) => token.active);
      assert.deepEqual(await inconsistencies(world, stack), [`token #${orphan.id} (GITLAB_CI_PUSHER) in ${world.project("xlink-k8s-gitops")} is live, and the stack's state does not know it`]);
      // docs/troubleshooting.md's recovery: an active token of the stack's name whose id `pulumi stack export` does not hold is revoked.
      const known = new Set((await readStackState(stack)).tokens.map((token) => token.tokenId));
      for (const token of await world.target.tokens(world.project("xlink-k8s-gitops"))) {
        if (token.active && token.name === "GITLAB_CI_PUSHER" && !known.has(token.id)) await world.target.revokeToken(world.project("xlink-k8s-gitops"), token.id);
      }
      await assertConverged(stack);
      // The next case uses the same projects: remove this stack's tokens and variables.
      await stack.destroy();
    });

    it("a variable: every rerun fails on the key GitLab already has; deleting that variable, as docs/troubleshooting.md says, lets the rerun converge", async () => {
      const stack = await freshStack(pushTokens(addDays(today(), 35)));
      const worker = world.project("xlink-worker");
      world.emulator!.control.injectFault({ method: "POST", path: `/projects/${encodeURIComponent(worker)}/variables`, when: "after", fault: { kind: "reset" } });
      assert.equal((await apply(stack)).code, 1);
      const rerun = await apply(stack);
      assert.equal(rerun.code, 1, rerun.stdout);
      assertFailedWith(rerun, `GitLab API error occurred: Unable to create project variable: POST ${world.target.baseUrl}/projects/${worker}/variables: 400 {message: {key: [(GITLAB_PUSHER_TOKEN) has already been taken]}}`);
      // No consumer is on a dead token meanwhile: the stray variable holds the stack's live token.
      assert.equal((await world.target.variable(worker, "GITLAB_PUSHER_TOKEN"))?.value, (await readStackState(stack)).tokens[0].value);
      assert.deepEqual(await inconsistencies(world, stack), []);
      await world.target.deleteVariable(worker, "GITLAB_PUSHER_TOKEN");
      await assertConverged(stack);
      // The next case uses the same projects: remove this stack's tokens and variables.
      await stack.destroy();
    });
  });
});
