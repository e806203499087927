// Check, as the bridge does it for a Terraform Plugin Framework resource (pulumi-terraform-bridge
// pkg/pf/tfbridge/provider_check.go): copy the inputs, apply Pulumi-level defaults (only autonaming of
// `name`, from SetAutonaming(255, "-") in pulumi-gitlab provider/resources.go), run the resource's
// Terraform validators, and return the inputs otherwise untouched. Terraform schema defaults
// (access_level "maintainer", environment_scope "*") are NOT inserted here: the framework applies them
// at plan time, so they show in Diff and in outputs, not in the checked inputs. Secrets stay wrapped.

import { createHash, randomBytes } from "node:crypto";
import { ACCESS_LEVELS, PROJECT_ACCESS_TOKEN, PROJECT_ACCESS_TOKEN_SCOPES, PROJECT_VARIABLE, ROTATION_CONFIGURATION, TYPES, VARIABLE_TYPES, type PropertyModel, type ResourceModel } from "./model";
import { containsUnknown, reveal, secretStrings, type WireMap, type WireValue } from "./propertyValues";

export interface CheckFailure {
  readonly property: string;
  readonly reason: string;
}

export interface AutonamingRequest {
  readonly proposedName: string;
  readonly mode: "propose" | "enforce" | "disable";
}

export interface CheckArgs {
  readonly type: string;
  /** The resource's logical name (last part of its URN). */
  readonly name: string;
  readonly olds: WireMap;
  readonly news: WireMap;
  readonly randomSeed?: Uint8Array;
  /** Set when the stack configures autonaming (`pulumi:autonaming`); the engine sends it because Handshake says we support it. */
  readonly autonaming?: AutonamingRequest;
}

export interface CheckResult {
  readonly inputs: WireMap;
  readonly failures: CheckFailure[];
}

/** The name the bridge's AutoName gives: `<logical name>-<7 hex chars>`, at most 255 characters, stable for a seed. */
export function autoName(logicalName: string, randomSeed?: Uint8Array): string {
  const entropy = randomSeed && randomSeed.length > 0 ? createHash("sha256").update(randomSeed).digest("hex") : randomBytes(4).toString("hex");
  const prefix = `${logicalName}-`;
  return `${prefix.slice(0, 255 - 7)}${entropy.slice(0, 7)}`;
}

export function check(args: CheckArgs): CheckResult {
  if (args.type === TYPES.projectAccessToken) return checkProjectAccessToken(args);
  if (args.type === TYPES.projectVariable) return checkProjectVariable(args);
  return { inputs: args.news, failures: [{ property: "", reason: `the GitLab stand-in does not implement ${args.type}` }] };
}

function checkProjectAccessToken(args: CheckArgs): CheckResult {
  const inputs: WireMap = { ...args.news };
  const failures: CheckFailure[] = [];
  applyAutonaming(inputs, args, failures);
  failures.push(...commonFailures(PROJECT_ACCESS_TOKEN, inputs, args.name));
  const at = (property: string) => `Examine values at '${args.name}.${property}'.`;

  const scopes = inputs.scopes;
  if (Array.isArray(scopes) && !containsUnknown(scopes)) {
    const given = scopes.map((scope) => reveal(scope));
    if (given.length === 0) failures.push({ property: "scopes", reason: `Invalid Attribute Value: Attribute scopes set must contain at least 1 elements, got: 0. ${at("scopes")}` });
    for (const scope of given) {
      // OneOfCaseInsensitive(api.ValidAccessTokenScopes...)
      const known = typeof scope === "string" && PROJECT_ACCESS_TOKEN_SCOPES.some((valid) => valid.toLowerCase() === scope.toLowerCase());
      if (!known) failures.push({ property: "scopes", reason: `Invalid Attribute Value Match: Attribute scopes[Value(${JSON.stringify(scope)})] value must be one of: ${oneOf(PROJECT_ACCESS_TOKEN_SCOPES)}, got: ${JSON.stringify(scope)}. ${at("scopes")}` });
    }
  }

  const accessLevel = known(inputs.accessLevel);
  if (typeof accessLevel === "string" && !ACCESS_LEVELS.includes(accessLevel)) {
    failures.push({ property: "accessLevel", reason: `Invalid Attribute Value Match: Attribute access_level value must be one of: ${oneOf(ACCESS_LEVELS)}, got: ${JSON.stringify(accessLevel)}. ${at("accessLevel")}` });
  }

  // expires_at ExactlyOneOf rotation_configuration (the group token's copy; the project token's v19.2.1
  // copy may only say ConflictsWith: see README).
  const hasExpiry = present(inputs.expiresAt);
  const hasRotation = present(inputs.rotationConfiguration);
  if (hasExpiry === hasRotation) {
    const count = hasExpiry ? 2 : 0;
    const detail = count === 0 ? "No attribute specified" : "2 attributes specified";
    failures.push({ property: "expiresAt", reason: `Invalid Attribute Combination: ${detail} when one (and only one) of [expires_at,rotation_configuration] is required. ${at("expiresAt")}` });
  }
  const rotation = known(inputs.rotationConfiguration);
  if (rotation !== undefined && rotation !== null) failures.push(...rotationFailures(rotation, at));
  return { inputs, failures };
}

