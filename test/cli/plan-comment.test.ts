// `npm run plan-comment`: the merge-request note of a pipeline without Pulumi credentials (a fork): the
// policy pack run offline in the preview note's section and shape, then the plan; and a note even when
// the config is invalid, showing its errors (issue 11, item 22).

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { stringify } from "yaml";
import { planCommentCommand } from "../../cli/plan-comment";
import { runInProcess } from "../support/inProcess";
import { PLAN_NOTE_HEAD as HEAD } from "../support/planNote";
import { PROJECT, seedToken } from "../support/scenarios";
import { PROJECT_ROOT } from "../support/sharedData";

const TODAY = "2026-11-25";
const PASSING_PACK = "#### Policy packs\n\n✅ Policy pack `gitlab-push-token-guardrails` `0.1.0`: 5 policies, no violation.\n\nThe policy pack ran offline, on what the program registers: the same rules `pulumi preview` runs, without the stack's state.\n";

describe("npm run plan-comment -- --stack dev", () => {
  it("prints the note: the pack's verdict, then the dev stack's plan", async () => {
    const result = await runInProcess(planCommentCommand, ["--stack", "dev", "--today", TODAY, "--dir", PROJECT_ROOT]);
    assert.equal(result.stderr, "");
    assert.equal(result.status, 0);
    assert.ok(result.stdout.startsWith(`${HEAD}\n${PASSING_PACK}\n\`\`\`text\ngitlab-push-tokens · stack dev (Pulumi.dev.yaml)`), result.stdout.slice(0, 1200));
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

describe("npm run plan-comment on stacks the pack or the program refuse", () => {
  const dirs: string[] = [];
  after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
  const folder = (pushTokens: unknown, policyConfig?: unknown) => {
    const dir = mkdtempSync(path.join(tmpdir(), "plan-comment-"));
    dirs.push(dir);
    writeFileSync(path.join(dir, "Pulumi.yaml"), `name: ${PROJECT}\nruntime: nodejs\n`);
    writeFileSync(path.join(dir, "Pulumi.dev.yaml"), stringify({ config: { [`${PROJECT}:pushTokens`]: pushTokens } }));
    if (policyConfig !== undefined) writeFileSync(path.join(dir, "policy-config.json"), JSON.stringify(policyConfig));
    return dir;
  };
  const unprotected = [seedToken({ consumers: [{ project: "xlink/xlink-app", key: "GITLAB_PUSHER_TOKEN", protected: false }] })];
  const planComment = (dir: string, extra: string[] = []) => runInProcess(planCommentCommand, ["--stack", "dev", "--today", TODAY, "--dir", dir, ...extra], { GITLAB_TOKEN: undefined });
  const VIOLATIONS = (level: "mandatory" | "advisory") => [
    `- ${level === "mandatory" ? "❌" : "⚠️"} **${level}** \`gitlab-credential-variable-masked-protected\` on variable \`GITLAB_PUSHER_TOKEN\` in \`xlink/xlink-app\`:`,
    '  > project variable "xlink/xlink-app:GITLAB_PUSHER_TOKEN" carries a credential (its key has the word TOKEN) but is not protected, so pipelines of unprotected branches and merge requests can read it. Fix: set protected: true, or list "xlink/xlink-app:GITLAB_PUSHER_TOKEN" in exceptions of policy gitlab-credential-variable-masked-protected.',
    `- ${level === "mandatory" ? "❌" : "⚠️"} **${level}** \`gitlab-token-variable-masked-protected\` on variable \`GITLAB_PUSHER_TOKEN\` in \`xlink/xlink-app\`:`,
    '  > project variable "xlink/xlink-app:GITLAB_PUSHER_TOKEN" carries a credential (its value holds project access token "xlink/xlink-k8s-gitops:GITLAB_CI_PUSHER\\@2027-02-15") but is not protected, so pipelines of unprotected branches and merge requests can read it. Fix: set protected: true, or list "xlink/xlink-app:GITLAB_PUSHER_TOKEN" in exceptions of policy gitlab-token-variable-masked-protected.',
  ];

  it("a consumer the program allows unprotected: the pack's two mandatory violations in the note, exit 2", async () => {
    const result = await planComment(folder(unprotected));
    assert.equal(result.status, 2);
    assert.equal(result.stderr, "the policy pack refuses this stack: 2 mandatory violations (listed in the note)\n");
    assert.ok(
      result.stdout.startsWith(
        [HEAD, "#### Policy packs", "", "❌ Policy pack `gitlab-push-token-guardrails` `0.1.0`: 2 mandatory violations (`pulumi up` refuses them); 3 of 5 policies passed.", "", ...VIOLATIONS("mandatory"), "", "The policy pack ran offline, on what the program registers: the same rules `pulumi preview` runs, without the stack's state.", "", "```text", ""].join("\n"),
      ),
      result.stdout.slice(0, 2500),
    );
  });

  it("the same policies set advisory in the pack's config: reported, not refused, exit 0", async () => {
    const dir = folder(unprotected, { "gitlab-credential-variable-masked-protected": "advisory", "gitlab-token-variable-masked-protected": { enforcementLevel: "advisory" } });
    const result = await planComment(dir);
    assert.equal(result.status, 0, result.stderr);
    assert.ok(result.stdout.includes(["⚠️ Policy pack `gitlab-push-token-guardrails` `0.1.0`: 2 advisory violations (reported, not enforced); 3 of 5 policies passed.", "", ...VIOLATIONS("advisory"), ""].join("\n")), result.stdout.slice(0, 2500));
    // --policy-pack-config names another file; `all` sets every policy; disabled ones do not run.
    writeFileSync(path.join(dir, "other.json"), JSON.stringify({ all: "disabled" }));
    const disabled = await planComment(dir, ["--policy-pack-config", path.join(dir, "other.json")]);
    assert.equal(disabled.status, 0);
    assert.ok(disabled.stdout.includes("\n✅ Policy pack `gitlab-push-token-guardrails` `0.1.0`: no violation.\n"));
  });

  it("an invalid config: a note showing every validation error as a block, exit 2", async () => {
    const result = await planComment(folder([seedToken({ scopes: ["api"], consumers: [] })]));
    assert.equal(result.status, 2);
    assert.equal(result.stderr, "Invalid gitlab-push-tokens config in Pulumi.dev.yaml (2 problems); no GitLab resource was registered:\n");
    assert.ok(result.stdout.startsWith(`${HEAD}\n❌ **The stack's config is invalid**, so the program registers nothing and \`pulumi preview\` would fail the same way. Fix what it says and push again:\n\n\`\`\`text\nInvalid gitlab-push-tokens config in Pulumi.dev.yaml (2 problems); no GitLab resource was registered:\n  - pushTokens[0].scopes`), result.stdout);
    assert.match(result.stdout, /\n {2}- pushTokens\[0\]\.consumers: a token needs at least one consumer\. Fix: [^\n]*\n```\n$/);
  });

  it("a pack config that cannot be used: one line naming the file and the key, exit 1, no note", async () => {
    const result = await planComment(folder(unprotected, { "gitlab-access-token-consumed": "sometimes" }));
    assert.equal(result.status, 1);
    assert.equal(result.stdout, "");
    assert.match(result.stderr, /^the policy pack's config .*policy-config\.json at gitlab-access-token-consumed should be an enforcement level or an object of the policy's settings\. Fix: correct it; pulumi preview --policy-pack-config reads the same file\.\n$/);
    const missing = await planComment(folder(unprotected), ["--policy-pack-config", "/nonexistent/config.json"]);
    assert.equal(missing.status, 1);
    assert.equal(missing.stderr, "cannot read the policy pack's config /nonexistent/config.json (ENOENT). Fix: pass the file the pipeline passes to pulumi (--policy-pack-config policy-config.json).\n");
  });
});
