// Markdown building blocks of the preview note that what they quote cannot break.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { cell, code, fenceFor, MAX_MESSAGE_LENGTH, messageBody, prose } from "../../../lib/mergeRequest/markdown";

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

  it("prose escapes what CommonMark or GitLab would read as markup or a reference, and keeps words whole", () => {
    assert.equal(prose("set protected: true, key GITLAB_PUSHER_TOKEN"), "set protected: true, key GITLAB_PUSHER_TOKEN");
    assert.equal(prose("_em_ *b* `c` [l](u) <i> @u #1 !2 $3 %4 &5 ~6 ^7 a|b \\x"), "\\_em\\_ \\*b\\* \\`c\\` \\[l\\](u) \\<i\\> \\@u \\#1 \\!2 \\$3 \\%4 \\&5 \\~6 \\^7 a\\|b \\\\x");
    assert.equal(prose("glpat-abcdefghijklmnopqrst\nnext"), "\\[redacted token-like value\\] next");
  });

  it("a message body: one line quoted, several lines fenced, blank edges trimmed, cut when too long", () => {
    assert.equal(messageBody("one line\n"), "  > one line");
    assert.equal(messageBody("\n\nfirst\n  second  \n\n", "    "), "    ```text\n    first\n      second\n    ```");
    assert.equal(messageBody(""), "  > _(no message)_");
    assert.equal(messageBody("a ``` b\nc", ""), "````text\na ``` b\nc\n````");
    const long = messageBody(Array.from({ length: 300 }, (_, i) => `line ${i}`).join("\n"), "");
    assert.match(long, /\nline 199\n```\n\n_100 more lines of this message not shown: see the job log\._$/);
    const wide = messageBody(Array.from({ length: 5 }, () => "x".repeat(MAX_MESSAGE_LENGTH / 2)).join("\n"), "");
    assert.match(wide, /\n```\n\n_4 more lines of this message not shown: see the job log\._$/);
  });

  it("a fence is longer than any backtick run inside, and at least three", () => {
    assert.equal(fenceFor(["no ticks"]), "```");
    assert.equal(fenceFor(["````"]), "`````");
  });
});
