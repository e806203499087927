// Posts a Markdown file as the pipeline's note on the merge request the pipeline runs for, or updates
// the note it posted before (upsertNote.ts), with everything read from GitLab CI's environment: the
// token, the merge request, the project, the API address. Says why and what to do when any is missing,
// and recognises a fork's pipeline, which gets no token.

import { readFileSync } from "node:fs";
import { CliError, requireEnv, type Environment } from "../command/apiCommand";
import { createGitLabClient } from "../gitlabApi/client";
import { markerOf, startsWithMarker } from "./noteMarker";
import { upsertMarkedNote } from "./upsertNote";

/** The variable holding the token that posts the note. */
export const NOTE_TOKEN_VARIABLE = "PREVIEW_NOTE_TOKEN";
/** Exit code for a fork's merge request, whose pipeline does not get the token: CI may allow it. */
const FORK_WITHOUT_TOKEN = 3;
/** GitLab refuses longer notes. */
const MAX_NOTE_LENGTH = 1_000_000;

export interface NoteRequest {
  /** The Markdown file to post. */
  readonly file: string;
  /** The lines that identify the note; by default the file's leading HTML-comment lines. */
  readonly marker?: readonly string[];
  /** `--api-url`; CI_API_V4_URL when absent. */
  readonly apiUrl?: string;
}

/** Creates or updates the note; returns the line saying which. Throws a CliError (exit 3 for a fork without the token). */
export async function postPipelineNote(request: NoteRequest, env: Environment): Promise<string> {
  const { file } = request;
  const body = readComment(file);
  const marker = request.marker ?? markerOf(body);
  if (marker.length === 0) {
    throw new CliError(`${file} starts with a blank line, so its note could not be found again. Fix: start it with a marker line such as <!-- preview -->, or pass --marker.`);
  }
  if (!startsWithMarker(body, marker)) {
    throw new CliError(`${file} does not start with the --marker line(s), so its note could not be found again. Fix: pass the file's own first line(s) as --marker.`);
  }

  const token = env[NOTE_TOKEN_VARIABLE]?.trim();
  if (!token) {
    const source = env.CI_MERGE_REQUEST_SOURCE_PROJECT_ID;
    const target = env.CI_MERGE_REQUEST_PROJECT_ID;
    if (source && target && source !== target) {
      throw new CliError(
        `${NOTE_TOKEN_VARIABLE} is not set: merge request !${env.CI_MERGE_REQUEST_IID ?? "?"} comes from a fork (project ${source}), whose pipelines do not receive the target project's variables; no note was posted. Fix: a member of the target project runs the pipeline for this merge request in the target project (Pipelines tab, Run pipeline).`,
        FORK_WITHOUT_TOKEN,
      );
    }
    throw new CliError(`${NOTE_TOKEN_VARIABLE} is not set. Fix: add a masked (not protected) CI/CD variable ${NOTE_TOKEN_VARIABLE} holding a project access token with the api scope and the Reporter role.`);
  }
  const iidText = requireEnv(env, "CI_MERGE_REQUEST_IID", `run this job in merge-request pipelines only (rules: - if: $CI_PIPELINE_SOURCE == "merge_request_event")`);
  if (!/^[1-9]\d*$/.test(iidText)) throw new CliError(`CI_MERGE_REQUEST_IID is ${JSON.stringify(iidText.slice(0, 40))}, not a merge request IID. Fix: leave it to GitLab CI, which sets it in merge-request pipelines.`);
  const project = env.CI_MERGE_REQUEST_PROJECT_ID?.trim() || requireEnv(env, "CI_PROJECT_ID", "run this job in GitLab CI, or set CI_MERGE_REQUEST_PROJECT_ID to the merge request's project ID");
  const apiUrlSource = request.apiUrl === undefined ? "CI_API_V4_URL" : "--api-url";
  const apiUrl = request.apiUrl ?? requireEnv(env, "CI_API_V4_URL", "run this job in GitLab CI, or pass --api-url https://<host>/api/v4");

  const client = createGitLabClient({ apiUrl, apiUrlSource, token, tokenName: NOTE_TOKEN_VARIABLE, userAgent: "gitlab-push-tokens mr-note" });
  const outcome = await upsertMarkedNote(client, { project, mergeRequestIid: Number(iidText) }, body, marker);
  const note = `note ${outcome.noteId} on merge request !${iidText} of project ${project}`;
  return outcome.action === "unchanged" ? `mr-note: ${note} already has this body; left as it is` : `mr-note: ${outcome.action} ${note}`;
}

function readComment(file: string): string {
  let body: string;
  try {
    body = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
    throw new CliError(`cannot read ${file} (${code}). Fix: write the comment first (npm run preview-comment), then pass its path.`);
  }
  if (body.trim() === "") throw new CliError(`${file} is empty. Fix: write the comment first (npm run preview-comment), then pass its path.`);
  if (body.length > MAX_NOTE_LENGTH) throw new CliError(`${file} has ${body.length} characters, more than GitLab's ${MAX_NOTE_LENGTH} for a note. Fix: shorten the comment.`);
  return body;
}
