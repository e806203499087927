// Every command of cli/ keeps the one command-line convention (lib/command/commandLine.ts): a usage
// line naming every option, a --help explaining each with an example, a usage error in the same words
// with exit code 1, and the forgotten `--` of `npm run plan --stack acme` recognised under the real npm.

import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";

import { ADOPT } from "../cli/adopt";
import { ENGINE } from "../cli/engine";
import { EXPIRY } from "../cli/expiry";
import { MOVE_PUSH_TOKENS } from "../cli/move-push-tokens";
import { MR_NOTE } from "../cli/mr-note";
import { PLAN, planCommand } from "../cli/plan";
import { PLAN_COMMENT } from "../cli/plan-comment";
import { PREVIEW_COMMENT } from "../cli/preview-comment";
import { PROPOSE_ROTATION } from "../cli/propose-rotation";
import { ROTATE } from "../cli/rotate";
import { BENCH } from "../lib/bench/options";
import { helpOf, usageOf, type CommandSpec } from "../lib/command/commandLine";
import { runCli, runProcess } from "./support/cliRun";
import { runInProcess } from "./support/inProcess";
import { PROJECT_ROOT } from "./support/sharedData";

const SPECS: readonly CommandSpec[] = [ADOPT, BENCH, ENGINE, EXPIRY, MOVE_PUSH_TOKENS, MR_NOTE, PLAN, PLAN_COMMENT, PREVIEW_COMMENT, PROPOSE_ROTATION, ROTATE];

describe("one convention for every command", () => {
  it("covers every entry in cli/", () => {
    assert.deepEqual(
      SPECS.map((spec) => `${spec.name}.ts`).sort(),
      readdirSync(path.join(PROJECT_ROOT, "cli")).sort(),
    );
  });

  for (const spec of SPECS) {
    it(`${spec.name}: the usage names every option, the help explains each, and every value has an example`, () => {
      const usage = usageOf(spec);
      const help = helpOf(spec);
      for (const [name, option] of Object.entries(spec.options)) {
        assert.ok(usage.includes(`--${name}`), `${spec.name}: --${name} is not in the usage line`);
        assert.match(help, new RegExp(`\\n  --${name}[ \\n]`), `${spec.name}: --${name} is not explained by --help`);
        assert.ok(option.description.length > 15, `${spec.name}: --${name} has no real description`);
        if (option.type === "string") assert.ok(option.example?.startsWith(`--${name} `), `${spec.name}: --${name} has no example`);
      }
      assert.ok(spec.examples.length > 0 && spec.examples.every((example) => example.includes(`npm run ${spec.name}`) || example.includes(`npm run --silent ${spec.name}`)), spec.name);
      assert.match(help, /\nExit codes: 0 .*; 1 [^;]*usage error/, `${spec.name}: the help says that a usage error exits 1`);
    });
  }

  it("every command answers an unknown option in the same words, with its usage line, and exit 1", async () => {
    const results = await Promise.all(SPECS.map((spec) => runCli(`${spec.name}.ts`, ["--bogus"])));
    assert.deepEqual(
      results.map((result) => [result.code, result.stdout, result.stderr]),
      SPECS.map((spec) => [1, "", `${spec.name}: unknown option "--bogus". Fix: npm run ${spec.name} -- --help lists every option.\n${usageOf(spec)}\n`]),
    );
  });

  it("every command prints its help on stdout with --help, and exits 0", async () => {
    const results = await Promise.all(SPECS.map((spec) => runCli(`${spec.name}.ts`, ["--help"])));
    assert.deepEqual(
      results.map((result) => [result.code, result.stdout, result.stderr]),
      SPECS.map((spec) => [0, `${helpOf(spec)}\n`, ""]),
    );
  });
});

describe("the stack as pulumi stack ls shows it", () => {
  it("is understood fully qualified, and refused with another project's name", async () => {
    const qualified = await runInProcess(planCommand, ["--stack", "acme/gitlab-push-tokens/dev", "--dir", PROJECT_ROOT, "--today", "2026-11-25"], { GITLAB_TOKEN: undefined });
    const bare = await runInProcess(planCommand, ["--stack", "dev", "--dir", PROJECT_ROOT, "--today", "2026-11-25"], { GITLAB_TOKEN: undefined });
    assert.equal(qualified.status, 0, qualified.stderr);
    assert.equal(qualified.stdout, bare.stdout);
    const other = await runInProcess(planCommand, ["--stack", "acme/other/dev", "--dir", PROJECT_ROOT]);
    assert.equal(other.status, 1);
    assert.match(other.stderr, /^plan: --stack "acme\/other\/dev" names project "other", but .*Pulumi\.yaml is project "gitlab-push-tokens"\. Fix: pass --stack acme\/gitlab-push-tokens\/dev, or just --stack dev/);
  });
});

/** `npm <args>` from the project root, as a user types it. */
const npm = (args: readonly string[]) => runProcess("npm", args, { env: { ...process.env, GITLAB_TOKEN: "" }, timeoutMs: 60_000 });

describe("a forgotten -- under the real npm", () => {
  it("npm run plan --stack acme says what npm did and gives the command with the --", async () => {
    const [spaced, joined] = await Promise.all([npm(["run", "--silent", "plan", "--stack", "acme"]), npm(["run", "--silent", "expiry", "--stack=dev", "--within", "14"])]);
    assert.deepEqual([spaced.code, spaced.stdout], [1, ""]);
    assert.equal(
      spaced.stderr,
      `plan: npm kept --stack for itself: without a -- after the script's name, npm reads the options and passes on only their values. Fix: put -- before the options: npm run plan -- --stack acme.\n${usageOf(PLAN)}\n`,
    );
    assert.deepEqual([joined.code, joined.stdout], [1, ""]);
    assert.match(joined.stderr, /^expiry: npm kept --stack, --within for itself: .* Fix: put -- before the options: npm run expiry -- --stack dev --within 14\.\n/);
  });
});
