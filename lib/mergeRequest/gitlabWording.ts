// GitLab access tokens and CI/CD variables in a preview, described in a reviewer's words ("new token …
// expires …", "variable … now holds token …", "token … will be revoked"), and what needs attention:
// revoked or replaced tokens, scope and role changes, broad scopes, variables left unprotected or
// unmasked. Works for any program using the provider's types; for this project's own program it also
// names the token generation each variable holds. Pure; every value shown comes from chosen inputs.

import type { PreviewStep, ResourceState } from "./previewDocument";
import { code } from "./markdown";
import { compareSteps, operationRank } from "./operations";
import { parseUrn } from "./urn";
import { classify, safeLine, type InputValue } from "./values";

/**
 * The provider's token and variable types this module describes, as the engine reports them. Written
 * here rather than taken from infra/: a preview may come from any program using the provider, and
 * test/infra/gitlab/wire.test.ts checks them against the provider's schema and the program's own types.
 */
export const GITLAB_DESCRIBED_TYPES = {
  projectAccessToken: "gitlab:index/projectAccessToken:ProjectAccessToken",
  groupAccessToken: "gitlab:index/groupAccessToken:GroupAccessToken",
  projectVariable: "gitlab:index/projectVariable:ProjectVariable",
  groupVariable: "gitlab:index/groupVariable:GroupVariable",
} as const;

const TOKEN_TYPES: ReadonlySet<string> = new Set([GITLAB_DESCRIBED_TYPES.projectAccessToken, GITLAB_DESCRIBED_TYPES.groupAccessToken]);
const VARIABLE_TYPES: ReadonlySet<string> = new Set([GITLAB_DESCRIBED_TYPES.projectVariable, GITLAB_DESCRIBED_TYPES.groupVariable]);
const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";

/** Scopes a push token may need; anything else lets a leaked token do more than push. */
const PUSH_SCOPES: ReadonlySet<string> = new Set(["read_repository", "write_repository"]);
/** Operations after which a token with the step's new inputs exists. */
const NEW_TOKEN_OPS: ReadonlySet<string> = new Set(["create", "create-replacement", "replace"]);
/** Halves of a replacement, described through their `replace` step when the document has one. */
const REPLACEMENT_HALVES: ReadonlySet<string> = new Set(["create-replacement", "delete-replaced"]);

// This project's program: PushToken components own generations `<project>:<name>@<expiresAt>`, and a
// consumer variable's description names the generation it holds (infra/naming.ts variableDescription).
const HELD_TOKEN_DESCRIPTION = /^Push token (.+) for (\S+), expires (\d{4}-\d{2}-\d{2})\./;

/** Something a reviewer must not miss, shown at the top of the note. */
export interface Attention {
  /** "alert": a token that can do more than push; "warning": revocations, replacements, weaker settings. */
  readonly level: "alert" | "warning";
  /** The sentence, in Markdown. */
  readonly markdown: string;
}

export interface GitLabDescription {
  /** Lines for the top of the note, alerts first. */
  readonly attention: readonly Attention[];
  /** One sentence (Markdown) per token or variable step, in step order. */
  readonly lines: readonly string[];
}

/** Describes every step on a GitLab token or variable; other steps are ignored. */
export function describeGitLab(steps: readonly PreviewStep[]): GitLabDescription {
  const replaced = new Set(steps.filter((step) => step.op === "replace").map((step) => step.urn));
  const attention: Attention[] = [];
  const lines: string[] = [];
  for (const step of [...steps].sort(compareDescribed)) {
    if (REPLACEMENT_HALVES.has(step.op) && replaced.has(step.urn)) continue;
    const described = TOKEN_TYPES.has(step.parsed.type) ? describeToken(step) : VARIABLE_TYPES.has(step.parsed.type) ? describeVariable(step, steps) : undefined;
    if (!described) continue;
    attention.push(...described.attention);
    if (described.line) lines.push(described.line);
  }
  const unique = (level: Attention["level"]) => [...new Set(attention.filter((item) => item.level === level).map((item) => item.markdown))].map((markdown) => ({ level, markdown }));
  return { attention: [...unique("alert"), ...unique("warning")], lines };
}

