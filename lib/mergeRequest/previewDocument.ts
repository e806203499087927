// What the note is made from, whichever way the preview was captured, and the classic document
// `pulumi preview --json` prints (pulumi/pulumi pkg/display: PreviewDigest), read and checked with zod.
// The event stream (`PULUMI_ENABLE_STREAMING_JSON_PREVIEW=1`) is read into the same shape by
// previewEvents.ts. Only what the note uses is kept: states keep their type, parent and inputs, never
// their outputs, so nothing else from a state can reach the note. Pure.

import { z } from "zod";
import { diagnosticSchema, firstProblem, kindOf, stateSchema, type StateMetadata } from "./engineEventSchema";
import type { PolicyResults } from "./policyResults";
import { safeLine } from "./values";
import { parseUrn, type ParsedUrn } from "./urn";

export interface ResourceState {
  /** The resource's type token, e.g. `gitlab:index/projectAccessToken:ProjectAccessToken`. */
  readonly type?: string;
  /** URN of the parent resource. */
  readonly parent?: string;
  /** True for a resource a provider manages (not a component or the stack). */
  readonly custom?: boolean;
  /** The resource's inputs, with secrets as "[secret]" (or wrapped) and unknowns as the unknown sentinel. */
  readonly inputs: Readonly<Record<string, unknown>>;
}

export interface PreviewStep {
  /** The engine's operation: create, update, delete, replace, same, import, read, discard, … */
  readonly op: string;
  /** The resource's URN as the input has it. */
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
  /** A prefix the message was logged with, when the input keeps it apart. */
  readonly prefix?: string;
  /** Where it was read: the preview's output, or its stderr (`--stderr`). */
  readonly from?: "stderr";
}

/** What the note is made from. */
export interface PreviewDocument {
  /** The classic `--json` document, or the engine's event stream. */
  readonly source: "document" | "events";
  /** Every step, in the input's order. */
  readonly steps: readonly PreviewStep[];
  /** Messages logged during the preview, in the input's order (debug and ephemeral ones left out). */
  readonly diagnostics: readonly PreviewDiagnostic[];
  /** Count per operation, when the preview finished and reported one. */
  readonly changeSummary?: Readonly<Record<string, number>>;
  /** The engine's flag that some resource may be corrupt. */
  readonly maybeCorrupt: boolean;
  /** What the policy packs reported; absent when the input cannot carry it (the classic document). */
  readonly policy?: PolicyResults;
  /** The engine's verdict (`succeeded`, `failed`, `canceled`), when the input carries it (the event stream). */
  readonly result?: string;
  /** False when the input stops before the engine's end (an event stream without its summary). */
  readonly complete: boolean;
  /** Resources whose operation failed (resOpFailedEvent), by URN. */
  readonly failedResources: readonly string[];
  /** What could not be read and was left out (one line each, no value quoted). */
  readonly readProblems: readonly string[];
}

/** The input is not a preview; the message is one line, names where, and never holds a value. */
export class PreviewInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PreviewInputError";
  }
}

const NOT_A_PREVIEW = "is not the output of `pulumi preview --json`";

const found = (expected: string) => ({ error: (issue: { input?: unknown }) => `should be ${expected}, found ${kindOf(issue.input)}` });
const propertyNames = z.array(z.string(found("a property name")), found("a list of property names")).nullish();
const COUNT = "should be a count (a whole number, 0 or more)";

const stepSchema = z.object(
  {
    op: z.string(found("an operation name such as create or update")).min(1, { error: "should be an operation name such as create or update" }),
    urn: z.string(found("a URN string")).refine((urn) => parseUrn(urn) !== undefined, { error: "is not a Pulumi URN (urn:pulumi:<stack>::<project>::<type>::<name>)" }),
    oldState: stateSchema,
    newState: stateSchema,
    diffReasons: propertyNames,
    replaceReasons: propertyNames,
    detailedDiff: z.record(z.string(), z.unknown(), found("an object")).nullish(),
  },
  found("an object"),
);

const documentSchema = z.object({
  steps: z.array(stepSchema, found("a list")).nullish(),
  diagnostics: z.array(diagnosticSchema, found("a list")).nullish(),
  changeSummary: z.record(z.string(), z.number({ error: COUNT }).int({ error: COUNT }).min(0, { error: COUNT }), found("an object of counts")).nullish(),
  maybeCorrupt: z.unknown().optional(),
});

