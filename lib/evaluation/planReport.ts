// What `npm run plan` reports, read off an evaluation of the program: every row comes from a registered
// resource (or the program's own warnings and outputs), never from the config file. One reading
// (`planOf`), printed as the text report (`renderPlan`) or as JSON (`--json`, the shape of `Plan`).

import { daysBetween, parseInstant } from "../../config/dates";
import { isPushRole, isRepositoryScope } from "../../config/schema";
import { count, table } from "../command/reportText";
import { isSecretValue, plainValue, type Evaluation, type Registration } from "./evaluate";
import { registrationsOf, type InventoryToken } from "./registrations";

export interface PlanContext {
  readonly project: string;
  readonly stack: string;
  readonly stackFile: string;
  /** The date days left are counted from. */
  readonly today: string;
  /** The instant a retiring generation's revokeAfter is judged at; midnight UTC of `today` when absent. */
  readonly now?: Date;
}

const GENERATION_MARKER = "generation:";

/**
 * The mock token value to evaluate the program with: it names its generation, so the report can tell
 * which generation a variable holds from the variable's registered value alone. Never printed.
 */
export function generationMarker(generationName: string): string {
  return `${GENERATION_MARKER}${generationName}`;
}

/** A token generation the program registered. */
export interface PlanToken {
  readonly project: string;
  readonly name: string;
  readonly accessLevel: string;
  readonly scopes: readonly string[];
  readonly expiresAt: string;
  /** Days from today to expiresAt; 0 or less once it has expired. */
  readonly daysLeft: number;
  readonly expired: boolean;
}

/** Where a retiring generation stands: still needed, or free to be revoked (and why). */
export type RetiringStatus = "valid" | "past revokeAfter" | "expired";

export interface PlanRetiring extends PlanToken {
  /** The hand-made token's ID when it is one being adopted, else null. */
  readonly tokenId: number | null;
  readonly revokeAfter: string | null;
  readonly status: RetiringStatus;
}

/** A consumer variable: its settings as the inventory output names them, read here off its registration. */
export interface PlanVariable extends Readonly<InventoryToken["consumers"][number]> {
  /** Its value is a Pulumi secret (always, unless the program is broken). */
  readonly secret: boolean;
  /** The generation it holds; null when the plan cannot tell. */
  readonly holds: { readonly project: string; readonly name: string; readonly expiresAt: string } | null;
}

/** The plan of one stack, as `npm run plan -- --json` prints it. */
export interface Plan {
  readonly project: string;
  readonly stack: string;
  readonly stackFile: string;
  readonly today: string;
  readonly provider: { readonly version: string; readonly baseUrl: string } | null;
  /** The current generation of each token: the one the variables hold. */
  readonly tokens: readonly PlanToken[];
  readonly variables: readonly PlanVariable[];
  /** Generations kept for pipelines that read them before a rotation, and hand-made tokens being retired. */
  readonly retiring: readonly PlanRetiring[];
  /** The program's warnings, as every preview logs them. */
  readonly warnings: readonly string[];
  /** Every registered resource, counted by short type (`provider`, `PushToken`, `ProjectAccessToken`, …). */
  readonly resources: { readonly total: number; readonly byType: Readonly<Record<string, number>> };
}

export function planOf(evaluation: Evaluation, context: PlanContext): Plan {
  const now = context.now ?? new Date(`${context.today}T00:00:00Z`);
  const [provider] = registrationsOf(evaluation, "provider");
  const generations = registrationsOf(evaluation, "projectAccessToken").map((registration) => ({ name: registration.name, token: toToken(registration, context.today) }));
  const variables = registrationsOf(evaluation, "projectVariable");
  const byName = new Map(generations.map((generation) => [generation.name, generation.token]));
  const heldBy = (variable: Registration) => {
    const value = plainValue(variable.inputs.value);
    return typeof value === "string" && value.startsWith(GENERATION_MARKER) ? byName.get(value.slice(GENERATION_MARKER.length)) : undefined;
  };
  const held = new Set(variables.map(heldBy));
  const inventory = evaluation.outputs?.inventory ?? [];
  const retiringOf = (token: PlanToken) =>
    inventory.find((entry) => entry.project === token.project && entry.retiring?.name === token.name && entry.retiring.expiresAt === token.expiresAt)?.retiring ?? undefined;
  const adopted = (variable: Registration) =>
    inventory.some((token) => token.consumers.some((c) => c.adopt && c.project === variable.inputs.project && c.key === variable.inputs.key && c.environmentScope === variable.inputs.environmentScope));

  return {
    project: context.project,
    stack: context.stack,
    stackFile: context.stackFile,
    today: context.today,
    provider: provider ? { version: provider.version, baseUrl: String(plainValue(provider.inputs.baseUrl)) } : null,
    tokens: generations.filter(({ token }) => held.has(token)).map(({ token }) => token),
    variables: variables.map((variable): PlanVariable => {
      const inputs = variable.inputs;
      const holds = heldBy(variable);
      return {
        project: String(inputs.project),
        key: String(inputs.key),
        environmentScope: String(inputs.environmentScope),
        protected: inputs.protected === true,
        masked: inputs.masked === true,
        hidden: inputs.hidden === true,
        secret: isSecretValue(inputs.value),
        adopt: adopted(variable),
        holds: holds ? { project: holds.project, name: holds.name, expiresAt: holds.expiresAt } : null,
      };
    }),
    retiring: generations
      .filter(({ token }) => !held.has(token))
      .map(({ token }): PlanRetiring => {
        const retiring = retiringOf(token);
        const revokeAfter = retiring?.revokeAfter ?? null;
        const pastRevokeAfter = revokeAfter !== null && now.getTime() >= (parseInstant(revokeAfter)?.getTime() ?? Number.POSITIVE_INFINITY);
        return { ...token, tokenId: retiring?.tokenId ?? null, revokeAfter, status: token.expired ? "expired" : pastRevokeAfter ? "past revokeAfter" : "valid" };
      }),
    warnings: [...evaluation.warnings],
    resources: { total: evaluation.registrations.length, byType: countByType(evaluation.registrations) },
  };
}

