// The marker of the pipeline's merge-request note, and how the pipeline recognises its own earlier
// note by it: the comment's header, its leading lines that are HTML comments
// (`<!-- gitlab-push-tokens:preview-comment -->`, then `<!-- stack: dev -->`), which GitLab does not
// render. A body whose first line is not an HTML comment is identified by that first line alone. Pure
// functions: no I/O.

import { safeLine } from "./values";

/**
 * Fixed first line of every preview note (and of the offline plan note), so the code that upserts
 * merge-request notes can find the note written earlier instead of adding another.
 */
export const PREVIEW_COMMENT_MARKER = "<!-- gitlab-push-tokens:preview-comment -->";

/** Second line naming the stack, so each stack's note is found (and replaced) separately. */
export function stackMarker(stack: string): string {
  // One line, no token; "--" cannot appear inside an HTML comment, and "<" or ">" could open or close one.
  const safe = safeLine(stack, 200).replace(/--+/g, "-").replace(/[<>]/g, "_");
  return `<!-- stack: ${safe} -->`;
}

const HTML_COMMENT_LINE = /^<!--.*-->$/;

function lines(text: string): string[] {
  return text.split(/\r?\n/).map((line) => line.trimEnd());
}

/** The lines that identify a note with this body; empty when the body's first line is blank. */
export function markerOf(body: string): string[] {
  const all = lines(body);
  if (!all[0]?.trim()) return [];
  const header: string[] = [];
  for (const line of all) {
    if (!HTML_COMMENT_LINE.test(line.trim())) break;
    header.push(line);
  }
  return header.length > 0 ? header : [all[0]];
}

/** Whether `body` begins with exactly these lines (line endings and trailing blanks aside). */
export function startsWithMarker(body: string, marker: readonly string[]): boolean {
  if (marker.length === 0) return false;
  const head = lines(body).slice(0, marker.length);
  return head.length === marker.length && head.every((line, i) => line === marker[i].trimEnd());
}
