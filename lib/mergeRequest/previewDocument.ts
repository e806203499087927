// The document `pulumi preview --json` prints (pulumi/pulumi sdk/go pkg/display: PreviewDigest), read
// and checked. Only what the note uses is kept: states keep their type, parent and inputs, never their
// outputs, so nothing else from a state can reach the note. Pure.

import { safeLine } from "./values";
import { parseUrn, type ParsedUrn } from "./urn";

export interface ResourceState {
  /** The resource's type token, e.g. `gitlab:index/projectAccessToken:ProjectAccessToken`. */
  readonly type?: string;
  /** URN of the parent resource. */
  readonly parent?: string;
  /** The resource's inputs, with secrets as "[secret]" and unknowns as the unknown sentinel. */
  readonly inputs: Readonly<Record<string, unknown>>;
}

export interface PreviewStep {
  /** The engine's operation: create, update, delete, replace, same, import, read, discard, … */
  readonly op: string;
  /** The resource's URN as the document has it. */
  readonly urn: string;
  /** Its stack, project, type and logical name. */
  readonly parsed: ParsedUrn;
  /** State before the step (absent for creates). */
  readonly oldState?: ResourceState;
  /** State after the step (absent for deletes). */
  readonly newState?: ResourceState;
  /** Properties that differ. */
  readonly diffReasons: readonly string[];
  /** Properties that force a replacement. */
  readonly replaceReasons: readonly string[];
  /** Property paths of the detailed diff, when the provider gave one. */
  readonly detailedDiffPaths: readonly string[];
}

export interface PreviewDiagnostic {
  /** The resource the message is about, if any. */
  readonly urn?: string;
  /** The message, as the CLI printed it (colour markup already removed by the CLI, ANSI maybe not). */
  readonly message: string;
  /** debug, info, info#err, warning or error. */
  readonly severity: string;
  /** A prefix the message was logged with, when the document keeps it apart. */
  readonly prefix?: string;
}

export interface PreviewDocument {
  /** Every step the CLI listed, in the document's order. */
  readonly steps: readonly PreviewStep[];
  /** Messages logged during the preview, in the document's order. */
  readonly diagnostics: readonly PreviewDiagnostic[];
  /** Count per operation, when the preview finished and reported one. */
  readonly changeSummary?: Readonly<Record<string, number>>;
  /** The engine's flag that some resource may be corrupt. */
  readonly maybeCorrupt: boolean;
}

/** The input is not a preview document; the message is one line, names where, and never holds a value. */
export class PreviewInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PreviewInputError";
  }
}

const NOT_A_PREVIEW = "is not the output of `pulumi preview --json`";

/** Parses and checks the text of a preview document; `source` names it in errors ("stdin", a path). */
export function parsePreviewJson(text: string, source: string): PreviewDocument {
  const where = safeLine(source, 200);
  if (text.trim() === "") throw new PreviewInputError(`${where} is empty: expected the output of \`pulumi preview --json\``);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    if (looksLikeEventStream(text)) {
      throw new PreviewInputError(`${where} holds a stream of engine events, not a preview document: unset PULUMI_ENABLE_STREAMING_JSON_PREVIEW and run \`pulumi preview --json\` again`);
    }
    throw new PreviewInputError(`${where} is not valid JSON${describeJsonError(error, text)}`);
  }
  return toPreviewDocument(value, where);
}

/** Checks an already-parsed value; `where` names it in errors. */
export function toPreviewDocument(value: unknown, where: string): PreviewDocument {
  if (!isObject(value)) throw new PreviewInputError(`${where} ${NOT_A_PREVIEW}: expected a JSON object, found ${kindOf(value)}`);
  if (!("steps" in value) && !("changeSummary" in value) && !("diagnostics" in value)) {
    throw new PreviewInputError(`${where} ${NOT_A_PREVIEW}: it has none of steps, changeSummary and diagnostics`);
  }
  const steps = optionalArray(value.steps, "steps", where).map((step, index) => readStep(step, `steps[${index}]`, where));
  const diagnostics = optionalArray(value.diagnostics, "diagnostics", where).map((diagnostic, index) => readDiagnostic(diagnostic, `diagnostics[${index}]`, where));
  return { steps, diagnostics, changeSummary: readChangeSummary(value.changeSummary, where), maybeCorrupt: value.maybeCorrupt === true };
}

