import { safeLine } from "./values";

/**
 * Fixed first line of every preview note, so the code that upserts merge-request notes can find the
 * note this tool wrote earlier instead of adding another.
 */
export const PREVIEW_COMMENT_MARKER = "<!-- gitlab-push-tokens:preview-comment -->";

/** Second line naming the stack, so each stack's note is found (and replaced) separately. */
export function stackMarker(stack: string): string {
  // One line, no token; "--" cannot appear inside an HTML comment, and "<" or ">" could open or close one.
  const safe = safeLine(stack, 200).replace(/--+/g, "-").replace(/[<>]/g, "_");
  return `<!-- stack: ${safe} -->`;
}
