// Reads a Pulumi.<stack>.yaml for the expiry and rotate tools, with the declaration file it names
// (pushTokensFile), and edits the pushTokens where they are declared, in place.
//
// Edits are spliced into the original text at the positions the `yaml` package's Document reports,
// rather than re-stringifying the Document: that keeps every other byte (comments, key order, quoting,
// indentation, blank lines) exactly as the author wrote it. The edited text is then parsed again and
// must equal the intended config, or nothing is returned.

import * as path from "node:path";
import { isDeepStrictEqual } from "node:util";
import { isMap, isScalar, isSeq, parse, parseDocument, type Document, type Node, type Pair, type YAMLMap, type YAMLSeq } from "yaml";
import { projectFileReader, PUSH_TOKENS_FILE_KEY, type ReadProjectFile } from "../../config/declaration";
import { UsageError } from "../../config/expiry";
import { applyTokenChanges, type RetiringBlock, type TokenChange } from "../../config/rotation";
import { rawStackConfigOf } from "../../config/rawConfig";
import type { RawStackConfig } from "../../config/validate";
import { configMapOfText, offlinePulumiConfig, OfflineConfigError, readProjectName, readStackFile } from "./offlineConfig";
import { blockEnd, columnOf, lineStart, nextLineStart } from "./textPositions";

export interface StackDocument {
  /** The project name from Pulumi.yaml: the namespace of the config keys. */
  readonly project: string;
  /** `Pulumi.<stack>.yaml`. */
  readonly fileName: string;
  /** Where the file is. */
  readonly file: string;
  /** The folder of Pulumi.yaml, which a declaration file's path is relative to. */
  readonly dir: string;
  /** The file's text, byte for byte. */
  readonly text: string;
  /** The config as the program would see it, before validation (with the declaration file's tokens). */
  readonly raw: RawStackConfig;
  /** The file the tokens are declared in: the stack file itself, or the declaration file it names. */
  readonly tokens: TokensFile;
}

export interface TokensFile {
  /** As messages name it: `Pulumi.dev.yaml`, or the declaration's path as the config writes it (`push-tokens/dev.yaml`). */
  readonly fileName: string;
  readonly file: string;
  readonly text: string;
  /** True when the tokens are under the stack file's config (`gitlab-push-tokens:pushTokens`). */
  readonly inStackFile: boolean;
}

/** Reads the stack file of `stack` in `dir`; throws a UsageError with a one-line message when it cannot. */
export function readStackDocument(dir: string, stack: string, tool: string): StackDocument {
  const project = asUsageError(() => readProjectName(dir));
  const { file, fileName, text } = asUsageError(() => readStackFile(dir, stack));
  const raw = rawStackConfig(project, configMapOf(text, fileName), tool, dir);
  const declared = raw.declaration;
  // A declaration that cannot be read has its issues, which validation reports; the tokens then stay unedited.
  const declarationText = declared && declared.issues.length === 0 ? readTokensText(dir, declared.file) : undefined;
  const tokens: TokensFile =
    declared && declarationText !== undefined
      ? { fileName: declared.file, file: path.resolve(dir, declared.file), text: declarationText, inStackFile: false }
      : { fileName, file, text, inStackFile: true };
  return { project, fileName, file, dir, text, raw, tokens };
}

function readTokensText(dir: string, file: string): string | undefined {
  const read = projectFileReader(dir)(file);
  return "text" in read ? read.text : undefined;
}

/** The `config:` map of a stack file's text. */
export function configMapOf(text: string, fileName: string): Record<string, unknown> {
  return asUsageError(() => configMapOfText(text, fileName));
}

// The CLIs here report UsageErrors as they are (exit 1): the shared readers' errors are such errors.
function asUsageError<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    throw error instanceof OfflineConfigError ? new UsageError(error.message) : error;
  }
}

/**
 * The config as infra/stackConfig.ts reads it at `pulumi up`: through the CLI's encoding
 * (lib/stackFile/offlineConfig.ts), then decoded, with the declaration file read from `dir` (or by
 * `readFile`). Encrypted values other than the API token cannot be read offline.
 */
export function rawStackConfig(project: string, configMap: Record<string, unknown>, tool: string, dir?: string, readFile?: ReadProjectFile): RawStackConfig {
  const { config, secretKeys } = asUsageError(() => offlinePulumiConfig(project, configMap, tool));
  return rawStackConfigOf(project, config, (key) => secretKeys.includes(key), readFile ?? (dir === undefined ? undefined : projectFileReader(dir)));
}

