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

import { parseArgs } from "node:util";
import { CliError, runCli, type Environment } from "../lib/command/apiCommand";
import { NOTE_TOKEN_VARIABLE, postPipelineNote } from "../lib/mergeRequest/pipelineNote";

const USAGE = "usage: npm run mr-note -- <comment.md> [--marker <line>]... [--api-url <url>]";

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

  console.log(await postPipelineNote({ file: positionals[0], marker: values.marker, apiUrl: values["api-url"] }, env));
  return 0;
}

runCli("mr-note", () => main(process.argv.slice(2), process.env), [process.env[NOTE_TOKEN_VARIABLE]]);
