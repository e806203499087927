// Why a YAML file cannot be read, as a person fixing it needs it: the file, the line and column, and
// that line quoted with a caret under the spot. The `yaml` library's own pretty messages end in a
// colon and an excerpt that a one-line report cut off, and an alias whose anchor is missing only fails
// later, in toJS(), with neither file nor line; both are found here, before anything reads the values.

import { isAlias, LineCounter, parseDocument, visit, type Document, type Node } from "yaml";

/** The parsed document, or why `text` is not valid YAML (the message names `fileName`). */
export type YamlRead = { readonly document: Document.Parsed } | { readonly problem: string };

export function readYaml(fileName: string, text: string): YamlRead {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false });
  const found = yamlProblemOf(document);
  return found ? { problem: describe(fileName, text, lineCounter, found.offset, found.fix ? `${found.problem}. Fix: ${found.fix}` : found.problem) } : { document };
}

/** Where and why a parsed document cannot be used (a syntax error, or an alias without its anchor); undefined when it can. */
export function yamlProblemOf(document: Document.Parsed): { readonly offset: number; readonly problem: string; readonly fix?: string } | undefined {
  const [error] = document.errors;
  if (error) return { offset: error.pos[0], problem: sentence(error.message) };
  let unresolved: { offset: number; name: string } | undefined;
  visit(document, {
    Alias(_key, node) {
      if (isAlias(node) && node.resolve(document) === undefined) {
        unresolved = { offset: node.range?.[0] ?? 0, name: node.source };
        return visit.BREAK;
      }
      return undefined;
    },
  });
  if (!unresolved) return undefined;
  return { offset: unresolved.offset, problem: `the alias *${unresolved.name} names no anchor defined before it`, fix: `define &${unresolved.name} on an earlier value, or write the value out` };
}

/** The node's 1-based line in `text`, when the document was read with positions. */
export function lineOf(text: string, node: Node | undefined): number | undefined {
  const offset = node?.range?.[0];
  if (offset === undefined) return undefined;
  return text.slice(0, offset).split("\n").length;
}

function sentence(message: string): string {
  return message.replace(/\s+/g, " ").trim().replace(/\.$/, "");
}

function describe(fileName: string, text: string, lines: LineCounter, offset: number, problem: string): string {
  const { line, col } = lines.linePos(Math.min(offset, text.length));
  const all = text.split("\n").map((each) => each.replace(/\s+$/, ""));
  const width = String(line).length;
  const row = (number: number | "", body: string) => `  ${String(number).padStart(width)} | ${body}`;
  const quoted = all[line - 1] ?? "";
  let excerpt: string[];
  if (quoted !== "") {
    excerpt = [row(line, quoted), row("", `${" ".repeat(Math.max(0, col - 1))}^`)];
  } else {
    // A problem found where the text ends or on a blank line (a quote never closed): the line before it is the one to fix.
    const before = all.slice(0, line - 1).findLastIndex((each) => each !== "");
    excerpt = [...(before >= 0 ? [row(before + 1, all[before])] : []), row(line, line >= all.length ? "(end of file)" : "(blank line)")];
  }
  return `${fileName} is not valid YAML at line ${line}, column ${col}: ${problem}\n${excerpt.join("\n")}`;
}
