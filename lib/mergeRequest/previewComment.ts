// The merge-request note for one preview: marker, headline counts, what needs attention, GitLab tokens
// and variables in words, every changed resource, and the preview's diagnostics. Pure and
// deterministic: the same document gives the same note, whatever order its objects' keys are in.

import type { PreviewDiagnostic, PreviewDocument, PreviewStep } from "./previewDocument";
import { fitBlocks, type Block } from "./fit";
import { describeGitLab, namesText } from "./gitlabWording";
import { PREVIEW_COMMENT_MARKER, stackMarker } from "./noteMarker";
import { code, row, tableHead } from "./markdown";
import { changeCounts, compareText, compareSteps, headlineWords, isUnchanged } from "./operations";
import { parseUrn, shortType } from "./urn";

/** GitLab refuses notes longer than this many characters. */
export const GITLAB_NOTE_LIMIT = 1_000_000;

export interface RenderOptions {
  /** Longest note to produce; rows are cut to stay within it. Defaults to GitLab's note limit. */
  readonly maxLength?: number;
}

// Rows of the full table go first, then info messages, diagnostics, GitLab sentences; the attention
// list is the last thing cut.
const CUT_ORDER = { changes: 0, infos: 1, diagnostics: 2, gitlab: 3, attention: 4 } as const;

export function renderPreviewComment(document: PreviewDocument, options: RenderOptions = {}): string {
  const maxLength = options.maxLength ?? GITLAB_NOTE_LIMIT;
  const steps = [...document.steps].sort(compareSteps);
  const changed = steps.filter((step) => !isUnchanged(step.op));
  const gitlab = describeGitLab(steps);
  const errors = document.diagnostics.filter((diagnostic) => diagnostic.severity === "error");
  const warnings = document.diagnostics.filter((diagnostic) => diagnostic.severity === "warning");
  const infos = document.diagnostics.filter((diagnostic) => diagnostic.severity !== "error" && diagnostic.severity !== "warning");

  const attention = [
    ...gitlab.attention.map((item) => `- ${item.level === "alert" ? "🚨" : "⚠️"} ${item.markdown}`),
    ...(document.maybeCorrupt ? ["- ⚠️ Pulumi reports that some resources **may be corrupt** (`maybeCorrupt`): check the stack's state before applying"] : []),
  ];

  const blocks: Block[] = [{ kind: "fixed", text: headline(document, errors.length) }];
  if (attention.length > 0) blocks.push({ kind: "rows", head: "#### Needs attention\n", rows: attention, cutOrder: CUT_ORDER.attention, unit: "item" });
  if (gitlab.lines.length > 0) {
    blocks.push({ kind: "rows", head: "#### GitLab tokens and variables\n", rows: gitlab.lines.map((line) => `- ${line}`), cutOrder: CUT_ORDER.gitlab, unit: "item" });
  }
  if (changed.length > 0) {
    blocks.push({ kind: "rows", head: `#### Changes\n\n${tableHead(["Operation", "Type", "Name", "Changed"])}`, rows: changed.map(changeRow), cutOrder: CUT_ORDER.changes, unit: "row" });
  }
  const problems = [...errors, ...warnings];
  if (problems.length > 0) {
    blocks.push({ kind: "rows", head: `#### Diagnostics\n\n${tableHead(["Severity", "Resource", "Message"])}`, rows: problems.map(diagnosticRow), cutOrder: CUT_ORDER.diagnostics, unit: "row" });
  }
  if (infos.length > 0) {
    blocks.push({
      kind: "rows",
      head: `<details><summary>Info messages (${infos.length})</summary>\n\n${tableHead(["Severity", "Resource", "Message"])}`,
      rows: infos.map(diagnosticRow),
      tail: "</details>",
      cutOrder: CUT_ORDER.infos,
      unit: "row",
    });
  }
  return fitBlocks(blocks, maxLength);
}

function headline(document: PreviewDocument, errorCount: number): string {
  const stacks = distinct(document.steps.map((step) => step.parsed.stack));
  const projects = distinct(document.steps.map((step) => step.parsed.project));
  const lines = [PREVIEW_COMMENT_MARKER];
  // One note per stack: the marker names the stack only when the preview is of exactly one.
  if (stacks.length === 1) lines.push(stackMarker(stacks[0]));
  const stackText = stacks.length === 0 ? "unknown stack" : `${stacks.length === 1 ? "stack" : "stacks"} ${stacks.map((stack) => code(stack)).join(", ")}`;
  const projectText = projects.length === 0 ? "" : ` of ${projects.map((project) => code(project)).join(", ")}`;
  lines.push(`### Pulumi preview: ${stackText}${projectText}`, "");

  const { counts, source } = changeCounts(document);
  const changing = counts.filter((count) => !isUnchanged(count.op));
  const countsText = counts.map(headlineWords).join(" · ");
  const origin = source === "steps" ? " (counted from the steps listed; unchanged resources appear only with `--show-sames`)" : "";
  lines.push(changing.length === 0 ? `**No changes.**${counts.length > 0 ? ` Resources: ${countsText}${origin}` : ""}` : `**Resources:** ${countsText}${origin}`);
  if (errorCount > 0) {
    lines.push("", `❌ **The preview reported ${errorCount} ${errorCount === 1 ? "error" : "errors"}** (see Diagnostics): the changes listed may be incomplete.`);
  }
  return lines.join("\n");
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

function diagnosticRow(diagnostic: PreviewDiagnostic): string {
  const resource = diagnostic.urn ? parseUrn(diagnostic.urn) : undefined;
  return row([severityText(diagnostic.severity), resource ? code(resource.name) : "", messageText(diagnostic)]);
}

function severityText(severity: string): string {
  if (severity === "info#err") return "info (stderr)";
  return /^[a-z]+$/.test(severity) ? severity : code(severity);
}

// The CLI folds the "warning: " prefix into the message; the Severity column already says it.
function messageText(diagnostic: PreviewDiagnostic): string {
  let message = diagnostic.prefix && !diagnostic.message.startsWith(diagnostic.prefix) ? diagnostic.prefix + diagnostic.message : diagnostic.message;
  message = message.replace(/^\s*(?:warning|error|info|debug):\s*/i, "");
  return message.trim() === "" ? "" : code(message);
}

function distinct(values: readonly string[]): string[] {
  return [...new Set(values)].sort(compareText);
}
