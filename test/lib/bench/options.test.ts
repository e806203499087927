// The command line of `npm run bench`, parsed.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { defaultRuns, parseBenchArgs } from "../../../lib/bench/options";

describe("the command line", () => {
  it("defaults to the four sizes, one warm-up pair and runs by size", () => {
    assert.deepEqual(parseBenchArgs([]), { ok: true, options: { sizes: [10, 100, 1000, 5000], runs: undefined, warmup: 1, json: false, help: false } });
    assert.deepEqual([10, 100, 101, 1000, 5000].map(defaultRuns), [5, 5, 3, 3, 2]);
  });

  it("reads --sizes (sorted, once each), --runs, --warmup and --json", () => {
    assert.deepEqual(parseBenchArgs(["--sizes", "100, 10,100", "--runs", "2", "--warmup", "0", "--json"]), {
      ok: true,
      options: { sizes: [10, 100], runs: 2, warmup: 0, json: true, help: false },
    });
  });

  it("refuses bad values with one line naming the option and an example", () => {
    const errors = [["--sizes", "10,x"], ["--sizes", "0"], ["--runs", "0"], ["--warmup=-1"], ["--warmup", "-1"], ["--bogus"]].map((argv) => {
      const parsed = parseBenchArgs(argv);
      return parsed.ok ? "accepted" : parsed.error;
    });
    assert.deepEqual(errors, [
      '--sizes must be token counts of at least 1 separated by commas, e.g. --sizes 10,100; got "10,x"',
      '--sizes must be token counts of at least 1 separated by commas, e.g. --sizes 10,100; got "0"',
      '--runs must be a whole number of at least 1, e.g. --runs 3; got "0"',
      '--warmup must be a whole number of at least 0, e.g. --warmup 1; got "-1"',
      "Option '--warmup' argument is ambiguous: run with --help for the options",
      "Unknown option '--bogus': run with --help for the options",
    ]);
  });
});
