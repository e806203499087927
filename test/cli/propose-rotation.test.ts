// `npm run propose-rotation` end to end against a stand-in GitLab on 127.0.0.1, from a real git
// checkout: no change, no request; a change, one commit and one merge request with exact bodies; an
// open merge request is left as it is.

import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { runCli } from "../support/cliRun";
import { calls, serve, type RecordingServer } from "../support/recordingServer";
import { AFTER, BEFORE, CANARY_ROTATION_TOKEN as TOKEN, checkout, COMMITS_PATH, fakeGitLab, LIST_PATH, MR_PATH, PIPELINE_URL, RAW_PATH, type FakeRepo } from "../support/rotationRepo";

function ciEnv(server: RecordingServer, dir: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    ROTATION_MR_TOKEN: TOKEN,
    CI_API_V4_URL: server.apiUrl,
    CI_PROJECT_ID: "42",
    CI_DEFAULT_BRANCH: "main",
    CI_COMMIT_BRANCH: "main",
    CI_PROJECT_DIR: dir,
    CI_PIPELINE_URL: PIPELINE_URL,
    ...extra,
  };
}

describe("npm run propose-rotation -- --stack dev", () => {
  it("no change: says so, and sends no request", async () => {
    const { dir } = checkout({ "Pulumi.dev.yaml": BEFORE });
    const server = await serve([]);
    const result = await runCli("propose-rotation.ts", ["--stack", "dev"], ciEnv(server, dir));
    assert.equal(result.stderr, "");
    assert.equal(result.code, 0);
    assert.equal(result.stdout, "propose-rotation: Pulumi.dev.yaml is unchanged; nothing to propose\n");
    assert.equal(server.requests.length, 0);
  });

  it("a change: commits the file to rotate/dev from the checked-out commit and opens a merge request", async () => {
    const { dir, head } = checkout({ "Pulumi.dev.yaml": BEFORE });
    writeFileSync(path.join(dir, "Pulumi.dev.yaml"), AFTER);
    const repo: FakeRepo = { openMergeRequests: [] };
    const server = await serve(fakeGitLab(repo));
    const result = await runCli("propose-rotation.ts", ["--stack", "dev"], ciEnv(server, dir));
    assert.equal(result.stderr, "");
    assert.equal(result.code, 0);
    assert.equal(
      result.stdout,
      `propose-rotation: committed Pulumi.dev.yaml to rotate/dev (feedface0011, based on ${head.slice(0, 12)})\npropose-rotation: opened merge request !31 https://gitlab.example.com/xlink/infra/-/merge_requests/31\n`,
    );
    assert.deepEqual(calls(server), [`GET ${RAW_PATH}`, `POST ${COMMITS_PATH}`, `GET ${LIST_PATH}`, `POST ${MR_PATH}`]);
    for (const request of server.requests) {
      assert.equal(request.headers["private-token"], TOKEN);
      assert.equal(request.headers["user-agent"], "gitlab-push-tokens propose-rotation");
      assert.equal(request.headers["content-type"], request.method === "POST" ? "application/json" : undefined);
    }
    assert.deepEqual(server.jsonOf(server.requests[1]), {
      branch: "rotate/dev",
      start_sha: head,
      commit_message: `Rotate push tokens of stack dev\n\nProposed by the scheduled pipeline ${PIPELINE_URL}\n`,
      force: true,
      actions: [{ action: "update", file_path: "Pulumi.dev.yaml", content: AFTER }],
    });
    assert.deepEqual(server.jsonOf(server.requests[3]), {
      source_branch: "rotate/dev",
      target_branch: "main",
      title: "Rotate push tokens of stack dev",
      description: [
        "The scheduled rotation (`npm run rotate -- --stack dev`) changed `Pulumi.dev.yaml`.",
        "",
        "Before merging, read the `pulumi preview` note on this merge request. A normal rotation creates one token per rotated token, updates every variable that holds it, and deletes nothing.",
        "",
        `The rotation job owns the branch \`rotate/dev\`: a later run that computes a different file replaces its commit, so push any fix to another branch. Proposed by ${PIPELINE_URL}.`,
        "",
      ].join("\n"),
      remove_source_branch: true,
    });
  });

  it("an open merge request from rotate/dev: the branch gets the new file, no second merge request", async () => {
    const { dir } = checkout({ "Pulumi.dev.yaml": BEFORE });
    writeFileSync(path.join(dir, "Pulumi.dev.yaml"), AFTER);
    const repo: FakeRepo = { branchFile: BEFORE.replace("2027-02-15", "2027-04-30"), openMergeRequests: [{ iid: 12, web_url: "https://gitlab.example.com/xlink/infra/-/merge_requests/12" }] };
    const server = await serve(fakeGitLab(repo));
    const result = await runCli("propose-rotation.ts", ["--stack", "dev"], ciEnv(server, dir));
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^propose-rotation: committed Pulumi\.dev\.yaml to rotate\/dev \(feedface0011, based on [0-9a-f]{12}\)\n/);
    assert.match(result.stdout, /\npropose-rotation: merge request !12 from rotate\/dev is already open; left as it is https:\/\/gitlab\.example\.com\/xlink\/infra\/-\/merge_requests\/12\n$/);
    assert.deepEqual(calls(server), [`GET ${RAW_PATH}`, `POST ${COMMITS_PATH}`, `GET ${LIST_PATH}`]);
    assert.equal(repo.branchFile, AFTER);
  });

  it("already proposed (same file on the branch, merge request open): no commit, no merge request", async () => {
    const { dir } = checkout({ "Pulumi.dev.yaml": BEFORE });
    writeFileSync(path.join(dir, "Pulumi.dev.yaml"), AFTER);
    const server = await serve(fakeGitLab({ branchFile: AFTER, openMergeRequests: [{ iid: 12, web_url: "https://gitlab.example.com/mr/12" }] }));
    const result = await runCli("propose-rotation.ts", ["--stack", "dev"], ciEnv(server, dir));
    assert.equal(result.code, 0, result.stderr);
    assert.equal(
      result.stdout,
      "propose-rotation: rotate/dev already holds this Pulumi.dev.yaml; no commit\npropose-rotation: merge request !12 from rotate/dev is already open; left as it is https://gitlab.example.com/mr/12\n",
    );
    assert.deepEqual(calls(server), [`GET ${RAW_PATH}`, `GET ${LIST_PATH}`]);
  });

  it("without ROTATION_MR_TOKEN: exit 1, one line, no request, even when nothing changed", async () => {
    const { dir } = checkout({ "Pulumi.dev.yaml": BEFORE });
    const server = await serve([]);
    const { ROTATION_MR_TOKEN: _unset, ...env } = ciEnv(server, dir);
    const result = await runCli("propose-rotation.ts", ["--stack", "dev"], env);
    assert.equal(result.code, 1);
    assert.equal(result.stdout, "");
    assert.equal(
      result.stderr,
      "propose-rotation: ROTATION_MR_TOKEN is not set. Fix: add a protected, masked CI/CD variable ROTATION_MR_TOKEN holding a project access token with the api scope and the Developer role.\n",
    );
    assert.equal(server.requests.length, 0);
  });

  it("a pipeline on another branch, or no --stack: exit 1 with the fix", async () => {
    const { dir } = checkout({ "Pulumi.dev.yaml": BEFORE });
    writeFileSync(path.join(dir, "Pulumi.dev.yaml"), AFTER);
    const server = await serve([]);
    const elsewhere = await runCli("propose-rotation.ts", ["--stack", "dev"], ciEnv(server, dir, { CI_COMMIT_BRANCH: "feature/x" }));
    assert.equal(elsewhere.code, 1);
    assert.equal(elsewhere.stderr, "propose-rotation: this pipeline runs on feature/x, not on main, the merge request's target. Fix: schedule the job on main, or pass --target-branch feature/x.\n");
    const noStack = await runCli("propose-rotation.ts", [], ciEnv(server, dir));
    assert.equal(noStack.code, 1);
    assert.match(noStack.stderr, /^propose-rotation: --stack is required\. Fix: name the stack whose file npm run rotate edited, e\.g\. npm run propose-rotation -- --stack dev\.\nusage: npm run propose-rotation -- --stack <name>/);
    assert.equal(server.requests.length, 0);
  });

  it("a token without the needed role: exit 1, one line, no token", async () => {
    const { dir } = checkout({ "Pulumi.dev.yaml": BEFORE });
    writeFileSync(path.join(dir, "Pulumi.dev.yaml"), AFTER);
    const server = await serve(fakeGitLab({ openMergeRequests: [] }, (request) => (request.method === "POST" ? { status: 403, json: { message: `403 Forbidden - You are not allowed to push into this branch (${TOKEN})` } } : undefined)));
    const result = await runCli("propose-rotation.ts", ["--stack", "dev"], ciEnv(server, dir));
    assert.equal(result.code, 1);
    assert.equal(
      result.stderr,
      'propose-rotation: GitLab API POST /projects/42/repository/commits: 403 Forbidden: ROTATION_MR_TOKEN may not do this; it needs the api scope and a role that may push to branch rotate/dev (Developer, when the branch is not protected); GitLab said "403 Forbidden - You are not allowed to push into this branch ([redacted token])". Fix: store a token with that scope and role in ROTATION_MR_TOKEN.\n',
    );
    assert.doesNotMatch(result.stdout + result.stderr, /CANARY/);
  });
});
