// `npm run preview-comment -- <preview output | -> --stack <name> [--exit-code <n>] [--stderr <file>]`
//
// Reads what `pulumi preview --json` printed — the engine's events (PULUMI_ENABLE_STREAMING_JSON_PREVIEW=1,
// which carry the policy packs' verdict) or the classic document — and writes the merge-request note
// for it, GitLab-flavoured Markdown, to stdout. A note is written whatever the preview's output holds,
// even nothing, so that the pipeline posts one for every preview. Exit 0 with the note; 2 with the note
// when the output was empty, unreadable, cut short or of another stack (one line on stderr says which);
// 1 with one line on stderr and no note for a usage error or a file that cannot be read.

import { redactTokens } from "../config/issues";
import { readCommandLine, usageError, type CommandSpec } from "../lib/command/commandLine";
import { inputProblems, renderPreviewComment } from "../lib/mergeRequest/previewComment";
import { PreviewInputError } from "../lib/mergeRequest/previewDocument";
import { readPreviewCapture } from "../lib/mergeRequest/previewInput";

export const PREVIEW_COMMENT: CommandSpec = {
  name: "preview-comment",
  usage: ["-- <preview output | -> --stack <name> [--exit-code <n>] [--stderr <file>]"],
  summary: [
    "Writes the merge-request note for one pulumi preview --json to stdout, as GitLab Markdown: what stopped the",
    "preview (the policy pack, the program or a provider), the policy packs' verdict, the counts, what needs",
    "attention, one sentence per GitLab token or variable, every change and the diagnostics.",
  ].join("\n"),
  positional: {
    name: "<preview output | ->",
    description:
      "what pulumi preview --json printed: the engine's events, one a line (with PULUMI_ENABLE_STREAMING_JSON_PREVIEW=1, which hold the policy packs' verdict), or the classic document; - reads stdin",
  },
  options: {
    stack: { type: "string", value: "<name>", description: "the stack previewed (required); the note's marker names it, so each stack keeps its own note", example: '--stack "$STACK"' },
    "exit-code": {
      type: "string",
      value: "<n>",
      description: "the exit code pulumi preview ended with, so the note never calls a failed preview passed, even when its output says nothing",
      example: '--exit-code "$preview_status"',
    },
    stderr: {
      type: "string",
      value: "<file>",
      description: "what pulumi preview printed on stderr: its errors go into the note (the engine prints some, such as a provider that cannot start, only there)",
      example: "--stderr preview-stderr.txt",
    },
  },
  examples: [
    "npm run --silent preview-comment -- preview.jsonl --stack dev --exit-code 0 --stderr preview-stderr.txt > comment.md",
    "pulumi preview --json | npm run --silent preview-comment -- - --stack dev",
  ],
  exitCodes: "0 the note is on stdout; 2 the note is on stdout, but the output was empty, unreadable, cut short or of another stack; 1 a usage error or a file that cannot be read, nothing written.",
};

/** The note was written, but does not tell the whole preview. */
const INCOMPLETE_INPUT = 2;

const stderrPrinter = { out: (text: string) => process.stdout.write(`${text}\n`), err: (text: string) => process.stderr.write(`${redactTokens(text)}\n`) };

function main(argv: string[]): number {
  const line = readCommandLine(PREVIEW_COMMENT, argv, stderrPrinter, process.env);
  if (typeof line === "number") return line;
  const stack = line.values.stack;
  if (typeof stack !== "string" || stack === "") return usageError(PREVIEW_COMMENT, '--stack is required: the note must name the stack it previews. Fix: pass --stack "$STACK"', stderrPrinter);
  const exitCodeText = line.values["exit-code"] as string | undefined;
  if (exitCodeText !== undefined && !(/^(?:0|[1-9]\d{0,2})$/.test(exitCodeText) && Number(exitCodeText) <= 255)) {
    return usageError(PREVIEW_COMMENT, `--exit-code ${JSON.stringify(exitCodeText.slice(0, 20))} is not an exit code (0 to 255). Fix: pass $? of pulumi preview`, stderrPrinter);
  }

  let capture;
  try {
    capture = readPreviewCapture({ output: line.positionals[0], stderr: line.values.stderr as string | undefined, exitCode: exitCodeText === undefined ? undefined : Number(exitCodeText) });
  } catch (error) {
    if (error instanceof PreviewInputError) return fail(error.message);
    throw error;
  }
  process.stdout.write(renderPreviewComment(capture, { stack }));
  const problems = inputProblems(capture, stack);
  if (problems.length === 0) return 0;
  process.stderr.write(`preview-comment: wrote a note that says so, but ${redactTokens(problems.join("; "))}\n`);
  return INCOMPLETE_INPUT;
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
