// The GitLab client against a real HTTP server on 127.0.0.1: the exact requests it sends, how it
// retries (and what it never retries), its timeouts, and its error messages, which never hold a token.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createGitLabClient, projectId, type GitLabClientOptions } from "../../../lib/gitlabApi/client";
import { ApiUrlError, checkApiUrl } from "../../../lib/gitlabApi/apiUrl";
import { GitLabApiError } from "../../../lib/gitlabApi/errors";
import { API_PREFIX, serve, startRecordingServer, type RecordingServer, type ScriptedReply } from "../../support/recordingServer";

const TOKEN = "glpat-CANARYapiTOKEN0123456789";

/** A client on `server` whose sleeps are recorded instead of waited. */
function clientFor(server: RecordingServer, options: Partial<GitLabClientOptions> = {}) {
  const sleeps: number[] = [];
  const client = createGitLabClient({
    apiUrl: server.apiUrl,
    token: TOKEN,
    tokenName: "PREVIEW_NOTE_TOKEN",
    userAgent: "test-agent",
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    baseDelayMs: 100,
    ...options,
  });
  return { client, sleeps };
}


/** The error `promise` rejects with, asserted to be a GitLabApiError. */
async function failure(promise: Promise<unknown>): Promise<GitLabApiError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof GitLabApiError, `expected a GitLabApiError, got ${String(error)}`);
    assert.doesNotMatch(error.message, /glpat-|CANARY/);
    assert.doesNotMatch(error.message, /\n/);
    return error;
  }
  assert.fail("expected the call to fail");
}

const note = (id: number, body: string, authorId = 7) => ({ id, body, author: { id: authorId, username: `user${authorId}` }, system: false });

