// A pipeline `pulumi up` killed with SIGKILL (a runner lost, a job timeout's hard kill) after its
// first create, while GitLab is still working on a variable's create: the README's recovery
// ("When pulumi up fails"), command by command, to a state that agrees with GitLab.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { addDays } from "../../config/dates";
import { PROJECT_ROOT } from "../../lib/engine";
import { inconsistencies } from "./harness/consistency";
import { describeOnEmulator } from "./harness/e2eMode";
import { startGitLabWorld, type GitLabWorld } from "./harness/gitlabWorld";
import { pipelineCommand, runPipelineJob } from "./harness/pipelineJobs";
import { readStackState } from "./harness/stackState";
import type { E2eStack } from "./harness/stack";
import { today } from "./stacks";

const PROJECTS = ["xlink-k8s-gitops", "xlink-app", "xlink-worker"] as const;

/** Every process below `pid`, read from /proc before it dies (its children are then orphans). */
function descendantsOf(pid: number): number[] {
  let children: number[];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
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
    stack = await world.stack("killed", {
      pushTokens: [
        {
          name: "GITLAB_CI_PUSHER",
          project: world.project("xlink-k8s-gitops"),
          expiresAt,
          consumers: [
            { project: world.project("xlink-app"), key: "GITLAB_PUSHER_TOKEN" },
            { project: world.project("xlink-worker"), key: "GITLAB_PUSHER_TOKEN" },
          ],
        },
      ],
    });
  });
  after(() => world?.close());

  it("leaves the token in the state, the slow variable's create pending, and GitLab with that variable", async () => {
    const worker = world.project("xlink-worker");
    // GitLab takes its time with this create, and completes it after the CLI is gone.
    const slow = world.emulator!.control.injectFault({ method: "POST", path: `/projects/${encodeURIComponent(worker)}/variables`, fault: { kind: "latency", ms: 3000 } });
    let orphans: number[] = [];
    const killed = await world.env.pulumi(pipelineCommand("apply").replaceAll('"$STACK"', stack.name).split(/\s+/).slice(1), {
      // The program in a process of its own, which dies with the run, as the language host's would.
      programModule: { path: path.join(PROJECT_ROOT, "infra/index.ts") },
      timeoutMs: 120_000,
      // Killed once GitLab has the variable's create request in hand (the fault counts arrivals).
      onSpawn: (child) => {
        const poll = setInterval(() => {
          if (slow.hits === 0) return;
          clearInterval(poll);
          orphans = descendantsOf(child.pid!);
          child.kill("SIGKILL");
        }, 20);
        child.once("exit", () => clearInterval(poll));
      },
    });
    assert.equal(killed.signal, "SIGKILL", killed.stdout + killed.stderr);
    for (let waited = 0; !world.emulator!.state.variable(worker, "GITLAB_PUSHER_TOKEN") && waited < 10_000; waited += 100) await sleep(100);
    // The plugin the killed CLI started is an orphan now; it has done its last request.
    for (const pid of orphans) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // gone already
      }
    }
    assert.ok(world.emulator!.state.variable(worker, "GITLAB_PUSHER_TOKEN"), "GitLab completed the variable's create");
    const checkpoint = JSON.parse((await stack.cli(["stack", "export"])).stdout);
    console.log(JSON.stringify(checkpoint.deployment.pending_operations?.map((op: { type: string; resource: { urn: string } }) => [op.type, op.resource.urn])));
    console.log(JSON.stringify(checkpoint.deployment.resources.map((r: { urn: string }) => r.urn)));
    const cancel = await stack.cancel();
    console.log("cancel", cancel.code, cancel.stdout, cancel.stderr);
    const urn = checkpoint.deployment.pending_operations[0].resource.urn;
    const refresh = await stack.cli(["refresh", "--yes", "--import-pending-creates", urn, "--import-pending-creates", `${worker}:GITLAB_PUSHER_TOKEN:*`], { program: stack.program });
    console.log("refresh", refresh.code, refresh.stdout, refresh.stderr);
    const state = await readStackState(stack);
    console.log(JSON.stringify(state.pendingOperations), JSON.stringify(state.variables.map((v) => [v.name, v.value.slice(0, 8)])));
    const up = await runPipelineJob(stack, "apply");
    console.log("up", up.code, up.stdout.slice(-3000));
    console.log(await inconsistencies(world, stack));
  });
});

void describe;
