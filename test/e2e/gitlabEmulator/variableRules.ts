// What GitLab accepts for a project CI/CD variable (gitlabhq/gitlabhq app/models/ci/variable.rb and
// the concerns it includes: Ci::HasVariable, Ci::Maskable, Ci::HidableVariable, HasEnvironmentScope;
// lib/gitlab/regex.rb): errors per attribute, as `render_validation_error!` answers them.

import type { Variable } from "./state";

export const VARIABLE_TYPES = ["env_var", "file"] as const;

const KEY_FORMAT = /^[a-zA-Z0-9_]+$/;
const MAX_KEY_LENGTH = 255;
const MAX_DESCRIPTION_LENGTH = 255;
/** Ci::Maskable::REGEX: one line, at least 8 characters of the Base64 alphabet plus @ : . ~ */
const MASKED_VALUE = /^[a-zA-Z0-9_+=/@:.~-]{8,}$/;
/** Ci::Maskable::MASK_AND_RAW_REGEX: a raw (unexpanded) masked value: at least 8 non-space characters. */
const MASKED_RAW_VALUE = /^\S{8,}$/;
/** Gitlab::Regex.environment_scope_regex. */
const ENVIRONMENT_SCOPE = /^[a-zA-Z0-9_/${}. \-*]+$/;

export type VariableErrors = Record<string, string[]>;

/**
 * Errors of `candidate` (a new variable, or `before` changed into it), checked against the other
 * variables of its project for the one-per-key-and-scope rule.
 */
export function variableErrors(candidate: Omit<Variable, "id" | "projectId">, others: readonly Variable[], before?: Variable): VariableErrors {
  const errors: VariableErrors = {};
  const add = (attribute: string, message: string) => (errors[attribute] ??= []).push(message);

  if (candidate.key === "") add("key", "can't be blank");
  if (candidate.key.length > MAX_KEY_LENGTH) add("key", `is too long (maximum is ${MAX_KEY_LENGTH} characters)`);
  if (!KEY_FORMAT.test(candidate.key)) add("key", "can contain only letters, digits and '_'.");

  if (candidate.masked && !(candidate.raw ? MASKED_RAW_VALUE : MASKED_VALUE).test(candidate.value)) add("value", "is invalid");

  if (before?.hidden && before.masked !== candidate.masked) add("base", "Updating masked attribute is not allowed on updates for hidden variables.");

  if (candidate.description !== null && candidate.description.length > MAX_DESCRIPTION_LENGTH) add("description", `is too long (maximum is ${MAX_DESCRIPTION_LENGTH} characters)`);

  const taken = others.some((other) => other.id !== before?.id && other.key === candidate.key && other.environmentScope === candidate.environmentScope);
  if (taken) add("key", `(${candidate.key}) has already been taken`);

  if (candidate.environmentScope === "") add("environment_scope", "can't be blank");
  if (!ENVIRONMENT_SCOPE.test(candidate.environmentScope)) add("environment_scope", "can contain only letters, digits, '-', '_', '/', '$', '{', '}', '.', '*' and spaces");

  return errors;
}