function checkProjectVariable(args: CheckArgs): CheckResult {
  const inputs: WireMap = { ...args.news };
  const failures = commonFailures(PROJECT_VARIABLE, inputs, args.name);
  const at = (property: string) => `Examine values at '${args.name}.${property}'.`;

  const key = known(inputs.key);
  if (typeof key === "string") {
    if (key.length < 1 || key.length > 255) failures.push({ property: "key", reason: `Invalid Attribute Value Length: Attribute key string length must be between 1 and 255, got: ${key.length}. ${at("key")}` });
    // regexpGitlabVariableName, "is an invalid, only A-Z, a-z, 0-9, and _ are allowed"
    if (key.length > 0 && !/^[a-zA-Z0-9_]+$/.test(key)) failures.push({ property: "key", reason: `Invalid Attribute Value Match: Attribute key is an invalid, only A-Z, a-z, 0-9, and _ are allowed, got: ${JSON.stringify(key)}. ${at("key")}` });
  }
  const variableType = known(inputs.variableType);
  if (typeof variableType === "string" && !(VARIABLE_TYPES as readonly string[]).includes(variableType)) {
    failures.push({ property: "variableType", reason: `Invalid Attribute Value Match: Attribute variable_type value must be one of: ${oneOf(VARIABLE_TYPES)}, got: ${JSON.stringify(variableType)}. ${at("variableType")}` });
  }
  // boolvalidator.AlsoRequires(masked) on hidden, then ValidateConfig: hidden needs masked = true.
  if (known(inputs.hidden) === true) {
    const masked = inputs.masked;
    if (!present(masked)) {
      failures.push({ property: "hidden", reason: `Invalid Attribute Combination: Attribute "masked" must be specified when "hidden" is specified. ${at("hidden")}` });
    } else if (!containsUnknown(masked) && reveal(masked) !== true) {
      failures.push({ property: "hidden", reason: `Invalid value for a masked variable: A variable cannot be hidden without being masked. Please set the masked attribute to true. ${at("hidden")}` });
    }
  }
  return { inputs, failures };
}

function applyAutonaming(inputs: WireMap, args: CheckArgs, failures: CheckFailure[]): void {
  if (present(inputs.name)) return;
  if (args.autonaming?.mode === "disable") {
    failures.push({ property: "name", reason: `Missing required argument: The argument "name" is required, but no definition was found (autonaming is disabled). Examine values at '${args.name}.name'.` });
    return;
  }
  if (args.autonaming) {
    inputs.name = args.autonaming.proposedName;
    return;
  }
  // The bridge keeps the name it gave before, so that an update does not rename (and replace) the token.
  const previous = args.olds.name;
  inputs.name = typeof previous === "string" && previous !== "" ? previous : autoName(args.name, args.randomSeed);
}

/** Required inputs present, no undeclared inputs, each value of its declared type. */
function commonFailures(model: ResourceModel, inputs: WireMap, name: string): CheckFailure[] {
  const failures: CheckFailure[] = [];
  const declared = new Map(model.properties.filter((p) => p.input).map((p) => [p.name, p]));
  const typeName = model.token.split(":").pop();
  for (const key of Object.keys(inputs)) {
    if (!declared.has(key)) failures.push({ property: key, reason: `${JSON.stringify(key)} is not an input of ${typeName}; the inputs are ${[...declared.keys()].join(", ")}.` });
  }
  for (const property of declared.values()) {
    const value = inputs[property.name];
    if (property.requiredInput && !present(value)) {
      failures.push({ property: property.name, reason: `Missing required argument: The argument "${property.wire}" is required, but no definition was found. Examine values at '${name}.${property.name}'.` });
    } else if (present(value) && !containsUnknown(value) && !hasKind(reveal(value), property)) {
      const shown = secretStrings(value).length > 0 ? "a secret of another type" : JSON.stringify(reveal(value));
      failures.push({ property: property.name, reason: `${property.name} must be ${kindText(property)}, got ${shown}. Examine values at '${name}.${property.name}'.` });
    }
  }
  return failures;
}

function rotationFailures(rotation: WireValue, at: (property: string) => string): CheckFailure[] {
  if (typeof rotation !== "object" || Array.isArray(rotation) || rotation === null) return [];
  const failures: CheckFailure[] = [];
  for (const field of ROTATION_CONFIGURATION) {
    const value = rotation[field.name];
    if (value === undefined || value === null) {
      failures.push({ property: "rotationConfiguration", reason: `Missing required argument: The argument "rotation_configuration.${field.wire}" is required. ${at("rotationConfiguration")}` });
    } else if (!containsUnknown(value) && (typeof value !== "number" || value < 1)) {
      failures.push({ property: "rotationConfiguration", reason: `Invalid Attribute Value: Attribute rotation_configuration.${field.wire} value must be at least 1, got: ${JSON.stringify(value)}. ${at("rotationConfiguration")}` });
    }
  }
  return failures;
}

function hasKind(value: WireValue, property: PropertyModel): boolean {
  switch (property.kind) {
    case "string":
      return typeof value === "string";
    case "boolean":
      return typeof value === "boolean";
    case "integer":
      return Number.isInteger(value);
    case "stringList":
      return Array.isArray(value) && value.every((item) => typeof item === "string");
    case "stringMap":
    case "rotationConfiguration":
      return typeof value === "object" && value !== null && !Array.isArray(value);
  }
}

function kindText(property: PropertyModel): string {
  return { string: "a string", boolean: "a boolean", integer: "an integer", stringList: "a list of strings", stringMap: "a map of strings", rotationConfiguration: "an object" }[property.kind];
}

/** The revealed value when known, else undefined (validators skip unknown values, as Terraform's do). */
function known(value: WireValue | undefined): WireValue | undefined {
  return value === undefined || containsUnknown(value) ? undefined : reveal(value);
}

function present(value: WireValue | undefined): boolean {
  return value !== undefined && value !== null;
}

const oneOf = (values: readonly string[]) => `[${values.map((v) => JSON.stringify(v)).join(" ")}]`;
