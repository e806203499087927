// `npm run propose-rotation`: change detection in a real git checkout, the proposal logic, and the CLI
// end to end against a stand-in GitLab on 127.0.0.1: no change, no request; a change, one commit and one
// merge request with exact bodies; an open merge request is left as it is.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { createGitLabClient } from "../lib/gitlabApi/client";
import { commitMessage, mergeRequestDescription, proposeRotation } from "../lib/rotation/proposal";
import { readStackFileChange } from "../lib/rotation/stackChange";
import { runCli } from "./support/cliRun";
import { API_PREFIX, startRecordingServer, type RecordedRequest, type RecordingServer, type ScriptedReply } from "./support/recordingServer";

const TOKEN = "glpat-CANARYrotationTOKEN012345";
const PIPELINE_URL = "https://gitlab.example.com/xlink/infra/-/pipelines/1234";
const BEFORE = 'config:\n  gitlab-push-tokens:pushTokens:\n    - name: GITLAB_CI_PUSHER\n      expiresAt: "2027-02-15"\n';
const AFTER = 'config:\n  gitlab-push-tokens:pushTokens:\n    - name: GITLAB_CI_PUSHER\n      expiresAt: "2027-05-01"\n      retiring:\n        expiresAt: "2027-02-15"\n';

const scratch = mkdtempSync(path.join(tmpdir(), "propose-rotation-test-"));
const servers: RecordingServer[] = [];
after(async () => {
  await Promise.all(servers.map((server) => server.close()));
  rmSync(scratch, { recursive: true, force: true });
});
async function serve(handler: Parameters<typeof startRecordingServer>[0]): Promise<RecordingServer> {
  const server = await startRecordingServer(handler);
  servers.push(server);
  return server;
}

function git(dir: string, ...args: string[]): string {
  const result = spawnSync("git", ["-c", "user.name=test", "-c", "user.email=test@example.com", ...args], {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1" },
  });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout.trim();
}

let repos = 0;
/** A git checkout whose last commit holds `files`; returns its folder and HEAD. */
function checkout(files: Record<string, string>): { dir: string; head: string } {
  const dir = path.join(scratch, `repo${repos++}`);
  mkdirSync(dir);
  git(dir, "init", "-q", "-b", "main");
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  git(dir, "add", "-A");
  git(dir, "commit", "-q", "-m", "init");
  return { dir, head: git(dir, "rev-parse", "HEAD") };
}

describe("readStackFileChange", () => {
  it("reports an unchanged file as unchanged", () => {
    const { dir } = checkout({ "Pulumi.dev.yaml": BEFORE });
    assert.deepEqual(readStackFileChange(dir, "Pulumi.dev.yaml"), { changed: false });
  });

  it("reports an edit with the path from the repository root, the content and the checked-out commit", () => {
    const { dir, head } = checkout({ "deploy/Pulumi.dev.yaml": BEFORE, "README.md": "x\n" });
    const folder = path.join(dir, "deploy");
    writeFileSync(path.join(folder, "Pulumi.dev.yaml"), AFTER);
    writeFileSync(path.join(dir, "README.md"), "another change, not proposed\n");
    assert.deepEqual(readStackFileChange(folder, "Pulumi.dev.yaml"), { changed: true, repoPath: "deploy/Pulumi.dev.yaml", content: AFTER, isNew: false, headSha: head });
  });

  it("marks a file the commit does not have as new", () => {
    const { dir, head } = checkout({ "Pulumi.yaml": "name: x\n" });
    writeFileSync(path.join(dir, "Pulumi.qa.yaml"), AFTER);
    assert.deepEqual(readStackFileChange(dir, "Pulumi.qa.yaml"), { changed: true, repoPath: "Pulumi.qa.yaml", content: AFTER, isNew: true, headSha: head });
  });

  it("refuses a deleted or missing file, and a folder that is not a checkout", () => {
    const { dir } = checkout({ "Pulumi.dev.yaml": BEFORE });
    assert.throws(() => readStackFileChange(dir, "Pulumi.prod.yaml"), { message: `Pulumi.prod.yaml not found in ${dir}. Fix: pass the --stack whose file the rotation edited, or --dir with the folder that holds it.` });
    unlinkSync(path.join(dir, "Pulumi.dev.yaml"));
    assert.throws(() => readStackFileChange(dir, "Pulumi.dev.yaml"), /^Error: Pulumi\.dev\.yaml was deleted in .*: only an edited stack file is proposed\./);
    const plain = path.join(scratch, "not-a-checkout");
    mkdirSync(plain);
    assert.throws(() => readStackFileChange(plain, "Pulumi.dev.yaml"), /^Error: git rev-parse failed in .*not-a-checkout: fatal: not a git repository/);
  });
});

interface FakeRepo {
  /** The stack file on the rotation branch; undefined when the branch (or file) does not exist. */
  branchFile?: string;
  openMergeRequests: { iid: number; web_url: string }[];
}

