// What `npm run move-push-tokens` does: moves a stack's pushTokens out of Pulumi.<stack>.yaml into a
// declaration file of its own (config/declaration.ts), and puts pushTokensFile in their place. The
// tokens' text moves as the author wrote it (comments, quoting, order), only shifted left; comment
// lines right above the key go with it. Both results are parsed again and must hold exactly the
// same config as before, or nothing is written.

import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { isDeepStrictEqual } from "node:util";
import { isMap, isScalar, isSeq, parse, parseDocument, stringify, type Node, type Pair } from "yaml";
import { defaultDeclarationFile, PUSH_TOKENS_FILE_KEY } from "../../config/declaration";
import { UsageError } from "../../config/expiry";
import { parseOrUndefined, readStackDocument } from "./stackDocument";
import { blockEnd, columnOf, lineStart, nextLineStart } from "./textPositions";

export interface MoveRequest {
  readonly dir: string;
  readonly stack: string;
  /** `--file`: the declaration's path relative to `dir`; push-tokens/<stack>.yaml when absent. */
  readonly file?: string;
}

export interface MoveOutcome {
  /** The texts to write, checked. */
  readonly stackText: string;
  readonly declarationText: string;
  readonly declarationFile: string;
  readonly tokens: number;
}

/** Plans the move; throws a UsageError saying why it cannot be made. Writes nothing. */
export function planMove(request: MoveRequest): MoveOutcome & { readonly stackFile: string; readonly stackFileName: string } {
  const stack = readStackDocument(request.dir, request.stack, "move-push-tokens");
  const { text, fileName, project } = stack;
  const declarationFile = request.file ?? defaultDeclarationFile(request.stack);
  if (stack.raw.declaration) {
    throw new UsageError(`${fileName} already names a declaration file (pushTokensFile: ${stack.raw.declaration.file}): its tokens are there. Fix: nothing to move; edit that file`);
  }
  if (!/\.ya?ml$/.test(declarationFile) || path.isAbsolute(declarationFile) || declarationFile.split(/[\\/]/).includes("..")) {
    throw new UsageError(`--file ${JSON.stringify(declarationFile)} must be a .yaml file inside the project's folder, relative to it. Fix: e.g. --file push-tokens/${request.stack}.yaml`);
  }
  if (existsSync(path.resolve(request.dir, declarationFile))) {
    throw new UsageError(`${declarationFile} exists already; nothing was written. Fix: remove it, or pass --file with another path`);
  }

  const document = parseDocument(text);
  const config = document.get("config", true);
  const pairs = isMap(config) ? config.items.filter((pair) => isTokensKey(pair, project)) : [];
  if (pairs.length !== 1) {
    throw new UsageError(pairs.length === 0 ? `${fileName} declares no ${project}:pushTokens: there is nothing to move` : `${fileName} sets pushTokens twice: keep one, then run it again`);
  }
  const [pair] = pairs;
  const key = pair.key as Node & { value: string };
  const value = pair.value as Node | null;
  if (!isSeq(value)) throw new UsageError(`${fileName}: ${key.value} is not a list; nothing was written. Fix: write pushTokens as a YAML list, then run it again`);

  const newline = text.includes("\r\n") ? "\r\n" : "\n";
  const keyColumn = columnOf(text, key.range![0]);
  // The pair's lines: comment lines right above it at its indentation, its key line, its block.
  let start = lineStart(text, key.range![0]);
  while (start > 0) {
    const above = lineStart(text, start - 1);
    if (!new RegExp(`^ {${keyColumn}}#`).test(text.slice(above, start))) break;
    start = above;
  }
  const end = blockEnd(text, value, keyColumn);
  const keyLineEnd = nextLineStart(text, key.range![0]);
  const fileKey = key.value.includes(":") ? `${project}:${PUSH_TOKENS_FILE_KEY}` : PUSH_TOKENS_FILE_KEY;
  const stackText = `${text.slice(0, start)}${" ".repeat(keyColumn)}${fileKey}: ${declarationFile}${newline}${text.slice(end)}`;

  let declarationText: string;
  if (value.flow || lineStart(text, value.range![0]) < keyLineEnd) {
    // A list on the key's own line ({…} or […]): no layout to keep beyond its comments; written as YAML.
    // YAML 1.1 quoting, so that a date stays a quoted string for any reader.
    declarationText = stringify({ pushTokens: value.toJSON() }, { version: "1.1" });
  } else {
    const above = dedent(text.slice(start, lineStart(text, key.range![0])), keyColumn);
    const block = text.slice(keyLineEnd, end);
    const shift = Math.max(0, columnOf(text, value.range![0]) - 2);
    declarationText = `${above}pushTokens:${newline}${dedent(block, shift)}`;
  }

  // Checked as the readers will read them: the stack's other keys unchanged, the tokens identical.
  const before = parse(text) as { config: Record<string, unknown> };
  const expectedConfig = Object.fromEntries(Object.entries(before.config).flatMap(([name, held]) => (name === key.value ? [[fileKey, declarationFile]] : [[name, held]])));
  const after = parseOrUndefined(stackText) as { config?: unknown } | undefined;
  const declared = parseOrUndefined(declarationText) as { pushTokens?: unknown } | undefined;
  if (!isDeepStrictEqual(after, { ...before, config: expectedConfig }) || !isDeepStrictEqual(declared, { pushTokens: before.config[key.value] })) {
    throw new UsageError(`moving the tokens out of ${fileName} did not keep them exactly (its layout is one this command does not handle); nothing was written. Fix: move them by hand into ${declarationFile} under pushTokens: and set ${fileKey}: ${declarationFile}`);
  }
  return { stackText, declarationText, declarationFile, tokens: value.items.length, stackFile: stack.file, stackFileName: fileName };
}

/** Makes the move: the declaration file first, then the stack file. Returns the lines to print. */
export function movePushTokens(request: MoveRequest): string[] {
  const move = planMove(request);
  const target = path.resolve(request.dir, move.declarationFile);
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, move.declarationText, { flag: "wx" });
  writeFileSync(move.stackFile, move.stackText);
  return [
    `Moved ${move.tokens} push token${move.tokens === 1 ? "" : "s"} from ${move.stackFileName} to ${move.declarationFile}, comments and layout kept; ${move.stackFileName} now names it (pushTokensFile).`,
    `Commit both files: the program, npm run plan, expiry and rotate read the tokens from ${move.declarationFile} from now on.`,
  ];
}

function isTokensKey(pair: Pair, project: string): boolean {
  const key = isScalar(pair.key) && typeof pair.key.value === "string" ? pair.key.value : undefined;
  return key !== undefined && (key.includes(":") ? key : `${project}:${key}`) === `${project}:pushTokens`;
}

/** Each line with `columns` leading spaces removed (fewer where it has fewer: blank lines). */
function dedent(text: string, columns: number): string {
  if (columns === 0) return text;
  return text.replace(new RegExp(`^ {1,${columns}}`, "gm"), "");
}