/** The config of `stack` as it would read with its tokens file's text replaced by `tokensText`: how an edit is checked before it is written. */
export function rawStackConfigWith(stack: StackDocument, tokensText: string, tool: string): RawStackConfig {
  if (stack.tokens.inStackFile) return rawStackConfig(stack.project, configMapOf(tokensText, stack.fileName), tool, stack.dir);
  const disk = projectFileReader(stack.dir);
  const edited = path.resolve(stack.dir, stack.tokens.fileName);
  return rawStackConfig(stack.project, configMapOf(stack.text, stack.fileName), tool, stack.dir, (file) => (path.resolve(stack.dir, file) === edited ? { text: tokensText } : disk(file)));
}

/** A replacement of `text.slice(start, end)`. */
interface Splice {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/**
 * `stack.text` with `changes` applied to its pushTokens. Throws when a change needs a structure this
 * editor does not write (a pair added to or removed from a flow-style `{…}` token), or when the result
 * would not parse back to exactly the intended config.
 */
export function editPushTokens(stack: StackDocument, changes: readonly TokenChange[]): string {
  const { text, fileName, inStackFile } = stack.tokens;
  const document = parseDocument(text);
  const { at, tokens } = inStackFile ? pushTokensNode(document, stack.project, fileName) : declaredTokensNode(document, fileName);
  const layout = { newline: text.includes("\r\n") ? "\r\n" : "\n", unit: inStackFile ? indentUnit(document, text) : declarationIndentUnit(tokens, text) };

  const splices: Splice[] = [];
  for (const change of changes) {
    const token = tokens.items[change.tokenIndex];
    if (!isMap(token)) throw new UsageError(`${fileName}: pushTokens[${change.tokenIndex}] is not a map`);
    const where = `${fileName}: pushTokens[${change.tokenIndex}]`;
    if (change.expiresAt !== undefined) splices.push(replaceDate(pairOf(token, "expiresAt", where), change.expiresAt));
    if (change.retiring === undefined) continue;
    const retiring = token.items.find((pair) => keyOf(pair) === "retiring");
    if (retiring && change.retiring) {
      splices.push(replaceRetiring(retiring, change.retiring, text, layout.newline));
    } else if (token.flow) {
      throw new UsageError(`${where} is written in flow style ({…}), where rotate cannot add or remove retiring: write that token in block style (one key per line) and run it again`);
    } else if (retiring) {
      splices.push(removePair(retiring, text));
    } else if (change.retiring) {
      splices.push(appendRetiring(token, change.retiring, text, layout));
    }
  }

  const edited = applySplices(text, splices);
  const expected = parse(text) as Record<string, Record<string, unknown>>;
  const holder = at.length === 2 ? expected[at[0]] : (expected as Record<string, unknown>);
  const key = at[at.length - 1];
  holder[key] = applyTokenChanges(holder[key] as unknown[], changes);
  if (!isDeepStrictEqual(parseOrUndefined(edited), expected)) {
    throw new UsageError(`editing ${fileName} did not produce the intended config (its layout is one this editor does not handle); nothing was written: edit it by hand`);
  }
  return edited;
}

/** The value of a YAML text, or undefined when it does not parse: for checking an edit's result. */
export function parseOrUndefined(text: string): unknown {
  try {
    return parse(text);
  } catch {
    return undefined;
  }
}

// --- locating nodes ---------------------------------------------------------------------------

function configNode(document: Document, fileName: string): YAMLMap {
  const config = document.get("config", true);
  if (!isMap(config)) throw new UsageError(`${fileName}: 'config' must be a map of keys to values`);
  return config;
}

/** The key holding pushTokens, namespaced (`gitlab-push-tokens:pushTokens`) or bare, as the CLI accepts both. */
function tokensKey(document: Document, project: string, fileName: string): string {
  const keys = configNode(document, fileName)
    .items.map((pair) => keyOf(pair))
    .filter((key): key is string => key !== undefined && (key.includes(":") ? key : `${project}:${key}`) === `${project}:pushTokens`);
  if (keys.length !== 1) {
    throw new UsageError(keys.length === 0 ? `${fileName} declares no ${project}:pushTokens` : `${fileName} sets pushTokens twice (${keys.join(" and ")}): keep one`);
  }
  return keys[0];
}

/** The pushTokens list of a stack file and where it is (`config`, then its key). */
function pushTokensNode(document: Document, project: string, fileName: string): { at: string[]; tokens: YAMLSeq } {
  const key = tokensKey(document, project, fileName);
  const tokens = configNode(document, fileName).get(key, true);
  if (!isSeq(tokens)) throw new UsageError(`${fileName}: ${key} is not a list`);
  return { at: ["config", key], tokens };
}

/** The pushTokens list of a declaration file. */
function declaredTokensNode(document: Document, fileName: string): { at: string[]; tokens: YAMLSeq } {
  const tokens = isMap(document.contents) ? document.contents.get("pushTokens", true) : undefined;
  if (!isSeq(tokens)) throw new UsageError(`${fileName}: pushTokens is not a list`);
  return { at: ["pushTokens"], tokens };
}

/** The indentation step of a declaration file: how far its token list is indented under pushTokens (2 when it is not). */
function declarationIndentUnit(tokens: YAMLSeq, text: string): string {
  const column = tokens.range && !tokens.flow ? columnOf(text, tokens.range[0]) : 0;
  return " ".repeat(column > 0 ? column : 2);
}

function keyOf(pair: Pair): string | undefined {
  return isScalar(pair.key) && typeof pair.key.value === "string" ? pair.key.value : undefined;
}

function pairOf(map: YAMLMap, key: string, where: string): Pair {
  const pair = map.items.find((item) => keyOf(item) === key);
  if (!pair) throw new UsageError(`${where} has no ${key}`);
  return pair;
}

/** The indentation step of the file: how far the keys under `config:` are indented (2 when unclear). */
function indentUnit(document: Document, text: string): string {
  const config = document.get("config", true) as Node | undefined;
  const column = config?.range && !(isMap(config) && config.flow) ? columnOf(text, config.range[0]) : 0;
  return " ".repeat(column > 0 ? column : 2);
}

// --- edits ------------------------------------------------------------------------------------

/** Replaces a date, keeping single quotes if the author used them and quoting it otherwise. */
function replaceDate(pair: Pair, date: string): Splice {
  const value = pair.value as Node;
  const quoted = isScalar(value) && value.type === "QUOTE_SINGLE" ? `'${date}'` : `"${date}"`;
  return { start: value.range![0], end: value.range![1], text: quoted };
}

function retiringLines(retiring: RetiringBlock, indent: string, newline: string): string {
  return `${indent}expiresAt: "${retiring.expiresAt}"${newline}${indent}revokeAfter: "${retiring.revokeAfter}"${newline}`;
}

/** Replaces the whole value of `retiring` (fields of the dropped generation go with it); comments above and on the key line stay. */
function replaceRetiring(pair: Pair, retiring: RetiringBlock, text: string, newline: string): Splice {
  const value = pair.value as Node;
  if (!isMap(value) || value.flow) {
    return { start: value.range![0], end: value.range![1], text: `{expiresAt: "${retiring.expiresAt}", revokeAfter: "${retiring.revokeAfter}"}` };
  }
  const key = pair.key as Node;
  const start = nextLineStart(text, key.range![1]);
  const end = blockEnd(text, value, columnOf(text, key.range![0]));
  return { start, end, text: retiringLines(retiring, " ".repeat(columnOf(text, value.range![0])), newline) };
}

/** Removes a pair's lines, with the comment lines right above it at its indentation: they describe it. */
function removePair(pair: Pair, text: string): Splice {
  const key = pair.key as Node;
  const keyColumn = columnOf(text, key.range![0]);
  let start = lineStart(text, key.range![0]);
  while (start > 0) {
    const above = lineStart(text, start - 1);
    if (!new RegExp(`^ {${keyColumn}}#`).test(text.slice(above, start))) break;
    start = above;
  }
  return { start, end: blockEnd(text, pair.value, keyColumn), text: "" };
}

/** Adds a retiring block as the token's last key, as the config reference writes it. */
function appendRetiring(token: YAMLMap, retiring: RetiringBlock, text: string, layout: { readonly newline: string; readonly unit: string }): Splice {
  const last = token.items[token.items.length - 1];
  const keyColumn = columnOf(text, (last.key as Node).range![0]);
  const at = blockEnd(text, last.value ?? last.key, keyColumn);
  const indent = " ".repeat(keyColumn);
  const missingNewline = at === text.length && text.length > 0 && !text.endsWith("\n") ? layout.newline : "";
  return { start: at, end: at, text: `${missingNewline}${indent}retiring:${layout.newline}${retiringLines(retiring, indent + layout.unit, layout.newline)}` };
}

function applySplices(text: string, splices: readonly Splice[]): string {
  const ordered = [...splices].sort((a, b) => b.start - a.start);
  return ordered.reduce((result, splice) => result.slice(0, splice.start) + splice.text + result.slice(splice.end), text);
}

/**
 * The file `stack`'s tokens are declared in, relative to `dir`: the declaration file its stack file
 * names (pushTokensFile), else the stack file itself. For propose-rotation, which commits the file
 * rotate edited; a stack file it cannot read is left to the caller to report.
 */
export function tokensFileName(dir: string, stack: string): string {
  const fileName = `Pulumi.${stack}.yaml`;
  let project = "gitlab-push-tokens";
  try {
    project = readProjectName(dir);
  } catch {
    // No Pulumi.yaml beside it: the project's own namespace.
  }
  try {
    const configMap = configMapOfText(readStackFile(dir, stack).text, fileName);
    const named = Object.entries(configMap).find(([key]) => key === PUSH_TOKENS_FILE_KEY || key === `${project}:${PUSH_TOKENS_FILE_KEY}`)?.[1];
    return typeof named === "string" ? named : fileName;
  } catch {
    return fileName;
  }
}
