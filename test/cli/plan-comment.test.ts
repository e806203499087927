// `npm run plan-comment`: the merge-request note of a pipeline without Pulumi credentials (a fork).

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import { planCommentCommand } from "../../cli/plan-comment";
import { runInProcess } from "../support/inProcess";
import { PLAN_NOTE_HEAD as HEAD } from "../support/planNote";
import { PROJECT_ROOT } from "../support/sharedData";

describe("npm run plan-comment -- --stack dev", () => {
  it("prints the note with the dev stack's plan", async () => {
    const result = await runInProcess(planCommentCommand, ["--stack", "dev", "--today", "2026-11-25", "--dir", PROJECT_ROOT]);
    assert.equal(result.stderr, "");
    assert.equal(result.status, 0);
    assert.ok(result.stdout.startsWith(`${HEAD}\n\`\`\`text\ngitlab-push-tokens · stack dev (Pulumi.dev.yaml)`));
    assert.match(result.stdout, /\n {2}xlink\/xlink-release {2}CHARTS_PUSH_TOKEN {4}\* {12}yes/);
    assert.ok(result.stdout.endsWith("9 resources registered: 1 provider, 2 PushToken, 3 ProjectAccessToken, 3 ProjectVariable.\n\n```\n"));
  });

  it("fails on a missing stack, naming the stacks there are (the real CLI, spawned)", () => {
    const result = spawnSync(process.execPath, ["--import", "tsx", "cli/plan-comment.ts", "--stack", "nope"], { cwd: PROJECT_ROOT, encoding: "utf8", timeout: 60_000 });
    assert.equal(result.status, 1);
    assert.equal(result.stdout, "");
    assert.match(result.stderr, /^plan-comment: there is no stack "nope" in .*: Pulumi\.nope\.yaml does not exist\. Fix: pass one of its stacks \(dev, migration\) or create Pulumi\.nope\.yaml \(see the config reference in README\.md\)\.\nusage: npm run plan-comment -- --stack <name> /);
  });
});
