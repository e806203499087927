// The merge-request note of a pipeline without Pulumi credentials (a fork): `npm run plan`'s report
// under the preview note's markers.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { renderPlanNote } from "../../../lib/mergeRequest/planNote";
import { PLAN_NOTE_HEAD as HEAD } from "../../support/planNote";

describe("renderPlanNote", () => {
  it("puts the report in a code block under the preview note's markers", () => {
    assert.equal(renderPlanNote("line one\nline two\n", { stack: "dev" }), `${HEAD}\n\`\`\`text\nline one\nline two\n\n\`\`\`\n`);
  });

  it("uses a fence longer than any backtick run in the report", () => {
    assert.match(renderPlanNote("run `npm run adopt` and ```` this", { stack: "dev" }), /\n`````text\nrun `npm run adopt` and ```` this\n\n`````\n$/);
  });

  it("cuts report lines from the end to stay under the limit, saying how many", () => {
    const report = Array.from({ length: 100 }, (_, i) => `row ${String(i).padStart(3, "0")} ${"x".repeat(40)}`).join("\n");
    const note = renderPlanNote(report, { stack: "dev", maxLength: 2000 });
    assert.ok(note.length <= 2000, String(note.length));
    const shown = note.match(/^row \d{3}/gm) ?? [];
    assert.equal(shown[shown.length - 1], `row ${String(shown.length - 1).padStart(3, "0")}`);
    assert.ok(note.includes(`_${100 - shown.length} more rows not shown: the note would exceed GitLab's limit (2000 characters here)._`));
  });

  it("never prints a token-shaped value", () => {
    assert.doesNotMatch(renderPlanNote("oops glpat-abcdefghijklmnopqrstu", { stack: "dev" }), /glpat-abcdefgh/);
  });
});
