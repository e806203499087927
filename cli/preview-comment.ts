// `npm run preview-comment -- <preview.json | ->`
//
// Reads what `pulumi preview --json` printed (a file, or `-` for stdin) and writes the merge-request
// note for it, GitLab-flavoured Markdown, to stdout. Exit 0 with the note; exit 1 with one line on
// stderr when the input is missing, not JSON or not a preview.

import { parseArgs } from "node:util";
import { redactTokens } from "../config/issues";
import { renderPreviewComment } from "../lib/mergeRequest/previewComment";
import { PreviewInputError } from "../lib/mergeRequest/previewDocument";
import { readPreviewInput } from "../lib/mergeRequest/previewInput";

const USAGE = "usage: npm run preview-comment -- <preview.json | -> (the output of `pulumi preview --json`; - reads stdin)";

function main(argv: string[]): number {
  let positionals: string[];
  let help: boolean | undefined;
  try {
    ({ positionals, values: { help } } = parseArgs({ args: argv, allowPositionals: true, options: { help: { type: "boolean", short: "h" } } }));
  } catch (error) {
    return fail(`${(error as Error).message}; ${USAGE}`);
  }
  if (help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (positionals.length !== 1) return fail(`expected one input, got ${positionals.length}; ${USAGE}`);

  try {
    process.stdout.write(renderPreviewComment(readPreviewInput(positionals[0])));
    return 0;
  } catch (error) {
    if (error instanceof PreviewInputError) return fail(error.message);
    throw error;
  }
}

function fail(message: string): number {
  process.stderr.write(`preview-comment: ${redactTokens(message)}\n`);
  return 1;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  // A bug, not a user error: still one line, and never the input.
  process.stderr.write(`preview-comment failed unexpectedly: ${redactTokens(error instanceof Error ? error.message : String(error)).split("\n")[0]}\n`);
  process.exitCode = 1;
}