describe("requests as sent", () => {
  it("lists a merge request's notes page by page, following x-next-page, with the token header and no body", async () => {
    const server = await serve([
      { json: [note(1, "first")], headers: { "x-next-page": "2" } },
      { json: [note(2, "second", 9)], headers: { "x-next-page": "" } },
    ]);
    const { client } = clientFor(server);
    const notes = await client.listMergeRequestNotes("xlink/infra", 7);
    assert.deepEqual(notes, [
      { id: 1, body: "first", authorId: 7, system: false },
      { id: 2, body: "second", authorId: 9, system: false },
    ]);
    assert.deepEqual(
      server.requests.map((r) => [r.method, r.path]),
      [
        ["GET", `${API_PREFIX}/projects/xlink%2Finfra/merge_requests/7/notes?sort=asc&order_by=created_at&per_page=100&page=1`],
        ["GET", `${API_PREFIX}/projects/xlink%2Finfra/merge_requests/7/notes?sort=asc&order_by=created_at&per_page=100&page=2`],
      ],
    );
    const [first] = server.requests;
    assert.equal(first.headers["private-token"], TOKEN);
    assert.equal(first.headers.authorization, undefined);
    assert.equal(first.headers.accept, "application/json");
    assert.equal(first.headers["user-agent"], "test-agent");
    assert.equal(first.headers["content-type"], undefined);
    assert.equal(first.body, "");
  });

  it("creates and updates a note with a JSON body holding only the body", async () => {
    const server = await serve([{ status: 201, json: note(11, "hello") }, { json: note(11, "hello again") }]);
    const { client } = clientFor(server);
    assert.deepEqual(await client.createMergeRequestNote("42", 7, "hello"), { id: 11, body: "hello", authorId: 7, system: false });
    assert.deepEqual(await client.updateMergeRequestNote("42", 7, 11, "hello again"), { id: 11, body: "hello again", authorId: 7, system: false });
    const [post, put] = server.requests;
    assert.equal(post.method, "POST");
    assert.equal(post.path, `${API_PREFIX}/projects/42/merge_requests/7/notes`);
    assert.equal(post.headers["content-type"], "application/json");
    assert.equal(post.body, '{"body":"hello"}');
    assert.equal(put.method, "PUT");
    assert.equal(put.path, `${API_PREFIX}/projects/42/merge_requests/7/notes/11`);
    assert.equal(put.headers["content-type"], "application/json");
    assert.equal(put.body, '{"body":"hello again"}');
  });

  it("reads a file on a branch, and a 404 (no such branch or file) is an answer, not an error", async () => {
    const server = await serve([{ text: "config: {}\n" }, { status: 404, json: { message: "404 File Not Found" } }]);
    const { client, sleeps } = clientFor(server);
    assert.equal(await client.readFile("xlink/infra", "stacks/Pulumi.dev.yaml", "rotate/dev"), "config: {}\n");
    assert.equal(await client.readFile("xlink/infra", "stacks/Pulumi.dev.yaml", "rotate/dev"), undefined);
    assert.equal(server.requests[0].path, `${API_PREFIX}/projects/xlink%2Finfra/repository/files/stacks%2FPulumi.dev.yaml/raw?ref=rotate%2Fdev`);
    assert.equal(server.requests.length, 2);
    assert.deepEqual(sleeps, []);
  });

  it("creates a commit with the Commits API's field names", async () => {
    const server = await serve([{ status: 201, json: { id: "c0ffee", web_url: "https://gitlab.example.com/c/c0ffee" } }]);
    const { client } = clientFor(server);
    const commit = await client.createCommit("42", {
      branch: "rotate/dev",
      startSha: "abc123",
      message: "Rotate",
      force: true,
      actions: [{ action: "update", filePath: "Pulumi.dev.yaml", content: "x: 1\n" }],
    });
    assert.deepEqual(commit, { id: "c0ffee", webUrl: "https://gitlab.example.com/c/c0ffee" });
    assert.equal(server.requests[0].path, `${API_PREFIX}/projects/42/repository/commits`);
    assert.deepEqual(server.jsonOf(server.requests[0]), {
      branch: "rotate/dev",
      start_sha: "abc123",
      commit_message: "Rotate",
      force: true,
      actions: [{ action: "update", file_path: "Pulumi.dev.yaml", content: "x: 1\n" }],
    });
  });

  it("lists open merge requests from a branch and creates one", async () => {
    const server = await serve([{ json: [] }, { status: 201, json: { iid: 12, web_url: "https://gitlab.example.com/mr/12" } }]);
    const { client } = clientFor(server);
    assert.deepEqual(await client.listOpenMergeRequests("42", "rotate/dev", "main"), []);
    const created = await client.createMergeRequest("42", { sourceBranch: "rotate/dev", targetBranch: "main", title: "T", description: "D", removeSourceBranch: true });
    assert.deepEqual(created, { iid: 12, webUrl: "https://gitlab.example.com/mr/12" });
    assert.equal(server.requests[0].path, `${API_PREFIX}/projects/42/merge_requests?state=opened&source_branch=rotate%2Fdev&target_branch=main`);
    assert.deepEqual(server.jsonOf(server.requests[1]), { source_branch: "rotate/dev", target_branch: "main", title: "T", description: "D", remove_source_branch: true });
  });

  it("asks for the token's own user", async () => {
    const server = await serve([{ json: { id: 99, username: "project_42_bot" } }]);
    const { client } = clientFor(server);
    assert.deepEqual(await client.currentUser(), { id: 99, username: "project_42_bot" });
    assert.equal(server.requests[0].path, `${API_PREFIX}/user`);
  });

  it("encodes a project path and leaves a numeric ID as it is", () => {
    assert.equal(projectId("xlink/infra"), "xlink%2Finfra");
    assert.equal(projectId("group/sub group/my.project"), "group%2Fsub%20group%2Fmy.project");
    assert.equal(projectId("1234"), "1234");
  });
});

