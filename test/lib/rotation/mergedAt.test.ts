// When a rotation reached the branch (lib/rotation/mergedAt.ts), read from a real git checkout, and the
// schedule it keeps green: a rotation whose merge request waited longer than its grace is not called
// due before the merge has had its grace (`--since-merge`), while without it the next schedule is red.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";

import { validateStackConfig } from "../../../config/validate";
import { retiringMergeTimes } from "../../../lib/rotation/mergedAt";
import { readStackDocument } from "../../../lib/stackFile/stackDocument";
import { lines, runHere } from "../../support/stackFolders";

const DAY = 86_400_000;
const scratch = mkdtempSync(path.join(tmpdir(), "merged-at-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs git in `dir` as of `date` (author and committer), with no user or system config. */
function git(dir: string, date: string, ...args: string[]): string {
  const result = spawnSync("git", ["-c", "user.name=test", "-c", "user.email=test@example.com", ...args], {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1", GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date },
  });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout.trim();
}

const BEFORE = lines(
  "config:",
  "  gitlab-push-tokens:pushTokens:",
  "    - name: GITLAB_CI_PUSHER",
  "      project: xlink/xlink-k8s-gitops",
  '      expiresAt: "2026-12-20"',
  "      consumers:",
  "        - project: xlink/xlink-app",
  "          key: GITLAB_PUSHER_TOKEN",
);

let repos = 0;
/**
 * The timeline: the stack is committed on main; the schedule's rotate proposes a rotation on
 * 12-01 06:00 (revokeAfter one day later) on rotate/dev; the merge request waits, other work lands on
 * main, and the proposal is merged, as a merge commit, on 12-04 at 15:00.
 */
function rotatedRepo(): { dir: string; file: string; rotated: string } {
  const dir = path.join(scratch, `repo${repos++}`);
  mkdirSync(dir);
  git(dir, "2026-11-20T10:00:00Z", "init", "-q", "-b", "main");
  writeFileSync(path.join(dir, "Pulumi.yaml"), "name: gitlab-push-tokens\nruntime: nodejs\n");
  const file = path.join(dir, "Pulumi.dev.yaml");
  writeFileSync(file, BEFORE);
  git(dir, "2026-11-20T10:00:00Z", "add", "-A");
  git(dir, "2026-11-20T10:00:00Z", "commit", "-q", "-m", "the stack");
  git(dir, "2026-12-01T06:00:00Z", "checkout", "-q", "-b", "rotate/dev");
  assert.equal(runHere("rotate", ["--stack", "dev", "--dir", dir, "--now", "2026-12-01T06:00:00Z"]).status, 0);
  const rotated = readFileSync(file, "utf8");
  assert.match(rotated, /revokeAfter: "2026-12-02T06:00:00Z"/);
  git(dir, "2026-12-01T06:00:00Z", "commit", "-q", "-am", "Rotate dev");
  git(dir, "2026-12-02T09:00:00Z", "checkout", "-q", "main");
  writeFileSync(path.join(dir, "README.md"), "other work\n");
  git(dir, "2026-12-02T09:00:00Z", "add", "-A");
  git(dir, "2026-12-02T09:00:00Z", "commit", "-q", "-m", "other work");
  git(dir, "2026-12-04T15:00:00Z", "merge", "-q", "--no-ff", "rotate/dev", "-m", "Merge branch 'rotate/dev'");
  return { dir, file, rotated };
}

describe("retiringMergeTimes", () => {
  it("dates a retiring block by the merge that brought it to the branch, not by the proposal's commit", () => {
    const { dir } = rotatedRepo();
    const stack = readStackDocument(dir, "dev", "expiry");
    const settings = validateStackConfig(stack.raw, { today: "2026-12-05" });
    const merged = retiringMergeTimes(dir, stack.fileName, settings, DAY);
    assert.deepEqual(merged.landedAt(0), new Date("2026-12-04T15:00:00Z"));
    assert.equal(merged.graceMs, DAY);
  });

  it("says a block in the working tree but not in the checked-out commit has not been merged yet", () => {
    const { dir } = rotatedRepo();
    git(dir, "2026-12-05T00:00:00Z", "checkout", "-q", "HEAD~1");
    assert.equal(runHere("rotate", ["--stack", "dev", "--dir", dir, "--now", "2026-12-05T00:00:00Z"]).status, 0);
    const stack = readStackDocument(dir, "dev", "expiry");
    assert.equal(retiringMergeTimes(dir, stack.fileName, validateStackConfig(stack.raw, { today: "2026-12-05" }), DAY).landedAt(0), undefined);
  });

  it("refuses outside a git checkout, saying what --since-merge needs", () => {
    const dir = mkdtempSync(path.join(scratch, "plain-"));
    writeFileSync(path.join(dir, "Pulumi.yaml"), "name: gitlab-push-tokens\nruntime: nodejs\n");
    writeFileSync(path.join(dir, "Pulumi.dev.yaml"), BEFORE);
    const result = runHere("expiry", ["--stack", "dev", "--dir", dir, "--since-merge", "--today", "2026-12-05"]);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /^--since-merge reads the merge times from git, and git rev-parse failed in .+: fatal: not a git repository.*\. Fix: run it in the repository's checkout \(the scheduled job's\), or drop --since-merge\n$/);
  });
});