const STATUS_TEXT: Record<RetiringStatus, string> = {
  valid: "valid until revokeAfter",
  "past revokeAfter": "past revokeAfter: can go",
  expired: "expired: can go",
};

/** The text report of `npm run plan`. */
export function renderPlan(evaluation: Evaluation, context: PlanContext): string {
  return renderPlanText(planOf(evaluation, context));
}

export function renderPlanText(plan: Plan): string {
  // A hand-made token being adopted is named as such, and any scope or role beyond what this stack would
  // give a token is shouted: it is accepted only because the token is on its way out.
  const loud = (values: readonly string[], allowed: (value: string) => boolean) => values.map((value) => (allowed(value) ? value : `${value.toUpperCase()}!`)).join(",");
  const yesNo = (value: boolean) => (value ? "yes" : "no");
  const daysLeft = (token: PlanToken) => (token.expired ? "expired" : String(token.daysLeft));
  const { resources } = plan;

  const lines = [
    `${plan.project} · stack ${plan.stack} (${plan.stackFile}) · evaluated offline on ${plan.today} with the Pulumi SDK's mock runtime; nothing was sent to GitLab`,
    plan.provider ? `Provider: gitlab ${plan.provider.version} at ${plan.provider.baseUrl}` : "Provider: none registered",
    "",
    `Push tokens (${plan.tokens.length})`,
    ...table(
      ["PROJECT", "NAME", "ROLE", "SCOPES", "EXPIRES", "DAYS LEFT"],
      plan.tokens.map((token) => [token.project, token.name, token.accessLevel, token.scopes.join(","), token.expiresAt, daysLeft(token)]),
    ),
    "",
    `Variables (${plan.variables.length})`,
    ...table(
      ["PROJECT", "KEY", "ENVIRONMENT", "PROTECTED", "MASKED", "HIDDEN", "SECRET", "HOLDS"],
      plan.variables.map((variable) => [
        variable.project,
        variable.adopt ? `${variable.key} (adopt)` : variable.key,
        variable.environmentScope,
        yesNo(variable.protected),
        yesNo(variable.masked),
        yesNo(variable.hidden),
        variable.secret ? "yes" : "NO",
        variable.holds ? `${variable.holds.name} in ${variable.holds.project}, expires ${variable.holds.expiresAt}` : "(unknown value)",
      ]),
    ),
    "",
    `Retiring generations (${plan.retiring.length}): each is revoked when its retiring block is removed`,
    ...table(
      ["PROJECT", "NAME", "ROLE", "SCOPES", "EXPIRES", "REVOKE AFTER", "STATUS"],
      plan.retiring.map((token) => [
        token.project,
        token.tokenId === null ? token.name : `${token.name} (hand-made #${token.tokenId})`,
        loud([token.accessLevel], isPushRole),
        loud(token.scopes, isRepositoryScope),
        token.expiresAt,
        token.revokeAfter ?? "?",
        STATUS_TEXT[token.status],
      ]),
    ),
    "",
    `Warnings (${plan.warnings.length})`,
    ...(plan.warnings.length ? plan.warnings.map((warning) => `  ! ${warning}`) : ["  none"]),
    "",
    `${count(resources.total, "resource")} registered${resources.total === 0 ? "." : `: ${Object.entries(resources.byType).map(([type, n]) => `${n} ${type}`).join(", ")}.`}`,
  ];
  return lines.join("\n");
}

function toToken(registration: Registration, today: string): PlanToken {
  const inputs = registration.inputs;
  const expiresAt = String(inputs.expiresAt);
  const daysLeft = daysBetween(today, expiresAt);
  return {
    project: String(inputs.project),
    name: String(inputs.name),
    accessLevel: String(inputs.accessLevel),
    scopes: (inputs.scopes as string[]) ?? [],
    expiresAt,
    daysLeft,
    expired: daysLeft <= 0,
  };
}

function countByType(registrations: readonly Registration[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const registration of registrations) {
    const shortType = registration.type.startsWith("pulumi:providers:") ? "provider" : (registration.type.split(":").pop() ?? registration.type);
    counts[shortType] = (counts[shortType] ?? 0) + 1;
  }
  return counts;
}