function readStep(value: unknown, path: string, where: string): PreviewStep {
  if (!isObject(value)) throw invalid(where, path, `should be an object, found ${kindOf(value)}`);
  if (typeof value.op !== "string" || value.op === "") throw invalid(where, `${path}.op`, "should be an operation name such as create or update");
  if (typeof value.urn !== "string") throw invalid(where, `${path}.urn`, "should be a URN string");
  const parsed = parseUrn(value.urn);
  if (!parsed) throw invalid(where, `${path}.urn`, "is not a Pulumi URN (urn:pulumi:<stack>::<project>::<type>::<name>)");
  return {
    op: value.op,
    urn: value.urn,
    parsed,
    oldState: readState(value.oldState, `${path}.oldState`, where),
    newState: readState(value.newState, `${path}.newState`, where),
    diffReasons: stringList(value.diffReasons, `${path}.diffReasons`, where),
    replaceReasons: stringList(value.replaceReasons, `${path}.replaceReasons`, where),
    detailedDiffPaths: readDetailedDiff(value.detailedDiff, `${path}.detailedDiff`, where),
  };
}

function readState(value: unknown, path: string, where: string): ResourceState | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) throw invalid(where, path, `should be an object, found ${kindOf(value)}`);
  if (value.type !== undefined && typeof value.type !== "string") throw invalid(where, `${path}.type`, "should be a type token string");
  if (value.parent !== undefined && typeof value.parent !== "string") throw invalid(where, `${path}.parent`, "should be a URN string");
  if (value.inputs !== undefined && value.inputs !== null && !isObject(value.inputs)) throw invalid(where, `${path}.inputs`, `should be an object, found ${kindOf(value.inputs)}`);
  return { type: value.type, parent: value.parent, inputs: isObject(value.inputs) ? value.inputs : {} };
}

function readDetailedDiff(value: unknown, path: string, where: string): string[] {
  if (value === undefined || value === null) return [];
  if (!isObject(value)) throw invalid(where, path, `should be an object, found ${kindOf(value)}`);
  return Object.keys(value).sort();
}

function readDiagnostic(value: unknown, path: string, where: string): PreviewDiagnostic {
  if (!isObject(value)) throw invalid(where, path, `should be an object, found ${kindOf(value)}`);
  for (const field of ["urn", "prefix", "message", "severity"] as const) {
    if (value[field] !== undefined && value[field] !== null && typeof value[field] !== "string") throw invalid(where, `${path}.${field}`, "should be a string");
  }
  const text = (field: string) => (typeof value[field] === "string" && value[field] !== "" ? (value[field] as string) : undefined);
  return { urn: text("urn"), prefix: text("prefix"), message: text("message") ?? "", severity: text("severity") ?? "info" };
}

function readChangeSummary(value: unknown, where: string): Record<string, number> | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) throw invalid(where, "changeSummary", `should be an object of counts, found ${kindOf(value)}`);
  const counts: Record<string, number> = {};
  for (const [op, count] of Object.entries(value)) {
    if (typeof count !== "number" || !Number.isInteger(count) || count < 0) throw invalid(where, `changeSummary.${safeLine(op, 60)}`, "should be a count (a whole number, 0 or more)");
    counts[op] = count;
  }
  return counts;
}

function stringList(value: unknown, path: string, where: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((item) => typeof item !== "string")) throw invalid(where, path, "should be a list of property names");
  return value as string[];
}

function optionalArray(value: unknown, path: string, where: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw invalid(where, path, `should be a list, found ${kindOf(value)}`);
  return value;
}

function invalid(where: string, path: string, problem: string): PreviewInputError {
  return new PreviewInputError(`${where} ${NOT_A_PREVIEW}: ${path} ${problem}`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

// Streamed previews (PULUMI_ENABLE_STREAMING_JSON_PREVIEW) print one engine event per line.
function looksLikeEventStream(text: string): boolean {
  const firstLine = text.trimStart().split("\n", 1)[0];
  try {
    const event: unknown = JSON.parse(firstLine);
    return isObject(event) && "sequence" in event && "timestamp" in event;
  } catch {
    return false;
  }
}

// V8's messages can quote the input (which may hold a token), so only the position is reported.
function describeJsonError(error: unknown, text: string): string {
  const message = error instanceof Error ? error.message : "";
  const position = /at position (\d+)/.exec(message);
  const offset = position ? Number(position[1]) : undefined;
  if (/Unexpected end of JSON input/.test(message) || (offset !== undefined && offset >= text.trimEnd().length)) return ": it ends early (truncated?)";
  if (offset === undefined) return "";
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  const column = offset - before.lastIndexOf("\n");
  return ` (line ${line}, column ${column})`;
}
