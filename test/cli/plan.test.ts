// `npm run plan`: the offline main job, run as a user runs it, on the committed dev stack and on bad input.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { planCommand } from "../../cli/plan";
import { runInProcess } from "../support/inProcess";
import { PROJECT_ROOT } from "../support/sharedData";

/** `npm run plan` in this process (the npm-script test below spawns the real CLI); no developer token leaks in. */
function plan(args: string[], env: Record<string, string> = {}) {
  const withDir = args.includes("--dir") || !args.includes("--stack") ? args : [...args, "--dir", PROJECT_ROOT];
  return runInProcess(planCommand, withDir, { GITLAB_TOKEN: undefined, ...env });
}

const EXPECTED_DEV_PLAN = `gitlab-push-tokens · stack dev (Pulumi.dev.yaml) · evaluated offline on 2026-11-25 with the Pulumi SDK's mock runtime; nothing was sent to GitLab
Provider: gitlab 10.1.1 at https://gitlab.example.com/api/v4/

Push tokens (2)
  PROJECT                 NAME              ROLE        SCOPES            EXPIRES     DAYS LEFT
  xlink/xlink-k8s-gitops  GITLAB_CI_PUSHER  developer   write_repository  2027-02-15  82
  xlink/xlink-charts      RELEASE_TAGGER    maintainer  write_repository  2027-05-01  157

Variables (3)
  PROJECT              KEY                  ENVIRONMENT  PROTECTED  MASKED  HIDDEN  SECRET  HOLDS
  xlink/xlink-app      GITLAB_PUSHER_TOKEN  *            yes        yes     no      yes     GITLAB_CI_PUSHER in xlink/xlink-k8s-gitops, expires 2027-02-15
  xlink/xlink-worker   GITLAB_PUSHER_TOKEN  production   yes        yes     no      yes     GITLAB_CI_PUSHER in xlink/xlink-k8s-gitops, expires 2027-02-15
  xlink/xlink-release  CHARTS_PUSH_TOKEN    *            yes        yes     yes     yes     RELEASE_TAGGER in xlink/xlink-charts, expires 2027-05-01

Retiring generations (1): still valid, revoked when their retiring block is removed
  PROJECT                 NAME              ROLE       SCOPES            EXPIRES     REVOKE AFTER
  xlink/xlink-k8s-gitops  GITLAB_CI_PUSHER  developer  write_repository  2026-12-20  2026-11-27T12:00:00Z

Warnings (0)
  none

9 resources registered: 1 provider, 2 PushToken, 3 ProjectAccessToken, 3 ProjectVariable.
`;

describe("npm run plan -- --stack dev", () => {
  it("prints the committed dev stack as the program registers it", async () => {
    const result = await plan(["--stack", "dev", "--today", "2026-11-25"]);
    assert.equal(result.stderr, "");
    assert.equal(result.status, 0);
    assert.equal(result.stdout, EXPECTED_DEV_PLAN);
  });

  it("shows the program's warnings for a later day", async () => {
    const result = await plan(["--stack", "dev", "--today", "2027-01-20"]);
    assert.equal(result.status, 0);
    assert.match(result.stdout, /Warnings \(2\)\n {2}! token GITLAB_CI_PUSHER in xlink\/xlink-k8s-gitops expires on 2027-02-15, in 26 days/);
    assert.match(result.stdout, /! the retiring generation of token GITLAB_CI_PUSHER in xlink\/xlink-k8s-gitops \(expires 2026-12-20\) has expired/);
    assert.match(result.stdout, /GITLAB_CI_PUSHER {2}developer {3}write_repository {2}2027-02-15 {2}26\n/);
  });

  it("runs through the npm script the README shows", () => {
    const result = spawnSync("npm", ["run", "--silent", "plan", "--", "--stack", "dev", "--today", "2026-11-25"], { cwd: PROJECT_ROOT, encoding: "utf8", timeout: 60_000 });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout, EXPECTED_DEV_PLAN);
  });

  it("never prints a token value, even the API token from the environment", async () => {
    const result = await plan(["--stack", "dev", "--today", "2026-11-25"], { GITLAB_TOKEN: "glpat-CANARY-environment-token" });
    assert.equal(result.status, 0);
    assert.doesNotMatch(result.stdout + result.stderr, /glpat-|CANARY|generation:/);
  });
});

