// What the pipeline captured of `pulumi preview`: its output (a file, or `-` for stdin), told apart as
// the engine's event stream or the classic `--json` document, and optionally its stderr. Content that
// cannot be read is not an error here: the note says so (previewComment.ts), since a note must be
// posted even for a preview that printed nothing. Only a file that cannot be opened is an error.

import { readFileSync } from "node:fs";
import { parsePreviewJson, PreviewInputError } from "./previewDocument";
import { looksLikeEventStream, readEventStream } from "./previewEvents";
import { stderrErrors } from "./previewOutcome";
import type { PreviewCapture } from "./previewComment";
import { safeLine } from "./values";

export interface CaptureRequest {
  /** The output of `pulumi preview --json`: a path, or `-` for stdin. */
  readonly output: string;
  /** What `pulumi preview` printed on stderr: a path. */
  readonly stderr?: string;
  /** `pulumi preview`'s exit code. */
  readonly exitCode?: number;
}

/** Reads the capture; throws a PreviewInputError naming the file when one cannot be read. */
export function readPreviewCapture(request: CaptureRequest): PreviewCapture {
  const source = request.output === "-" ? "stdin" : request.output;
  const stderrErrorsFound = request.stderr === undefined ? undefined : stderrErrors(readText(request.stderr, request.stderr));
  return { ...capturePreviewText(readText(request.output === "-" ? 0 : request.output, source), source), ...(request.exitCode !== undefined && { exitCode: request.exitCode }), ...(stderrErrorsFound && { stderrErrors: stderrErrorsFound }) };
}

/** The preview's output, told apart and read; `source` names it in what the note says. */
export function capturePreviewText(text: string, source: string): PreviewCapture {
  const where = safeLine(source, 200);
  if (text.trim() === "") return { unreadable: `${where} is empty (\`pulumi preview\` printed nothing on stdout)` };
  if (looksLikeEventStream(text)) return { document: readEventStream(text) };
  try {
    return { document: parsePreviewJson(text, where) };
  } catch (error) {
    if (error instanceof PreviewInputError) return { unreadable: error.message };
    throw error;
  }
}

function readText(file: string | number, source: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    throw new PreviewInputError(`cannot read ${safeLine(source, 200)}: ${describeReadError(error)}`);
  }
}

function describeReadError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return "no such file";
  if (code === "EISDIR") return "it is a directory";
  if (code === "EACCES") return "permission denied";
  return code ?? "read failed";
}
