// The preview document a command is pointed at: a file, or `-` for stdin, read and checked
// (previewDocument.ts). Any problem is a PreviewInputError that names the input and the fix.

import { readFileSync } from "node:fs";
import { parsePreviewJson, PreviewInputError, type PreviewDocument } from "./previewDocument";

export function readPreviewInput(input: string): PreviewDocument {
  const source = input === "-" ? "stdin" : input;
  let text: string;
  try {
    text = readFileSync(input === "-" ? 0 : input, "utf8");
  } catch (error) {
    throw new PreviewInputError(`cannot read ${source}: ${describeReadError(error)}`);
  }
  return parsePreviewJson(text, source);
}

function describeReadError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return "no such file";
  if (code === "EISDIR") return "it is a directory";
  if (code === "EACCES") return "permission denied";
  return code ?? "read failed";
}
