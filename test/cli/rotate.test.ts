// `npm run rotate` as a user runs it, on temp copies of stack files with comments and odd formatting:
// the exact file text after an edit (only the rotated token's lines change), nothing written on
// failure, exit codes and exact outputs; and, with expiry, --help and token-shaped text.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { PROJECT_ROOT } from "../support/sharedData";
import { lines, OPS_STACK, run, runHere, stackFolder } from "../support/stackFolders";

describe("npm run rotate", { concurrency: 2 }, () => {
  it("rotates the due token, replaces its stale retiring block and changes no other line", async () => {
    const { dir, file } = stackFolder("ops", OPS_STACK);
    const result = await run("rotate", ["--stack", "ops", "--dir", dir, "--now", "2026-11-25T09:30:00Z"]);
    assert.equal(result.stderr, "");
    assert.equal(
      result.stdout,
      lines(
        "rotated GITLAB_CI_PUSHER in xlink/xlink-k8s-gitops: expiresAt 2026-12-10 -> 2027-02-23 (90 days); the 2026-12-10 generation moves under retiring with revokeAfter 2026-11-26T09:30:00Z; dropped its previous retiring generation (expires 2026-11-30), past its revokeAfter 2026-11-20T12:00:00Z, as --cleanup would: the next pulumi up revokes it",
        "Updated Pulumi.ops.yaml (1 token rotated). Review the diff and let pulumi preview confirm it before merging.",
      ),
    );
    assert.equal(result.status, 0);
    assert.equal(
      readFileSync(file, "utf8"),
      OPS_STACK.replace("expiresAt:   '2026-12-10'   # rotated", "expiresAt:   '2027-02-23'   # rotated").replace(
        '                expiresAt: "2026-11-30"\n                revokeAfter: "2026-11-20T12:00:00Z"   # long past\n',
        '                expiresAt: "2026-12-10"\n                revokeAfter: "2026-11-26T09:30:00Z"\n',
      ),
    );
    assert.doesNotMatch(result.stdout + result.stderr, /CANARY|v1:/);

    const again = runHere("rotate", ["--stack", "ops", "--dir", dir, "--now", "2026-11-25T09:30:00Z"]);
    assert.deepEqual(again, { status: 0, stdout: "Nothing to rotate: no token in Pulumi.ops.yaml expires within 30 days of 2026-11-25; the file is unchanged.\n", stderr: "" });
  });

  it("rotates the committed dev stack with --token, --lifetime and --grace, appending a retiring block", () => {
    const dev = readFileSync(path.join(PROJECT_ROOT, "Pulumi.dev.yaml"), "utf8");
    const { dir, file } = stackFolder("dev", dev);
    const result = runHere("rotate", ["--stack", "dev", "--dir", dir, "--today", "2026-11-25", "--token", "xlink/xlink-charts:RELEASE_TAGGER", "--lifetime", "400", "--grace", "2d"]);
    assert.equal(result.stderr, "");
    assert.equal(
      result.stdout,
      lines(
        "rotated RELEASE_TAGGER in xlink/xlink-charts: expiresAt 2027-05-01 -> 2027-11-25 (365 days: --lifetime 400 capped at gitlab.maxTokenLifetimeDays); the 2027-05-01 generation moves under retiring with revokeAfter 2026-11-27T00:00:00Z",
        "Updated Pulumi.dev.yaml (1 token rotated). Review the diff and let pulumi preview confirm it before merging.",
      ),
    );
    assert.equal(result.status, 0);
    assert.equal(
      readFileSync(file, "utf8"),
      dev
        .replace('      expiresAt: "2027-05-01"\n', '      expiresAt: "2027-11-25"\n')
        .replace(/          hidden: true\n$/, '          hidden: true\n      retiring:\n        expiresAt: "2027-05-01"\n        revokeAfter: "2026-11-27T00:00:00Z"\n'),
    );
  });

  it("--cleanup removes only the retiring block past revokeAfter, with its comment", () => {
    const { dir, file } = stackFolder("ops", OPS_STACK);
    const result = runHere("rotate", ["--stack", "ops", "--dir", dir, "--today", "2026-11-25", "--cleanup"]);
    assert.deepEqual(result, {
      status: 0,
      stdout: lines(
        "removed the retiring generation of GITLAB_CI_PUSHER in xlink/xlink-k8s-gitops (expires 2026-11-30): it is past its revokeAfter 2026-11-20T12:00:00Z; the next pulumi up revokes it",
        "Updated Pulumi.ops.yaml (1 retiring generation removed). Review the diff and let pulumi preview confirm it before merging.",
      ),
      stderr: "",
    });
    assert.equal(
      readFileSync(file, "utf8"),
      OPS_STACK.replace('            # The previous generation.\n            retiring:\n                expiresAt: "2026-11-30"\n                revokeAfter: "2026-11-20T12:00:00Z"   # long past\n', ""),
    );
    const again = runHere("rotate", ["--stack", "ops", "--dir", dir, "--today", "2026-11-25", "--cleanup"]);
    assert.deepEqual(again, { status: 0, stdout: "Nothing to clean up: no retiring generation in Pulumi.ops.yaml is past its revokeAfter; the file is unchanged.\n", stderr: "" });
  });

  it("refuses a token whose retiring generation is still within its revokeAfter, writing nothing", () => {
    const { dir, file } = stackFolder("ops", OPS_STACK);
    const result = runHere("rotate", ["--stack", "ops", "--dir", dir, "--now", "2026-11-20T11:59:59Z", "--token", "GITLAB_CI_PUSHER"]);
    assert.deepEqual(result, {
      status: 1,
      stdout: "",
      stderr: lines(
        "cannot rotate GITLAB_CI_PUSHER in xlink/xlink-k8s-gitops: its retiring generation (expires 2026-11-30) stays until its revokeAfter 2026-11-20T12:00:00Z, and a token keeps two generations at most; rotate it after that",
        "Pulumi.ops.yaml was not changed.",
      ),
    });
    assert.equal(readFileSync(file, "utf8"), OPS_STACK);
  });

  it("writes nothing when the result would fail validation (another token has expired)", async () => {
    const { dir, file } = stackFolder("ops", OPS_STACK);
    const result = await run("rotate", ["--stack", "ops", "--dir", dir, "--today", "2026-12-12", "--token", "RELEASE_TAGGER"]);
    assert.deepEqual(result, {
      status: 1,
      stdout: "",
      stderr: lines(
        "Pulumi.ops.yaml was not changed: the result would not pass validation.",
        "Invalid gitlab-push-tokens config in Pulumi.ops.yaml (1 problem); no GitLab resource was registered:",
        "  - pushTokens[0].expiresAt: 2026-12-10 is not in the future (today is 2026-12-12). Fix: rotate the token: move this date under retiring and set a new expiresAt.",
      ),
    });
    assert.equal(readFileSync(file, "utf8"), OPS_STACK);
  });

  it("rotates an expired token without keeping a retiring generation", () => {
    const { dir, file } = stackFolder("ops", OPS_STACK);
    const result = runHere("rotate", ["--stack", "ops", "--dir", dir, "--today", "2026-12-12", "--within", "1"]);
    assert.equal(result.stderr, "");
    assert.equal(result.status, 0);
    assert.equal(
      result.stdout.split("\n")[0],
      "rotated GITLAB_CI_PUSHER in xlink/xlink-k8s-gitops: it expired on 2026-12-10; expiresAt -> 2027-03-12 (90 days), no retiring generation kept since the expired one no longer works; dropped its previous retiring generation (expires 2026-11-30), which has expired, as --cleanup would: the next pulumi up revokes it",
    );
    assert.equal(
      readFileSync(file, "utf8"),
      OPS_STACK.replace("'2026-12-10'", "'2027-03-12'").replace('            # The previous generation.\n            retiring:\n                expiresAt: "2026-11-30"\n                revokeAfter: "2026-11-20T12:00:00Z"   # long past\n', ""),
    );
  });

  it("refuses a flow-style token it would have to add retiring to, writing nothing", () => {
    const { dir, file } = stackFolder("ops", OPS_STACK);
    const result = runHere("rotate", ["--stack", "ops", "--dir", dir, "--today", "2026-11-25", "--token", "FLOW_TOKEN", "--lifetime", "100"]);
    assert.deepEqual(result, {
      status: 1,
      stdout: "",
      stderr: "Pulumi.ops.yaml: pushTokens[2] is written in flow style ({…}), where rotate cannot add or remove retiring: write that token in block style (one key per line) and run it again\n",
    });
    assert.equal(readFileSync(file, "utf8"), OPS_STACK);
  });

  it("exits 1 with one line on bad flags or a missing project folder", () => {
    const results = [
      runHere("rotate", ["--stack", "ops", "--dir", "/nonexistent", "--grace", "0h"]),
      runHere("rotate", ["--stack", "ops", "--within", "3", "--token", "A"]),
      runHere("rotate", ["--stack", "ops", "--cleanup", "--lifetime", "3", "--grace", "1h"]),
      runHere("rotate", ["--stack", "ops", "--today", "2026-11-25", "--now", "2026-11-25T00:00:00Z"]),
      runHere("rotate", ["--stack", "nope", "--dir", "/nonexistent-folder"]),
    ];
    assert.deepEqual(
      results.map((result) => [result.status, result.stdout, result.stderr]),
      [
        [1, "", '--grace must be a positive whole number of minutes, hours or days, like 90m, 24h or 2d; got "0h"\n'],
        [1, "", "pass --within or --token, not both: --token rotates that token whether it is due or not\n"],
        [1, "", "--cleanup removes retiring generations past revokeAfter and rotates nothing: drop --lifetime, --grace\n"],
        [1, "", "pass --today or --now, not both\n"],
        [1, "", "Pulumi.yaml not found in /nonexistent-folder: run from the project folder or pass --dir\n"],
      ],
    );
  });
});

