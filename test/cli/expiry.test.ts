// `npm run expiry` as a user runs it: the tables, what is due and the rotate command for it, --json,
// exit codes, and one-line errors.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { EXPIRY } from "../../cli/expiry";
import { usageOf } from "../../lib/command/commandLine";
import { lines, OPS_STACK, run, runHere, stackFolder } from "../support/stackFolders";

describe("npm run expiry", { concurrency: 2 }, () => {
  it("exits 0 with the table and 'Nothing due' when nothing is due", async () => {
    const result = await run("expiry", ["--stack", "dev", "--today", "2026-11-25"]);
    assert.deepEqual(result, {
      status: 0,
      stderr: "",
      stdout: lines(
        "Expiry of stack dev (Pulumi.dev.yaml) as of 2026-11-25T00:00:00Z: a token is due when it expires within 30 days",
        "",
        "Tokens (2)",
        "  PROJECT                 NAME              EXPIRES     LEFT      DUE  CONSUMERS",
        "  xlink/xlink-k8s-gitops  GITLAB_CI_PUSHER  2027-02-15  82 days   no   xlink/xlink-app:GITLAB_PUSHER_TOKEN",
        "                                                                       xlink/xlink-worker:GITLAB_PUSHER_TOKEN[production]",
        "  xlink/xlink-charts      RELEASE_TAGGER    2027-05-01  157 days  no   xlink/xlink-release:CHARTS_PUSH_TOKEN",
        "",
        "Retiring generations (1): due once past revokeAfter (or expired)",
        "  PROJECT                 NAME              EXPIRES     REVOKE AFTER          DUE",
        "  xlink/xlink-k8s-gitops  GITLAB_CI_PUSHER  2026-12-20  2026-11-27T12:00:00Z  no",
        "",
        "Nothing due: no token expires within 30 days and no retiring generation is past revokeAfter.",
      ),
    });
  });

  it("exits 2 for an expired token and a retiring generation past revokeAfter, saying how to act", async () => {
    const { dir } = stackFolder("ops", OPS_STACK);
    const result = await run("expiry", ["--stack", "ops", "--dir", dir, "--now", "2026-12-12T06:00:00Z", "--within", "40"]);
    assert.deepEqual(result, {
      status: 2,
      stderr: "",
      stdout: lines(
        "Expiry of stack ops (Pulumi.ops.yaml) as of 2026-12-12T06:00:00Z: a token is due when it expires within 40 days",
        "",
        "Tokens (3)",
        "  PROJECT                 NAME              EXPIRES     LEFT                DUE  CONSUMERS",
        "  xlink/xlink-k8s-gitops  GITLAB_CI_PUSHER  2026-12-10  expired 2 days ago  yes  xlink/xlink-app:GITLAB_PUSHER_TOKEN",
        "  xlink/xlink-charts      RELEASE_TAGGER    2027-01-20  39 days             yes  xlink/xlink-release:CHARTS_PUSH_TOKEN",
        "  xlink/flow              FLOW_TOKEN        2027-03-01  79 days             no   xlink/app2:FLOW_TOKEN",
        "",
        "Retiring generations (1): due once past revokeAfter (or expired)",
        "  PROJECT                 NAME              EXPIRES     REVOKE AFTER          DUE",
        "  xlink/xlink-k8s-gitops  GITLAB_CI_PUSHER  2026-11-30  2026-11-20T12:00:00Z  yes",
        "",
        "Due: 2 tokens to rotate (1 already expired), 1 retiring generation to remove.",
        `  npm run rotate -- --stack ops --within 40 --dir ${dir}`,
        `  npm run rotate -- --stack ops --cleanup --dir ${dir}`,
        "Then review the change and merge it: pulumi up applies it.",
      ),
    });
    assert.doesNotMatch(result.stdout, /CANARY|v1:/);
  });

  it("prints one JSON object with --json, exit code as without it", async () => {
    const { dir } = stackFolder("ops", OPS_STACK);
    const result = await run("expiry", ["--stack", "ops", "--dir", dir, "--today", "2026-11-25", "--json"]);
    assert.equal(result.stderr, "");
    assert.equal(result.status, 2);
    assert.deepEqual(JSON.parse(result.stdout), {
      stack: "ops",
      stackFile: "Pulumi.ops.yaml",
      now: "2026-11-25T00:00:00Z",
      today: "2026-11-25",
      within: 30,
      due: true,
      tokens: [
        {
          project: "xlink/xlink-k8s-gitops",
          name: "GITLAB_CI_PUSHER",
          expiresAt: "2026-12-10",
          daysLeft: 15,
          expired: false,
          due: true,
          consumers: [{ project: "xlink/xlink-app", key: "GITLAB_PUSHER_TOKEN", environmentScope: "*" }],
          retiring: { expiresAt: "2026-11-30", revokeAfter: "2026-11-20T12:00:00Z", mergedAt: null, revocableFrom: "2026-11-20T12:00:00Z", revocable: true },
        },
        {
          project: "xlink/xlink-charts",
          name: "RELEASE_TAGGER",
          expiresAt: "2027-01-20",
          daysLeft: 56,
          expired: false,
          due: false,
          consumers: [{ project: "xlink/xlink-release", key: "CHARTS_PUSH_TOKEN", environmentScope: "*" }],
          retiring: null,
        },
        {
          project: "xlink/flow",
          name: "FLOW_TOKEN",
          expiresAt: "2027-03-01",
          daysLeft: 96,
          expired: false,
          due: false,
          consumers: [{ project: "xlink/app2", key: "FLOW_TOKEN", environmentScope: "*" }],
          retiring: null,
        },
      ],
    });
  });

  it("exits 1 with the validation error, one line per issue, no stack trace and no token value; an expired token is not one of them", async () => {
    const broken = OPS_STACK.replace("scopes: [ write_repository ]", "scopes: [ api ]").concat("    gitlab-push-tokens:gitlabToken: glpat-CANARY0123456789abcdef\n");
    const { dir } = stackFolder("ops", broken);
    const result = await run("expiry", ["--stack", "ops", "--dir", dir, "--today", "2026-12-12"]);
    assert.deepEqual(result, {
      status: 1,
      stdout: "",
      stderr: lines(
        "Invalid gitlab-push-tokens config in Pulumi.ops.yaml (2 problems); no GitLab resource was registered:",
        "  - gitlabToken: the GitLab API token is in the stack config in plain text, readable by anyone who can read the repository. Fix: remove it (`pulumi config rm gitlabToken`) and give `pulumi up` the token as GITLAB_TOKEN, a protected CI/CD variable scoped to the apply job's environment (README: Who can read what); then rotate the token, since it was readable.",
        "  - pushTokens[0].scopes[0]: scope \"api\" is refused: a push token needs only write_repository, and anything broader lets a leaked token do more than push (least privilege). Fix: use [write_repository], which also grants read (pull) access, so the job can clone with the same token.",
      ),
    });
  });

  it("exits 1 on bad flags (the usage error and the usage line) and unreadable files", () => {
    const { dir } = stackFolder("bad", "config: [unclosed\n");
    const results = [
      runHere("expiry", ["--stack", "dev", "--within=-3"]),
      runHere("expiry", ["--stack", "dev", "--within", "-5"]),
      runHere("expiry", ["--today", "2026-11-25"]),
      runHere("expiry", ["--stack", "bad", "--dir", dir]),
      runHere("expiry", ["--stack", "dev", "--now", "2026-11-25"]),
      runHere("expiry", ["--stack", "dev", "--grace", "2d"]),
    ];
    assert.deepEqual(
      results.map((result) => [result.status, result.stdout]),
      [
        [1, ""],
        [1, ""],
        [1, ""],
        [1, ""],
        [1, ""],
        [1, ""],
      ],
    );
    assert.equal(results[0].stderr, `expiry: --within must be a whole number of days from 0 to 400, got "-3". Fix: write e.g. --within 14.\n${usageOf(EXPIRY)}\n`);
    assert.equal(results[1].stderr, results[0].stderr.replace('"-3"', '"-5"'), "a negative number gets the option's own message, never Node's 'ambiguous'");
    assert.match(results[2].stderr, /^expiry: --stack is required \(the stacks in [^)]+\)\. Fix: name the stack, e\.g\. npm run expiry -- --stack dev\.\nusage: npm run expiry -- --stack <name>/);
    assert.equal(results[3].stderr, "Pulumi.bad.yaml is not valid YAML at line 2, column 1: Flow sequence in block collection must be sufficiently indented and end with a ]\n  1 | config: [unclosed\n  2 | (end of file)\n");
    assert.equal(results[4].stderr, `expiry: --now must be an ISO date-time with a zone, got "2026-11-25". Fix: write it like --now 2026-11-25T09:30:00Z.\n${usageOf(EXPIRY)}\n`);
    assert.equal(results[5].stderr, `expiry: --grace counts from the merge, which only --since-merge reads. Fix: add --since-merge, or drop --grace.\n${usageOf(EXPIRY)}\n`);
  });

  it("lists a token's consumers one per line, however many there are", () => {
    const consumers = ["xlink/xlink-app", "xlink/xlink-worker", "xlink/xlink-api", "xlink/xlink-docs"].map((project) => `        - {project: ${project}, key: GITLAB_PUSHER_TOKEN}`);
    const { dir } = stackFolder("many", lines("config:", "  gitlab-push-tokens:pushTokens:", "    - name: GITLAB_CI_PUSHER", "      project: xlink/xlink-k8s-gitops", '      expiresAt: "2027-02-15"', "      consumers:", ...consumers));
    const result = runHere("expiry", ["--stack", "many", "--dir", dir, "--today", "2026-11-25"]);
    assert.equal(result.status, 0, result.stderr);
    assert.match(
      result.stdout,
      new RegExp(
        [
          "\n {2}xlink/xlink-k8s-gitops {2}GITLAB_CI_PUSHER {2}2027-02-15 {2}82 days {2}no {3}xlink/xlink-app:GITLAB_PUSHER_TOKEN",
          " {70}xlink/xlink-worker:GITLAB_PUSHER_TOKEN",
          " {70}xlink/xlink-api:GITLAB_PUSHER_TOKEN",
          " {70}xlink/xlink-docs:GITLAB_PUSHER_TOKEN\n",
        ].join("\n"),
      ),
    );
    assert.ok(result.stdout.split("\n").every((line) => line.length <= 120), "no line as long as the four consumers together");
  });
});
