// The merge-request note for one preview: marker, what became of the preview and what stopped it, the
// policy packs' verdict, what needs attention, GitLab tokens and variables in words, every changed
// resource, and the preview's other messages. Pure and deterministic: the same input gives the same
// note, whatever order its objects' keys or its steps are in.

import type { PreviewDiagnostic, PreviewDocument, PreviewStep } from "./previewDocument";
import { fitBlocks, type Block } from "./fit";
import { describeGitLab } from "./gitlabWording";
import { namesText, type Inputs } from "./gitlabValues";
import { resourceName } from "./gitlabSubjects";
import { PREVIEW_COMMENT_MARKER, stackMarker } from "./noteMarker";
import { code, messageBody, row, tableHead } from "./markdown";
import { changeCounts, compareText, compareSteps, headlineWords, isUnchanged } from "./operations";
import { policySection } from "./policySection";
import { previewOutcome, withoutSeverityPrefix, type PreviewError, type PreviewOutcome } from "./previewOutcome";
import { shortType } from "./urn";

/** GitLab refuses notes longer than this many characters. */
export const GITLAB_NOTE_LIMIT = 1_000_000;

/** What the pipeline captured of one `pulumi preview`. */
export interface PreviewCapture {
  /** What could be read of its output; absent when nothing could (empty, not JSON, not a preview). */
  readonly document?: PreviewDocument;
  /** Why nothing could be read, when there is no document (one line). */
  readonly unreadable?: string;
  /** The exit code of `pulumi preview`, when the pipeline passes it (`--exit-code`). */
  readonly exitCode?: number;
  /** The errors `pulumi preview` printed on stderr (`--stderr`): what the engine says outside its output. */
  readonly stderrErrors?: readonly PreviewDiagnostic[];
}

export interface RenderOptions {
  /** The stack previewed: the note's marker names it, so each stack keeps its own note. */
  readonly stack: string;
  /** Longest note to produce; rows are cut to stay within it. Defaults to GitLab's note limit. */
  readonly maxLength?: number;
}

// Rows of the full table go first, then info messages, diagnostics, GitLab sentences, what needs
// attention; the policy packs' verdict is the last thing cut.
const CUT_ORDER = { changes: 0, infos: 1, diagnostics: 2, gitlab: 3, attention: 4, policy: 5 } as const;
/** Errors explained in the headline one by one; the rest are listed under Diagnostics. */
const HEADLINE_ERRORS = 5;

/** What keeps the note from telling the whole preview, one line each: the CLI exits non-zero for these. */
export function inputProblems(capture: PreviewCapture, stack: string): string[] {
  if (!capture.document) return [capture.unreadable ?? "there is no preview output"];
  const other = distinct(capture.document.steps.map((step) => step.parsed.stack)).filter((name) => name !== stack);
  return [...capture.document.readProblems, ...(other.length > 0 ? [`it previews ${other.length === 1 ? "stack" : "stacks"} ${other.join(", ")}, not ${stack} (--stack)`] : [])];
}

export function renderPreviewComment(capture: PreviewCapture, options: RenderOptions): string {
  const maxLength = options.maxLength ?? GITLAB_NOTE_LIMIT;
  const document = capture.document;
  const steps = [...(document?.steps ?? [])].sort(compareSteps);
  const nameOf = (urn: string) => resourceName(urn, inputsOf(steps));
  const outcome = previewOutcome(document ?? NOTHING_READ, capture);

  const blocks: Block[] = [{ kind: "fixed", text: headline(capture, options.stack, steps, outcome, nameOf) }];
  if (!document) return fitBlocks(blocks, maxLength);

  if (document.policy) {
    blocks.push(
      ...policySection(document.policy, {
        heading: "#### Policy packs",
        resourceName: nameOf,
        whenNone: "No policy pack reported on this preview: it ran without `--policy-pack`, or stopped before the packs ran.",
        cutOrder: CUT_ORDER.policy,
      }),
    );
  }
  const gitlab = describeGitLab(steps);
  const attention = [
    ...gitlab.attention.map((item) => `- ${item.level === "alert" ? "🚨" : "⚠️"} ${item.markdown}`),
    ...(document.maybeCorrupt ? ["- ⚠️ Pulumi reports that some resources **may be corrupt** (`maybeCorrupt`): check the stack's state before applying"] : []),
  ];
  if (attention.length > 0) blocks.push({ kind: "rows", head: "#### Needs attention\n", rows: attention, cutOrder: CUT_ORDER.attention, unit: "item" });
  if (gitlab.lines.length > 0) {
    blocks.push({ kind: "rows", head: "#### GitLab tokens and variables\n", rows: gitlab.lines.map((line) => `- ${line}`), cutOrder: CUT_ORDER.gitlab, unit: "item" });
  }
  const changed = listedChanges(steps);
  if (changed.length > 0) {
    blocks.push({ kind: "rows", head: `#### Changes\n\n${tableHead(["Operation", "Type", "Name", "Changed"])}`, rows: changed.map(changeRow), cutOrder: CUT_ORDER.changes, unit: "row" });
  }

  // Errors the headline explains, and the bare "preview failed", are not repeated.
  const shown = new Set<PreviewDiagnostic>([...outcome.errors.slice(0, HEADLINE_ERRORS).map((error) => error.diagnostic), ...outcome.bare]);
  const rest = [...document.diagnostics, ...(capture.stderrErrors ?? [])].filter((diagnostic) => !shown.has(diagnostic));
  const problems = [...rest.filter((diagnostic) => diagnostic.severity === "error"), ...rest.filter((diagnostic) => diagnostic.severity === "warning")];
  const infos = rest.filter((diagnostic) => diagnostic.severity !== "error" && diagnostic.severity !== "warning");
  if (problems.length > 0) blocks.push({ kind: "rows", head: "#### Diagnostics\n", rows: problems.map((diagnostic) => diagnosticItem(diagnostic, nameOf)), cutOrder: CUT_ORDER.diagnostics, unit: "item" });
  if (infos.length > 0) {
    blocks.push({
      kind: "rows",
      head: `<details><summary>Info messages (${infos.length})</summary>\n`,
      rows: infos.map((diagnostic) => diagnosticItem(diagnostic, nameOf)),
      tail: "</details>",
      cutOrder: CUT_ORDER.infos,
      unit: "item",
    });
  }
  return fitBlocks(blocks, maxLength);
}