describe("rotate and expiry: help and token-shaped text", () => {
  it("print their usage with --help and exit 0", () => {
    const rotate = runHere("rotate", ["--help"]);
    const expiry = runHere("expiry", ["-h"]);
    assert.deepEqual([rotate.status, rotate.stderr, expiry.status, expiry.stderr], [0, "", 0, ""]);
    assert.match(rotate.stdout, /^usage: npm run rotate -- --stack <name> \[--within <days> \| --token <name or project:name>\].*\n {7}npm run rotate -- --stack <name> --cleanup /);
    assert.match(expiry.stdout, /^usage: npm run expiry -- --stack <name> \[--within <days>\] \[--json\]/);
  });

  it("never print a token-shaped value, even one pasted as a token's name or project", () => {
    // Whether validation refuses these is its business; what is printed either way must not hold the token.
    const pasted = OPS_STACK.replace("name: RELEASE_TAGGER", "name: glpat-CANARY0123456789").replace("project: xlink/flow", "project: glpat-CANARY9876543210/flow");
    const { dir } = stackFolder("leak", pasted);
    const runs = [
      runHere("expiry", ["--stack", "leak", "--dir", dir, "--today", "2026-11-25"]),
      runHere("expiry", ["--stack", "leak", "--dir", dir, "--today", "2026-11-25", "--json"]),
      runHere("rotate", ["--stack", "leak", "--dir", dir, "--today", "2026-11-25", "--token", "glpat-CANARY0123456789"]),
    ];
    for (const result of runs) {
      assert.notEqual(result.stdout + result.stderr, "");
      assert.doesNotMatch(result.stdout + result.stderr, /glpat-|CANARY/);
    }
  });

  it("redacts a token-shaped value even where it echoes what the user typed", () => {
    const { dir, file } = stackFolder("ops", OPS_STACK);
    const result = runHere("rotate", ["--stack", "ops", "--dir", dir, "--today", "2026-11-25", "--token", "glpat-CANARY0123456789"]);
    assert.deepEqual(result, {
      status: 1,
      stdout: "",
      stderr: lines(
        'no token "[redacted token-like value]" in the stack; its tokens are xlink/xlink-k8s-gitops:GITLAB_CI_PUSHER, xlink/xlink-charts:RELEASE_TAGGER, xlink/flow:FLOW_TOKEN',
        "Pulumi.ops.yaml was not changed.",
      ),
    });
    assert.equal(readFileSync(file, "utf8"), OPS_STACK);
  });
});
