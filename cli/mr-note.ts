// `npm run mr-note -- <comment.md> [--marker <line>]... [--api-url <url>]`
//
// Posts a Markdown file as the pipeline's note on the merge request the pipeline runs for, or updates
// the note it posted before: the one written by the same token's user whose body starts with the same
// marker (by default the file's leading HTML-comment lines, e.g. the preview's fixed first line and its
// stack line; see lib/mergeRequest/noteMarker.ts). Nothing else is touched.
//
// Environment (GitLab CI sets all but the token): PREVIEW_NOTE_TOKEN, CI_API_V4_URL,
// CI_MERGE_REQUEST_IID, CI_MERGE_REQUEST_PROJECT_ID (else CI_PROJECT_ID),
// CI_MERGE_REQUEST_SOURCE_PROJECT_ID (to recognise a fork).
// Exit codes: 0 note created, updated or already current; 1 error; 3 skipped, a fork's pipeline
// without the token.

import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { createGitLabClient } from "../lib/gitlabApi/client";
import { CliError, requireEnv, runCli, type Environment } from "../lib/command/apiCommand";
import { markerOf, startsWithMarker } from "../lib/mergeRequest/noteMarker";
import { upsertMarkedNote } from "../lib/mergeRequest/upsertNote";

const USAGE = "usage: npm run mr-note -- <comment.md> [--marker <line>]... [--api-url <url>]";
const TOKEN_VARIABLE = "PREVIEW_NOTE_TOKEN";
/** Exit code for a fork's merge request, whose pipeline does not get the token: CI may allow it. */
const FORK_WITHOUT_TOKEN = 3;
/** GitLab refuses longer notes. */
const MAX_NOTE_LENGTH = 1_000_000;

async function main(argv: string[], env: Environment): Promise<number> {
  let parsed: { values: { marker?: string[]; "api-url"?: string; help?: boolean }; positionals: string[] };
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { marker: { type: "string", multiple: true }, "api-url": { type: "string" }, help: { type: "boolean", short: "h" } },
    });
  } catch (error) {
    throw new CliError(`${(error as Error).message}. ${USAGE}`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length !== 1) throw new CliError(`expected one comment file, got ${positionals.length}. ${USAGE}`);

  const file = positionals[0];
  const body = readComment(file);
  const marker = values.marker ?? markerOf(body);
  if (marker.length === 0) {
    throw new CliError(`${file} starts with a blank line, so its note could not be found again. Fix: start it with a marker line such as <!-- preview -->, or pass --marker.`);
  }
  if (!startsWithMarker(body, marker)) {
    throw new CliError(`${file} does not start with the --marker line(s), so its note could not be found again. Fix: pass the file's own first line(s) as --marker.`);
  }

  const token = env[TOKEN_VARIABLE]?.trim();
  if (!token) {
    const source = env.CI_MERGE_REQUEST_SOURCE_PROJECT_ID;
    const target = env.CI_MERGE_REQUEST_PROJECT_ID;
    if (source && target && source !== target) {
      throw new CliError(
        `${TOKEN_VARIABLE} is not set: merge request !${env.CI_MERGE_REQUEST_IID ?? "?"} comes from a fork (project ${source}), whose pipelines do not receive the target project's variables; no note was posted. Fix: a member of the target project runs the pipeline for this merge request in the target project (Pipelines tab, Run pipeline).`,
        FORK_WITHOUT_TOKEN,
      );
    }
    throw new CliError(`${TOKEN_VARIABLE} is not set. Fix: add a masked (not protected) CI/CD variable ${TOKEN_VARIABLE} holding a project access token with the api scope and the Reporter role.`);
  }
  const iidText = requireEnv(env, "CI_MERGE_REQUEST_IID", `run this job in merge-request pipelines only (rules: - if: $CI_PIPELINE_SOURCE == "merge_request_event")`);
  if (!/^[1-9]\d*$/.test(iidText)) throw new CliError(`CI_MERGE_REQUEST_IID is ${JSON.stringify(iidText.slice(0, 40))}, not a merge request IID. Fix: leave it to GitLab CI, which sets it in merge-request pipelines.`);
  const project = env.CI_MERGE_REQUEST_PROJECT_ID?.trim() || requireEnv(env, "CI_PROJECT_ID", "run this job in GitLab CI, or set CI_MERGE_REQUEST_PROJECT_ID to the merge request's project ID");
  const apiUrlSource = values["api-url"] === undefined ? "CI_API_V4_URL" : "--api-url";
  const apiUrl = values["api-url"] ?? requireEnv(env, "CI_API_V4_URL", "run this job in GitLab CI, or pass --api-url https://<host>/api/v4");

  const client = createGitLabClient({ apiUrl, apiUrlSource, token, tokenName: TOKEN_VARIABLE, userAgent: "gitlab-push-tokens mr-note" });
  const outcome = await upsertMarkedNote(client, { project, mergeRequestIid: Number(iidText) }, body, marker);
  const note = `note ${outcome.noteId} on merge request !${iidText} of project ${project}`;
  console.log(outcome.action === "unchanged" ? `mr-note: ${note} already has this body; left as it is` : `mr-note: ${outcome.action} ${note}`);
  return 0;
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

runCli("mr-note", () => main(process.argv.slice(2), process.env), [process.env[TOKEN_VARIABLE]]);