// By operation, tokens before the variables that hold them, then by name.
function compareDescribed(a: PreviewStep, b: PreviewStep): number {
  const kind = (step: PreviewStep) => (TOKEN_TYPES.has(step.parsed.type) ? 0 : 1);
  return operationRank(a.op) - operationRank(b.op) || kind(a) - kind(b) || compareSteps(a, b);
}

interface Described {
  /** The step in words, or nothing for a step not worth a line. */
  readonly line?: string;
  /** What the step needs a reviewer to notice. */
  readonly attention: readonly Attention[];
}

type Inputs = Readonly<Record<string, unknown>>;

/** Steps that bring an existing resource into the stack, or let go of one, without changing GitLab. */
const ADOPTION_OPS: ReadonlySet<string> = new Set(["import", "import-replacement", "read", "read-replacement", "discard", "discard-replaced"]);

/** The line for an operation without a wording of its own for this kind: an adoption's, else the operation named. */
function otherOperationLine(op: string, subject: string, facts: string): string {
  if (!ADOPTION_OPS.has(op)) return `${subject}: ${code(op)}`;
  if (op.startsWith("import")) return `existing ${subject} adopted into the stack (not created): ${facts}`;
  if (op.startsWith("read")) return `existing ${subject} read, not managed by this stack`;
  return `${subject} is no longer read by this stack (nothing changes in GitLab)`;
}

// ---------------------------------------------------------------------------------------------
// Tokens

function describeToken(step: PreviewStep): Described {
  const before = step.oldState?.inputs;
  const after = step.newState?.inputs;
  const subject = tokenSubject(after ?? before ?? {}, step);
  const wasExpiring = before ? ` (expires ${dateText(classify(before.expiresAt))})` : "";
  const attention: Attention[] = [];
  const warn = (markdown: string) => attention.push({ level: "warning", markdown });

  let line: string | undefined;
  switch (step.op) {
    case "create":
    case "create-replacement":
      line = `new ${subject}, ${tokenFacts(after ?? {})}`;
      break;
    case "replace":
      line = `${subject}${wasExpiring} is replaced${because(step)}: the live token is revoked and a new one created, ${tokenFacts(after ?? {})}`;
      warn(`${subject}${wasExpiring} is **replaced**${because(step)}: the live token is revoked at once, and jobs still holding it can no longer push`);
      break;
    case "delete":
    case "delete-replaced":
      line = `${subject}${wasExpiring} will be revoked`;
      warn(`${subject}${wasExpiring} will be **revoked**: jobs still holding it can no longer push`);
      break;
    case "update": {
      const changes = changedFields(before, after, TOKEN_FIELDS);
      line = `${subject}${wasExpiring} is updated in place: ${changes.length > 0 ? changes.join("; ") : otherChanges(step)}`;
      if (before && after && changed(before.expiresAt, after.expiresAt)) {
        warn(`${subject}${wasExpiring} is **rotated in place** (new expiry ${dateText(classify(after.expiresAt))}): GitLab's rotate API revokes the live token at once, and jobs still holding it can no longer push`);
      }
      break;
    }
    case "same":
      // Shown only with --show-sames; in a rotation this is the retiring generation staying valid.
      line = `${subject}${wasExpiring} is unchanged and stays valid`;
      break;
    default:
      line = otherOperationLine(step.op, subject, tokenFacts(after ?? {}));
  }

  if (before && after && (step.op === "update" || step.op === "replace")) {
    if (changed(before.scopes, after.scopes)) warn(`${subject}: scopes change from ${scopesText(classify(before.scopes))} to ${scopesText(classify(after.scopes))}`);
    if (changed(before.accessLevel, after.accessLevel)) warn(`${subject}: role changes from ${wordText(classify(before.accessLevel), "not set")} to ${wordText(classify(after.accessLevel), "not set")}`);
  }
  if (after && step.op !== "delete" && step.op !== "delete-replaced") attention.unshift(...broadPowers(subject, after));
  return { line, attention };
}

