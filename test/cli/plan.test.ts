// `npm run plan`: the offline main job, run as a user runs it, on the committed dev stack and on bad input.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { PLAN, planCommand } from "../../cli/plan";
import { usageOf } from "../../lib/command/commandLine";
import { CONSOLE, terminalProgress } from "../../lib/command/stackCommand";
import { runInProcess } from "../support/inProcess";
import { PROJECT_ROOT } from "../support/sharedData";

/** `npm run plan` in this process (the npm-script test below spawns the real CLI); no developer token leaks in. */
function plan(args: string[], env: Record<string, string> = {}) {
  const withDir = args.includes("--dir") || !args.includes("--stack") ? args : [...args, "--dir", PROJECT_ROOT];
  return runInProcess(planCommand, withDir, { GITLAB_TOKEN: undefined, ...env });
}

const USAGE = usageOf(PLAN);

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

Retiring generations (1): each is revoked when its retiring block is removed
  PROJECT                 NAME              ROLE       SCOPES            EXPIRES     REVOKE AFTER          STATUS
  xlink/xlink-k8s-gitops  GITLAB_CI_PUSHER  developer  write_repository  2026-12-20  2026-11-27T12:00:00Z  valid until revokeAfter

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
    assert.match(result.stdout, /\n {2}xlink\/xlink-k8s-gitops {2}gitops pusher \(hand-made #8812\) {2}maintainer {2}API!,write_repository {2}2026-12-31 {2}2026-12-02T12:00:00Z {2}valid until revokeAfter\n/);
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
    mkdirSync(path.join(dir, "push-tokens"), { recursive: true });
    writeFileSync(path.join(dir, "push-tokens/dev.yaml"), readFileSync(path.join(PROJECT_ROOT, "push-tokens/dev.yaml"), "utf8"));
    writeFileSync(path.join(dir, "Pulumi.withtoken.yaml"), `${devStack}  gitlab-push-tokens:gitlabToken:\n    secure: v1:CANARYCIPHERTEXT\n`);
    const result = await plan(["--stack", "withtoken", "--dir", dir, "--today", "2026-11-25"]);
    assert.equal(result.status, 1);
    assert.equal(result.stdout, "");
    assert.match(result.stderr, /^Invalid gitlab-push-tokens config in Pulumi\.withtoken\.yaml and push-tokens\/dev\.yaml \(1 problem\); no GitLab resource was registered:\n {2}- gitlabToken: the GitLab API token is in the stack config: encrypted, but whoever can decrypt/);
    assert.doesNotMatch(result.stderr, /CANARY/);
  });

  it("names a missing stack and the stacks there are", async () => {
    const result = await plan(["--stack", "nope", "--dir", dir]);
    assert.equal(result.status, 1);
    assert.equal(
      result.stderr,
      `plan: there is no stack "nope" in ${dir}: Pulumi.nope.yaml does not exist. Fix: pass one of its stacks (broken, sealed, withtoken) or create Pulumi.nope.yaml (see the config reference in README.md).\n${USAGE}\n`,
    );
  });

  it("requires --stack and a real --today", async () => {
    const noStack = await plan([]);
    assert.equal(noStack.status, 1);
    assert.match(noStack.stderr, /^plan: --stack is required \(the stacks in [^)]+: dev, migration\)\. Fix: name the stack, e.g\. npm run plan -- --stack dev\.\nusage: npm run plan -- /);
    const badDay = await plan(["--stack", "dev", "--today", "2026-02-30"]);
    assert.equal(badDay.status, 1);
    assert.equal(badDay.stderr, `plan: --today must be a date, got "2026-02-30". Fix: write it as YYYY-MM-DD, e.g. --today 2026-11-25.\n${USAGE}\n`);
  });
});

