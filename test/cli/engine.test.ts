// `npm run engine` as npm test and CI run it: the path on stdout and nothing else, progress on
// stderr, exit 1 with the fix when no CLI can be had, and one build when two runs start at once.

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { afterEach, describe, it } from "node:test";
import { cachedCliPath, cliCacheDir } from "../../lib/engine/cachePath";
import { PROJECT_ROOT } from "../../lib/engine/version";
import { runProcess } from "../support/cliRun";
import { fakeGoMachine, type FakeGoMachine } from "../lib/engine/fakeGo";

const VERSION = "3.276.0";
let machine: FakeGoMachine | undefined;
afterEach(() => machine?.cleanup());

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function engine(args: readonly string[], env: Record<string, string>): Promise<Run> {
  return runProcess(process.execPath, ["--import", "tsx", path.join(PROJECT_ROOT, "cli/engine.ts"), ...args], { env, timeoutMs: 600_000 });
}

describe("npm run engine", () => {
  it("builds when missing, printing the steps on stderr and only the path on stdout", async () => {
    machine = fakeGoMachine();
    const run = await engine([], machine.env);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, `${cachedCliPath(VERSION, machine.env)}\n`);
    assert.match(run.stderr, /^engine: building pulumi v3\.276\.0 from the Go module proxy into [^]*engine: \[5\/6\] go build\n[^]*engine: built pulumi v3\.276\.0 in /);
  });

  it("prints only the path with --quiet", async () => {
    machine = fakeGoMachine();
    const cached = machine.addPulumi(cliCacheDir(VERSION, machine.env), "v3.276.0");
    assert.deepEqual(await engine(["--quiet"], machine.env), { code: 0, stdout: `${cached}\n`, stderr: "" });
  });

  it("says which pulumi it uses when one of the right version is on PATH, and builds nothing", async () => {
    machine = fakeGoMachine();
    const onPath = machine.addPulumi(path.join(machine.root, "usr-local-bin"), "v3.276.0");
    const run = await engine([], { ...machine.env, PATH: `${path.dirname(onPath)}:${machine.env.PATH}` });
    assert.deepEqual(run, { code: 0, stdout: `${onPath}\n`, stderr: `engine: using pulumi v3.276.0 found on PATH: ${onPath}\n` });
    assert.deepEqual(machine.calls(), []);
  });

  it("exits 1 with the fix when go is missing", async () => {
    machine = fakeGoMachine();
    const run = await engine(["--quiet"], { ...machine.env, PATH: "/nonexistent" });
    assert.equal(run.code, 1);
    assert.equal(run.stdout, "");
    assert.match(run.stderr, /^engine: `go` is not on PATH, and building the pulumi CLI needs it: install Go \(https:\/\/go\.dev\/doc\/install\)/);
  });

  it("exits 1 with the usage on an unknown flag, 0 with --help", async () => {
    machine = fakeGoMachine();
    const bad = await engine(["--version"], machine.env);
    assert.equal(bad.code, 1);
    assert.equal(bad.stderr, 'engine: unknown option "--version". Fix: npm run engine -- --help lists every option.\nusage: npm run engine [-- --quiet]\n');
    const help = await engine(["--help"], machine.env);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^usage: npm run engine \[-- --quiet\]\n\nPrints the path of the pulumi CLI[^]*\n {2}--quiet {5}print only the path/);
  });

  it("builds once when two runs start together: the second waits for the first and uses its binary", async () => {
    machine = fakeGoMachine({ buildSeconds: 2 });
    const [first, second] = await Promise.all([engine([], machine.env), engine([], machine.env)]);
    assert.deepEqual([first.code, second.code], [0, 0], first.stderr + second.stderr);
    assert.deepEqual([first.stdout, second.stdout], [`${cachedCliPath(VERSION, machine.env)}\n`, `${cachedCliPath(VERSION, machine.env)}\n`]);
    assert.equal(machine.calls().filter((call) => call.args[0] === "build").length, 1);
    assert.match(first.stderr + second.stderr, /engine: using pulumi v3\.276\.0 built by another process: /);
    assert.equal(existsSync(path.join(cliCacheDir(VERSION, machine.env), "build.lock")), false);
  });

  it("takes over the lock of a build whose process died", async () => {
    machine = fakeGoMachine();
    const dead = await new Promise<number>((resolve) => {
      const child = spawn("true");
      child.on("exit", () => resolve(child.pid!));
    });
    const lock = path.join(cliCacheDir(VERSION, machine.env), "build.lock");
    mkdirSync(lock, { recursive: true });
    writeFileSync(path.join(lock, "owner.json"), JSON.stringify({ pid: dead, host: (await import("node:os")).hostname(), since: "2026-01-01T00:00:00Z" }));
    const run = await engine(["--quiet"], machine.env);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(existsSync(lock), false);
  });
});