function tokenSubject(inputs: Inputs, step: PreviewStep): string {
  const name = classify(inputs.name);
  const named = name.kind === "absent" ? code(step.parsed.name) : valueText(name, "");
  const where = placeText(inputs);
  return `token ${named}${where ? ` ${where}` : ""}`;
}

function tokenFacts(inputs: Inputs): string {
  return `${wordText(classify(inputs.accessLevel), "role not set")}, ${scopesText(classify(inputs.scopes))}, expires ${dateText(classify(inputs.expiresAt))}`;
}

function broadPowers(subject: string, inputs: Inputs): Attention[] {
  const found: Attention[] = [];
  const scopes = classify(inputs.scopes);
  if (scopes.kind === "known" && Array.isArray(scopes.value)) {
    const broad = scopes.value.filter((scope) => !PUSH_SCOPES.has(String(scope)));
    if (broad.length > 0) {
      const list = broad.map((scope) => code(String(scope))).join(", ");
      found.push({ level: "alert", markdown: `${subject} has ${broad.length === 1 ? "scope" : "scopes"} ${list}, which ${broad.length === 1 ? "allows" : "allow"} far more than pushing: a push token needs only \`write_repository\`, which also grants pull` });
    }
  }
  const role = classify(inputs.accessLevel);
  if (role.kind === "known" && role.value === "owner") {
    found.push({ level: "alert", markdown: `${subject} has the **owner** role: developer can push, maintainer can push to protected branches` });
  }
  return found;
}

// ---------------------------------------------------------------------------------------------
// Variables

function describeVariable(step: PreviewStep, steps: readonly PreviewStep[]): Described {
  const before = step.oldState?.inputs;
  const after = step.newState?.inputs;
  const subject = variableSubject(after ?? before ?? {}, step);
  const attention: Attention[] = [];
  const warn = (markdown: string) => attention.push({ level: "warning", markdown });

  let line: string | undefined;
  switch (step.op) {
    case "create":
    case "create-replacement":
      line = `new ${subject} (${flagsText(after ?? {})}), holding ${heldText(step, steps)}`;
      break;
    case "replace":
      line = `${subject} is replaced${because(step)}: now ${flagsText(after ?? {})}, holding ${heldText(step, steps)}`;
      break;
    case "update": {
      const fields = changedFields(before, after, VARIABLE_FIELDS).join("; ");
      if (valueChanged(step)) line = `${subject} now holds ${heldText(step, steps)}${fields ? `; also ${fields}` : ""}`;
      else line = `${subject} is updated: ${fields || otherChanges(step)}`;
      break;
    }
    case "delete":
    case "delete-replaced": {
      const held = before ? heldByDescription(before, steps) : undefined;
      line = `${subject} will be deleted${held ? `; it held ${held}` : ""}`;
      break;
    }
    case "same":
      break;
    default:
      line = otherOperationLine(step.op, subject, flagsText(after ?? {}));
  }

  if (after && step.op !== "same") {
    const isNew = !before || step.op === "create" || step.op === "import";
    if (after.protected === false && (isNew || before?.protected !== false)) {
      warn(`${subject} ${isNew ? "is" : "becomes"} **unprotected**: pipelines on any branch can read the value it holds`);
    }
    if (after.masked === false && (isNew || before?.masked !== false)) {
      warn(`${subject} ${isNew ? "is" : "becomes"} **unmasked**: the value it holds can show in job logs`);
    }
    if (classify(after.value).kind === "known") warn(`${subject} holds a value that is **not secret** in Pulumi: the preview and the state show it in plain text (not repeated here)`);
  }
  return { line, attention };
}

