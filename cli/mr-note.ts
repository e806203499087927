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

import { redactingConsole, runCli, type Environment } from "../lib/command/apiCommand";
import { readCommandLine, type CommandSpec } from "../lib/command/commandLine";
import type { CliOutput } from "../lib/command/stackCommand";
import { NOTE_TOKEN_VARIABLE, postPipelineNote } from "../lib/mergeRequest/pipelineNote";

export const MR_NOTE: CommandSpec = {
  name: "mr-note",
  usage: ["-- <comment.md> [--marker <line>]... [--api-url <url>]"],
  summary: [
    "Posts the file as the pipeline's note on its merge request, or updates the note it posted before: the one by",
    "the same token's user that starts with the same marker lines. Reads PREVIEW_NOTE_TOKEN, CI_API_V4_URL,",
    "CI_MERGE_REQUEST_IID, CI_MERGE_REQUEST_PROJECT_ID (else CI_PROJECT_ID) and CI_MERGE_REQUEST_SOURCE_PROJECT_ID.",
  ].join("\n"),
  positional: { name: "<comment.md>", description: "the Markdown file to post, as npm run preview-comment or plan-comment wrote it" },
  options: {
    marker: {
      type: "string",
      multiple: true,
      value: "<line>",
      description: "a line the note starts with, which finds it again (repeat for several; default: the file's leading <!-- … --> lines)",
      example: "--marker '<!-- my-report -->'",
    },
    "api-url": { type: "string", value: "<url>", description: "GitLab's API (default: CI_API_V4_URL)", example: "--api-url https://gitlab.example.com/api/v4" },
  },
  examples: ["npm run mr-note -- comment.md"],
  exitCodes: "0 the note is created, updated or already current; 3 skipped: a fork's pipeline without the token (allowed in CI); 1 any other error, a usage error included.",
};

/** Runs the command with `argv` and `env`; returns its exit code. */
export async function mrNoteCommand(argv: readonly string[], env: Environment, output: CliOutput = redactingConsole([env[NOTE_TOKEN_VARIABLE]])): Promise<number> {
  const line = readCommandLine(MR_NOTE, argv, output, env);
  if (typeof line === "number") return line;
  output.out(await postPipelineNote({ file: line.positionals[0], marker: line.values.marker as string[] | undefined, apiUrl: line.values["api-url"] as string | undefined }, env));
  return 0;
}

if (require.main === module) runCli("mr-note", () => mrNoteCommand(process.argv.slice(2), process.env), [process.env[NOTE_TOKEN_VARIABLE]]);
