// The benchmark's summary statistics.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { median, round } from "../../../lib/bench/stats";

describe("statistics", () => {
  it("takes the median of odd and even counts, whatever the order", () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.equal(median([7]), 7);
    assert.throws(() => median([]), { message: "median of no values" });
  });

  it("rounds to a number of decimals", () => {
    assert.equal(round(1.23456, 2), 1.23);
    assert.equal(round(11.3636, 2), 11.36);
    assert.equal(round(1.19047, 3), 1.19);
  });
});
