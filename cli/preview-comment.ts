// `npm run preview-comment -- <preview.json | ->`
//
// Reads what `pulumi preview --json` printed (a file, or `-` for stdin) and writes the merge-request
// note for it, GitLab-flavoured Markdown, to stdout. Exit 0 with the note; exit 1 with one line on
// stderr when the input is missing, not JSON or not a preview.

import { redactTokens } from "../config/issues";
import { readCommandLine, type CommandSpec } from "../lib/command/commandLine";
import { renderPreviewComment } from "../lib/mergeRequest/previewComment";
import { PreviewInputError } from "../lib/mergeRequest/previewDocument";
import { readPreviewInput } from "../lib/mergeRequest/previewInput";

export const PREVIEW_COMMENT: CommandSpec = {
  name: "preview-comment",
  usage: ["-- <preview.json | ->"],
  summary: [
    "Writes the merge-request note for what pulumi preview --json printed, as GitLab Markdown, to stdout: the",
    "counts, what needs attention, one sentence per GitLab token or variable, every change and the diagnostics.",
  ].join("\n"),
  positional: { name: "<preview.json | ->", description: "the file pulumi preview --json wrote, or - to read it from stdin" },
  options: {},
  examples: ["npm run --silent preview-comment -- preview.json > comment.md", "pulumi preview --json | npm run --silent preview-comment -- -"],
  exitCodes: "0 the note is on stdout; 1 the input is missing, not JSON or not a preview, or a usage error.",
};

function main(argv: string[]): number {
  const line = readCommandLine(PREVIEW_COMMENT, argv, { out: (text) => process.stdout.write(`${text}\n`), err: (text) => process.stderr.write(`${redactTokens(text)}\n`) }, process.env);
  if (typeof line === "number") return line;

  try {
    process.stdout.write(renderPreviewComment(readPreviewInput(line.positionals[0])));
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

if (require.main === module) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (error) {
    // A bug, not a user error: still one line, and never the input.
    process.stderr.write(`preview-comment failed unexpectedly: ${redactTokens(error instanceof Error ? error.message : String(error)).split("\n")[0]}\n`);
    process.exitCode = 1;
  }
}