function variableSubject(inputs: Inputs, step: PreviewStep): string {
  const key = classify(inputs.key);
  const named = key.kind === "absent" ? code(step.parsed.name) : valueText(key, "");
  const scope = classify(inputs.environmentScope);
  const environment = scope.kind === "absent" || (scope.kind === "known" && scope.value === "*") ? "" : ` (environment ${valueText(scope, "")})`;
  const where = placeText(inputs);
  return `variable ${named}${environment}${where ? ` ${where}` : ""}`;
}

function flagsText(inputs: Inputs): string {
  const flag = (field: string, on: string, off: string) => {
    const value = classify(inputs[field]);
    if (value.kind === "known") return value.value === false ? `**${off}**` : value.value === true ? on : `${on} ${code(String(value.value))}`;
    return value.kind === "absent" ? `${on} not set` : `${on} ${valueText(value, "")}`;
  };
  const parts = [flag("protected", "protected", "not protected"), flag("masked", "masked", "not masked")];
  if (inputs.hidden === true) parts.push("hidden");
  return parts.join(", ");
}

function valueChanged(step: PreviewStep): boolean {
  const diffs = diffPaths(step);
  // Without any diff information the value may have changed: say what it holds.
  return diffs.length === 0 || diffs.some((path) => path === "value" || path.startsWith("value."));
}

/** Which token a variable's (secret, maybe unknown) value comes from, in words. */
function heldText(step: PreviewStep, steps: readonly PreviewStep[]): string {
  const after = step.newState?.inputs ?? {};
  const byDescription = heldByDescription(after, steps);
  if (byDescription) return byDescription;
  const byParent = heldByParent(step.newState, steps);
  if (byParent) return byParent;
  const value = classify(after.value);
  if (value.kind === "known") return "a value that is **not secret** (not shown)";
  if (value.kind === "absent") return "no value";
  return `a ${value.kind === "unknown" ? "value known after apply" : "secret value"} not traced to a token in this preview`;
}

// This project's variables say in their description which generation they hold.
function heldByDescription(inputs: Inputs, steps: readonly PreviewStep[]): string | undefined {
  const description = classify(inputs.description);
  if (description.kind !== "known" || typeof description.value !== "string") return undefined;
  const match = HELD_TOKEN_DESCRIPTION.exec(description.value);
  if (!match) return undefined;
  const [, name, project, expiresAt] = match;
  const generation = `${project}:${name}@${expiresAt}`;
  const tokenStep = steps.find((candidate) => TOKEN_TYPES.has(candidate.parsed.type) && candidate.parsed.name === generation);
  const status = tokenStep ? generationStatus(tokenStep.op) : "";
  return `token ${code(name)} of ${code(project)} expiring ${dateText({ kind: "known", value: expiresAt })} (generation ${code(generation)}${status})`;
}

// Any program: the one token created under the same parent component as the variable.
function heldByParent(state: ResourceState | undefined, steps: readonly PreviewStep[]): string | undefined {
  const parent = state?.parent;
  if (!parent || parseUrn(parent)?.type === ROOT_STACK_TYPE) return undefined;
  const candidates = steps.filter((candidate) => TOKEN_TYPES.has(candidate.parsed.type) && NEW_TOKEN_OPS.has(candidate.op) && candidate.newState?.parent === parent);
  const generations = [...new Set(candidates.map((candidate) => candidate.urn))];
  if (generations.length !== 1) return undefined;
  const tokenStep = candidates[0];
  const inputs = tokenStep.newState?.inputs ?? {};
  return `the new ${tokenSubject(inputs, tokenStep)} expiring ${dateText(classify(inputs.expiresAt))} (${code(tokenStep.parsed.name)}${generationStatus(tokenStep.op)})`;
}

function generationStatus(op: string): string {
  if (NEW_TOKEN_OPS.has(op)) return ", created in this change";
  if (op === "same") return ", already live";
  if (op === "delete" || op === "delete-replaced") return ", **revoked in this change**";
  if (op === "import") return ", adopted in this change";
  return "";
}

// ---------------------------------------------------------------------------------------------
// Shared wording

