// `npm run mr-note` end to end against a stand-in GitLab on 127.0.0.1: first run creates, later runs
// update that note and nothing else.

import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { runCli } from "../support/cliRun";
import { BOT, byUser, fakeGitLab, HEADER, CANARY_NOTE_TOKEN as TOKEN, NOTES_PATH, notesPage } from "../support/gitlabNotes";
import { API_PREFIX, calls, serve, type RecordingServer } from "../support/recordingServer";

const dir = mkdtempSync(path.join(tmpdir(), "mr-note-test-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function commentFile(name: string, body: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, body);
  return file;
}

function ciEnv(server: RecordingServer, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PREVIEW_NOTE_TOKEN: TOKEN,
    CI_API_V4_URL: server.apiUrl,
    CI_PROJECT_ID: "42",
    CI_MERGE_REQUEST_PROJECT_ID: "42",
    CI_MERGE_REQUEST_SOURCE_PROJECT_ID: "42",
    CI_MERGE_REQUEST_IID: "7",
    ...extra,
  };
}

describe("npm run mr-note -- comment.md", () => {
  it("first run creates the note (token header, the file as the body); the second run updates that note", async () => {
    const notes = [byUser(1, "LGTM", 5)];
    const server = await serve(fakeGitLab(notes));
    const body = `${HEADER}## Preview of dev\n\n2 to create\n`;
    const result = await runCli("mr-note.ts", [commentFile("first.md", body)], ciEnv(server));
    assert.equal(result.stderr, "");
    assert.equal(result.code, 0);
    assert.equal(result.stdout, "mr-note: created note 500 on merge request !7 of project 42\n");
    assert.deepEqual(calls(server), [`GET ${API_PREFIX}/user`, notesPage(1), `POST ${NOTES_PATH}`]);
    const post = server.requests[2];
    assert.equal(post.headers["private-token"], TOKEN);
    assert.equal(post.headers["content-type"], "application/json");
    assert.equal(post.headers["user-agent"], "gitlab-push-tokens mr-note");
    assert.deepEqual(server.jsonOf(post), { body });

    // The pipeline runs again after a push: the same note is updated, no second one appears.
    const newer = `${HEADER}## Preview of dev\n\n1 to create\n`;
    const again = await runCli("mr-note.ts", [commentFile("first-again.md", newer)], ciEnv(server));
    assert.equal(again.code, 0);
    assert.equal(again.stdout, "mr-note: updated note 500 on merge request !7 of project 42\n");
    assert.deepEqual(calls(server).slice(3), [`GET ${API_PREFIX}/user`, notesPage(1), `PUT ${NOTES_PATH}/500`]);
    assert.deepEqual(server.jsonOf(server.requests[5]), { body: newer });
    assert.deepEqual(notes.map((n) => [n.id, n.body]), [[1, "LGTM"], [500, newer]]);
  });

  it("next run: updates its own marked note with PUT, across pages, and leaves every other note alone", async () => {
    const others = [
      byUser(1, `${HEADER}a marked note by someone else`, 5),
      byUser(2, "unmarked note by the bot", BOT),
      byUser(3, `${HEADER}system note`, BOT, true),
      byUser(4, "<!-- gitlab-push-tokens:preview-comment -->\n<!-- stack: prod -->\nthe prod stack's note", BOT),
    ];
    const notes = [...others.map((n) => ({ ...n })), byUser(5, `${HEADER}old preview`, BOT)];
    const server = await serve(fakeGitLab(notes));
    const body = `${HEADER}## Preview of dev\n\n1 to update\n`;
    const result = await runCli("mr-note.ts", [commentFile("second.md", body)], ciEnv(server));
    assert.equal(result.stderr, "");
    assert.equal(result.code, 0);
    assert.equal(result.stdout, "mr-note: updated note 5 on merge request !7 of project 42\n");
    assert.deepEqual(calls(server), [`GET ${API_PREFIX}/user`, notesPage(1), notesPage(2), notesPage(3), `PUT ${NOTES_PATH}/5`]);
    assert.deepEqual(server.jsonOf(server.requests[4]), { body });
    assert.deepEqual(notes.slice(0, 4), others);
    assert.equal(notes[4].body, body);
  });

  it("an unchanged comment sends no update", async () => {
    const body = `${HEADER}same\n`;
    const server = await serve(fakeGitLab([byUser(8, body, BOT)]));
    const result = await runCli("mr-note.ts", [commentFile("same.md", body)], ciEnv(server));
    assert.equal(result.code, 0);
    assert.equal(result.stdout, "mr-note: note 8 on merge request !7 of project 42 already has this body; left as it is\n");
    assert.deepEqual(calls(server), [`GET ${API_PREFIX}/user`, notesPage(1)]);
  });

  it("without PREVIEW_NOTE_TOKEN: exit 1, one line naming the variable and the fix, no request", async () => {
    const server = await serve([]);
    const { PREVIEW_NOTE_TOKEN: _unset, ...env } = ciEnv(server);
    const result = await runCli("mr-note.ts", [commentFile("no-token.md", `${HEADER}x`)], env);
    assert.equal(result.code, 1);
    assert.equal(result.stdout, "");
    assert.equal(
      result.stderr,
      "mr-note: PREVIEW_NOTE_TOKEN is not set. Fix: add a masked (not protected) CI/CD variable PREVIEW_NOTE_TOKEN holding a project access token with the api scope and the Reporter role.\n",
    );
    assert.equal(server.requests.length, 0);
  });

  it("a fork's merge request without the token: exit 3 (skippable in CI), one line, no request", async () => {
    const server = await serve([]);
    const { PREVIEW_NOTE_TOKEN: _unset, ...env } = ciEnv(server, { CI_MERGE_REQUEST_SOURCE_PROJECT_ID: "77" });
    const result = await runCli("mr-note.ts", [commentFile("fork.md", `${HEADER}x`)], env);
    assert.equal(result.code, 3);
    assert.equal(
      result.stderr,
      "mr-note: PREVIEW_NOTE_TOKEN is not set: merge request !7 comes from a fork (project 77), whose pipelines do not receive the target project's variables; no note was posted. Fix: a member of the target project runs the pipeline for this merge request in the target project (Pipelines tab, Run pipeline).\n",
    );
    assert.equal(server.requests.length, 0);
  });

  it("outside a merge-request pipeline: exit 1 naming CI_MERGE_REQUEST_IID", async () => {
    const server = await serve([]);
    const { CI_MERGE_REQUEST_IID: _unset, ...env } = ciEnv(server);
    const result = await runCli("mr-note.ts", [commentFile("no-mr.md", `${HEADER}x`)], env);
    assert.equal(result.code, 1);
    assert.equal(result.stderr, 'mr-note: CI_MERGE_REQUEST_IID is not set. Fix: run this job in merge-request pipelines only (rules: - if: $CI_PIPELINE_SOURCE == "merge_request_event").\n');
    assert.equal(server.requests.length, 0);
  });

  it("a one-letter placeholder as the token leaves every message readable: only real secrets are redacted", async () => {
    const server = await serve([]);
    const { CI_MERGE_REQUEST_IID: _unset, ...env } = ciEnv(server, { PREVIEW_NOTE_TOKEN: "e" });
    const result = await runCli("mr-note.ts", [commentFile("placeholder.md", `${HEADER}x`)], env);
    assert.equal(result.code, 1);
    assert.equal(result.stderr, 'mr-note: CI_MERGE_REQUEST_IID is not set. Fix: run this job in merge-request pipelines only (rules: - if: $CI_PIPELINE_SOURCE == "merge_request_event").\n');
  });

  it("a usage error: one wording, the usage line, exit 1, and no word of Node's parseArgs", async () => {
    const [bogus, dash, none] = await Promise.all([
      runCli("mr-note.ts", ["--bogus"], {}),
      runCli("mr-note.ts", ["comment.md", "--marker"], {}),
      runCli("mr-note.ts", [], {}),
    ]);
    const usage = "usage: npm run mr-note -- <comment.md> [--marker <line>]... [--api-url <url>]\n";
    assert.deepEqual(
      [bogus, dash, none].map((result) => [result.code, result.stdout, result.stderr]),
      [
        [1, "", `mr-note: unknown option "--bogus". Fix: npm run mr-note -- --help lists every option.\n${usage}`],
        [1, "", `mr-note: --marker needs a value. Fix: write --marker '<!-- my-report -->'.\n${usage}`],
        [1, "", `mr-note: <comment.md> is missing. Fix: pass the Markdown file to post, as npm run preview-comment or plan-comment wrote it, e.g. npm run mr-note -- comment.md.\n${usage}`],
      ],
    );
  });

  it("refuses a plain-http API URL that is not loopback, before sending the token", async () => {
    const server = await serve([]);
    const result = await runCli("mr-note.ts", [commentFile("http.md", `${HEADER}x`)], ciEnv(server, { CI_API_V4_URL: "http://gitlab.example.com/api/v4" }));
    assert.equal(result.code, 1);
    assert.equal(result.stderr, "mr-note: CI_API_V4_URL is http://gitlab.example.com: refusing to send the API token without TLS. Fix: use the instance's https address (http is accepted only for 127.0.0.1 and localhost).\n");
  });

  it("a rejected token: exit 1, one line, no token and no stack trace", async () => {
    const server = await serve([{ status: 401, json: { message: `401 Unauthorized ${TOKEN}` } }]);
    const result = await runCli("mr-note.ts", [commentFile("denied.md", `${HEADER}x`)], ciEnv(server));
    assert.equal(result.code, 1);
    assert.equal(
      result.stderr,
      'mr-note: GitLab API GET /user: 401 Unauthorized: GitLab did not accept PREVIEW_NOTE_TOKEN (wrong, expired or revoked); GitLab said "401 Unauthorized [redacted token]". Fix: create a new access token with the api scope and store it in the masked CI/CD variable PREVIEW_NOTE_TOKEN.\n',
    );
    assert.equal(server.requests.length, 1);
  });

  it("a comment without a marker line, or a missing file: exit 1 with the fix", async () => {
    const server = await serve([]);
    const blank = await runCli("mr-note.ts", [commentFile("blank-first.md", "\nbody")], ciEnv(server));
    assert.equal(blank.code, 1);
    assert.match(blank.stderr, /^mr-note: \S+blank-first\.md starts with a blank line, so its note could not be found again\. Fix: start it with a marker line such as <!-- preview -->, or pass --marker\.\n$/);
    const missing = await runCli("mr-note.ts", [path.join(dir, "absent.md")], ciEnv(server));
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^mr-note: cannot read \S+absent\.md \(ENOENT\)\. Fix: write the comment first \(npm run preview-comment\), then pass its path\.\n$/);
    assert.equal(server.requests.length, 0);
  });
});
