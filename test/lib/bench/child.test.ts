// One measurement in its own process (lib/bench/child.ts), spawned as the runner spawns it.

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { describe, it } from "node:test";
import { registrationDigest } from "../../../lib/bench/digest";
import type { Sample } from "../../../lib/bench/sample";
import { benchRunOptions, programFor, runUnderMocks } from "../../../lib/bench/sides";
import { withoutApiToken } from "../../support/scenarios";
import { PROJECT_ROOT } from "../../support/sharedData";

/** Runs a tool with tsx, as npm would; started at once, so the slow process start-ups overlap. */
function runTool(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", ...args], { cwd: PROJECT_ROOT, env, timeout: 60_000 });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

const childSample = runTool(["lib/bench/child.ts", "baseline", "10"], { ...process.env, GITLAB_TOKEN: "glpat-CANARY-must-not-reach-the-child" });
const childBadSide = runTool(["lib/bench/child.ts", "both", "10"]);

describe("a measurement in its own process", () => {
  it("prints one sample, registering what the program registers in this process", async () => {
    const child = await childSample;
    assert.equal(child.stderr, "");
    assert.equal(child.status, 0);
    assert.doesNotMatch(child.stdout, /glpat-|CANARY/);
    const measured = JSON.parse(child.stdout) as Sample;
    assert.deepEqual(Object.keys(measured), ["side", "tokens", "elapsedMs", "cpuMs", "peakRssKb", "startRssKb", "registrations", "invokes", "warnings", "digest"]);
    assert.deepEqual([measured.side, measured.tokens, measured.registrations, measured.invokes, measured.warnings], ["baseline", 10, 53, [], 0]);
    assert.ok(measured.elapsedMs > 0 && measured.cpuMs > 0 && measured.peakRssKb >= measured.startRssKb && measured.startRssKb > 0);
    const options = benchRunOptions(10);
    const program = await withoutApiToken(() => runUnderMocks(options, programFor("program", options)));
    assert.equal(measured.digest, registrationDigest(program.registrations));
  });

  it("refuses a bad side with its usage and exit 2", async () => {
    const child = await childBadSide;
    assert.deepEqual([child.status, child.stdout, child.stderr], [2, "", "usage: node --import tsx lib/bench/child.ts <program|baseline> <tokens of at least 1>\n"]);
  });
});
