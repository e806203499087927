// The program with its tokens in a declaration file (pushTokensFile), read from the project's folder,
// and its warning for a stack config near the size the Node.js host can pass (config/configSize.ts).

import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { stringify } from "yaml";
import { fixedClock } from "../../config/clock";
import { configEnvironmentBytes } from "../../config/configSize";
import { BENCH_TODAY, benchStackConfig } from "../../lib/bench/generate";
import { evaluateStack } from "../../lib/evaluation/evaluate";
import { toPulumiConfig } from "../../lib/stackFile/offlineConfig";

const PROJECT = "gitlab-push-tokens";
const root = mkdtempSync(path.join(tmpdir(), "declaration-program-"));
after(() => rmSync(root, { recursive: true, force: true }));

/** The generated stack of `tokens` tokens, inline or with its tokens in push-tokens/<name>.yaml under `root`. */
function stack(tokens: number, form: "inline" | "declaration") {
  const { gitlab, expiryWarningDays, pushTokens } = benchStackConfig(tokens);
  if (form === "inline") return toPulumiConfig(PROJECT, { gitlab, expiryWarningDays, pushTokens });
  mkdirSync(path.join(root, "push-tokens"), { recursive: true });
  writeFileSync(path.join(root, `push-tokens/s${tokens}.yaml`), stringify({ pushTokens }));
  return toPulumiConfig(PROJECT, { gitlab, expiryWarningDays, pushTokensFile: `push-tokens/s${tokens}.yaml` });
}

const run = (config: ReturnType<typeof stack>, stackName = "big") => evaluateStack({ ...config, project: PROJECT, stack: stackName, clock: fixedClock(BENCH_TODAY), root });

describe("the program's declaration file", () => {
  it("registers exactly what the same tokens inline register", async () => {
    const [inline, declared] = [await run(stack(20, "inline")), await run(stack(20, "declaration"))];
    assert.equal(declared.error, undefined);
    assert.equal(declared.registrations.length, 105);
    assert.deepEqual(
      declared.registrations.map((r) => [r.urn, r.inputs, r.parent]),
      inline.registrations.map((r) => [r.urn, r.inputs, r.parent]),
    );
    assert.deepEqual(declared.outputs, inline.outputs);
  });

  it("reads the file relative to its root, and names it when it is missing, registering nothing", async () => {
    const config = toPulumiConfig(PROJECT, { pushTokensFile: "push-tokens/missing.yaml" });
    const evaluation = await run(config);
    assert.deepEqual(evaluation.registrations.filter((r) => r.type.startsWith("gitlab:")), []);
    assert.match(evaluation.error!, /^Invalid gitlab-push-tokens config in Pulumi\.big\.yaml and push-tokens\/missing\.yaml \(1 problem\); no GitLab resource was registered:\n {2}- pushTokensFile: "push-tokens\/missing\.yaml" does not exist\./);
  });
});

describe("the program's warning for a stack config near the host's limit", () => {
  const sizeWarnings = (warnings: readonly string[]) => warnings.filter((warning) => warning.includes("PULUMI_CONFIG"));

  it("warns past 96 KiB with the size and the fix, still registering everything", async () => {
    const config = stack(300, "inline");
    const bytes = configEnvironmentBytes(config.config);
    assert.ok(bytes > 96 * 1024 && bytes <= 128 * 1024, `${bytes} bytes`);
    const evaluation = await run(config);
    assert.equal(evaluation.error, undefined);
    assert.deepEqual(sizeWarnings(evaluation.warnings), [
      `the stack config of big is ${(bytes / 1024).toFixed(1)} KiB as the Node.js host passes it (PULUMI_CONFIG), near Linux's limit of 128 KiB for one environment variable: past it, pulumi preview and pulumi up fail with "argument list too long" before the program starts. Fix: move pushTokens out of the stack config into a declaration file: npm run move-push-tokens -- --stack big (docs/scaling.md)`,
    ]);
  });

  it("says nothing below it, nor for the same stack with a declaration file", async () => {
    assert.deepEqual(sizeWarnings((await run(stack(100, "inline"))).warnings), []);
    assert.deepEqual(sizeWarnings((await run(stack(300, "declaration"))).warnings), []);
  });
});
