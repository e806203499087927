// A stand-in for GitLab's notes endpoints of merge request !7 of project 42, for the recording
// server: what mr-note and the note upsert talk to.

import { API_PREFIX, type RecordedRequest, type ScriptedReply } from "./recordingServer";

/** The note token the tests hand out: a canary, never to be printed. */
export const CANARY_NOTE_TOKEN = "glpat-CANARYnoteTOKEN0123456789";
/** The note token's user. */
export const BOT = 99;
/** The marker lines of the preview note of stack dev. */
export const HEADER = "<!-- gitlab-push-tokens:preview-comment -->\n<!-- stack: dev -->\n";
export const NOTES_PATH = `${API_PREFIX}/projects/42/merge_requests/7/notes`;

export interface FakeNote {
  id: number;
  body: string;
  author: { id: number; username: string };
  system: boolean;
}

/**
 * GitLab's notes endpoints for merge request !7 of project 42, two notes per page (to exercise
 * pagination), plus GET /user answering the bot user. `fault` can answer a request instead.
 */
export function fakeGitLab(notes: FakeNote[], fault?: (request: RecordedRequest) => ScriptedReply | undefined) {
  let nextId = 500;
  return (request: RecordedRequest): ScriptedReply => {
    const faulty = fault?.(request);
    if (faulty) return faulty;
    if (request.method === "GET" && request.path === `${API_PREFIX}/user`) return { json: { id: BOT, username: "project_42_bot" } };
    if (request.method === "GET" && request.path.startsWith(`${NOTES_PATH}?`)) {
      const page = Number(new URL(request.path, "http://x").searchParams.get("page"));
      const next = page * 2 < notes.length ? String(page + 1) : "";
      return { json: notes.slice((page - 1) * 2, page * 2), headers: { "x-next-page": next } };
    }
    if (request.method === "POST" && request.path === NOTES_PATH) {
      const created = { id: nextId++, body: (JSON.parse(request.body) as { body: string }).body, author: { id: BOT, username: "project_42_bot" }, system: false };
      notes.push(created);
      return { status: 201, json: created };
    }
    const put = request.method === "PUT" ? notes.find((n) => request.path === `${NOTES_PATH}/${n.id}`) : undefined;
    if (put) {
      put.body = (JSON.parse(request.body) as { body: string }).body;
      return { json: put };
    }
    return { status: 404, json: { message: "404 Not found" } };
  };
}

export const byUser = (id: number, body: string, author: number, system = false): FakeNote => ({ id, body, author: { id: author, username: `user${author}` }, system });

export const notesPage = (page: number) => `GET ${NOTES_PATH}?sort=asc&order_by=created_at&per_page=100&page=${page}`;
