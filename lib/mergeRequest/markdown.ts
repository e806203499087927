// GitLab-flavoured Markdown building blocks that cannot be broken by what they quote: a `|` or a
// line break in a name stays inside its table cell, a backtick stays inside its code span, and text
// in a code span is never read as a mention (@user), a reference (#12, !3) or HTML.

import { safeLine, safeText } from "./values";

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

// CommonMark lets any ASCII punctuation be escaped with a backslash, and GitLab then reads the character
// as a literal, never as a reference (`@user`, `#12`, `!3`, `$4`, `%5`, `&6`, `~7`, `^8`: its
// MarkdownPreEscapeFilter). Only the characters that mean something to CommonMark or GitLab are escaped,
// so the raw note stays readable: an underscore inside a word (GITLAB_PUSHER_TOKEN) cannot emphasise.
const SIGNIFICANT = /[\\`*[\]<>#|~@!$%&^]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g;

/** One line of prose whose every character is shown as written: no emphasis, link, HTML or reference. */
export function prose(text: string): string {
  return safeLine(text, MAX_MESSAGE_LENGTH).replace(SIGNIFICANT, "\\$&");
}

/** The longest message a note quotes whole; longer ones are cut, saying so. */
export const MAX_MESSAGE_LENGTH = 10_000;
const MAX_MESSAGE_LINES = 200;

/**
 * A message as the body of a list item (indented under it): quoted prose when it is one line, a fenced
 * block when it has several, so that a multi-line error keeps its lines. Cut at MAX_MESSAGE_LENGTH
 * characters or MAX_MESSAGE_LINES lines, saying how much was left out.
 */
export function messageBody(message: string, indent = "  "): string {
  const lines = safeText(message)
    .replace(/\r\n?/g, "\n")
    .split("\n")
    .map((line) => line.replace(/\s+$/, ""));
  while (lines.length > 0 && lines[0].trim() === "") lines.shift();
  while (lines.length > 0 && lines[lines.length - 1].trim() === "") lines.pop();
  if (lines.length === 0) return `${indent}> _(no message)_`;
  if (lines.length === 1) return `${indent}> ${prose(lines[0])}`;
  const { kept, cut } = cutLines(lines);
  const fence = fenceFor(kept);
  const body = [`${fence}text`, ...kept, fence].map((line) => (line === "" ? "" : `${indent}${line}`));
  if (cut) body.push("", `${indent}_${cut}: see the job log._`);
  return body.join("\n");
}

/** A fence of backticks longer than any run inside `lines` (at least three), so no line can close it early. */
export function fenceFor(lines: readonly string[]): string {
  const longestRun = Math.max(0, ...lines.map((line) => Math.max(0, ...(line.match(/`+/g) ?? []).map((run) => run.length))));
  return "`".repeat(Math.max(3, longestRun + 1));
}

function cutLines(lines: readonly string[]): { kept: string[]; cut?: string } {
  const kept: string[] = [];
  let length = 0;
  for (const line of lines) {
    if (kept.length === MAX_MESSAGE_LINES || length + line.length > MAX_MESSAGE_LENGTH) {
      const left = lines.length - kept.length;
      return { kept, cut: `${left} more ${left === 1 ? "line" : "lines"} of this message not shown` };
    }
    kept.push(line);
    length += line.length + 1;
  }
  return { kept };
}
