// Offsets in a YAML file's text, for the editors that splice into it (stackDocument, movePushTokens):
// line starts and ends, columns, and where a block of the document ends, its trailing comments
// included, so that an edit keeps every other byte of the file as it was.

import { isMap, isPair, isSeq, type Node } from "yaml";

export function lineStart(text: string, offset: number): number {
  return text.lastIndexOf("\n", offset - 1) + 1;
}

/** The offset just past the end of the line holding `offset` (its newline included). */
export function nextLineStart(text: string, offset: number): number {
  const newline = text.indexOf("\n", offset);
  return newline < 0 ? text.length : newline + 1;
}

export function columnOf(text: string, offset: number): number {
  return offset - lineStart(text, offset);
}

/** Where the last character of a node's content is, comments excluded. */
export function contentEnd(node: unknown): number {
  if ((isMap(node) || isSeq(node)) && !node.flow && node.items.length > 0) {
    const last = node.items[node.items.length - 1];
    return contentEnd(isPair(last) ? (last.value ?? last.key) : last);
  }
  return (node as Node).range![1];
}

/**
 * The offset just past the block a pair starts at `keyColumn`: its last content line, then any comment
 * lines indented deeper than the key right after it, which read as part of it.
 */
export function blockEnd(text: string, node: unknown, keyColumn: number): number {
  let end = nextLineStart(text, contentEnd(node) - 1);
  for (;;) {
    const line = text.slice(end, nextLineStart(text, end));
    const comment = /^( *)#/.exec(line);
    if (!comment || comment[1].length <= keyColumn) return end;
    end += line.length;
  }
}
