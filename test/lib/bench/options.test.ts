// The command line of `npm run bench`, parsed by the convention every command follows.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BENCH, defaultRuns, parseBenchArgs } from "../../../lib/bench/options";
import { helpOf } from "../../../lib/command/commandLine";

describe("the command line", () => {
  it("defaults to the four sizes, one warm-up pair and runs by size", () => {
    assert.deepEqual(parseBenchArgs([]), { ok: true, options: { sizes: [10, 100, 1000, 5000], runs: undefined, warmup: 1, json: false, engine: false } });
    assert.deepEqual([10, 100, 101, 1000, 5000].map(defaultRuns), [5, 5, 3, 3, 2]);
  });

  it("reads --sizes (sorted, once each), --runs, --warmup and --json", () => {
    assert.deepEqual(parseBenchArgs(["--sizes", "100, 10,100", "--runs", "2", "--warmup", "0", "--json"]), {
      ok: true,
      options: { sizes: [10, 100], runs: 2, warmup: 0, json: true, engine: false },
    });
  });

  it("--engine: pulumi preview through the real CLI, by default at 1,000 and 5,000 tokens, 3 runs each", () => {
    assert.deepEqual(parseBenchArgs(["--engine"]), { ok: true, options: { sizes: [1000, 5000], runs: 3, warmup: 1, json: false, engine: true } });
    assert.deepEqual(parseBenchArgs(["--engine", "--sizes", "10000", "--runs", "1", "--warmup", "0"]), { ok: true, options: { sizes: [10000], runs: 1, warmup: 0, json: false, engine: true } });
  });

  it("answers --help with the help, which explains every option", () => {
    assert.deepEqual(parseBenchArgs(["--help"]), { ok: true, help: helpOf(BENCH) });
    for (const option of ["--sizes <counts>", "--runs <N>", "--warmup <N>", "--json"]) assert.match(helpOf(BENCH), new RegExp(`\\n {2}${option.replace(/[<>]/g, "\\$&")} +\\S`), option);
  });

  it("refuses bad values with one line naming the option and an example, a negative number included", () => {
    const errors = [["--sizes", "10,x"], ["--sizes", "0"], ["--runs", "0"], ["--warmup=-1"], ["--warmup", "-1"], ["--bogus"]].map((argv) => {
      const parsed = parseBenchArgs(argv);
      return parsed.ok ? "accepted" : parsed.error;
    });
    assert.deepEqual(errors, [
      '--sizes must be token counts of at least 1 separated by commas, got "10,x". Fix: write e.g. --sizes 10,100',
      '--sizes must be token counts of at least 1 separated by commas, got "0". Fix: write e.g. --sizes 10,100',
      '--runs must be a whole number of at least 1, got "0". Fix: write e.g. --runs 3',
      '--warmup must be a whole number of at least 0, got "-1". Fix: write e.g. --warmup 1',
      '--warmup must be a whole number of at least 0, got "-1". Fix: write e.g. --warmup 1',
      'unknown option "--bogus". Fix: npm run bench -- --help lists every option.',
    ]);
  });
});
