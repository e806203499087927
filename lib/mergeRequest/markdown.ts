// GitLab-flavoured Markdown building blocks that cannot be broken by what they quote: a `|` or a
// line break in a name stays inside its table cell, a backtick stays inside its code span, and text
// in a code span is never read as a mention (@user), a reference (#12, !3) or HTML.

import { safeLine } from "./values";

/**
 * `text` as an inline code span. The fence is one backtick longer than the longest run inside, and
 * padded with spaces when the text starts or ends with a backtick (CommonMark's rule for literals).
 */
export function code(text: string): string {
  const line = safeLine(text);
  if (line === "") return "` `";
  const longestRun = Math.max(0, ...[...line.matchAll(/`+/g)].map((match) => match[0].length));
  const fence = "`".repeat(longestRun + 1);
  const pad = line.startsWith("`") || line.endsWith("`") ? " " : "";
  return `${fence}${pad}${line}${pad}${fence}`;
}

/**
 * A table cell's content made safe: on one line, with `|` escaped. GitLab (like GFM) splits rows on
 * pipes before parsing inline code, so the escape is needed inside code spans too.
 */
export function cell(markdown: string): string {
  return markdown.replace(/\r\n|\r|\n/g, " ").replace(/\|/g, "\\|");
}

/** One table row from already-rendered cells. */
export function row(cells: readonly string[]): string {
  return `| ${cells.map(cell).join(" | ")} |`;
}

/** Header and delimiter rows of a table. */
export function tableHead(titles: readonly string[]): string {
  return `${row(titles)}\n| ${titles.map(() => "---").join(" | ")} |`;
}