describe("npm run plan on a file that is not YAML, or no project at all", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "plan-yaml-"));
  after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(path.join(dir, "Pulumi.yaml"), "name: gitlab-push-tokens\nruntime: nodejs\n");

  it("names the file, line and column of a YAML error and quotes the line, with nothing after a dangling colon", async () => {
    writeFileSync(path.join(dir, "Pulumi.quote.yaml"), 'config:\n  gitlab-push-tokens:pushTokens: [{name: "GITLAB_CI_PUSHER}]\n');
    const result = await plan(["--stack", "quote", "--dir", dir]);
    assert.equal(result.status, 1);
    assert.equal(result.stdout, "");
    assert.equal(
      result.stderr,
      'Pulumi.quote.yaml is not valid YAML at line 3, column 1: Missing closing "quote\n  2 |   gitlab-push-tokens:pushTokens: [{name: "GITLAB_CI_PUSHER}]\n  3 | (end of file)\n',
    );
  });

  it("quotes the broken line with any token-shaped text in it redacted", async () => {
    const pasted = ["glpat", "AbCdEfGhIjKlMnOpQrSt"].join("-");
    writeFileSync(path.join(dir, "Pulumi.pasted.yaml"), `config:\n  gitlab-push-tokens:pushTokens: [{name: ${pasted}, x: "\n`);
    const result = await plan(["--stack", "pasted", "--dir", dir]);
    assert.equal(result.status, 1);
    assert.equal(
      result.stderr,
      'Pulumi.pasted.yaml is not valid YAML at line 3, column 1: Missing closing "quote\n  2 |   gitlab-push-tokens:pushTokens: [{name: [redacted token-like value], x: "\n  3 | (end of file)\n',
    );
  });

  it("names the file and line of an alias without its anchor, which the YAML library reports with neither", async () => {
    writeFileSync(path.join(dir, "Pulumi.alias.yaml"), "config:\n  gitlab-push-tokens:pushTokens:\n    - name: GITLAB_CI_PUSHER\n      consumers: *consumers\n");
    const result = await plan(["--stack", "alias", "--dir", dir]);
    assert.equal(result.status, 1);
    assert.equal(
      result.stderr,
      "Pulumi.alias.yaml is not valid YAML at line 4, column 18: the alias *consumers names no anchor defined before it. Fix: define &consumers on an earlier value, or write the value out\n  4 |       consumers: *consumers\n    |                  ^\n",
    );
  });

  it("says to run from the project folder or pass --dir when --dir holds no Pulumi.yaml, never Node's ENOENT", async () => {
    const empty = mkdtempSync(path.join(tmpdir(), "plan-noproject-"));
    try {
      writeFileSync(path.join(empty, "Pulumi.dev.yaml"), "config: {}\n");
      const result = await plan(["--stack", "dev", "--dir", empty]);
      assert.equal(result.status, 1);
      assert.equal(result.stderr, `Pulumi.yaml not found in ${empty}: run from the project folder or pass --dir <the folder holding Pulumi.yaml>\n`);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe("npm run plan: what a stack whose tokens ran out shows", () => {
  // Years after the committed example's dates: every token and the retiring one have expired.
  it("exits 0 with the due rotations stated, naming the command, and an expired retiring generation as such", async () => {
    const result = await plan(["--stack", "dev", "--today", "2029-12-01"]);
    assert.equal(result.stderr, "");
    assert.equal(result.status, 0);
    assert.match(result.stdout, /\n {2}xlink\/xlink-k8s-gitops {2}GITLAB_CI_PUSHER {2}developer {3}write_repository {2}2027-02-15 {2}expired\n/);
    assert.match(result.stdout, /\nRetiring generations \(1\): each is revoked when its retiring block is removed\n.*\n {2}xlink\/xlink-k8s-gitops {2}GITLAB_CI_PUSHER {2}developer {2}write_repository {2}2026-12-20 {2}2026-11-27T12:00:00Z {2}expired: can go\n/);
    assert.doesNotMatch(result.stdout, /still valid/);
    assert.match(result.stdout, /\nWarnings \(3\)\n {2}! token GITLAB_CI_PUSHER in xlink\/xlink-k8s-gitops expired on 2027-02-15, 1020 days ago: .* Rotate it now: npm run rotate -- --stack dev, then merge the change/);
    assert.match(result.stdout, /\n {2}! token RELEASE_TAGGER in xlink\/xlink-charts expired on 2027-05-01, 945 days ago: /);
  });

  it("tells a retiring generation past revokeAfter from one still needed (--now)", async () => {
    const before = await plan(["--stack", "dev", "--now", "2026-11-27T11:59:59Z"]);
    const after = await plan(["--stack", "dev", "--now", "2026-11-27T12:00:00Z"]);
    assert.match(before.stdout, /2026-11-27T12:00:00Z {2}valid until revokeAfter\n/);
    assert.match(after.stdout, /2026-11-27T12:00:00Z {2}past revokeAfter: can go\n/);
    assert.match(after.stdout, /evaluated offline on 2026-11-27 /);
  });
});

describe("npm run plan: small stacks and an empty one", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "plan-small-"));
  after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(path.join(dir, "Pulumi.yaml"), "name: gitlab-push-tokens\nruntime: nodejs\n");
  writeFileSync(path.join(dir, "Pulumi.empty.yaml"), "config:\n  gitlab-push-tokens:pushTokens: []\n");

  it("warns that an empty pushTokens revokes every token, and counts 1 resource in the singular", async () => {
    const result = await plan(["--stack", "empty", "--dir", dir, "--today", "2026-11-25"]);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /\nWarnings \(1\)\n {2}! pushTokens is empty: this stack declares no token, so pulumi up revokes every token it created and deletes every variable it wrote/);
    assert.match(result.stdout, /\n1 resource registered: 1 provider\.\n$/);
  });
});