function inputsOf(steps: readonly PreviewStep[]): (urn: string) => Inputs | undefined {
  const byUrn = new Map<string, Inputs>();
  for (const step of steps) {
    const inputs = step.newState?.inputs ?? step.oldState?.inputs;
    if (inputs && !byUrn.has(step.urn)) byUrn.set(step.urn, inputs);
  }
  return (urn) => byUrn.get(urn);
}

// ---------------------------------------------------------------------------------------------
// The headline: which stack, what became of the preview, what stopped it, what it planned.

/** What stands for the output when none of it could be read: the stderr's errors may still explain. */
const NOTHING_READ: PreviewDocument = { source: "events", steps: [], diagnostics: [], maybeCorrupt: false, complete: false, failedResources: [], readProblems: [] };

function headline(capture: PreviewCapture, stack: string, steps: readonly PreviewStep[], outcome: PreviewOutcome, nameOf: (urn: string) => string): string {
  const projects = distinct(steps.map((step) => step.parsed.project));
  const lines = [PREVIEW_COMMENT_MARKER, stackMarker(stack), `### Pulumi preview: stack ${code(stack)}${projects.length > 0 ? ` of ${projects.map((project) => code(project)).join(", ")}` : ""}`, ""];
  const document = capture.document;
  const exited = capture.exitCode !== undefined && capture.exitCode !== 0 ? ` (\`pulumi preview\` exited ${capture.exitCode})` : "";
  if (!document) {
    lines.push(`❌ **There is no preview to show**${exited}: ${capture.unreadable ?? "no output was given"}.${outcome.errors.length > 0 ? "" : " The job log has what `pulumi preview` printed."}`);
    lines.push(...outcome.errors.flatMap((error) => ["", errorHeadline(error, nameOf), "", messageBody(errorText(error.diagnostic), "")]));
    return lines.join("\n");
  }

  if (outcome.status === "failed") lines.push(...stopReasons(document, outcome, exited, nameOf));
  if (outcome.status === "canceled") lines.push("⚠️ **The preview was canceled** before it finished: what follows is what it had planned by then.", "");
  if (outcome.status === "incomplete") lines.push("⚠️ **The preview's output stops before its end**, so whether it passed is not known: what follows is what it had planned by then.", "");
  lines.push(countsLine(document, outcome));

  const notes: string[] = [];
  if (document.source === "document") {
    notes.push("ℹ️ Made from the classic `pulumi preview --json` document, which holds no policy results: whether the policy packs passed cannot be shown. With `PULUMI_ENABLE_STREAMING_JSON_PREVIEW=1` the preview prints the engine's events, which hold them.");
  }
  const problems = inputProblems(capture, stack);
  if (problems.length > 0) notes.push(`⚠️ Not all of the preview's output could be used, so the note may be incomplete: ${problems.join("; ")}.`);
  if (notes.length > 0) lines.push("", ...notes.flatMap((note, index) => (index === 0 ? [note] : ["", note])));
  return lines.join("\n");
}

