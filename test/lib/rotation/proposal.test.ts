// The rotation proposal against a stand-in GitLab on 127.0.0.1 when creating the merge request goes
// wrong: a lost answer or a race is followed by a fresh look, never a second POST.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createGitLabClient } from "../../../lib/gitlabApi/client";
import { commitMessage, mergeRequestDescription, proposeRotation } from "../../../lib/rotation/proposal";
import { calls, serve } from "../../support/recordingServer";
import { AFTER, CANARY_ROTATION_TOKEN as TOKEN, fakeGitLab, LIST_PATH, MR_PATH, RAW_PATH, type FakeRepo } from "../../support/rotationRepo";

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
