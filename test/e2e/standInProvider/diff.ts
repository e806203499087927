// What a change does, decided the way the bridge decides it for a Terraform Plugin Framework resource:
// plan the new state from the prior state and the checked inputs (schema defaults, UseStateForUnknown,
// the resource's ModifyPlan), then compare planned with prior. Replacement comes from the Terraform
// RequiresReplace plan modifiers (there is no replaceOnChanges in a bridged schema), plus the token's
// ModifyPlan, which asks for a replacement when the token was revoked outside Pulumi (upstream MR 2459,
// resource_gitlab_group_access_token.go's modifyPlanRevoked, which the project token shares).
// Never delete-before-replace: the bridge leaves that to the program's resource option.

import { PROJECT_ACCESS_TOKEN, PROJECT_VARIABLE, TYPES, type ResourceModel } from "./model";
import { containsUnknown, reveal, sameValue, UNKNOWN, type WireMap, type WireValue } from "./propertyValues";

export type DiffKind = "ADD" | "ADD_REPLACE" | "DELETE" | "DELETE_REPLACE" | "UPDATE" | "UPDATE_REPLACE";

export interface PlanResult {
  /** The state the resource will have; unknown where only GitLab can tell (a new token's value). */
  readonly planned: WireMap;
  /** Properties whose change forces a replacement (Terraform RequiresReplace paths). */
  readonly requiresReplace: readonly string[];
}

export interface DiffResult extends PlanResult {
  readonly changed: boolean;
  readonly replaces: readonly string[];
  readonly diffs: readonly string[];
  readonly detailedDiff: Readonly<Record<string, DiffKind>>;
  readonly deleteBeforeReplace: false;
}

export class PlanError extends Error {}

export interface PlanArgs {
  readonly type: string;
  /** The prior state (the resource's outputs); absent when the resource is being created. */
  readonly prior?: WireMap;
  /** The checked inputs. */
  readonly config: WireMap;
  readonly now: Date;
  readonly ignoreChanges?: readonly string[];
}

export function plan(args: PlanArgs): PlanResult {
  const config = applyIgnoreChanges(args.config, args.prior, args.ignoreChanges);
  if (args.type === TYPES.projectAccessToken) return planProjectAccessToken(args.prior, config, args.now);
  if (args.type === TYPES.projectVariable) return planProjectVariable(args.prior, config);
  throw new PlanError(`the GitLab stand-in does not implement ${args.type}`);
}

export function diff(args: PlanArgs & { readonly prior: WireMap }): DiffResult {
  const model = args.type === TYPES.projectAccessToken ? PROJECT_ACCESS_TOKEN : PROJECT_VARIABLE;
  const result = plan(args);
  const compared = [...inputNames(model), ...result.requiresReplace.filter((key) => !inputNames(model).includes(key))];
  const diffs = compared.filter((key) => !same(key, args.prior[key], result.planned[key]));
  const replaceable = new Set([...model.properties.filter((p) => p.forcesReplacement).map((p) => p.name), ...result.requiresReplace]);
  const replaces = diffs.filter((key) => replaceable.has(key));
  const detailedDiff = Object.fromEntries(diffs.map((key) => [key, kindOf(args.prior[key], result.planned[key], replaces.includes(key))]));
  return { ...result, changed: diffs.length > 0, diffs, replaces, detailedDiff, deleteBeforeReplace: false };
}

// --- ProjectAccessToken -------------------------------------------------------------------------

/** Computed attributes without UseStateForUnknown: unknown in any plan that changes the token. */
const TOKEN_VOLATILE = ["id", "token", "active", "createdAt", "revoked", "userId"];

function planProjectAccessToken(prior: WireMap | undefined, config: WireMap, now: Date): PlanResult {
  const planned: WireMap = { ...withDefaults(PROJECT_ACCESS_TOKEN, config) };
  if (!prior) {
    // Create: ModifyPlan computes the expiry now, so a bad date fails the preview, not only the update.
    planned.expiresAt = expiryDate(planned, now);
    for (const key of TOKEN_VOLATILE) planned[key] = UNKNOWN;
    if (planned.description === undefined) planned.description = UNKNOWN;
    return { planned, requiresReplace: [] };
  }

  // UseStateForUnknown: an optional+computed input the program leaves out keeps its value.
  for (const key of ["description", "expiresAt"]) if (planned[key] === undefined && prior[key] !== undefined) planned[key] = prior[key];
  for (const key of TOKEN_VOLATILE) if (prior[key] !== undefined) planned[key] = prior[key];

  if (reveal(prior.revoked) === true) {
    // modifyPlanRevoked: a token revoked outside Pulumi is recreated, unless it had expired anyway.
    const priorExpiry = reveal(prior.expiresAt);
    const expiredAnyway = prior.rotationConfiguration === undefined && typeof priorExpiry === "string" && parseDate(priorExpiry).getTime() < now.getTime();
    if (expiredAnyway) return { planned, requiresReplace: [] };
    planned.expiresAt = expiryDate(planned, now);
    planned.revoked = false;
    return { planned: markVolatile(planned, ["id", "token", "active", "createdAt", "userId"]), requiresReplace: ["revoked"] };
  }

  let rotate = !sameValue(prior.expiresAt, planned.expiresAt);
  const rotation = reveal(prior.rotationConfiguration);
  if (!rotate && isObject(rotation) && typeof reveal(prior.expiresAt) === "string") {
    const rotateBefore = reveal(planned.rotationConfiguration);
    const days = isObject(rotateBefore) && typeof rotateBefore.rotateBeforeDays === "number" ? rotateBefore.rotateBeforeDays : 0;
    rotate = parseDate(reveal(prior.expiresAt) as string).getTime() - days * DAY_MS < now.getTime();
  }
  if (rotate) {
    const expiry = expiryDate(planned, now);
    if (!sameValue(expiry, prior.expiresAt)) {
      // Rotation: GitLab's rotate API issues a new token (new id, new value) and revokes the old one.
      planned.expiresAt = expiry;
      markVolatile(planned, ["id", "token", "createdAt"]);
    }
  }
  const changesSomething = inputNames(PROJECT_ACCESS_TOKEN).some((key) => !same(key, prior[key], planned[key]));
  return { planned: changesSomething ? markVolatile(planned, ["active", "revoked", "userId"]) : planned, requiresReplace: [] };
}

