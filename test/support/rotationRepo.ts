// What propose-rotation meets, for its suites: a real git checkout holding a stack file before and
// after a rotation, and a stand-in for GitLab's Files, Commits and Merge requests endpoints of
// project 42 (for the recording server).

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after } from "node:test";
import { API_PREFIX, type RecordedRequest, type ScriptedReply } from "./recordingServer";

export const CANARY_ROTATION_TOKEN = "glpat-CANARYrotationTOKEN012345";
export const PIPELINE_URL = "https://gitlab.example.com/xlink/infra/-/pipelines/1234";
export const BEFORE = 'config:\n  gitlab-push-tokens:pushTokens:\n    - name: GITLAB_CI_PUSHER\n      expiresAt: "2027-02-15"\n';
export const AFTER = 'config:\n  gitlab-push-tokens:pushTokens:\n    - name: GITLAB_CI_PUSHER\n      expiresAt: "2027-05-01"\n      retiring:\n        expiresAt: "2027-02-15"\n';

export const scratch = mkdtempSync(path.join(tmpdir(), "propose-rotation-test-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

export function git(dir: string, ...args: string[]): string {
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
export function checkout(files: Record<string, string>): { dir: string; head: string } {
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

export interface FakeRepo {
  /** The stack file on the rotation branch; undefined when the branch (or file) does not exist. */
  branchFile?: string;
  openMergeRequests: { iid: number; web_url: string }[];
}

export const MR_PATH = `${API_PREFIX}/projects/42/merge_requests`;
export const RAW_PATH = `${API_PREFIX}/projects/42/repository/files/Pulumi.dev.yaml/raw?ref=rotate%2Fdev`;
export const LIST_PATH = `${MR_PATH}?state=opened&source_branch=rotate%2Fdev&target_branch=main`;
export const COMMITS_PATH = `${API_PREFIX}/projects/42/repository/commits`;

/** The Files, Commits and Merge requests endpoints of project 42, over `repo`. */
export function fakeGitLab(repo: FakeRepo, fault?: (request: RecordedRequest) => ScriptedReply | undefined) {
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
