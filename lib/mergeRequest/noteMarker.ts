// How the pipeline recognises its own earlier merge-request note: by the comment's header, its leading
// lines that are HTML comments (`<!-- gitlab-push-tokens:preview-comment -->`, then `<!-- stack: dev -->`),
// which GitLab does not render. A body whose first line is not an HTML comment is identified by that
// first line alone. Pure functions: no I/O.

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