describe("errors that are not retried", () => {
  it("401: one request, a message naming the variable and the fix, GitLab's echo of the token redacted", async () => {
    const server = await serve([{ status: 401, json: { message: `401 Unauthorized: token ${TOKEN} is invalid` } }]);
    const { client, sleeps } = clientFor(server);
    const error = await failure(client.listMergeRequestNotes("42", 7));
    assert.equal(
      error.message,
      `GitLab API GET /projects/42/merge_requests/7/notes?sort=asc&order_by=created_at&per_page=100&page=1: 401 Unauthorized: GitLab did not accept PREVIEW_NOTE_TOKEN (wrong, expired or revoked); GitLab said "401 Unauthorized: token [redacted token] is invalid". Fix: create a new access token with the api scope and store it in the masked CI/CD variable PREVIEW_NOTE_TOKEN.`,
    );
    assert.equal(error.failure, "unauthorized");
    assert.equal(error.status, 401);
    assert.equal(server.requests.length, 1);
    assert.deepEqual(sleeps, []);
  });

  it("a token of any shape, echoed by GitLab, is redacted too", async () => {
    const plainToken = "plain-canary-secret-9f8e7d";
    const server = await serve([{ status: 400, json: { message: { body: [`contains ${plainToken} and glpat-OTHERtoken12345`] } } }]);
    const { client } = clientFor(server, { token: plainToken });
    const error = await failure(client.createMergeRequestNote("42", 7, "x"));
    assert.doesNotMatch(error.message, /plain-canary-secret/);
    assert.match(error.message, /400 Bad Request: GitLab rejected the request; GitLab said "\{"body":\["contains \[redacted token\] and \[redacted token-like value\]"\]\}"/);
    assert.equal(error.failure, "rejected");
  });

  it("403: names what the token needs", async () => {
    const server = await serve([{ status: 403, json: { error: "insufficient_scope", error_description: "The request requires higher privileges than provided by the access token.", scope: "api" } }]);
    const { client } = clientFor(server);
    const error = await failure(client.createMergeRequestNote("42", 7, "x"));
    assert.equal(
      error.message,
      `GitLab API POST /projects/42/merge_requests/7/notes: 403 Forbidden: PREVIEW_NOTE_TOKEN may not do this; it needs the api scope and at least the Reporter role in that project; GitLab said "insufficient_scope: The request requires higher privileges than provided by the access token". Fix: store a token with that scope and role in PREVIEW_NOTE_TOKEN.`,
    );
    assert.equal(error.failure, "forbidden");
    assert.equal(server.requests.length, 1);
  });

  it("404: names what was not found and what to check", async () => {
    const server = await serve([{ status: 404, json: { message: "404 Not found" } }]);
    const { client } = clientFor(server);
    const error = await failure(client.listMergeRequestNotes("xlink/infra", 70));
    assert.equal(
      error.message,
      `GitLab API GET /projects/xlink%2Finfra/merge_requests/70/notes?sort=asc&order_by=created_at&per_page=100&page=1: 404 Not Found: no merge request !70 in project xlink/infra, or PREVIEW_NOTE_TOKEN cannot see it; GitLab said "404 Not found". Fix: check CI_MERGE_REQUEST_PROJECT_ID and CI_MERGE_REQUEST_IID, and that the token's user is a member of that project (a project access token sees only its own project).`,
    );
    assert.equal(error.failure, "not-found");
    assert.equal(server.requests.length, 1);
  });

  it("a redirect is not followed, so the token goes nowhere else", async () => {
    const server = await serve([{ status: 301, headers: { location: "http://elsewhere.example.com/api/v4/user" } }]);
    const { client } = clientFor(server);
    const error = await failure(client.currentUser());
    assert.equal(error.failure, "redirected");
    assert.match(error.message, /^GitLab API GET \/user: 301 Moved Permanently, a redirect to http:\/\/elsewhere\.example\.com\/api\/v4\/user, which is not followed/);
    assert.equal(server.requests.length, 1);
  });

  it("a web page instead of JSON says the API URL is probably wrong", async () => {
    const server = await serve([{ text: "<html>sign in</html>" }]);
    const { client } = clientFor(server);
    const error = await failure(client.currentUser());
    assert.equal(error.failure, "bad-response");
    assert.equal(error.message, "GitLab API GET /user: answered with a body that is not JSON; the API URL probably points at a web page rather than at /api/v4. Fix: check that the API URL is the instance's /api/v4 address.");
  });
});