interface FieldSpec {
  /** The input's name in the provider's schema. */
  readonly field: string;
  /** What a reviewer calls it. */
  readonly label: string;
  /** Its value in Markdown. */
  readonly render: (value: InputValue) => string;
}

const TOKEN_FIELDS: readonly FieldSpec[] = [
  { field: "name", label: "name", render: (value) => valueText(value, "not set") },
  { field: "accessLevel", label: "role", render: (value) => wordText(value, "not set") },
  { field: "scopes", label: "scopes", render: scopesText },
  { field: "expiresAt", label: "expiry", render: dateText },
];

const VARIABLE_FIELDS: readonly FieldSpec[] = [
  { field: "key", label: "key", render: (value) => valueText(value, "not set") },
  { field: "protected", label: "protected", render: yesNo },
  { field: "masked", label: "masked", render: yesNo },
  { field: "hidden", label: "hidden", render: yesNo },
  { field: "environmentScope", label: "environment", render: (value) => valueText(value, "not set") },
];

/** "role developer → maintainer" for each chosen field whose value differs. */
function changedFields(before: Inputs | undefined, after: Inputs | undefined, fields: readonly FieldSpec[]): string[] {
  if (!before || !after) return [];
  return fields.filter(({ field }) => changed(before[field], after[field])).map(({ field, label, render }) => `${label} ${render(classify(before[field]))} → ${render(classify(after[field]))}`);
}

function otherChanges(step: PreviewStep): string {
  const diffs = diffPaths(step);
  return diffs.length > 0 ? `changes ${namesText(diffs)}` : "no input change listed";
}

function because(step: PreviewStep): string {
  return step.replaceReasons.length > 0 ? ` (because of ${namesText(step.replaceReasons)})` : "";
}

function diffPaths(step: PreviewStep): readonly string[] {
  return step.diffReasons.length > 0 ? step.diffReasons : step.detailedDiffPaths;
}

const LISTED_NAMES = 8;

/** Property names as code spans, at most LISTED_NAMES of them. */
export function namesText(names: readonly string[]): string {
  const shown = names.slice(0, LISTED_NAMES).map((name) => code(name)).join(", ");
  return names.length > LISTED_NAMES ? `${shown} and ${names.length - LISTED_NAMES} more` : shown;
}

function changed(before: unknown, after: unknown): boolean {
  return canonical(before) !== canonical(after);
}

// Scopes are a set: order does not make a change.
function canonical(value: unknown): string {
  if (Array.isArray(value)) return JSON.stringify(value.map((item) => JSON.stringify(item)).sort());
  return JSON.stringify(value ?? null);
}

function placeText(inputs: Inputs): string {
  const project = classify(inputs.project);
  if (project.kind !== "absent") return `in ${valueText(project, "")}`;
  const group = classify(inputs.group);
  if (group.kind !== "absent") return `in group ${valueText(group, "")}`;
  return "";
}

/** A name-like value: a code span, or what stands for it when unknown or secret. */
function valueText(value: InputValue, absent: string): string {
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
function wordText(value: InputValue, absent: string): string {
  if (value.kind === "known" && typeof value.value === "string") {
    const word = safeLine(value.value, 100);
    if (PLAIN_WORD.test(word) && !word.includes("_")) return word;
  }
  return valueText(value, absent);
}

function dateText(value: InputValue): string {
  return wordText(value, "never (no expiry set)");
}

function scopesText(value: InputValue): string {
  if (value.kind === "known" && Array.isArray(value.value)) {
    return value.value.length === 0 ? "no scopes" : value.value.map((scope) => (isPrimitive(scope) ? code(String(scope)) : "_(not a single value)_")).join(", ");
  }
  return value.kind === "absent" ? "no scopes" : `scopes ${valueText(value, "")}`;
}

function yesNo(value: InputValue): string {
  if (value.kind === "known" && typeof value.value === "boolean") return value.value ? "yes" : "**no**";
  return valueText(value, "not set");
}

function isPrimitive(value: unknown): value is string | number | boolean {
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean";
}
