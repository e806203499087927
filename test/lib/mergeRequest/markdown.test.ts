// Markdown building blocks of the preview note that what they quote cannot break.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { cell, code } from "../../../lib/mergeRequest/markdown";

describe("Markdown pieces", () => {
  it("code spans grow their fence past any backtick run inside", () => {
    assert.equal(code("plain"), "`plain`");
    assert.equal(code("a`b"), "``a`b``");
    assert.equal(code("a``b`"), "``` a``b` ```");
    assert.equal(code("`x"), "`` `x ``");
    assert.equal(code(""), "` `");
    assert.equal(code("two\nlines"), "`two lines`");
  });

  it("table cells escape pipes and fold line breaks", () => {
    assert.equal(cell("a|b\nc\r\nd"), "a\\|b c d");
  });
});
