// `npm run bench`'s command line, spawned: a bad option and --help (the measuring itself is the
// library's, test/lib/bench/; no test times anything).

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { USAGE } from "../../lib/bench/options";
import { runCli } from "../support/cliRun";

// Started at once, so the slow process start-ups overlap.
const badOption = runCli("bench.ts", ["--runs", "0"]);
const help = runCli("bench.ts", ["--help"]);

describe("the command line", () => {
  it("exits 2 with the error on stderr and nothing on stdout for a bad option", async () => {
    const result = await badOption;
    assert.deepEqual([result.code, result.stdout, result.stderr], [2, "", '--runs must be a whole number of at least 1, e.g. --runs 3; got "0"\n']);
  });

  it("prints its usage with --help", async () => {
    const result = await help;
    assert.deepEqual([result.code, result.stdout, result.stderr], [0, `${USAGE}\n`, ""]);
  });
});