describe("retries", () => {
  it("429: waits what Retry-After says, then sends the request again (even a POST)", async () => {
    const server = await serve([{ status: 429, headers: { "retry-after": "2" }, json: { message: "Retry later" } }, { status: 201, json: note(5, "b") }]);
    const { client, sleeps } = clientFor(server);
    assert.equal((await client.createMergeRequestNote("42", 7, "b")).id, 5);
    assert.deepEqual(sleeps, [2000]);
    assert.deepEqual(server.requests.map((r) => [r.method, r.body]), [["POST", '{"body":"b"}'], ["POST", '{"body":"b"}']]);
  });

  it("429: a huge Retry-After is capped, a missing one falls back to backoff, and the last 429 is an error", async () => {
    const busy: ScriptedReply = { status: 429, json: { message: "Retry later" } };
    const server = await serve([{ ...busy, headers: { "retry-after": "3600" } }, busy, busy]);
    const { client, sleeps } = clientFor(server, { maxAttempts: 3, maxRetryAfterMs: 5_000 });
    const error = await failure(client.currentUser());
    assert.deepEqual(sleeps, [5_000, 200]);
    assert.equal(error.failure, "rate-limited");
    assert.equal(error.message, `GitLab API GET /user: 429 Too Many Requests after 3 attempts: GitLab kept rate-limiting PREVIEW_NOTE_TOKEN; GitLab said "Retry later". Fix: rerun the job later, or ask an administrator to raise the rate limit for the token's user.`);
  });

  it("500/502/503/504 on a GET: exponential backoff, capped, then success", async () => {
    const server = await serve([{ status: 500 }, { status: 502 }, { status: 503 }, { status: 504 }, { json: { id: 1, username: "bot" } }]);
    const { client, sleeps } = clientFor(server, { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 300 });
    assert.deepEqual(await client.currentUser(), { id: 1, username: "bot" });
    assert.deepEqual(sleeps, [100, 200, 300, 300]);
    assert.equal(server.requests.length, 5);
  });

  it("a 5xx on every attempt becomes one clear error", async () => {
    const server = await serve(Array.from({ length: 4 }, () => ({ status: 503, text: "<html>upstream down</html>" })));
    const { client, sleeps } = clientFor(server);
    const error = await failure(client.updateMergeRequestNote("42", 7, 11, "x"));
    assert.deepEqual(sleeps, [100, 200, 400]);
    assert.equal(server.requests.length, 4);
    assert.equal(error.failure, "server-error");
    assert.equal(error.outcomeUnknown, false);
    assert.equal(error.message, "GitLab API PUT /projects/42/merge_requests/7/notes/11: 503 Service Unavailable after 4 attempts. Fix: check the GitLab instance's health, then rerun the job.");
  });

  it("a 5xx on a POST that must not run twice is not repeated, and says its outcome is unknown", async () => {
    const server = await serve([{ status: 502 }]);
    const { client, sleeps } = clientFor(server);
    const error = await failure(client.createMergeRequestNote("42", 7, "x"));
    assert.equal(server.requests.length, 1);
    assert.deepEqual(sleeps, []);
    assert.equal(error.outcomeUnknown, true);
    assert.equal(error.message, "GitLab API POST /projects/42/merge_requests/7/notes: 502 Bad Gateway; not repeated, since GitLab may have applied it. Fix: check the GitLab instance's health, then rerun the job.");
  });

  it("a forced commit is safe to repeat after a 5xx; a merge request is not", async () => {
    const server = await serve([{ status: 500 }, { status: 201, json: { id: "c1" } }, { status: 500 }]);
    const { client, sleeps } = clientFor(server);
    const commit = await client.createCommit("42", { branch: "b", startSha: "s", message: "m", force: true, actions: [] });
    assert.deepEqual(commit, { id: "c1" });
    const error = await failure(client.createMergeRequest("42", { sourceBranch: "b", targetBranch: "main", title: "t", description: "d", removeSourceBranch: true }));
    assert.equal(error.outcomeUnknown, true);
    assert.deepEqual(sleeps, [100]);
    assert.equal(server.requests.length, 3);
  });
});

