// The push tokens of a stack, declared in a YAML file of the repository (`pushTokensFile:
// push-tokens/<stack>.yaml` in the stack config) instead of under `pushTokens` in the stack config,
// whose whole text the Node.js host hands the program as one environment variable that Linux caps at
// 128 KiB (config/configSize.ts). Read here for the program and every command alike, so all of them
// see one declaration: the file's `pushTokens` is validated by validate.ts with the same schema as the
// stack config's, and every problem names the file and the line the `yaml` parser gives it.
//
// A declaration file holds one key:
//
//   pushTokens:
//     - name: GITLAB_CI_PUSHER
//       project: xlink/xlink-k8s-gitops
//       …

import { readFileSync } from "node:fs";
import * as path from "node:path";
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from "yaml";
import { yamlProblemOf } from "./yamlText";
import { describeValue, suggestKey, type ConfigIssue } from "./issues";

/** The stack-config key naming the declaration file, relative to the project's folder. */
export const PUSH_TOKENS_FILE_KEY = "pushTokensFile";
/** The one key of a declaration file. */
export const DECLARATION_KEYS = ["pushTokens"] as const;
/** Where `npm run move-push-tokens` puts a stack's declaration. */
export const defaultDeclarationFile = (stack: string) => `push-tokens/${stack}.yaml`;

export interface Declaration {
  /** The file as the stack config names it, e.g. `push-tokens/dev.yaml`. */
  readonly file: string;
  /** The file's `pushTokens`, as the YAML holds it; undefined when the file could not be read as a declaration. */
  readonly pushTokens?: unknown;
  /** What is wrong with the file itself (missing, not YAML, another shape), at the path pushTokensFile. */
  readonly issues: readonly ConfigIssue[];
  /** The line (from 1) of a config path such as `pushTokens[2].consumers[0].key` in the file, or of its nearest parent there. */
  lineOf(configPath: string): number | undefined;
}

/** Reads a file of the project: its text, or why it could not be read (`ENOENT`, `EISDIR`…). */
export type ReadProjectFile = (file: string) => { readonly text: string } | { readonly error: string };

/** Reads files relative to the project's folder `root`. */
export function projectFileReader(root: string): ReadProjectFile {
  return (file) => {
    try {
      return { text: readFileSync(path.resolve(root, file), "utf8") };
    } catch (error) {
      return { error: (error as NodeJS.ErrnoException).code ?? "unreadable" };
    }
  };
}

const NOWHERE = () => undefined;

/** The declaration a stack config's `pushTokensFile` value names, read with `read`. */
export function readDeclaration(value: unknown, read: ReadProjectFile): Declaration {
  const refused = refusePath(value);
  if (refused) return { file: typeof value === "string" ? value : "", issues: [refused], lineOf: NOWHERE };
  const file = value as string;
  const got = read(file);
  if ("error" in got) {
    const problem = got.error === "ENOENT" ? `${describeValue(file)} does not exist` : `${describeValue(file)} cannot be read (${got.error})`;
    return {
      file,
      issues: [{ path: PUSH_TOKENS_FILE_KEY, problem, fix: "correct the path (relative to the folder of Pulumi.yaml), or create the file with `npm run move-push-tokens -- --stack <stack>`, which moves pushTokens there from the stack config" }],
      lineOf: NOWHERE,
    };
  }
  return parseDeclaration(file, got.text);
}

/** A declaration from a file's text. */
export function parseDeclaration(file: string, text: string): Declaration {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const lineOf = (configPath: string) => lineOfPath(document, lines, configPath);
  const fileIssue = (problem: string, fix: string): Declaration => ({ file, issues: [{ path: PUSH_TOKENS_FILE_KEY, problem, fix }], lineOf });
  const broken = yamlProblemOf(document);
  if (broken) {
    const { line, col } = lines.linePos(broken.offset);
    return fileIssue(`${file} is not valid YAML at line ${line}, column ${col}: ${broken.problem}`, broken.fix ?? `correct the YAML of ${file}`);
  }
  const root = document.contents;
  if (!isMap(root)) {
    return fileIssue(`${file} holds ${root === null ? "nothing" : describeYaml(root)}, not a map with pushTokens`, `write the tokens under one key, pushTokens:, as a list, each item starting with '- name:'`);
  }
  const issues: ConfigIssue[] = [];
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : describeYaml(pair.key as Node);
    if ((DECLARATION_KEYS as readonly string[]).includes(key)) continue;
    const suggestion = suggestKey(key, DECLARATION_KEYS);
    const line = (pair.key as Node | null)?.range ? lines.linePos((pair.key as Node).range![0]).line : undefined;
    issues.push({
      path: PUSH_TOKENS_FILE_KEY,
      problem: `${file}${line === undefined ? "" : ` line ${line}`} has an unknown key ${describeValue(key)}`,
      fix: suggestion ? `rename it to ${suggestion}` : "remove it; a declaration file holds pushTokens only (the other settings stay in the stack config)",
    });
  }
  if (!root.has("pushTokens")) {
    issues.push({ path: PUSH_TOKENS_FILE_KEY, problem: `${file} declares no pushTokens`, fix: "write the tokens under pushTokens:, as a list, each item starting with '- name:'" });
    return { file, issues, lineOf };
  }
  return { file, pushTokens: (document.toJS() as Record<string, unknown>).pushTokens, issues, lineOf };
}

/** Why a pushTokensFile value is not a usable path, or undefined. */
function refusePath(value: unknown): ConfigIssue | undefined {
  const fix = "name a YAML file of the repository, relative to the folder of Pulumi.yaml, e.g. pushTokensFile: push-tokens/dev.yaml";
  if (typeof value !== "string" || value.trim() === "") return { path: PUSH_TOKENS_FILE_KEY, problem: `expected a file's path, got ${describeValue(value)}`, fix };
  if (path.isAbsolute(value) || value.split(/[\\/]/).includes("..")) {
    return { path: PUSH_TOKENS_FILE_KEY, problem: `${describeValue(value)} is outside the project's folder: every clone of the repository must find it`, fix };
  }
  if (!/\.ya?ml$/.test(value)) return { path: PUSH_TOKENS_FILE_KEY, problem: `${describeValue(value)} is not a .yaml file`, fix };
  return undefined;
}

function describeYaml(node: Node | null): string {
  if (isSeq(node)) return "a list";
  if (isMap(node)) return "a map";
  if (isScalar(node)) return describeValue(node.value);
  return "something else";
}

/** `pushTokens[2].consumers[0].key` → ["pushTokens", 2, "consumers", 0, "key"]. */
function segmentsOf(configPath: string): (string | number)[] {
  return [...configPath.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((match) => (match[2] !== undefined ? Number(match[2]) : match[1]));
}

/** The line of the deepest node of `configPath` the document holds: a missing key is reported where its parent is. */
function lineOfPath(document: Document, lines: LineCounter, configPath: string): number | undefined {
  const segments = segmentsOf(configPath);
  for (let length = segments.length; length > 0; length--) {
    const node = document.getIn(segments.slice(0, length), true) as Node | undefined;
    if (node && typeof node === "object" && node.range) {
      // A scalar's line is its key's, where the reader looks; a map or list starts on the line after its key.
      const parent = length > 1 ? (document.getIn(segments.slice(0, length - 1), true) as Node | undefined) : document.contents;
      const key = isMap(parent) ? parent.items.find((pair) => isScalar(pair.key) && pair.key.value === segments[length - 1])?.key : undefined;
      const at = (key as Node | undefined)?.range?.[0] ?? node.range[0];
      return lines.linePos(at).line;
    }
  }
  return undefined;
}
