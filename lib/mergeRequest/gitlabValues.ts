// How the note words the values of GitLab tokens and variables: names, roles, dates, scopes, flags,
// and "role developer → maintainer" for a changed field. Every value passes through values.ts
// (classify, safeLine) and markdown.ts (code) first. Pure.

import { code } from "./markdown";
import { classify, safeLine, type InputValue } from "./values";

export type Inputs = Readonly<Record<string, unknown>>;

/** A name-like value: a code span, or what stands for it when unknown or secret. */
export function valueText(value: InputValue, absent: string): string {
  switch (value.kind) {
    case "absent":
      return absent;
    case "unknown":
      return "_(known after apply)_";
    case "secret":
      return "`[secret]`";
    case "known":
      return isPrimitive(value.value) ? code(String(value.value)) : "_(not a single value)_";
  }
}

const PLAIN_WORD = /^[A-Za-z0-9][A-Za-z0-9 ._:-]*$/;

/** A role or date: plain text when it is a simple word, else as a name-like value. */
export function wordText(value: InputValue, absent: string): string {
  if (value.kind === "known" && typeof value.value === "string") {
    const word = safeLine(value.value, 100);
    if (PLAIN_WORD.test(word) && !word.includes("_")) return word;
  }
  return valueText(value, absent);
}

export function dateText(value: InputValue): string {
  return wordText(value, "never (no expiry set)");
}

export function scopesText(value: InputValue): string {
  if (value.kind === "known" && Array.isArray(value.value)) {
    return value.value.length === 0 ? "no scopes" : value.value.map((scope) => (isPrimitive(scope) ? code(String(scope)) : "_(not a single value)_")).join(", ");
  }
  return value.kind === "absent" ? "no scopes" : `scopes ${valueText(value, "")}`;
}

export function yesNo(value: InputValue): string {
  if (value.kind === "known" && typeof value.value === "boolean") return value.value ? "yes" : "**no**";
  return valueText(value, "not set");
}

/** `in <project>` or `in group <group>`, or nothing when neither is set. */
export function placeText(inputs: Inputs): string {
  const project = classify(inputs.project);
  if (project.kind !== "absent") return `in ${valueText(project, "")}`;
  const group = classify(inputs.group);
  if (group.kind !== "absent") return `in group ${valueText(group, "")}`;
  return "";
}

export interface FieldSpec {
  /** The input's name in the provider's schema. */
  readonly field: string;
  /** What a reviewer calls it. */
  readonly label: string;
  /** Its value in Markdown. */
  readonly render: (value: InputValue) => string;
}

/** "role developer → maintainer" for each chosen field whose value differs. */
export function changedFields(before: Inputs | undefined, after: Inputs | undefined, fields: readonly FieldSpec[]): string[] {
  if (!before || !after) return [];
  return fields.filter(({ field }) => changed(before[field], after[field])).map(({ field, label, render }) => `${label} ${render(classify(before[field]))} → ${render(classify(after[field]))}`);
}

export function changed(before: unknown, after: unknown): boolean {
  return canonical(before) !== canonical(after);
}

// Scopes are a set: order does not make a change.
function canonical(value: unknown): string {
  if (Array.isArray(value)) return JSON.stringify(value.map((item) => JSON.stringify(item)).sort());
  return JSON.stringify(value ?? null);
}

const LISTED_NAMES = 8;

/** Property names as code spans, at most LISTED_NAMES of them. */
export function namesText(names: readonly string[]): string {
  const shown = names.slice(0, LISTED_NAMES).map((name) => code(name)).join(", ");
  return names.length > LISTED_NAMES ? `${shown} and ${names.length - LISTED_NAMES} more` : shown;
}

function isPrimitive(value: unknown): value is string | number | boolean {
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean";
}
