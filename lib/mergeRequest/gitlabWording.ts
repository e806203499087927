// GitLab access tokens and CI/CD variables in a preview, described in a reviewer's words ("new token …
// expires …", "variable … now holds token …", "token … will be revoked and replaced"), and what needs
// attention: every change that revokes a live token, deleted variables, scope and role changes, broad
// scopes, variables left unprotected or unmasked. Lines come grouped by token: a token's generations,
// then the variables that hold them, so two tokens' lines never interleave. Works for any program
// using the provider's types; for this project's own program it also names the generation each
// variable holds. Pure; every value shown comes from chosen inputs.

import type { PreviewStep, ResourceState } from "./previewDocument";
import { code } from "./markdown";
import { compareText, operationRank } from "./operations";
import { parseUrn } from "./urn";
import { classify } from "./values";
import { changed, changedFields, dateText, namesText, scopesText, valueText, wordText, yesNo, placeText, type FieldSpec, type Inputs } from "./gitlabValues";
import { heldGeneration, ROOT_STACK_TYPE, TOKEN_TYPES, tokenSubject, VARIABLE_TYPES, variableSubject } from "./gitlabSubjects";

export { GITLAB_DESCRIBED_TYPES } from "./gitlabSubjects";

/** Scopes a push token may need; anything else lets a leaked token do more than push. */
const PUSH_SCOPES: ReadonlySet<string> = new Set(["read_repository", "write_repository"]);
/** Operations after which a token with the step's new inputs exists. */
const NEW_TOKEN_OPS: ReadonlySet<string> = new Set(["create", "create-replacement", "replace"]);
/** Operations that revoke the token the step's old state describes. */
const REVOKING_OPS: ReadonlySet<string> = new Set(["delete", "delete-replaced", "replace", "update"]);
/** Halves of a replacement, described through their `replace` step when the preview has one. */
const REPLACEMENT_HALVES: ReadonlySet<string> = new Set(["create-replacement", "delete-replaced"]);

/** What a revocation does to the jobs of the projects that push: said the same way everywhere. */
const JOBS_CANNOT_PUSH = "jobs holding it can no longer push";

/** Something a reviewer must not miss, shown at the top of the note. */
export interface Attention {
  /** "alert": a token that can do more than push; "warning": revocations, deletions, weaker settings. */
  readonly level: "alert" | "warning";
  /** The sentence, in Markdown. */
  readonly markdown: string;
}

export interface GitLabDescription {
  /** Lines for the top of the note, alerts first. */
  readonly attention: readonly Attention[];
  /** One sentence (Markdown) per token or variable step, grouped by token. */
  readonly lines: readonly string[];
}

/** Describes every step on a GitLab token or variable; other steps are ignored. */
export function describeGitLab(steps: readonly PreviewStep[]): GitLabDescription {
  const replaced = new Set(steps.filter((step) => step.op === "replace").map((step) => step.urn));
  const described = steps.filter((step) => (TOKEN_TYPES.has(step.parsed.type) || VARIABLE_TYPES.has(step.parsed.type)) && !(REPLACEMENT_HALVES.has(step.op) && replaced.has(step.urn)));
  const groups = new Map<string, PreviewStep[]>();
  for (const step of described) {
    const key = groupOf(step, steps);
    groups.set(key, [...(groups.get(key) ?? []), step]);
  }
  const attention: Attention[] = [];
  const lines: string[] = [];
  for (const key of [...groups.keys()].sort(compareText)) {
    const group = groups.get(key)!.sort(compareInGroup);
    // An unchanged generation matters only beside a change to the same token (the retiring one of a rotation).
    const changing = group.some((step) => step.op !== "same");
    for (const step of group) {
      if (step.op === "same" && !changing) continue;
      const description = TOKEN_TYPES.has(step.parsed.type) ? describeToken(step, steps) : describeVariable(step, steps);
      attention.push(...description.attention);
      if (description.line) lines.push(description.line);
    }
  }
  const unique = (level: Attention["level"]) => [...new Set(attention.filter((item) => item.level === level).map((item) => item.markdown))].map((markdown) => ({ level, markdown }));
  return { attention: [...unique("alert"), ...unique("warning")], lines };
}

/**
 * The token a step belongs with: the component that owns it (this project's PushToken), else the token
 * itself, else the token a variable holds; variables traced to nothing come last, together.
 */
function groupOf(step: PreviewStep, steps: readonly PreviewStep[]): string {
  const parent = (step.newState ?? step.oldState)?.parent;
  if (parent && parseUrn(parent)?.type !== ROOT_STACK_TYPE) return parent;
  if (TOKEN_TYPES.has(step.parsed.type)) return step.urn;
  const held = heldGeneration(step.newState?.inputs) ?? heldGeneration(step.oldState?.inputs);
  const token = held && steps.find((candidate) => TOKEN_TYPES.has(candidate.parsed.type) && candidate.parsed.name === held.generation);
  return token ? groupOf(token, steps) : "~";
}