describe("the first scheduled pipeline after a rotation that waited three days for its merge", () => {
  it("is red without --since-merge, though nothing is wrong: revokeAfter counted from the proposal", () => {
    const { dir } = rotatedRepo();
    const result = runHere("expiry", ["--stack", "dev", "--dir", dir, "--now", "2026-12-05T06:00:00Z"]);
    assert.equal(result.status, 2);
    assert.match(result.stdout, /\nDue: 1 retiring generation to remove\.\n/);
  });

  it("is green with --since-merge until the merge has had its grace, then due, naming the cleanup that counts the same way", () => {
    const { dir } = rotatedRepo();
    const early = runHere("expiry", ["--stack", "dev", "--dir", dir, "--since-merge", "--now", "2026-12-05T06:00:00Z"]);
    assert.equal(early.status, 0, early.stdout);
    assert.match(
      early.stdout,
      new RegExp(
        [
          "Retiring generations \\(1\\): due once past revokeAfter and 24h after the merge that brought it \\(or expired\\)",
          " {2}PROJECT {17}NAME {14}EXPIRES {5}REVOKE AFTER {10}MERGED {16}DUE FROM {14}DUE",
          " {2}xlink/xlink-k8s-gitops {2}GITLAB_CI_PUSHER {2}2026-12-20 {2}2026-12-02T06:00:00Z {2}2026-12-04T15:00:00Z {2}2026-12-05T15:00:00Z {2}no",
          "",
          "Nothing due: no token expires within 30 days and no retiring generation is past revokeAfter and 24h after its merge\\.",
        ].join("\\n"),
      ),
    );
    const later = runHere("expiry", ["--stack", "dev", "--dir", dir, "--since-merge", "--grace", "12h", "--now", "2026-12-05T06:00:00Z"]);
    assert.equal(later.status, 2, "a shorter grace after the merge has passed by then");
    assert.match(later.stdout, /\n {2}npm run rotate -- --stack dev --cleanup --since-merge --grace 12h --dir /);
    const due = runHere("expiry", ["--stack", "dev", "--dir", dir, "--since-merge", "--now", "2026-12-05T15:00:00Z"]);
    assert.equal(due.status, 2);
  });

  it("has rotate --cleanup --since-merge leave the block until then, and remove it after", () => {
    const { dir, file, rotated } = rotatedRepo();
    const early = runHere("rotate", ["--stack", "dev", "--dir", dir, "--cleanup", "--since-merge", "--now", "2026-12-05T06:00:00Z"]);
    assert.deepEqual(early, { status: 0, stdout: "Nothing to clean up: no retiring generation in Pulumi.dev.yaml is past its revokeAfter and its grace after the merge; the file is unchanged.\n", stderr: "" });
    assert.equal(readFileSync(file, "utf8"), rotated);
    const due = runHere("rotate", ["--stack", "dev", "--dir", dir, "--cleanup", "--since-merge", "--now", "2026-12-05T15:00:00Z"]);
    assert.equal(due.status, 0, due.stderr);
    assert.match(due.stdout, /^removed the retiring generation of GITLAB_CI_PUSHER in xlink\/xlink-k8s-gitops \(expires 2026-12-20\): it is past its revokeAfter 2026-12-02T06:00:00Z; the next pulumi up revokes it\n/);
  });

  it("has rotate --since-merge refuse a second rotation of that token until then, saying until when", () => {
    const { dir } = rotatedRepo();
    const result = runHere("rotate", ["--stack", "dev", "--dir", dir, "--token", "GITLAB_CI_PUSHER", "--since-merge", "--now", "2026-12-05T06:00:00Z"]);
    assert.equal(result.status, 1);
    assert.equal(
      result.stderr,
      lines(
        "cannot rotate GITLAB_CI_PUSHER in xlink/xlink-k8s-gitops: its retiring generation (expires 2026-12-20) stays until 2026-12-05T15:00:00Z (its grace after the merge that brought it; revokeAfter 2026-12-02T06:00:00Z), and a token keeps two generations at most; rotate it after that",
        "Pulumi.dev.yaml was not changed.",
      ),
    );
  });
});
