// How the stack commands lay out their reports: aligned tables and counted nouns.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { count, table } from "../../../lib/command/reportText";

describe("table", () => {
  it("pads each column to its widest cell, two spaces apart, with no trailing blanks", () => {
    assert.deepEqual(table(["NAME", "DUE"], [["GITLAB_CI_PUSHER", "yes"], ["T", "no"]]), ["  NAME              DUE", "  GITLAB_CI_PUSHER  yes", "  T                 no"]);
  });

  it("says none for no rows, without a header", () => {
    assert.deepEqual(table(["NAME", "DUE"], []), ["  none"]);
  });
});

describe("count", () => {
  it("puts the noun in the plural except for one", () => {
    assert.deepEqual([0, 1, 2].map((n) => count(n, "token")), ["0 tokens", "1 token", "2 tokens"]);
  });
});