// Within a token's group: its generations, then the variables, each by operation, then by name.
function compareInGroup(a: PreviewStep, b: PreviewStep): number {
  const kind = (step: PreviewStep) => (TOKEN_TYPES.has(step.parsed.type) ? 0 : 1);
  return kind(a) - kind(b) || operationRank(a.op) - operationRank(b.op) || compareText(a.parsed.name, b.parsed.name) || compareText(a.urn, b.urn);
}

interface Described {
  /** The step in words, or nothing for a step not worth a line. */
  readonly line?: string;
  /** What the step needs a reviewer to notice. */
  readonly attention: readonly Attention[];
}

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

const TOKEN_FIELDS: readonly FieldSpec[] = [
  { field: "name", label: "name", render: (value) => valueText(value, "not set") },
  { field: "accessLevel", label: "role", render: (value) => wordText(value, "not set") },
  { field: "scopes", label: "scopes", render: scopesText },
  { field: "expiresAt", label: "expiry", render: dateText },
];

function describeToken(step: PreviewStep, steps: readonly PreviewStep[]): Described {
  const before = step.oldState?.inputs;
  const after = step.newState?.inputs;
  const bare = tokenSubject(after ?? before ?? {}, step.parsed.name);
  // The live token a step changes, by its expiry: the old one when the step replaces or revokes it.
  const subject = `${bare}${before ? ` (expires ${dateText(classify(before.expiresAt))})` : ""}`;
  const attention: Attention[] = [];
  const warn = (markdown: string) => attention.push({ level: "warning", markdown });

  let line: string | undefined;
  switch (step.op) {
    case "create":
    case "create-replacement":
      line = `new ${bare}, ${tokenFacts(after ?? {})}`;
      break;
    case "replace":
      line = `${subject} will be revoked and replaced${because(step)}: the new token is ${tokenFacts(after ?? {})}`;
      warn(`${subject} will be **revoked and replaced**${because(step)}: ${JOBS_CANNOT_PUSH}`);
      break;
    case "delete":
    case "delete-replaced": {
      const replacement = replacementOf(step, steps);
      const by = replacement ? ` by ${tokenSubject(replacement.newState?.inputs ?? {}, replacement.parsed.name)} expiring ${dateText(classify(replacement.newState?.inputs.expiresAt))}` : "";
      line = `${subject} will be revoked${replacement ? ` and replaced${by}` : ""}`;
      warn(replacement ? `${subject} will be **revoked and replaced**${by}: ${JOBS_CANNOT_PUSH}` : `${subject} will be **revoked**: ${JOBS_CANNOT_PUSH}`);
      break;
    }
    case "update": {
      const changes = changedFields(before, after, TOKEN_FIELDS);
      line = `${subject} is updated in place: ${changes.length > 0 ? changes.join("; ") : otherChanges(step)}`;
      // The provider implements every in-place change of a token with GitLab's rotate API, which
      // revokes the live token at once (terraform-provider-gitlab's Update; test/e2e/standInProvider).
      const why = before && after && changed(before.expiresAt, after.expiresAt) ? `new expiry ${dateText(classify(after.expiresAt))}` : `the provider rotates a token for any change made in place: ${otherChanges(step)}`;
      warn(`${subject} will be **revoked and replaced** through GitLab's rotate API (${why}): ${JOBS_CANNOT_PUSH}`);
      break;
    }
    case "same":
      // In a rotation this is the retiring generation, staying valid until the cleanup.
      line = `${subject} is unchanged and stays valid`;
      break;
    default:
      line = otherOperationLine(step.op, bare, tokenFacts(after ?? {}));
  }

  if (before && after && (step.op === "update" || step.op === "replace")) {
    if (changed(before.scopes, after.scopes)) warn(`${bare}: scopes change from ${scopesText(classify(before.scopes))} to ${scopesText(classify(after.scopes))}`);
    if (changed(before.accessLevel, after.accessLevel)) warn(`${bare}: role changes from ${wordText(classify(before.accessLevel), "not set")} to ${wordText(classify(after.accessLevel), "not set")}`);
  }
  if (after && step.op !== "delete" && step.op !== "delete-replaced") attention.unshift(...broadPowers(bare, after));
  return { line, attention };
}

function tokenFacts(inputs: Inputs): string {
  return `${wordText(classify(inputs.accessLevel), "role not set")}, ${scopesText(classify(inputs.scopes))}, expires ${dateText(classify(inputs.expiresAt))}`;
}

/**
 * The token that takes over from a revoked one in the same change, if any: the other half of a
 * replacement; for this project's program, the generation the variables move to (a respelled project
 * or a renamed token is a new token, not a rotation); for any program, the one new token under the
 * same component. A retiring generation cleaned up after its rotation has none: nothing moves.
 */
