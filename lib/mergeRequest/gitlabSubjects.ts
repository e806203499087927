// How the note names a resource, wherever it names one (a step, a diagnostic, a policy violation):
// GitLab access tokens and CI/CD variables in a reviewer's words ("token `GITLAB_CI_PUSHER` in
// `xlink/xlink-k8s-gitops`", "variable `GITLAB_PUSHER_TOKEN` in `xlink/xlink-app`"), providers as
// such, anything else by logical name and short type. Works for any program using the provider's
// types; for this project's program it also reads which generation a variable holds. Pure.

import { code } from "./markdown";
import { parseUrn, shortType } from "./urn";
import { placeText, valueText, type Inputs } from "./gitlabValues";
import { classify } from "./values";

/**
 * The provider's token and variable types this note describes, as the engine reports them. Written
 * here rather than taken from infra/: a preview may come from any program using the provider, and
 * test/infra/gitlab/wire.test.ts checks them against the provider's schema and the program's own types.
 */
export const GITLAB_DESCRIBED_TYPES = {
  projectAccessToken: "gitlab:index/projectAccessToken:ProjectAccessToken",
  groupAccessToken: "gitlab:index/groupAccessToken:GroupAccessToken",
  projectVariable: "gitlab:index/projectVariable:ProjectVariable",
  groupVariable: "gitlab:index/groupVariable:GroupVariable",
} as const;

export const TOKEN_TYPES: ReadonlySet<string> = new Set([GITLAB_DESCRIBED_TYPES.projectAccessToken, GITLAB_DESCRIBED_TYPES.groupAccessToken]);
export const VARIABLE_TYPES: ReadonlySet<string> = new Set([GITLAB_DESCRIBED_TYPES.projectVariable, GITLAB_DESCRIBED_TYPES.groupVariable]);
export const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";
const PROVIDER_TYPE_PREFIX = "pulumi:providers:";

/** `token <name> in <project>`, from its inputs, else its logical name. */
export function tokenSubject(inputs: Inputs, logicalName: string): string {
  const name = classify(inputs.name);
  const named = name.kind === "absent" ? code(logicalName) : valueText(name, "");
  const where = placeText(inputs);
  return `token ${named}${where ? ` ${where}` : ""}`;
}

/** `variable <key> (environment <scope>) in <project>`, from its inputs, else its logical name. */
export function variableSubject(inputs: Inputs, logicalName: string): string {
  const key = classify(inputs.key);
  const named = key.kind === "absent" ? code(logicalName) : valueText(key, "");
  const scope = classify(inputs.environmentScope);
  const environment = scope.kind === "absent" || (scope.kind === "known" && scope.value === "*") ? "" : ` (environment ${valueText(scope, "")})`;
  const where = placeText(inputs);
  return `variable ${named}${environment}${where ? ` ${where}` : ""}`;
}

/** The package a resource's type belongs to (`gitlab` for `gitlab:index/…`, the provider's own for a provider). */
export function packageOf(type: string): string {
  return type.startsWith(PROVIDER_TYPE_PREFIX) ? type.slice(PROVIDER_TYPE_PREFIX.length) : type.split(":")[0];
}

/** A provider reference is its URN, `::`, then its ID (a UUID, or the unknown sentinel in a preview). */
export function withoutProviderId(name: string): string {
  return name.replace(/::[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, "");
}

export function isProviderType(type: string): boolean {
  return type.startsWith(PROVIDER_TYPE_PREFIX);
}

/**
 * How the note names the resource `urn`, given what is known of its inputs: tokens and variables in
 * words, providers and the stack as such, anything else as `<name>` (`<short type>`).
 */
export function resourceName(urn: string, inputsOf: (urn: string) => Inputs | undefined): string {
  const parsed = parseUrn(urn);
  if (!parsed) return code(urn);
  if (parsed.type === ROOT_STACK_TYPE) return "the stack";
  if (isProviderType(parsed.type)) {
    return `provider ${code(withoutProviderId(parsed.name))}`;
  }
  const inputs = inputsOf(urn) ?? {};
  if (TOKEN_TYPES.has(parsed.type)) return tokenSubject(inputs, parsed.name);
  if (VARIABLE_TYPES.has(parsed.type)) return variableSubject(inputs, parsed.name);
  return `${code(parsed.name)} (${code(shortType(parsed.type))})`;
}

// This project's program: PushToken components own generations `<project>:<name>@<expiresAt>`, and a
// consumer variable's description names the generation it holds (infra/naming.ts variableDescription).
const HELD_TOKEN_DESCRIPTION = /^Push token (.+) for (\S+), expires (\d{4}-\d{2}-\d{2})\./;

export interface HeldGeneration {
  /** The token's name in GitLab. */
  readonly name: string;
  readonly project: string;
  readonly expiresAt: string;
  /** The generation's logical name, `<project>:<name>@<expiresAt>`. */
  readonly generation: string;
}

/** The generation a variable of this project's program holds, read from its description. */
export function heldGeneration(inputs: Inputs | undefined): HeldGeneration | undefined {
  const description = classify(inputs?.description);
  if (description.kind !== "known" || typeof description.value !== "string") return undefined;
  const match = HELD_TOKEN_DESCRIPTION.exec(description.value);
  if (!match) return undefined;
  const [, name, project, expiresAt] = match;
  return { name, project, expiresAt, generation: `${project}:${name}@${expiresAt}` };
}