function stopReasons(document: PreviewDocument, outcome: PreviewOutcome, exited: string, nameOf: (urn: string) => string): string[] {
  const lines: string[] = [];
  if (outcome.blocking.length > 0) {
    const packs = distinct(outcome.blocking.map((violation) => violation.pack)).map((pack) => code(pack));
    const resources = distinct(outcome.blocking.map((violation) => (violation.urn ? nameOf(violation.urn) : "the stack")));
    const count = outcome.blocking.length;
    lines.push(
      `❌ **The policy ${packs.length === 1 ? "pack" : "packs"} ${packs.join(", ")} refused this preview**: ${count} mandatory ${count === 1 ? "violation" : "violations"}, on ${listText(resources)} (listed under Policy packs below). Fix ${count === 1 ? "it" : "them"} and push again: \`pulumi up\` refuses ${count === 1 ? "it" : "them"} too.`,
      "",
    );
  }
  for (const error of outcome.errors.slice(0, HEADLINE_ERRORS)) lines.push(errorHeadline(error, nameOf), "", messageBody(errorText(error.diagnostic), ""), "");
  if (outcome.errors.length > HEADLINE_ERRORS) lines.push(`…and ${outcome.errors.length - HEADLINE_ERRORS} more errors, under Diagnostics below.`, "");
  if (outcome.blocking.length === 0 && outcome.errors.length === 0) {
    const why =
      document.source === "document"
        ? "this `pulumi preview --json` document does not say why: it holds no policy results, so a policy pack may have refused the preview"
        : "its output does not say why";
    lines.push(`❌ **The preview failed**${exited}, and ${why}. The job log has what \`pulumi preview\` printed.`, "");
  }
  return lines;
}

function errorHeadline(error: PreviewError, nameOf: (urn: string) => string): string {
  const on = error.urn ? ` on ${nameOf(error.urn)}` : "";
  const where = error.diagnostic.from === "stderr" ? " (printed on stderr)" : "";
  if (error.kind === "provider") return `❌ **The ${code(error.provider ?? "")} provider failed**${on}${where}:`;
  if (error.kind === "cli") return `❌ **\`pulumi preview\` failed**${where}:`;
  return `❌ **The program failed**${on}${where}:`;
}

function countsLine(document: PreviewDocument, outcome: PreviewOutcome): string {
  const { counts, source } = changeCounts(document);
  const changing = counts.filter((count) => !isUnchanged(count.op));
  const countsText = counts.map(headlineWords).join(" · ");
  const origin =
    source === "steps" && counts.length > 0
      ? document.source === "document"
        ? " (counted from the steps listed; unchanged resources appear only with `--show-sames`)"
        : " (counted from the steps the events list)"
      : "";
  if (outcome.status !== "succeeded") return counts.length > 0 ? `**Planned when it stopped:** ${countsText}${origin}` : "Nothing was planned when it stopped.";
  return changing.length === 0 ? `**No changes.**${counts.length > 0 ? ` Resources: ${countsText}${origin}` : ""}` : `**Resources:** ${countsText}${origin}`;
}

// ---------------------------------------------------------------------------------------------
// Changes and diagnostics

/** Every step that changes something; a replacement's halves only when there is no replace step for them. */
function listedChanges(steps: readonly PreviewStep[]): PreviewStep[] {
  const replaced = new Set(steps.filter((step) => step.op === "replace").map((step) => step.urn));
  return steps.filter((step) => !isUnchanged(step.op) && !((step.op === "create-replacement" || step.op === "delete-replaced") && replaced.has(step.urn)));
}

function changeRow(step: PreviewStep): string {
  return row([operationCell(step.op), code(shortType(step.parsed.type)), code(step.parsed.name), changedCell(step)]);
}

function operationCell(op: string): string {
  if (op === "import") return "import (adopted)";
  if (op === "replace" || op === "delete") return `**${op}**`;
  return /^[a-z-]+$/.test(op) ? op : code(op);
}

function changedCell(step: PreviewStep): string {
  const diffs = step.diffReasons.length > 0 ? step.diffReasons : step.detailedDiffPaths;
  const parts: string[] = [];
  if (diffs.length > 0) parts.push(namesText(diffs));
  if (step.replaceReasons.length > 0) parts.push(`replaced because of ${namesText(step.replaceReasons)}`);
  return parts.join("; ");
}

function diagnosticItem(diagnostic: PreviewDiagnostic, nameOf: (urn: string) => string): string {
  const on = diagnostic.urn ? ` on ${nameOf(diagnostic.urn)}` : "";
  return `- **${severityText(diagnostic.severity)}**${on}${diagnostic.from === "stderr" ? " (stderr)" : ""}:\n${messageBody(errorText(diagnostic))}`;
}

function severityText(severity: string): string {
  if (severity === "info#err") return "info (stderr)";
  return /^[a-z]+$/.test(severity) ? severity : code(severity);
}

// The CLI folds the "warning: " prefix into the message; the item already says the severity.
function errorText(diagnostic: PreviewDiagnostic): string {
  const message = diagnostic.prefix && !diagnostic.message.startsWith(diagnostic.prefix) ? diagnostic.prefix + diagnostic.message : diagnostic.message;
  return withoutSeverityPrefix(message);
}

function listText(items: readonly string[]): string {
  if (items.length <= 3) return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
  return `${items.slice(0, 3).join(", ")} and ${items.length - 3} more`;
}

function distinct(values: readonly string[]): string[] {
  return [...new Set(values)].sort(compareText);
}
