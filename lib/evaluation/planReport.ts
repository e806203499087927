// Renders the plain-text report of `npm run plan` from an evaluation of the program: every row comes
// from a registered resource (or the program's own warnings and outputs), never from the config file.

import { daysBetween } from "../../config/dates";
import { isPushRole, isRepositoryScope } from "../../config/schema";
import { table } from "../command/reportText";
import { isSecretValue, plainValue, type Evaluation, type Registration } from "./evaluate";
import { registrationsOf } from "./registrations";

export interface PlanContext {
  readonly project: string;
  readonly stack: string;
  readonly stackFile: string;
  /** The date days left are counted from. */
  readonly today: string;
}

const GENERATION_MARKER = "generation:";

/**
 * The mock token value to evaluate the program with: it names its generation, so the report can tell
 * which generation a variable holds from the variable's registered value alone. Never printed.
 */
export function generationMarker(generationName: string): string {
  return `${GENERATION_MARKER}${generationName}`;
}

interface Generation {
  readonly name: string;
  readonly project: string;
  readonly tokenName: string;
  readonly accessLevel: string;
  readonly scopes: readonly string[];
  readonly expiresAt: string;
}

export function renderPlan(evaluation: Evaluation, context: PlanContext): string {
  const [provider] = registrationsOf(evaluation, "provider");
  const generations = registrationsOf(evaluation, "projectAccessToken").map(toGeneration);
  const variables = registrationsOf(evaluation, "projectVariable");
  const byName = new Map(generations.map((generation) => [generation.name, generation]));
  const heldBy = (variable: Registration) => {
    const value = plainValue(variable.inputs.value);
    return typeof value === "string" && value.startsWith(GENERATION_MARKER) ? byName.get(value.slice(GENERATION_MARKER.length)) : undefined;
  };
  const held = new Set(variables.map((variable) => heldBy(variable)?.name));
  const current = generations.filter((generation) => held.has(generation.name));
  const retiring = generations.filter((generation) => !held.has(generation.name));
  const retiringOf = (generation: Generation) =>
    evaluation.outputs?.inventory.find(
      (token) => token.project === generation.project && token.retiring?.name === generation.tokenName && token.retiring.expiresAt === generation.expiresAt,
    )?.retiring ?? undefined;
  // A hand-made token being adopted is named as such, and any scope or role beyond what this stack would
  // give a token is shouted: it is accepted only because the token is on its way out.
  const retiringName = (generation: Generation) => {
    const tokenId = retiringOf(generation)?.tokenId;
    return tokenId === null || tokenId === undefined ? generation.tokenName : `${generation.tokenName} (hand-made #${tokenId})`;
  };
  const loud = (values: readonly string[], allowed: (value: string) => boolean) => values.map((value) => (allowed(value) ? value : `${value.toUpperCase()}!`)).join(",");
  const adopted = (variable: Registration) =>
    evaluation.outputs?.inventory.some((token) =>
      token.consumers.some((c) => c.adopt && c.project === variable.inputs.project && c.key === variable.inputs.key && c.environmentScope === variable.inputs.environmentScope),
    ) ?? false;
  const yesNo = (value: unknown) => (value === true ? "yes" : "no");

  const lines = [
    `${context.project} · stack ${context.stack} (${context.stackFile}) · evaluated offline on ${context.today} with the Pulumi SDK's mock runtime; nothing was sent to GitLab`,
    provider ? `Provider: gitlab ${provider.version} at ${String(plainValue(provider.inputs.baseUrl))}` : "Provider: none registered",
    "",
    `Push tokens (${current.length})`,
    ...table(
      ["PROJECT", "NAME", "ROLE", "SCOPES", "EXPIRES", "DAYS LEFT"],
      current.map((g) => [g.project, g.tokenName, g.accessLevel, g.scopes.join(","), g.expiresAt, String(daysBetween(context.today, g.expiresAt))]),
    ),
    "",
    `Variables (${variables.length})`,
    ...table(
      ["PROJECT", "KEY", "ENVIRONMENT", "PROTECTED", "MASKED", "HIDDEN", "SECRET", "HOLDS"],
      variables.map((variable) => {
        const generation = heldBy(variable);
        const inputs = variable.inputs;
        return [
          String(inputs.project),
          adopted(variable) ? `${String(inputs.key)} (adopt)` : String(inputs.key),
          String(inputs.environmentScope),
          yesNo(inputs.protected),
          yesNo(inputs.masked),
          yesNo(inputs.hidden),
          isSecretValue(inputs.value) ? "yes" : "NO",
          generation ? `${generation.tokenName} in ${generation.project}, expires ${generation.expiresAt}` : "(unknown value)",
        ];
      }),
    ),
    "",
    `Retiring generations (${retiring.length}): still valid, revoked when their retiring block is removed`,
    ...table(
      ["PROJECT", "NAME", "ROLE", "SCOPES", "EXPIRES", "REVOKE AFTER"],
      retiring.map((g) => [g.project, retiringName(g), loud([g.accessLevel], isPushRole), loud(g.scopes, isRepositoryScope), g.expiresAt, retiringOf(g)?.revokeAfter ?? "?"]),
    ),
    "",
    `Warnings (${evaluation.warnings.length})`,
    ...(evaluation.warnings.length ? evaluation.warnings.map((warning) => `  ! ${warning}`) : ["  none"]),
    "",
    `${evaluation.registrations.length} resources registered: ${summary(evaluation.registrations)}.`,
  ];
  return lines.join("\n");
}

function toGeneration(registration: Registration): Generation {
  const inputs = registration.inputs;
  return {
    name: registration.name,
    project: String(inputs.project),
    tokenName: String(inputs.name),
    accessLevel: String(inputs.accessLevel),
    scopes: (inputs.scopes as string[]) ?? [],
    expiresAt: String(inputs.expiresAt),
  };
}

function summary(registrations: readonly Registration[]): string {
  const counts = new Map<string, number>();
  for (const registration of registrations) {
    const shortType = registration.type.startsWith("pulumi:providers:") ? "provider" : (registration.type.split(":").pop() ?? registration.type);
    counts.set(shortType, (counts.get(shortType) ?? 0) + 1);
  }
  return [...counts].map(([type, count]) => `${count} ${type}`).join(", ");
}
