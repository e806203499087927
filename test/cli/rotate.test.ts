// `npm run rotate` as a user runs it, on temp copies of stack files with comments and odd formatting:
// the exact file text after an edit (only the rotated token's lines change), nothing written on
// failure, exit codes and exact outputs; and, with expiry, --help and token-shaped text.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { EXPIRY } from "../../cli/expiry";
import { ROTATE } from "../../cli/rotate";
import { helpOf, usageOf } from "../../lib/command/commandLine";
import { PROJECT_ROOT } from "../support/sharedData";
import { committedStackFolder, lines, OPS_STACK, run, runHere, stackFolder } from "../support/stackFolders";

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

  it("rotates the committed dev stack with --token, --lifetime and --grace, appending a retiring block to its declaration file", () => {
    const { dir, file, text: dev } = committedStackFolder("dev");
    const result = runHere("rotate", ["--stack", "dev", "--dir", dir, "--today", "2026-11-25", "--token", "xlink/xlink-charts:RELEASE_TAGGER", "--lifetime", "400", "--grace", "2d"]);
    assert.equal(result.stderr, "");
    assert.equal(
      result.stdout,
      lines(
        "rotated RELEASE_TAGGER in xlink/xlink-charts: expiresAt 2027-05-01 -> 2027-11-25 (365 days: --lifetime 400 capped at gitlab.maxTokenLifetimeDays); the 2027-05-01 generation moves under retiring with revokeAfter 2026-11-27T00:00:00Z",
        "Updated push-tokens/dev.yaml (1 token rotated). Review the diff and let pulumi preview confirm it before merging.",
      ),
    );
    assert.equal(result.status, 0);
    assert.equal(
      readFileSync(file, "utf8"),
      dev
        .replace('    expiresAt: "2027-05-01"\n', '    expiresAt: "2027-11-25"\n')
        .replace(/        hidden: true\n$/, '        hidden: true\n    retiring:\n      expiresAt: "2027-05-01"\n      revokeAfter: "2026-11-27T00:00:00Z"\n'),
    );
    assert.equal(readFileSync(path.join(dir, "Pulumi.dev.yaml"), "utf8"), readFileSync(path.join(PROJECT_ROOT, "Pulumi.dev.yaml"), "utf8"), "the stack file is left as it is");
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

  it("rotates another token while one has expired: an expired token is a due rotation, never a config error", async () => {
    const { dir, file } = stackFolder("ops", OPS_STACK);
    const result = await run("rotate", ["--stack", "ops", "--dir", dir, "--today", "2026-12-12", "--token", "RELEASE_TAGGER"]);
    assert.deepEqual(result, {
      status: 0,
      stdout: lines(
        "rotated RELEASE_TAGGER in xlink/xlink-charts: expiresAt 2027-01-20 -> 2027-03-12 (90 days); the 2027-01-20 generation moves under retiring with revokeAfter 2026-12-13T00:00:00Z",
        "Updated Pulumi.ops.yaml (1 token rotated). Review the diff and let pulumi preview confirm it before merging.",
      ),
      stderr: "",
    });
    assert.match(readFileSync(file, "utf8"), /expiresAt: {3}'2026-12-10'/, "the expired token is left for its own rotation");
  });

  it("--cleanup on a stack whose tokens expired says to run rotate first, and writes nothing", () => {
    const { dir, file, text: dev } = committedStackFolder("dev");
    const result = runHere("rotate", ["--stack", "dev", "--dir", dir, "--cleanup", "--now", "2027-06-01T00:00:00Z"]);
    assert.deepEqual(result, {
      status: 1,
      stdout: "",
      stderr: lines(
        "not cleaned up: GITLAB_CI_PUSHER in xlink/xlink-k8s-gitops expired on 2027-02-15, and its pipelines hold a dead token. Fix: run npm run rotate -- --stack dev first: it gives the token a new expiresAt and drops its retiring generation",
        "not cleaned up: RELEASE_TAGGER in xlink/xlink-charts expired on 2027-05-01, and its pipelines hold a dead token. Fix: run npm run rotate -- --stack dev first: it gives the token a new expiresAt",
        "push-tokens/dev.yaml was not changed.",
      ),
    });
    assert.equal(readFileSync(file, "utf8"), dev);
    // What the message says to do works, and the cleanup then has nothing left to do.
    assert.equal(runHere("rotate", ["--stack", "dev", "--dir", dir, "--now", "2027-06-01T00:00:00Z"]).status, 0);
    assert.deepEqual(runHere("rotate", ["--stack", "dev", "--dir", dir, "--cleanup", "--now", "2027-06-01T00:00:00Z"]), {
      status: 0,
      stdout: "Nothing to clean up: no retiring generation in push-tokens/dev.yaml is past its revokeAfter; the file is unchanged.\n",
      stderr: "",
    });
  });

  it("rotates what it can when one due token cannot be, says which and why, and exits 1", () => {
    const { dir, file } = stackFolder("ops", OPS_STACK);
    // On 2027-02-20 all three are due within 10 days or expired; the flow-style one cannot get a retiring block.
    const result = runHere("rotate", ["--stack", "ops", "--dir", dir, "--now", "2027-02-20T09:00:00Z", "--within", "10"]);
    assert.equal(result.status, 1);
    assert.equal(
      result.stdout,
      lines(
        "rotated GITLAB_CI_PUSHER in xlink/xlink-k8s-gitops: it expired on 2026-12-10; expiresAt -> 2027-05-21 (90 days), no retiring generation kept since the expired one no longer works; dropped its previous retiring generation (expires 2026-11-30), which has expired, as --cleanup would: the next pulumi up revokes it",
        "rotated RELEASE_TAGGER in xlink/xlink-charts: it expired on 2027-01-20; expiresAt -> 2027-05-21 (90 days), no retiring generation kept since the expired one no longer works",
        "Updated Pulumi.ops.yaml (2 tokens rotated; 1 token left as it was, see the errors). Review the diff and let pulumi preview confirm it before merging.",
      ),
    );
    assert.equal(
      result.stderr,
      lines("not rotated: Pulumi.ops.yaml: pushTokens[2] is written in flow style ({…}), where rotate cannot add or remove retiring: write that token in block style (one key per line) and run it again"),
    );
    const written = readFileSync(file, "utf8");
    assert.match(written, /expiresAt: {3}'2027-05-21' {3}# rotated by npm run rotate/);
    assert.match(written, /expiresAt: "2027-05-21"\n {12}consumers: \[\{project: xlink\/xlink-release/);
    assert.match(written, /\{name: FLOW_TOKEN, project: xlink\/flow, expiresAt: "2027-03-01", /, "the flow-style token is untouched");
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
      stderr: lines(
        "not rotated: Pulumi.ops.yaml: pushTokens[2] is written in flow style ({…}), where rotate cannot add or remove retiring: write that token in block style (one key per line) and run it again",
        "Pulumi.ops.yaml was not changed.",
      ),
    });
    assert.equal(readFileSync(file, "utf8"), OPS_STACK);
  });

  it("exits 1 on bad flags, with the usage error and the usage line, and on a missing project folder", () => {
    const usageError = (message: string) => `rotate: ${message}\n${usageOf(ROTATE)}\n`;
    const results = [
      runHere("rotate", ["--stack", "ops", "--dir", "/nonexistent", "--grace", "0h"]),
      runHere("rotate", ["--stack", "ops", "--dir", "/nonexistent", "--within", "3", "--token", "A"]),
      runHere("rotate", ["--stack", "ops", "--dir", "/nonexistent", "--cleanup", "--lifetime", "3", "--within", "1"]),
      runHere("rotate", ["--stack", "ops", "--dir", "/nonexistent", "--cleanup", "--grace", "1h"]),
      runHere("rotate", ["--stack", "ops", "--dir", "/nonexistent", "--today", "2026-11-25", "--now", "2026-11-25T00:00:00Z"]),
      runHere("rotate", ["--stack", "ops", "--dir", "/nonexistent", "--lifetime", "-5"]),
      runHere("rotate", ["--stack", "nope", "--dir", "/nonexistent-folder"]),
    ];
    assert.deepEqual(
      results.map((result) => [result.status, result.stdout, result.stderr]),
      [
        [1, "", usageError('--grace must be a positive whole number of minutes, hours or days, got "0h". Fix: write e.g. --grace 90m, --grace 24h or --grace 2d.')],
        [1, "", usageError("--within and --token are both given. Fix: pass one: --token rotates that token whether it is due or not.")],
        [1, "", usageError("--cleanup removes retiring generations and rotates nothing. Fix: drop --within, --lifetime.")],
        [1, "", usageError("with --cleanup, --grace counts from the merge, which only --since-merge reads. Fix: add --since-merge, or drop --grace.")],
        [1, "", usageError("--today and --now are both given. Fix: pass one: --today for a day (its midnight UTC), --now for an instant.")],
        [1, "", usageError('--lifetime must be a whole number of days from 1 to 400, got "-5". Fix: write e.g. --lifetime 14.')],
        [1, "", "Pulumi.yaml not found in /nonexistent-folder: run from the project folder or pass --dir <the folder holding Pulumi.yaml>\n"],
      ],
    );
  });
});

describe("rotate and expiry: help and token-shaped text", () => {
  it("print their help with --help and exit 0", () => {
    const rotate = runHere("rotate", ["--help"]);
    const expiry = runHere("expiry", ["-h"]);
    assert.deepEqual([rotate, expiry], [
      { status: 0, stdout: `${helpOf(ROTATE)}\n`, stderr: "" },
      { status: 0, stdout: `${helpOf(EXPIRY)}\n`, stderr: "" },
    ]);
    assert.match(rotate.stdout, /^usage: npm run rotate -- --stack <name> \[--within <days> \| --token <name or project:name>\].*\n {7}npm run rotate -- --stack <name> --cleanup /);
    assert.match(expiry.stdout, /^usage: npm run expiry -- --stack <name> \[--within <days>\] \[--since-merge/);
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
