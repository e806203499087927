// The note upsert against a stand-in GitLab on 127.0.0.1: a lost answer to a POST never posts twice.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createGitLabClient } from "../../../lib/gitlabApi/client";
import { markerOf } from "../../../lib/mergeRequest/noteMarker";
import { upsertMarkedNote } from "../../../lib/mergeRequest/upsertNote";
import { BOT, byUser, fakeGitLab, HEADER, CANARY_NOTE_TOKEN as TOKEN, NOTES_PATH, notesPage, type FakeNote } from "../../support/gitlabNotes";
import { API_PREFIX, calls, serve } from "../../support/recordingServer";

describe("upsertMarkedNote", () => {
  it("after a POST whose answer was lost, re-reads the notes instead of posting twice", async () => {
    const notes: FakeNote[] = [];
    let posts = 0;
    // The first POST is applied, but the client only sees a 502 (a proxy timing out).
    const handler = fakeGitLab(notes, (request) => {
      if (request.method !== "POST" || posts++ > 0) return undefined;
      notes.push(byUser(300, (JSON.parse(request.body) as { body: string }).body, BOT));
      return { status: 502 };
    });
    const server = await serve(handler);
    const client = createGitLabClient({ apiUrl: server.apiUrl, token: TOKEN, sleep: async () => {} });
    const body = `${HEADER}first`;
    const outcome = await upsertMarkedNote(client, { project: "42", mergeRequestIid: 7 }, body, markerOf(body));
    assert.deepEqual(outcome, { action: "unchanged", noteId: 300 });
    assert.deepEqual(calls(server), [`GET ${API_PREFIX}/user`, notesPage(1), `POST ${NOTES_PATH}`, notesPage(1)]);
    assert.equal(notes.length, 1);
  });
});