const MR_PATH = `${API_PREFIX}/projects/42/merge_requests`;
const RAW_PATH = `${API_PREFIX}/projects/42/repository/files/Pulumi.dev.yaml/raw?ref=rotate%2Fdev`;
const LIST_PATH = `${MR_PATH}?state=opened&source_branch=rotate%2Fdev&target_branch=main`;
const COMMITS_PATH = `${API_PREFIX}/projects/42/repository/commits`;

/** The Files, Commits and Merge requests endpoints of project 42, over `repo`. */
function fakeGitLab(repo: FakeRepo, fault?: (request: RecordedRequest) => ScriptedReply | undefined) {
  return (request: RecordedRequest): ScriptedReply => {
    const faulty = fault?.(request);
    if (faulty) return faulty;
    const route = `${request.method} ${request.path}`;
    if (route === `GET ${RAW_PATH}`) return repo.branchFile === undefined ? { status: 404, json: { message: "404 File Not Found" } } : { text: repo.branchFile };
    if (route === `POST ${COMMITS_PATH}`) {
      const body = JSON.parse(request.body) as { actions: { content: string }[] };
      repo.branchFile = body.actions[0].content;
      return { status: 201, json: { id: "feedface00112233445566778899aabbccddeeff", web_url: "https://gitlab.example.com/xlink/infra/-/commit/feedface" } };
    }
    if (route === `GET ${LIST_PATH}`) return { json: repo.openMergeRequests };
    if (route === `POST ${MR_PATH}`) {
      if (repo.openMergeRequests.length > 0) return { status: 409, json: { message: [`Another open merge request already exists for this source branch: !${repo.openMergeRequests[0].iid}`] } };
      const created = { iid: 31, web_url: "https://gitlab.example.com/xlink/infra/-/merge_requests/31" };
      repo.openMergeRequests.push(created);
      return { status: 201, json: created };
    }
    return { status: 404, json: { message: "404 Not found" } };
  };
}

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

const calls = (server: RecordingServer) => server.requests.map((r) => `${r.method} ${r.path}`);

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
    assert.match(noStack.stderr, /^propose-rotation: --stack is required\. usage: npm run propose-rotation -- --stack <name>/);
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

describe("proposeRotation when creating the merge request goes wrong", () => {
  const proposal = { project: "42", stack: "dev", branch: "rotate/dev", targetBranch: "main", startSha: "abc", filePath: "Pulumi.dev.yaml", content: AFTER, isNew: false };

  it("a 409 (someone opened one meanwhile) or a lost answer is followed by a fresh look, not a second POST", async () => {
    const repo: FakeRepo = { branchFile: AFTER, openMergeRequests: [] };
    let posts = 0;
    // The POST is applied, but its answer is a 502; the next look finds the merge request.
    const server = await serve(
      fakeGitLab(repo, (request) => {
        if (request.method !== "POST" || posts++ > 0) return undefined;
        repo.openMergeRequests.push({ iid: 40, web_url: "https://gitlab.example.com/mr/40" });
        return { status: 502 };
      }),
    );
    const client = createGitLabClient({ apiUrl: server.apiUrl, token: TOKEN, sleep: async () => {} });
    const outcome = await proposeRotation(client, proposal);
    assert.deepEqual(outcome, { commit: undefined, mergeRequest: { iid: 40, webUrl: "https://gitlab.example.com/mr/40" }, mergeRequestCreated: false });
    assert.deepEqual(calls(server), [`GET ${RAW_PATH}`, `GET ${LIST_PATH}`, `POST ${MR_PATH}`, `GET ${LIST_PATH}`]);

    // Someone opened one between the look and the POST: GitLab answers 409, the next look finds it.
    const raced: FakeRepo = { branchFile: AFTER, openMergeRequests: [{ iid: 41, web_url: "https://gitlab.example.com/mr/41" }] };
    let looks = 0;
    const racing = await serve(fakeGitLab(raced, (request) => (request.method === "GET" && request.path === LIST_PATH && looks++ === 0 ? { json: [] } : undefined)));
    const raceClient = createGitLabClient({ apiUrl: racing.apiUrl, token: TOKEN, sleep: async () => {} });
    assert.deepEqual(await proposeRotation(raceClient, proposal), { commit: undefined, mergeRequest: { iid: 41, webUrl: "https://gitlab.example.com/mr/41" }, mergeRequestCreated: false });
    assert.deepEqual(calls(racing), [`GET ${RAW_PATH}`, `GET ${LIST_PATH}`, `POST ${MR_PATH}`, `GET ${LIST_PATH}`]);
    assert.equal(racing.requests[2].body.includes('"source_branch":"rotate/dev"'), true);
  });

  it("without a pipeline URL, the commit and the description link nothing", () => {
    assert.equal(commitMessage({ stack: "dev" }), "Rotate push tokens of stack dev\n");
    assert.doesNotMatch(mergeRequestDescription({ stack: "dev", filePath: "Pulumi.dev.yaml", branch: "rotate/dev" }), /Proposed by|undefined/);
  });
});
