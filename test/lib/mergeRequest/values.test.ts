// How a value read from a preview document becomes safe text.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { safeLine, safeText } from "../../../lib/mergeRequest/values";

describe("safe text", () => {
  it("safe text drops colours, Pulumi markup and control characters, and redacts tokens", () => {
    assert.equal(safeText("\u001b[1;33mwarn\u001b[0m <{%fg 3%}>x<{%reset%}>\u0007 glpat-abcdefghij"), "warn x [redacted token-like value]");
    assert.equal(safeLine("a\n\n  b\tc"), "a b c");
    assert.equal(safeLine("x".repeat(20), 10), `${"x".repeat(9)}…`);
  });
});