function replacementOf(revoked: PreviewStep, steps: readonly PreviewStep[]): PreviewStep | undefined {
  const created = steps.filter((step) => TOKEN_TYPES.has(step.parsed.type) && NEW_TOKEN_OPS.has(step.op) && step !== revoked);
  const half = created.find((step) => step.urn === revoked.urn && step.op === "create-replacement");
  if (half) return half;
  const movedTo = steps
    .filter((step) => VARIABLE_TYPES.has(step.parsed.type) && heldGeneration(step.oldState?.inputs)?.generation === revoked.parsed.name)
    .map((step) => heldGeneration(step.newState?.inputs)?.generation)
    .find((generation) => generation !== undefined && generation !== revoked.parsed.name);
  const byVariables = movedTo && created.find((step) => step.parsed.name === movedTo);
  if (byVariables) return byVariables;
  const parent = revoked.oldState?.parent;
  if (!parent || parseUrn(parent)?.type === ROOT_STACK_TYPE) return undefined;
  const siblings = created.filter((step) => step.newState?.parent === parent && step.urn !== revoked.urn);
  return siblings.length === 1 ? siblings[0] : undefined;
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

const VARIABLE_FIELDS: readonly FieldSpec[] = [
  { field: "key", label: "key", render: (value) => valueText(value, "not set") },
  { field: "protected", label: "protected", render: yesNo },
  { field: "masked", label: "masked", render: yesNo },
  { field: "hidden", label: "hidden", render: yesNo },
  { field: "environmentScope", label: "environment", render: (value) => valueText(value, "not set") },
];

function describeVariable(step: PreviewStep, steps: readonly PreviewStep[]): Described {
  const before = step.oldState?.inputs;
  const after = step.newState?.inputs;
  const subject = variableSubject(after ?? before ?? {}, step.parsed.name);
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
      const held = before ? heldBefore(before, steps) : undefined;
      line = `${subject} will be deleted${held ? `; it held ${held}` : ""}`;
      // The other half of a replacement creates it again; a plain deletion breaks the project's pushes.
      if (step.op === "delete") {
        const where = placeText(before ?? {});
        warn(`${subject} will be **deleted**: the pipelines ${where ? `${where} ` : ""}that push with it will fail`);
      }
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

/** Which token a variable's (secret, maybe unknown) value will come from, in words. */
function heldText(step: PreviewStep, steps: readonly PreviewStep[]): string {
  const after = step.newState?.inputs ?? {};
  const byDescription = heldAfter(after, steps);
  if (byDescription) return byDescription;
  const byParent = heldByParent(step.newState, steps);
  if (byParent) return byParent;
  const value = classify(after.value);
  if (value.kind === "known") return "a value that is **not secret** (not shown)";
  if (value.kind === "absent") return "no value";
  return `a ${value.kind === "unknown" ? "value known after apply" : "secret value"} not traced to a token in this preview`;
}

/** The generation a variable of this project's program will hold, and what this change does to it. */
function heldAfter(inputs: Inputs, steps: readonly PreviewStep[]): string | undefined {
  const held = heldGeneration(inputs);
  if (!held) return undefined;
  const op = tokenStepOf(held.generation, steps)?.op;
  const status = op === undefined ? "" : NEW_TOKEN_OPS.has(op) ? ", created in this change" : op === "update" ? ", rotated in this change" : op === "same" ? ", already live" : op === "import" ? ", adopted in this change" : "";
  return generationText(held, status);
}

/** The generation a deleted variable held: never "created in this change", since the new token is another. */
function heldBefore(inputs: Inputs, steps: readonly PreviewStep[]): string | undefined {
  const held = heldGeneration(inputs);
  if (!held) return undefined;
  const op = tokenStepOf(held.generation, steps)?.op;
  return generationText(held, op !== undefined && REVOKING_OPS.has(op) ? ", **revoked in this change**" : "");
}

function tokenStepOf(generation: string, steps: readonly PreviewStep[]): PreviewStep | undefined {
  const candidates = steps.filter((step) => TOKEN_TYPES.has(step.parsed.type) && step.parsed.name === generation);
  // A replacement shows as replace or as its halves; the replace step speaks for both.
  return candidates.find((step) => step.op === "replace") ?? candidates[0];
}

function generationText(held: { name: string; project: string; expiresAt: string; generation: string }, status: string): string {
  return `token ${code(held.name)} of ${code(held.project)} expiring ${dateText({ kind: "known", value: held.expiresAt })} (generation ${code(held.generation)}${status})`;
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
  return `the new ${tokenSubject(inputs, tokenStep.parsed.name)} expiring ${dateText(classify(inputs.expiresAt))} (${code(tokenStep.parsed.name)}, created in this change)`;
}

// ---------------------------------------------------------------------------------------------
// Shared wording

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
