// `npm run plan-comment`: the merge-request note of a pipeline without Pulumi credentials (a fork).

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import { renderPlanNote } from "../lib/mergeRequest/planNote";
import { PREVIEW_COMMENT_MARKER } from "../lib/mergeRequest/noteMarker";
import { planCommentCommand } from "../cli/plan-comment";
import { runInProcess } from "./support/inProcess";
import { PROJECT_ROOT } from "./support/sharedData";

const HEAD = `${PREVIEW_COMMENT_MARKER}
<!-- stack: dev -->
### Offline plan (no \`pulumi preview\`)

This pipeline has no Pulumi credentials (a merge request from a fork gets no secrets), so it cannot read the stack's state and show what would change.
Below is \`npm run plan\`: what the stack declares after this change, evaluated offline by the real program. A maintainer can run the pipeline in this project to get the preview.
`;

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

describe("npm run plan-comment -- --stack dev", () => {
  it("prints the note with the dev stack's plan", async () => {
    const result = await runInProcess(planCommentCommand, ["--stack", "dev", "--today", "2026-11-25", "--dir", PROJECT_ROOT]);
    assert.equal(result.stderr, "");
    assert.equal(result.status, 0);
    assert.ok(result.stdout.startsWith(`${HEAD}\n\`\`\`text\ngitlab-push-tokens · stack dev (Pulumi.dev.yaml)`));
    assert.match(result.stdout, /\n {2}xlink\/xlink-release {2}CHARTS_PUSH_TOKEN {4}\* {12}yes/);
    assert.ok(result.stdout.endsWith("9 resources registered: 1 provider, 2 PushToken, 3 ProjectAccessToken, 3 ProjectVariable.\n\n```\n"));
  });

  it("fails with the config's own message on a missing stack (the real CLI, spawned)", () => {
    const result = spawnSync(process.execPath, ["--import", "tsx", "cli/plan-comment.ts", "--stack", "nope"], { cwd: PROJECT_ROOT, encoding: "utf8", timeout: 60_000 });
    assert.equal(result.status, 1);
    assert.equal(result.stdout, "");
    assert.match(result.stderr, /^Pulumi\.nope\.yaml not found in .*: create it .* or pick another --stack\n$/);
  });
});