/** utils.DetermineExpiryDate: the configured date, or today plus rotation_configuration.expiration_days. */
function expiryDate(planned: WireMap, now: Date): WireValue {
  const expiresAt = planned.expiresAt;
  const rotation = reveal(planned.rotationConfiguration);
  if (expiresAt !== undefined && !isObject(rotation)) {
    if (containsUnknown(expiresAt)) return expiresAt;
    const text = reveal(expiresAt);
    if (typeof text !== "string" || !isIsoDate(text)) {
      throw new PlanError(`Error determining new expiry date: Could not determine new expiry date: ${JSON.stringify(text)} is not a date in the format YYYY-MM-DD (Go layout 2006-01-02). Set expiresAt to a date such as 2030-01-31.`);
    }
    return expiresAt;
  }
  if (isObject(rotation) && typeof rotation.expirationDays === "number") {
    return formatDate(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + rotation.expirationDays)));
  }
  return UNKNOWN;
}

// --- ProjectVariable ----------------------------------------------------------------------------

/** Optional+computed inputs with no default: GitLab decides them when the program leaves them out. */
const VARIABLE_COMPUTED = ["variableType", "protected", "masked", "hidden", "raw", "description"];

function planProjectVariable(prior: WireMap | undefined, config: WireMap): PlanResult {
  const planned: WireMap = { ...withDefaults(PROJECT_VARIABLE, config) };
  if (!prior) {
    for (const key of VARIABLE_COMPUTED) if (planned[key] === undefined) planned[key] = UNKNOWN;
    planned.id = UNKNOWN;
    return { planned, requiresReplace: [] };
  }
  // Approximation: the framework would plan these unknown when anything else changes; GitLab then
  // answers the value it kept, which is the prior one.
  for (const key of VARIABLE_COMPUTED) if (planned[key] === undefined && prior[key] !== undefined) planned[key] = prior[key];
  if (prior.id !== undefined) planned.id = prior.id;
  return { planned, requiresReplace: [] };
}

// --- shared -------------------------------------------------------------------------------------

const DAY_MS = 24 * 60 * 60 * 1000;

function withDefaults(model: ResourceModel, config: WireMap): WireMap {
  const planned: WireMap = { ...config };
  for (const property of model.properties) {
    if (property.default !== undefined && (planned[property.name] === undefined || planned[property.name] === null)) planned[property.name] = property.default;
  }
  return planned;
}

function applyIgnoreChanges(config: WireMap, prior: WireMap | undefined, ignoreChanges: readonly string[] = []): WireMap {
  if (!prior || ignoreChanges.length === 0) return config;
  const result: WireMap = { ...config };
  for (const key of ignoreChanges) {
    if (prior[key] === undefined) delete result[key];
    else result[key] = prior[key];
  }
  return result;
}

function markVolatile(planned: WireMap, keys: readonly string[]): WireMap {
  for (const key of keys) planned[key] = UNKNOWN;
  return planned;
}

const inputNames = (model: ResourceModel) => model.properties.filter((p) => p.input).map((p) => p.name);

/** Equal for the diff: null and absent alike, secrets by content, scopes as the set Terraform keeps. */
function same(key: string, before: WireValue | undefined, after: WireValue | undefined): boolean {
  if (containsUnknown(after)) return false;
  const left = before ?? null;
  const right = after ?? null;
  if (key === "scopes" && Array.isArray(reveal(left)) && Array.isArray(reveal(right))) {
    const sorted = (value: WireValue) => [...new Set((reveal(value) as WireValue[]).map(String))].sort();
    return sameValue(sorted(left), sorted(right));
  }
  return sameValue(left, right);
}

function kindOf(before: WireValue | undefined, after: WireValue | undefined, replace: boolean): DiffKind {
  const base = before === undefined || before === null ? "ADD" : after === undefined || after === null ? "DELETE" : "UPDATE";
  return replace ? (`${base}_REPLACE` as DiffKind) : base;
}

export function isIsoDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  return formatDate(parseDate(text)) === text;
}

/** Midnight UTC at the start of a YYYY-MM-DD date, as Go's time.Parse("2006-01-02") gives it. */
export function parseDate(text: string): Date {
  const [year, month, day] = text.split("-").map(Number);
  return new Date(Date.UTC(year, month - 1, day));
}

export function formatDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function isObject(value: WireValue | undefined): value is { [key: string]: WireValue } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