describe("npm run plan -- --json", () => {
  it("prints the documented shape: the same plan as the tables, as data", async () => {
    const result = await plan(["--stack", "dev", "--json", "--now", "2026-11-25T09:30:00Z"]);
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout), {
      project: "gitlab-push-tokens",
      stack: "dev",
      stackFile: "Pulumi.dev.yaml",
      today: "2026-11-25",
      provider: { version: "10.1.1", baseUrl: "https://gitlab.example.com/api/v4/" },
      tokens: [
        { project: "xlink/xlink-k8s-gitops", name: "GITLAB_CI_PUSHER", accessLevel: "developer", scopes: ["write_repository"], expiresAt: "2027-02-15", daysLeft: 82, expired: false },
        { project: "xlink/xlink-charts", name: "RELEASE_TAGGER", accessLevel: "maintainer", scopes: ["write_repository"], expiresAt: "2027-05-01", daysLeft: 157, expired: false },
      ],
      variables: [
        { project: "xlink/xlink-app", key: "GITLAB_PUSHER_TOKEN", environmentScope: "*", protected: true, masked: true, hidden: false, secret: true, adopt: false, holds: { project: "xlink/xlink-k8s-gitops", name: "GITLAB_CI_PUSHER", expiresAt: "2027-02-15" } },
        { project: "xlink/xlink-worker", key: "GITLAB_PUSHER_TOKEN", environmentScope: "production", protected: true, masked: true, hidden: false, secret: true, adopt: false, holds: { project: "xlink/xlink-k8s-gitops", name: "GITLAB_CI_PUSHER", expiresAt: "2027-02-15" } },
        { project: "xlink/xlink-release", key: "CHARTS_PUSH_TOKEN", environmentScope: "*", protected: true, masked: true, hidden: true, secret: true, adopt: false, holds: { project: "xlink/xlink-charts", name: "RELEASE_TAGGER", expiresAt: "2027-05-01" } },
      ],
      retiring: [
        {
          project: "xlink/xlink-k8s-gitops",
          name: "GITLAB_CI_PUSHER",
          accessLevel: "developer",
          scopes: ["write_repository"],
          expiresAt: "2026-12-20",
          daysLeft: 25,
          expired: false,
          tokenId: null,
          revokeAfter: "2026-11-27T12:00:00Z",
          status: "valid",
        },
      ],
      warnings: [],
      resources: { total: 9, byType: { provider: 1, PushToken: 2, ProjectAccessToken: 3, ProjectVariable: 3 } },
    });
  });

  it("prints nothing on stdout for an invalid config: the errors go to stderr, exit 1", async () => {
    const result = await plan(["--stack", "dev", "--json", "--dir", path.join(PROJECT_ROOT, "nonexistent")]);
    assert.equal(result.status, 1);
    assert.equal(result.stdout, "");
  });
});

describe("npm run plan: progress", () => {
  it("shows it only through the terminal's progress line, ending with an empty one, and never on stdout", async () => {
    const progress: string[] = [];
    let stdout = "";
    const status = await planCommand(["--stack", "dev", "--today", "2026-11-25", "--dir", PROJECT_ROOT], { out: (text) => (stdout += text), err: () => undefined, progress: (text) => progress.push(text) });
    assert.equal(status, 0);
    assert.equal(progress[0], "plan: evaluating stack dev offline");
    assert.match(progress[1], /^plan: evaluating stack dev offline: 1 resource registered$/);
    assert.equal(progress[progress.length - 1], "");
    assert.doesNotMatch(stdout, /evaluating/);
  });

  it("draws on a real pseudo-terminal (util-linux script), and prints nothing on stderr in a pipe", () => {
    const command = `${JSON.stringify(process.execPath)} --import tsx cli/plan.ts --stack dev --today 2026-11-25 > /dev/null`;
    const terminal = spawnSync("script", ["-qec", command, "/dev/null"], { cwd: PROJECT_ROOT, encoding: "utf8", timeout: 60_000, env: { ...process.env, GITLAB_TOKEN: "" } });
    assert.equal(terminal.status, 0, terminal.stderr);
    assert.ok(terminal.stdout.startsWith("\r\u001b[2Kplan: evaluating stack dev offline\r\u001b[2Kplan: evaluating stack dev offline: 1 resource registered"), JSON.stringify(terminal.stdout));
    assert.ok(terminal.stdout.endsWith("\r\u001b[2K"), "the progress line is erased at the end");
    const piped = spawnSync(process.execPath, ["--import", "tsx", "cli/plan.ts", "--stack", "dev", "--today", "2026-11-25"], { cwd: PROJECT_ROOT, encoding: "utf8", timeout: 60_000 });
    assert.deepEqual([piped.status, piped.stderr, piped.stdout], [0, "", EXPECTED_DEV_PLAN]);
  });

  it("draws on a terminal by rewriting one line, and is off where stderr is not a terminal", () => {
    let written = "";
    terminalProgress({ write: (text: string) => (written += text) })("plan: evaluating stack dev offline: 120 resources registered");
    assert.equal(written, "\r\u001b[2Kplan: evaluating stack dev offline: 120 resources registered");
    // The test runner's stderr is a pipe: the console output has no progress at all.
    assert.equal(process.stderr.isTTY, undefined);
    assert.equal(CONSOLE.progress, undefined);
  });
});
