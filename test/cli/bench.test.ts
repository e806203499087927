// `npm run bench`'s command line, spawned: a bad option and --help (the measuring itself is the
// library's, test/lib/bench/; no test times anything).

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BENCH } from "../../lib/bench/options";
import { helpOf, usageOf } from "../../lib/command/commandLine";
import { runCli } from "../support/cliRun";

// Started at once, so the slow process start-ups overlap.
const badOption = runCli("bench.ts", ["--runs", "0"]);
const help = runCli("bench.ts", ["--help"]);

describe("the command line", () => {
  it("exits 1, as every command does on a usage error, with the error and the usage line on stderr and nothing on stdout", async () => {
    const result = await badOption;
    assert.deepEqual([result.code, result.stdout, result.stderr], [1, "", `bench: --runs must be a whole number of at least 1, got "0". Fix: write e.g. --runs 3.\n${usageOf(BENCH)}\n`]);
  });

  it("prints its help with --help", async () => {
    const result = await help;
    assert.deepEqual([result.code, result.stdout, result.stderr], [0, `${helpOf(BENCH)}\n`, ""]);
  });
});
