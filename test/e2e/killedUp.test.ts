// A pipeline `pulumi up` killed with SIGKILL (a runner lost, a job timeout's hard kill) after its
// first create, while GitLab is still working on the variables' creates: docs/troubleshooting.md's recovery
// ("When `pulumi up` fails"), its commands run as written, to a state that agrees with GitLab.

import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { after, before, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { addDays } from "../../config/dates";
import { PROJECT_ROOT } from "../../lib/engine";
import { inconsistencies } from "./harness/consistency";
import { describeOnEmulator } from "./harness/e2eMode";
import { startGitLabWorld, type GitLabWorld } from "./harness/gitlabWorld";
import { pipelineCommand, runPipelineJob } from "./harness/pipelineJobs";
import { readStackState } from "./harness/stackState";
import type { E2eStack } from "./harness/stack";
import { seedPushTokens, today } from "./stacks";

const PROJECTS = ["xlink-k8s-gitops", "xlink-app", "xlink-worker"] as const;

/** docs/troubleshooting.md's recovery commands for a killed `pulumi up`, by step number, for stack `name` (the document's say dev). */
function recoveryCommands(name: string): Record<number, string[]> {
  const troubleshooting = readFileSync(path.join(PROJECT_ROOT, "docs/troubleshooting.md"), "utf8");
  const block = /```sh\n(pulumi cancel[^]*?)```/.exec(troubleshooting)?.[1];
  assert.ok(block, "docs/troubleshooting.md shows the recovery of a killed pulumi up");
  const steps: Record<number, string[]> = {};
  for (const line of block.split("\n").filter((each) => each.startsWith("pulumi "))) {
    const [command, comment] = line.split(/\s+#\s+/);
    steps[Number(/^(\d+)\./.exec(comment)![1])] = command.trim().replace("--stack dev", `--stack ${name}`).split(/\s+/);
  }
  assert.deepEqual(Object.keys(steps), ["1", "2", "4", "5"]);
  return steps;
}

/**
 * Every process below `pid`, read from /proc before it dies (its children are then orphans). A child
 * is listed under the thread that started it, and the CLI starts plugins from any of its threads.
 */
function descendantsOf(pid: number): number[] {
  let children: number[];
  try {
    children = readdirSync(`/proc/${pid}/task`).flatMap((task) => readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number));
  } catch {
    return [];
  }
  return children.flatMap((child) => [child, ...descendantsOf(child)]);
}

describeOnEmulator("a pulumi up killed after its first create", () => {
  let world: GitLabWorld;
  let stack: E2eStack;
  const expiresAt = addDays(today(), 40);
  before(async () => {
    world = await startGitLabWorld({ projects: [...PROJECTS] });
    stack = await world.stack("killed", { pushTokens: seedPushTokens(world, { expiresAt }) });
  });
  after(() => world?.close());

  let pendingUrns: string[] = [];

  it("leaves the stack locked, the token in the state, both variables' creates pending, and GitLab with both variables", async () => {
    // GitLab takes its time with the variables' creates, and completes them after the CLI is gone.
    const slow = world.emulator!.control.injectFault({ method: "POST", path: "/projects/:id/variables", times: 2, fault: { kind: "latency", ms: 3000 } });
    let orphans: number[] = [];
    const killed = await world.env.pulumi(pipelineCommand("apply").replaceAll('"$STACK"', stack.name).split(/\s+/).slice(1), {
      // The program in a process of its own, which dies with the run, as the language host's would.
      programModule: { path: path.join(PROJECT_ROOT, "infra/index.ts") },
      timeoutMs: 120_000,
      // Killed once GitLab holds both create requests (the fault counts arrivals); the token's create is done.
      onSpawn: (child) => {
        const poll = setInterval(() => {
          if (slow.hits < 2) return;
          clearInterval(poll);
          orphans = descendantsOf(child.pid!);
          child.kill("SIGKILL");
        }, 20);
        child.once("exit", () => clearInterval(poll));
      },
    });
    assert.equal(killed.signal, "SIGKILL", killed.stdout + killed.stderr);
    const variables = () => PROJECTS.slice(1).map((project) => world.emulator!.state.variable(world.project(project), "GITLAB_PUSHER_TOKEN"));
    for (let waited = 0; variables().some((variable) => variable === undefined) && waited < 10_000; waited += 100) await sleep(100);
    // The plugin the killed CLI started is an orphan now, its last requests answered.
    for (const pid of orphans) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // gone already
      }
    }
    assert.ok(variables().every((variable) => variable !== undefined), "GitLab completed both creates");
    assert.ok(orphans.length > 0, "the killed CLI had started the plugin");

    const state = await readStackState(stack);
    assert.deepEqual(state.tokens.map((token) => token.name), [`${world.project("xlink-k8s-gitops")}:GITLAB_CI_PUSHER@${expiresAt}`]);
    assert.deepEqual(state.variables, []);
    const variableUrn = (project: string) => `urn:pulumi:killed::gitlab-push-tokens::gitlab-push-tokens:index:PushToken$gitlab:index/projectVariable:ProjectVariable::${world.project(project)}:GITLAB_PUSHER_TOKEN`;
    assert.deepEqual(state.pendingOperations.map((operation) => [operation.type, operation.urn]).sort(), [["creating", variableUrn("xlink-app")], ["creating", variableUrn("xlink-worker")]].sort());
    pendingUrns = state.pendingOperations.map((operation) => operation.urn);

    const locked = await runPipelineJob(stack, "apply");
    assert.notEqual(locked.code, 0);
    assert.match(locked.stderr, /the stack is currently locked by 1 lock\(s\)[^]*pulumi cancel/);
  });

  it("docs/troubleshooting.md steps 1 and 2: `pulumi cancel` unlocks it, `pulumi stack export` lists both interrupted creates", async () => {
    const steps = recoveryCommands(stack.name);
    const cancel = await world.env.pulumi(steps[1].slice(1));
    assert.equal(cancel.code, 0, cancel.stderr);
    const exported = await world.env.pulumi(steps[2].slice(1));
    assert.equal(exported.code, 0, exported.stderr);
    const pending = (JSON.parse(exported.stdout) as { deployment: { pending_operations: { type: string; resource: { urn: string } }[] } }).deployment.pending_operations;
    assert.deepEqual(pending.map((operation) => operation.resource.urn).sort(), [...pendingUrns].sort());
  });

  it("`--import-pending-creates <urn> <id>` does not bring the variable back with CLI 3.276: the refresh drops the pending import", async () => {
    // Pinned because the CLI's help promises otherwise: should it start working, docs/troubleshooting.md can use it.
    const worker = pendingUrns.find((urn) => urn.includes("xlink-worker"))!;
    const refresh = await stack.cli(["refresh", "--yes", "--import-pending-creates", worker, "--import-pending-creates", `${world.project("xlink-worker")}:GITLAB_PUSHER_TOKEN:*`]);
    assert.equal(refresh.code, 0, refresh.stdout + refresh.stderr);
    const state = await readStackState(stack);
    assert.deepEqual(state.variables, []);
    assert.deepEqual(state.pendingOperations.map((operation) => operation.urn), pendingUrns.filter((urn) => urn !== worker));
  });

  it("docs/troubleshooting.md steps 3 to 5 bring GitLab and the state together: delete what the interrupted creates made, clear them, rerun", async () => {
    const steps = recoveryCommands(stack.name);
    // 3. Each interrupted create GitLab completed: a variable is deleted (it is new: nothing uses it yet).
    for (const project of ["xlink-app", "xlink-worker"]) {
      assert.ok(await world.target.variable(world.project(project), "GITLAB_PUSHER_TOKEN"), `the interrupted create made the variable in ${project}`);
      await world.target.deleteVariable(world.project(project), "GITLAB_PUSHER_TOKEN");
    }
    // 4. Forget the pending creates; 5. rerun the apply job.
    const cleared = await world.env.pulumi(steps[4].slice(1));
    assert.equal(cleared.code, 0, cleared.stdout + cleared.stderr);
    assert.deepEqual((await readStackState(stack)).pendingOperations, []);
    const up = await runPipelineJob(stack, "apply");
    assert.equal(up.code, 0, up.stdout + up.stderr);
    assert.deepEqual(up.changes, { create: 2, same: 4 });
    assert.deepEqual(await inconsistencies(world, stack), []);
    const value = (await readStackState(stack)).tokens[0].value;
    for (const project of ["xlink-app", "xlink-worker"]) assert.equal((await world.target.variable(world.project(project), "GITLAB_PUSHER_TOKEN"))?.value, value);
  });
});
