// The engine's step operations: the order the note lists them in, their headline wording, and the
// counts per operation. Pure.

import type { PreviewDocument, PreviewStep } from "./previewDocument";
import { code } from "./markdown";

// Pulumi's own summary order (create, update, replace, delete), then the rarer operations; `same` last.
const OPERATION_ORDER = [
  "create",
  "update",
  "replace",
  "create-replacement",
  "delete-replaced",
  "delete",
  "import",
  "import-replacement",
  "read",
  "read-replacement",
  "refresh",
  "discard",
  "discard-replaced",
  "remove-pending-replace",
] as const;

/** Halves of a replacement, listed beside the `replace` step only with `--show-replacement-steps`. */
const REPLACEMENT_HALVES = new Set(["create-replacement", "delete-replaced", "discard-replaced", "read-replacement", "import-replacement"]);

const HEADLINE_WORDS: Readonly<Record<string, string>> = {
  create: "to create",
  update: "to update",
  replace: "to replace",
  delete: "to delete",
  import: "to import (adopt)",
  read: "to read",
  refresh: "to refresh",
  discard: "to discard",
  same: "unchanged",
};

/** Sort rank of an operation: known ones in OPERATION_ORDER, unknown ones after them, `same` last. */
export function operationRank(op: string): number {
  if (op === "same") return OPERATION_ORDER.length + 1;
  const index = (OPERATION_ORDER as readonly string[]).indexOf(op);
  return index === -1 ? OPERATION_ORDER.length : index;
}

/** Orders steps by operation, then logical name, then URN: stable whatever order the engine emitted them in. */
export function compareSteps(a: PreviewStep, b: PreviewStep): number {
  return operationRank(a.op) - operationRank(b.op) || compareText(a.op, b.op) || compareText(a.parsed.name, b.parsed.name) || compareText(a.urn, b.urn);
}

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One operation and how many resources it applies to. */
export interface OperationCount {
  /** The engine's operation name. */
  readonly op: string;
  /** How many resources. */
  readonly count: number;
}

export interface ChangeCounts {
  /** Non-zero counts, in headline order. */
  readonly counts: readonly OperationCount[];
  /** Where they come from: the engine's own summary, or the steps listed (sames only with --show-sames). */
  readonly source: "changeSummary" | "steps";
}

/** Counts per operation: the document's changeSummary when it has one, else counted from its steps. */
export function changeCounts(document: PreviewDocument): ChangeCounts {
  if (document.changeSummary) return { counts: ordered(Object.entries(document.changeSummary)), source: "changeSummary" };
  const replaced = new Set(document.steps.filter((step) => step.op === "replace").map((step) => step.urn));
  const counted = new Map<string, number>();
  for (const step of document.steps) {
    // A replacement's halves are one replacement, which the `replace` step already counts.
    if (REPLACEMENT_HALVES.has(step.op) && replaced.has(step.urn)) continue;
    counted.set(step.op, (counted.get(step.op) ?? 0) + 1);
  }
  return { counts: ordered([...counted]), source: "steps" };
}

function ordered(entries: readonly (readonly [string, number])[]): OperationCount[] {
  return entries
    .filter(([, count]) => count > 0)
    .map(([op, count]) => ({ op, count }))
    .sort((a, b) => operationRank(a.op) - operationRank(b.op) || compareText(a.op, b.op));
}

/** "2 to create" / "3 unchanged" / "1 `remove-pending-replace`" (Markdown). */
export function headlineWords({ op, count }: OperationCount): string {
  return `${count} ${HEADLINE_WORDS[op] ?? code(op)}`;
}

/** True for an operation that changes nothing. */
export function isUnchanged(op: string): boolean {
  return op === "same";
}