describe("timeouts and unreachable servers", () => {
  it("every attempt has a timeout; a GET that times out is repeated, then reported", async () => {
    // The timeout is long enough for a loaded machine to deliver each request before it fires, and
    // far shorter than the server's delay, so the attempts are counted by the server itself.
    const server = await serve(() => ({ delayMs: 10_000, json: {} }));
    const { client, sleeps } = clientFor(server, { timeoutMs: 400, maxAttempts: 2 });
    const started = Date.now();
    const error = await failure(client.currentUser());
    assert.ok(Date.now() - started < 5_000, "gave up after the timeouts, not after the server's delay");
    assert.equal(error.failure, "timeout");
    assert.equal(server.requests.length, 2);
    assert.deepEqual(sleeps, [100]);
    assert.equal(error.message, `GitLab API GET /user: no answer within 0.4 s (2 attempts). Fix: check that ${new URL(server.apiUrl).origin} is reachable from the runner and healthy, then rerun the job.`);
  });

  it("a POST that times out is not repeated", async () => {
    const server = await serve(() => ({ delayMs: 10_000, json: {} }));
    const { client } = clientFor(server, { timeoutMs: 400 });
    const error = await failure(client.createMergeRequestNote("42", 7, "x"));
    assert.equal(error.failure, "timeout");
    assert.equal(error.outcomeUnknown, true);
    assert.equal(server.requests.length, 1);
  });

  it("a closed port is reported as unreachable", async () => {
    const server = await startRecordingServer([]);
    await server.close();
    const { client, sleeps } = clientFor(server, { maxAttempts: 2 });
    const error = await failure(client.currentUser());
    assert.equal(error.failure, "unreachable");
    assert.deepEqual(sleeps, [100]);
    assert.match(error.message, /^GitLab API GET \/user: could not reach http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED; 2 attempts\)\. Fix: /);
  });
});

describe("API URLs a token may be sent to", () => {
  it("accepts https, and http on loopback only; drops a trailing slash", () => {
    assert.equal(checkApiUrl("https://gitlab.example.com/api/v4/", "CI_API_V4_URL"), "https://gitlab.example.com/api/v4");
    assert.equal(checkApiUrl("http://127.0.0.1:8080/api/v4", "CI_API_V4_URL"), "http://127.0.0.1:8080/api/v4");
    assert.equal(checkApiUrl("http://localhost/api/v4", "CI_API_V4_URL"), "http://localhost/api/v4");
    assert.equal(checkApiUrl("http://[::1]:9/api/v4", "CI_API_V4_URL"), "http://[::1]:9/api/v4");
  });

  it("refuses plain http elsewhere, credentials in the URL, and non-URLs, before any request", () => {
    assert.throws(() => createGitLabClient({ apiUrl: "http://gitlab.example.com/api/v4", token: TOKEN, apiUrlSource: "CI_API_V4_URL" }), {
      name: "ApiUrlError",
      message: "CI_API_V4_URL is http://gitlab.example.com: refusing to send the API token without TLS. Fix: use the instance's https address (http is accepted only for 127.0.0.1 and localhost).",
    });
    assert.throws(() => checkApiUrl("http://127.0.0.2/api/v4", "--api-url"), ApiUrlError);
    assert.throws(() => checkApiUrl("ftp://gitlab.example.com/api/v4", "--api-url"), ApiUrlError);
    assert.throws(() => checkApiUrl("https://user:pw@gitlab.example.com/api/v4", "--api-url"), /--api-url contains credentials/);
    assert.throws(() => checkApiUrl("gitlab.example.com", "--api-url"), /--api-url is not a URL/);
  });
});
