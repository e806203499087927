// The harness against the real pulumi CLI, on the smallest program that still goes through every part:
// stack config from Pulumi.<stack>.yaml (a structured value and a secret), a component, stack outputs,
// up, a second preview that must change nothing, the files the engine writes, destroy. And the two
// promises of the harness itself: nothing of the user's ~/.pulumi takes part, and a wrong CLI fails
// the suite loudly instead of skipping it.

import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it, type TestContext } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { EngineError } from "../../lib/engine";
import { Smoke, SMOKE_TYPE } from "./fixtures/smokeProgram";
import { E2eStack, createEngineEnv, failureOf, filesUnder, readCheckpoint, type EngineEnv } from "./harness";

const PROJECT = "gitlab-push-tokens";
const canaryFakeToken = "glpat-canaryfake0123456789";
// Unique per run, so this run's traces can be told from any other process's on a shared machine.
const STACK = `smoke-${randomBytes(4).toString("hex")}`;
const COMPONENT_TYPE = SMOKE_TYPE;

/** Runs an operation and reports its duration in the test's output (docs/engine.md quotes them). */
async function timed<T>(t: TestContext, label: string, operation: () => Promise<T>): Promise<T> {
  const started = Date.now();
  const result = await operation();
  t.diagnostic(`${label}: ${Date.now() - started} ms`);
  return result;
}

async function smokeProgram() {
  const config = new pulumi.Config();
  new Smoke("smoke");
  return { greeting: config.requireObject<{ to: string; times: number }>("greeting"), echoed: config.requireSecret("canaryFakeToken") };
}

