// How the benchmark takes its measurements: which side goes first.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { pairOrder } from "../../../lib/bench/runner";

describe("the runner", () => {
  it("alternates which side goes first", () => {
    assert.deepEqual([1, 2, 3].map(pairOrder), [
      ["program", "baseline"],
      ["baseline", "program"],
      ["program", "baseline"],
    ]);
  });
});
