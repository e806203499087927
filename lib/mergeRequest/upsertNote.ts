// Creates the pipeline's merge-request note, or updates the one it wrote before (same marker, same
// author) instead of adding another. Notes by anyone else, and notes without the marker, are never
// touched.

import type { GitLabClient } from "../gitlabApi/client";
import { GitLabApiError } from "../gitlabApi/errors";
import { startsWithMarker } from "./noteMarker";

export interface NoteTarget {
  /** Project ID or path of the merge request's (target) project. */
  readonly project: string;
  /** The merge request's IID (`!7`), not its global ID. */
  readonly mergeRequestIid: number;
}

export interface NoteOutcome {
  /** `unchanged`: the earlier note already had this body, so nothing was sent. */
  readonly action: "created" | "updated" | "unchanged";
  readonly noteId: number;
}

/**
 * A POST whose answer was lost may still have created the note, so it is never blindly repeated:
 * each round re-reads the notes first and updates the note if it now exists.
 */
const MAX_ROUNDS = 3;

export async function upsertMarkedNote(client: GitLabClient, target: NoteTarget, body: string, marker: readonly string[]): Promise<NoteOutcome> {
  if (!startsWithMarker(body, marker)) {
    throw new Error("the note body does not start with its marker, so the next run could not find it");
  }
  const me = await client.currentUser();
  for (let round = 1; ; round++) {
    const notes = await client.listMergeRequestNotes(target.project, target.mergeRequestIid);
    const earlier = notes.find((note) => !note.system && note.authorId === me.id && startsWithMarker(note.body, marker));
    if (earlier) {
      if (earlier.body === body) return { action: "unchanged", noteId: earlier.id };
      const updated = await client.updateMergeRequestNote(target.project, target.mergeRequestIid, earlier.id, body);
      return { action: "updated", noteId: updated.id };
    }
    try {
      const created = await client.createMergeRequestNote(target.project, target.mergeRequestIid, body);
      return { action: "created", noteId: created.id };
    } catch (error) {
      if (!(error instanceof GitLabApiError && error.outcomeUnknown && round < MAX_ROUNDS)) throw error;
    }
  }
}