describe("a program through the real pulumi CLI", () => {
  let env: EngineEnv;
  let stack: E2eStack;
  before(async () => {
    env = await createEngineEnv();
    stack = await E2eStack.create(env, { name: STACK, program: smokeProgram, config: { [`${PROJECT}:greeting`]: { to: "reviewers", times: 2 } }, secrets: { [`${PROJECT}:canaryFakeToken`]: canaryFakeToken } });
  });
  after(() => env?.cleanup());

  it("creates the stack from Pulumi.<stack>.yaml, the secret in it only as ciphertext", () => {
    const text = readFileSync(stack.stackFile, "utf8");
    assert.match(text, /^# Written by test\/e2e\/harness\/stack\.ts[^]*\nconfig:\n  gitlab-push-tokens:greeting:\n    to: reviewers\n    times: 2\n  gitlab-push-tokens:canaryFakeToken:\n    secure: v1:\S+\nencryptionsalt: v1:\S+\n$/);
    assert.ok(!text.includes(canaryFakeToken));
  });

  it("up registers the component and returns the outputs, the config's secret still secret", async (t) => {
    const up = await timed(t, "pulumi up", () => stack.up());
    assert.equal(up.summary.result, "succeeded");
    assert.deepEqual(up.summary.resourceChanges, { create: 2 });
    assert.deepEqual(up.outputs, { greeting: { value: { to: "reviewers", times: 2 }, secret: false }, echoed: { value: canaryFakeToken, secret: true } });
    const created = up.events.flatMap((event) => (event.resOutputsEvent ? [event.resOutputsEvent.metadata.type] : []));
    assert.deepEqual(created.sort(), [COMPONENT_TYPE, "pulumi:pulumi:Stack"]);
    assert.ok(up.events.at(-1)?.cancelEvent && up.events.some((event) => event.summaryEvent), "the event stream ends as the engine ends it");
  });

  it("a second preview with --expect-no-changes passes, seeing both resources unchanged", async (t) => {
    const preview = await timed(t, "pulumi preview --expect-no-changes", () => stack.preview({ expectNoChanges: true }));
    assert.deepEqual(preview.changeSummary, { same: 2 });
  });

  it("leaves in the backend what was registered, the secret output as ciphertext in every file", () => {
    const resources = readCheckpoint(env.backendDir, PROJECT, STACK).checkpoint.latest?.resources ?? [];
    assert.deepEqual(
      resources.map((resource) => [resource.type, resource.urn]),
      [
        ["pulumi:pulumi:Stack", `urn:pulumi:${STACK}::${PROJECT}::pulumi:pulumi:Stack::${PROJECT}-${STACK}`],
        [COMPONENT_TYPE, `urn:pulumi:${STACK}::${PROJECT}::${COMPONENT_TYPE}::smoke`],
      ],
    );
    const outputs = resources[0].outputs as { greeting: unknown; echoed: Record<string, unknown> };
    assert.deepEqual(outputs.greeting, { to: "reviewers", times: 2 });
    assert.deepEqual(Object.keys(outputs.echoed).sort(), ["4dabf18193072939515e22adb298388d", "ciphertext"]);
    const stored = [...filesUnder(env.backendDir), ...filesUnder(env.pulumiHome)];
    assert.ok(stored.some((file) => file.path.startsWith(".pulumi/history/")) && stored.some((file) => file.path.startsWith(".pulumi/backups/")));
    assert.deepEqual(stored.filter((file) => file.text.includes(canaryFakeToken)).map((file) => file.path), []);
  });

  it("runs the CLI directly for what the Automation API does not do: stack export", async (t) => {
    const exported = await timed(t, "pulumi stack export", () => stack.exportState());
    assert.deepEqual(exported.deployment.resources?.map((resource) => resource.type), ["pulumi:pulumi:Stack", COMPONENT_TYPE]);
    assert.ok(!JSON.stringify(exported).includes(canaryFakeToken));
  });

  it("runs `pulumi preview --json` directly with the program served, giving the JSON document and the events", async (t) => {
    const preview = await timed(t, "pulumi preview --json (direct)", () => stack.previewJson());
    assert.equal(preview.code, 0, preview.stderr);
    assert.deepEqual((preview.document as { changeSummary: unknown }).changeSummary, { same: 2 });
    assert.deepEqual(preview.events.find((event) => event.summaryEvent)?.summaryEvent?.resourceChanges, { same: 2 });
  });

  it("keeps everything in its own PULUMI_HOME: the user's ~/.pulumi holds no trace of this stack", () => {
    const logs = filesUnder(path.join(env.pulumiHome, "logs")).map((file) => file.path);
    // PulumiCommand.get's `pulumi version` too: the launcher gave it this environment's home.
    assert.ok(logs.some((name) => /^pulumi-\d{8}T\d{6}-\d+-version\.log$/.test(name)), logs.join(", "));
    assert.ok(logs.some((name) => name.includes(`+${STACK}-`)), logs.join(", "));
    assert.ok(filesUnder(path.join(env.pulumiHome, "workspaces")).some((file) => file.text.includes(STACK)));
    const realHome = path.join(os.userInfo().homedir, ".pulumi"); // where the CLI would write without PULUMI_HOME
    const traces = existsSync(realHome) ? filesUnder(realHome).filter((file) => file.path.includes(STACK) || file.text.includes(STACK)) : [];
    assert.deepEqual(traces.map((file) => file.path), []);
  });

  it("destroy removes both resources and leaves an empty stack", async (t) => {
    const destroyed = await timed(t, "pulumi destroy", () => stack.destroy());
    assert.equal(destroyed.summary.result, "succeeded");
    assert.deepEqual(destroyed.summary.resourceChanges, { delete: 2 });
    assert.deepEqual(readCheckpoint(env.backendDir, PROJECT, STACK).checkpoint.latest?.resources ?? [], []);
  });
});

describe("a program that refuses its config through the real CLI", () => {
  let env: EngineEnv;
  before(async () => (env = await createEngineEnv()));
  after(() => env?.cleanup());

  it("fails up with exactly the program's message, registers nothing but the stack's root, and leaves no unhandled rejection in this process", async () => {
    const message = "Invalid gitlab-push-tokens config in Pulumi.refused.yaml: pushTokens is missing. Fix: add it.";
    const stack = await E2eStack.create(env, {
      name: "refused",
      program: async () => {
        throw new pulumi.RunError(message);
      },
      config: {},
    });
    const failure = await failureOf(stack.up());
    assert.deepEqual(failure.errors, [message]);
    assert.equal(failure.exitCode, 1);
    // The engine registers the stack's root before the program runs; nothing else is in the state.
    assert.deepEqual((readCheckpoint(env.backendDir, PROJECT, "refused").checkpoint.latest?.resources ?? []).map((resource) => resource.type), ["pulumi:pulumi:Stack"]);
    // Were the SDK's rejections left unhandled, node:test would fail this file after its last test.
  });
});

describe("a pulumi up killed mid-way, through the real CLI", () => {
  let env: EngineEnv;
  before(async () => (env = await createEngineEnv()));
  after(() => env?.cleanup());

  it("leaves the stack locked until `pulumi cancel`, after which an up succeeds", async () => {
    const stack = await E2eStack.create(env, { name: "killed", program: async () => void new Smoke("smoke"), config: {} });
    // The killed run's program hangs in a process of its own, which dies with the run.
    const killed = await stack.cli(["up", "--yes", "--skip-preview"], {
      programModule: { path: path.join(__dirname, "fixtures/smokeProgram.ts"), exportName: "hangAfterSmoke" },
      timeoutMs: 60_000,
      onSpawn: (child) => child.stdout?.on("data", (chunk: Buffer) => String(chunk).includes(`${SMOKE_TYPE} smoke creating`) && child.kill("SIGKILL")),
    });
    assert.equal(killed.signal, "SIGKILL", killed.stdout + killed.stderr);

    // up and refresh take the lock; a preview does not.
    const locked = await stack.cli(["refresh", "--yes"]);
    assert.notEqual(locked.code, 0);
    assert.match(locked.stderr, /the stack is currently locked by 1 lock\(s\)[^]*pulumi cancel/);
    // Without the program served, a command that runs it gets the stand-in language host's refusal.
    const unserved = await stack.cli(["preview"]);
    assert.match(unserved.stdout, /error: an unhandled error occurred: the e2e harness runs programs inline, and its stand-in Node\.js language host runs only policy packs/);

    assert.equal((await stack.cancel()).code, 0);
    const up = await stack.up();
    assert.equal(up.summary.result, "succeeded");
    assert.deepEqual(readCheckpoint(env.backendDir, PROJECT, "killed").checkpoint.latest?.resources?.map((resource) => resource.type), ["pulumi:pulumi:Stack", SMOKE_TYPE]);
  });
});

describe("the harness without the right CLI", () => {
  it("fails, naming PULUMI_CLI and the fix, when PULUMI_CLI points nowhere", async () => {
    await assert.rejects(
      createEngineEnv({ locateWith: { ...process.env, PULUMI_CLI: "/nonexistent/pulumi" } }),
      (error: unknown) => error instanceof EngineError && /^PULUMI_CLI=\/nonexistent\/pulumi `version` failed: .*ENOENT.*, but the tests need pulumi v3\.276\.0 .*: point PULUMI_CLI at pulumi v3\.276\.0/.test(error.message),
    );
  });

  it("fails, saying how to build it, when no pulumi of the SDK's release is anywhere", async () => {
    const empty = path.join(os.tmpdir(), "no-such-cache");
    await assert.rejects(
      createEngineEnv({ locateWith: { PATH: "/nonexistent", XDG_CACHE_HOME: empty, HOME: empty } }),
      (error: unknown) => error instanceof EngineError && error.message === `no pulumi v3.276.0 found: run \`npm run engine\` to build it from the Go module proxy into ${empty}/gitlab-push-tokens/pulumi/v3.276.0/pulumi, put pulumi v3.276.0 on PATH, or set PULUMI_CLI to one`,
    );
  });
});
