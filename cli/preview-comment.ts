// `npm run preview-comment -- <preview output | -> --stack <name> [--exit-code <n>] [--stderr <file>]`
//
// Reads what `pulumi preview --json` printed — the engine's events (PULUMI_ENABLE_STREAMING_JSON_PREVIEW=1,
// which carry the policy packs' verdict) or the classic document — and writes the merge-request note
// for it, GitLab-flavoured Markdown, to stdout. A note is written whatever the preview's output holds,
// even nothing, so that the pipeline posts one for every preview. Exit 0 with the note; 2 with the note
// when the output was empty, unreadable, cut short or of another stack (one line on stderr says which);
// 1 with one line on stderr and no note for a usage error or a file that cannot be read.

import { parseArgs } from "node:util";
import { redactTokens } from "../config/issues";
import { inputProblems, renderPreviewComment } from "../lib/mergeRequest/previewComment";
import { PreviewInputError } from "../lib/mergeRequest/previewDocument";
import { readPreviewCapture } from "../lib/mergeRequest/previewInput";

const USAGE = "usage: npm run preview-comment -- <preview output | -> --stack <name> [--exit-code <n>] [--stderr <file>]";
const HELP = `${USAGE}

Writes the merge-request note for one \`pulumi preview --json\` to stdout.

  <preview output | ->  what \`pulumi preview --json\` printed: the engine's events, one a line (with
                        PULUMI_ENABLE_STREAMING_JSON_PREVIEW=1, which hold the policy packs' verdict),
                        or the classic document; - reads stdin
  --stack <name>        the stack previewed; the note's marker names it, so each stack keeps its own note
  --exit-code <n>       the exit code \`pulumi preview\` ended with, so the note never calls a failed
                        preview passed, even when its output says nothing
  --stderr <file>       what \`pulumi preview\` printed on stderr: its errors go into the note (the engine
                        prints some, such as a provider that cannot start, only there)

Exit codes: 0 note written; 2 note written, but the output was empty, unreadable, cut short or of another
stack; 1 usage error or unreadable file, nothing written.

Example (the pipeline's preview job):
  PULUMI_ENABLE_STREAMING_JSON_PREVIEW=1 pulumi preview --stack dev --json > preview.jsonl 2> preview-stderr.txt
  npm run --silent preview-comment -- preview.jsonl --stack dev --exit-code $? --stderr preview-stderr.txt > comment.md`;

/** The note was written, but does not tell the whole preview. */
const INCOMPLETE_INPUT = 2;

function main(argv: string[]): number {
  let positionals: string[];
  let values: { stack?: string; "exit-code"?: string; stderr?: string; help?: boolean };
  try {
    ({ positionals, values } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { stack: { type: "string" }, "exit-code": { type: "string" }, stderr: { type: "string" }, help: { type: "boolean", short: "h" } },
    }));
  } catch (error) {
    return fail(`${(error as Error).message}\n${USAGE}`);
  }
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  if (positionals.length !== 1) return fail(`expected one preview output, got ${positionals.length}\n${USAGE}`);
  if (!values.stack) return fail(`--stack is required: the note must name the stack it previews, e.g. --stack "$STACK"\n${USAGE}`);
  const exitCodeText = values["exit-code"];
  if (exitCodeText !== undefined && !(/^(?:0|[1-9]\d{0,2})$/.test(exitCodeText) && Number(exitCodeText) <= 255)) return fail(`--exit-code ${JSON.stringify(exitCodeText.slice(0, 20))} is not an exit code (0 to 255); pass $? of pulumi preview\n${USAGE}`);

  let capture;
  try {
    capture = readPreviewCapture({ output: positionals[0], stderr: values.stderr, exitCode: exitCodeText === undefined ? undefined : Number(exitCodeText) });
  } catch (error) {
    if (error instanceof PreviewInputError) return fail(error.message);
    throw error;
  }
  process.stdout.write(renderPreviewComment(capture, { stack: values.stack }));
  const problems = inputProblems(capture, values.stack);
  if (problems.length === 0) return 0;
  process.stderr.write(`preview-comment: wrote a note that says so, but ${redactTokens(problems.join("; "))}\n`);
  return INCOMPLETE_INPUT;
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