/** Parses and checks the text of a classic preview document; `source` names it in errors ("stdin", a path). */
export function parsePreviewJson(text: string, source: string): PreviewDocument {
  const where = safeLine(source, 200);
  if (text.trim() === "") throw new PreviewInputError(`${where} is empty: expected the output of \`pulumi preview --json\``);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new PreviewInputError(`${where} is not valid JSON${describeJsonError(error, text)}`);
  }
  return toPreviewDocument(value, where);
}

/** Checks an already-parsed classic document; `where` names it in errors. */
export function toPreviewDocument(value: unknown, where: string): PreviewDocument {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new PreviewInputError(`${where} ${NOT_A_PREVIEW}: expected a JSON object, found ${kindOf(value)}`);
  if (!("steps" in value) && !("changeSummary" in value) && !("diagnostics" in value)) {
    throw new PreviewInputError(`${where} ${NOT_A_PREVIEW}: it has none of steps, changeSummary and diagnostics`);
  }
  const parsed = documentSchema.safeParse(value);
  if (!parsed.success) throw new PreviewInputError(`${where} ${NOT_A_PREVIEW}: ${safeLine(firstProblem(parsed.error), 300)}`);
  const document = parsed.data;
  return {
    source: "document",
    steps: (document.steps ?? []).map((step) => toStep(step.op, step.urn, step.oldState, step.newState, step.diffReasons, step.replaceReasons, step.detailedDiff)),
    diagnostics: (document.diagnostics ?? []).map(toDiagnostic).filter((diagnostic): diagnostic is PreviewDiagnostic => diagnostic !== undefined),
    changeSummary: document.changeSummary ?? undefined,
    maybeCorrupt: document.maybeCorrupt === true,
    complete: true,
    failedResources: [],
    readProblems: [],
  };
}

/** A step from the fields both inputs carry (the event stream names them old/new, keys/diffs). */
export function toStep(
  op: string,
  urn: string,
  oldState: StateMetadata | null | undefined,
  newState: StateMetadata | null | undefined,
  diffReasons: readonly string[] | null | undefined,
  replaceReasons: readonly string[] | null | undefined,
  detailedDiff: Readonly<Record<string, unknown>> | null | undefined,
): PreviewStep {
  const parsed = parseUrn(urn);
  // The schemas refuse a step whose URN does not parse; this guards the type.
  if (!parsed) throw new PreviewInputError(`${safeLine(urn, 80)} is not a Pulumi URN`);
  return {
    op,
    urn,
    parsed,
    oldState: toState(oldState),
    newState: toState(newState),
    diffReasons: [...(diffReasons ?? [])],
    replaceReasons: [...(replaceReasons ?? [])],
    detailedDiffPaths: Object.keys(detailedDiff ?? {}).sort(),
  };
}

function toState(state: StateMetadata | null | undefined): ResourceState | undefined {
  if (!state) return undefined;
  return { type: state.type ?? undefined, parent: state.parent || undefined, ...(typeof state.custom === "boolean" && { custom: state.custom }), inputs: state.inputs ?? {} };
}

/** A diagnostic as the note shows it; debug and ephemeral messages are left out, as the classic document does. */
export function toDiagnostic(diagnostic: z.infer<typeof diagnosticSchema>): PreviewDiagnostic | undefined {
  const severity = diagnostic.severity || "info";
  if (severity === "debug" || diagnostic.ephemeral === true) return undefined;
  return { urn: diagnostic.urn || undefined, prefix: diagnostic.prefix || undefined, message: diagnostic.message ?? "", severity };
}

// V8's messages can quote the input (which may hold a token), so only the position is reported.
export function describeJsonError(error: unknown, text: string): string {
  const message = error instanceof Error ? error.message : "";
  const position = /at position (\d+)/.exec(message);
  const offset = position ? Number(position[1]) : undefined;
  if (/Unexpected end of JSON input|Unterminated string/.test(message) || (offset !== undefined && offset >= text.trimEnd().length)) return ": it ends early (truncated?)";
  if (offset === undefined) return "";
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  const column = offset - before.lastIndexOf("\n");
  return ` (line ${line}, column ${column})`;
}