describe("npm run plan -- --stack migration (an adoption)", () => {
  it("marks adopted variables and shouts the hand-made token's broader scope", async () => {
    const result = await plan(["--stack", "migration", "--today", "2026-11-25"]);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /\n {2}xlink\/xlink-app {5}GITLAB_PUSHER_TOKEN \(adopt\) {2}\* /);
    assert.match(result.stdout, /\n {2}xlink\/xlink-worker {2}GITLAB_PUSHER_TOKEN {10}\* /);
    assert.match(result.stdout, /\n {2}xlink\/xlink-k8s-gitops {2}gitops pusher \(hand-made #8812\) {2}maintainer {2}API!,write_repository {2}2026-12-31 {2}2026-12-02T12:00:00Z\n/);
    assert.match(result.stdout, /! hand-made token 8812 \(gitops pusher\) in xlink\/xlink-k8s-gitops has scope api, far more than pushing needs/);
  });
});

describe("npm run plan on bad input", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "plan-test-"));
  after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(path.join(dir, "Pulumi.yaml"), "name: gitlab-push-tokens\nruntime: nodejs\nmain: infra/index.ts\n");
  writeFileSync(
    path.join(dir, "Pulumi.broken.yaml"),
    [
      "config:",
      "  gitlab-push-tokens:pushTokens:",
      "    - name: GITLAB_CI_PUSHER",
      "      project: xlink/xlink-k8s-gitops",
      "      scopes: [api]",
      '      expiresAt: "2027-02-15"',
      "      consumers:",
      "        - project: xlink/xlink-app",
      "          key: CI_PUSH",
      "",
    ].join("\n"),
  );

  it("exits 1 with the validation error and prints no plan", async () => {
    const result = await plan(["--stack", "broken", "--dir", dir, "--today", "2026-11-25"]);
    assert.equal(result.status, 1);
    assert.equal(result.stdout, "");
    assert.match(result.stderr, /^Invalid gitlab-push-tokens config in Pulumi\.broken\.yaml \(2 problems\)/);
    assert.match(result.stderr, /\n {2}- pushTokens\[0\]\.scopes\[0\]: scope "api" is refused/);
    assert.match(result.stderr, /\n {2}- pushTokens\[0\]\.consumers\[0\]\.key: variable key "CI_PUSH" starts with CI_/);
    assert.doesNotMatch(result.stderr, /\n\s+at /, "no stack trace");
  });

  it("refuses encrypted values it cannot check, naming them before the gitlabToken refusal", async () => {
    writeFileSync(path.join(dir, "Pulumi.sealed.yaml"), "config:\n  gitlab-push-tokens:pushTokens:\n    secure: v1:AAAA\n  gitlab-push-tokens:gitlabToken:\n    secure: v1:BBBB\n");
    const result = await plan(["--stack", "sealed", "--dir", dir]);
    assert.equal(result.status, 1);
    assert.equal(result.stderr.trim(), "gitlab-push-tokens:pushTokens is a secure value, which plan cannot decrypt offline: keep it in plain text (the stack's config holds no secret)");
  });

  it("refuses an encrypted gitlabToken as the program does, without decrypting or printing it", async () => {
    const devStack = readFileSync(path.join(PROJECT_ROOT, "Pulumi.dev.yaml"), "utf8");
    writeFileSync(path.join(dir, "Pulumi.withtoken.yaml"), `${devStack}  gitlab-push-tokens:gitlabToken:\n    secure: v1:CANARYCIPHERTEXT\n`);
    const result = await plan(["--stack", "withtoken", "--dir", dir, "--today", "2026-11-25"]);
    assert.equal(result.status, 1);
    assert.equal(result.stdout, "");
    assert.match(result.stderr, /^Invalid gitlab-push-tokens config in Pulumi\.withtoken\.yaml \(1 problem\); no GitLab resource was registered:\n {2}- gitlabToken: the GitLab API token is in the stack config: encrypted, but whoever can decrypt/);
    assert.doesNotMatch(result.stderr, /CANARY/);
  });

  it("names a missing stack file", async () => {
    const result = await plan(["--stack", "nope", "--dir", dir]);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /Pulumi\.nope\.yaml not found/);
  });

  it("requires --stack and a real --today", async () => {
    const noStack = await plan([]);
    assert.equal(noStack.status, 1);
    assert.match(noStack.stderr, /--stack is required/);
    const badDay = await plan(["--stack", "dev", "--today", "2026-02-30"]);
    assert.equal(badDay.status, 1);
    assert.match(badDay.stderr, /--today must be a date/);
  });
});
