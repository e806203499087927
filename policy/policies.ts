// The guardrails of the gitlab-push-token-guardrails pack, as CrossGuard policies. index.ts hands them to
// a PolicyPack; tests call their validateResource/validateStack directly, so no gRPC server starts there.
//
// How values reach a policy (@pulumi/policy 1.21.0, server.js / deserialize.js / proxy.js):
// - validateResource gets the resource's inputs, validateStack every resource's outputs;
// - secrets arrive unwrapped: the SDK deserializes with secret-proxying off, so a secret input is a plain
//   value and a policy cannot tell it was secret (the wire form is still recognised, for raw callers);
// - a value unknown during preview is a sentinel behind a proxy that throws UnknownValueError when read.
//   Each check below reads inside `whenKnown`, so an unknown value skips that one check instead of the
//   whole policy; `pulumi up` runs the policies again with every input known.

// Plain `import type` statements rather than inline `type` modifiers: run-policy-pack compiles the pack
// with whatever TypeScript it resolves, falling back to a vendored 3.8 that predates the inline form.
import { Secret, UnknownValueError } from "@pulumi/policy";
import type {
  Policies,
  PolicyConfigSchema,
  PolicyResource,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import {
  ACCESS_TOKEN_TYPES,
  DEFAULT_CREDENTIAL_WORDS,
  DEFAULT_LEAST_PRIVILEGE,
  EXCEPTION_PATTERN,
  GITLAB_TYPES,
  PUSH_TOKEN_COMPONENT_TYPE,
  VARIABLE_TYPES,
  accessLevelFindings,
  credentialWordIn,
  describeResource,
  expiryFindings,
  isExcepted,
  isSecretWireValue,
  looksLikeGitLabToken,
  protectionFindings,
  rotationFindings,
  scopeFindings,
  unconsumedReason,
  utcDate,
  variableId,
  violationMessage,
} from "./rules";
import type { Finding, LeastPrivilegeSettings, TokenView, VariableIdentity } from "./rules";

/** Where the policies read today's date; injected so tests judge expiries on a fixed day. */
export interface PolicyClock {
  /** Today's UTC date, YYYY-MM-DD. */
  today(): string;
}

export const systemClock: PolicyClock = { today: () => utcDate(new Date()) };

/** The pack's name, as the engine reports it (policy/index.ts builds the pack under it). */
export const POLICY_PACK_NAME = "gitlab-push-token-guardrails";

export const POLICY_NAMES = {
  leastPrivilege: "gitlab-access-token-least-privilege",
  credentialVariable: "gitlab-credential-variable-masked-protected",
  tokenVariable: "gitlab-token-variable-masked-protected",
  tokenConsumed: "gitlab-access-token-consumed",
  createBeforeDelete: "gitlab-access-token-create-before-delete",
} as const;

/** The policies, judging expiries against `clock`. */
export function createPolicies(clock: PolicyClock = systemClock): Policies {
  return [
    leastPrivilegePolicy(clock),
    credentialVariablePolicy(),
    tokenVariablePolicy(),
    tokenConsumedPolicy(),
    createBeforeDeletePolicy(),
  ];
}

// ---------------------------------------------------------------------------------------------------

const UNKNOWN = Symbol("unknown during preview");

/** `read()`, or UNKNOWN when it touched a value the engine does not know yet (preview). */
function whenKnown<T>(read: () => T): T | typeof UNKNOWN {
  try {
    return read();
  } catch (error) {
    if (error instanceof UnknownValueError) return UNKNOWN;
    throw error;
  }
}

/** Findings of one check; none when the values it needs are unknown. */
function check(read: () => Finding[]): Finding[] {
  const findings = whenKnown(read);
  return findings === UNKNOWN ? [] : findings;
}

/** A string property, or undefined when unset, unknown or not a string. */
function knownString(props: Record<string, unknown>, key: string): string | undefined {
  const value = whenKnown(() => props[key]);
  return typeof value === "string" ? value : undefined;
}

/** A configured list, or the default when the knob is not set. */
function listOr(configured: readonly string[] | undefined, defaults: readonly string[]): readonly string[] {
  return Array.isArray(configured) ? configured : defaults;
}

function reportAll(report: ReportViolation, subject: string, findings: readonly Finding[], urn?: string): void {
  for (const finding of findings) report(violationMessage(subject, finding), urn);
}

const stringList = (description: string, defaults: readonly string[]) => ({
  type: "array" as const,
  items: { type: "string" as const },
  uniqueItems: true,
  default: [...defaults],
  description,
});

const exceptionsSchema = {
  type: "array" as const,
  items: { type: "string" as const, pattern: EXCEPTION_PATTERN },
  uniqueItems: true,
  default: [],
  description:
    'Variables exempt from this policy: "<project or group>:<KEY>" (every environment scope), "<project or group>:<KEY>[<scope>]" (one scope), or "*:<KEY>" (any project or group).',
};

// ---------------------------------------------------------------------------------------------------
// 1. Access tokens: only push scopes, a pushing role, a bounded expiry, no in-place rotation.

/** The policy's config as the CLI hands it over (validated against the schema below). */
interface LeastPrivilegeConfig {
  /** Days after today an expiry may lie. */
  readonly maxLifetimeDays?: number;
  /** Scopes a token may have. */
  readonly allowedScopes?: string[];
  /** Roles a token may have. */
  readonly allowedAccessLevels?: string[];
  /** `<project or group>:<token name>` of hand-made tokens being retired, whose scopes and role are not judged. */
  readonly retiringTokens?: string[];
}

const retiringTokensSchema = {
  type: "array" as const,
  items: { type: "string" as const, pattern: "^[^:]+:.+$" },
  uniqueItems: true,
  default: [],
  description:
    'Not needed for this project\'s program, which marks the hand-made tokens it adopts (every judged input in ignoreChanges) and the pack reads that mark. For tokens adopted some other way: "<project or group>:<token name>", whose scopes and role are not judged and which no variable needs to hold. Remove the entry once the token is revoked.',
};

const leastPrivilegeSchema: PolicyConfigSchema = {
  properties: {
    maxLifetimeDays: {
      type: "integer",
      minimum: 1,
      maximum: 400,
      default: DEFAULT_LEAST_PRIVILEGE.maxLifetimeDays,
      description: "How many days after today a token's expiresAt may lie (GitLab allows 365, or 400 with an instance setting).",
    },
    allowedScopes: stringList("Scopes a token may have.", DEFAULT_LEAST_PRIVILEGE.allowedScopes),
    allowedAccessLevels: stringList("Roles a token may have; an unset accessLevel is judged as the provider's default, maintainer.", DEFAULT_LEAST_PRIVILEGE.allowedAccessLevels),
    retiringTokens: retiringTokensSchema,
  },
};

/**
 * The inputs the program ignores for diffs on a hand-made token it adopts (`retiring.tokenId`,
 * ADOPTED_TOKEN_INPUTS in infra/pushToken.ts): GitLab set them, the stack never does, and any diff
 * would replace (revoke) it. No token the program creates ignores its scopes or role, so this is the
 * mark the pack reads off the resource itself, whatever the stack's size: no list in the pack's
 * config has to grow with it. (The pack ships alone, so the list is repeated here; the policy suite
 * evaluates the program to keep both in step.)
 */
export const ADOPTED_TOKEN_MARK = ["project", "name", "scopes", "accessLevel", "expiresAt"] as const;

/** Whether the program adopted this token as a hand-made one being retired: every input it would judge is GitLab's, not the stack's. */
function isAdoptedToken(opts: { readonly ignoreChanges?: readonly string[] } | undefined): boolean {
  const ignored = opts?.ignoreChanges ?? [];
  return ADOPTED_TOKEN_MARK.every((input) => ignored.includes(input));
}

/**
 * Whether a token is a hand-made one being retired: adopted by the program (its mark, above), or listed
 * under retiringTokens (still read, for a token some other program adopts: project or group
 * case-insensitive, name exact).
 */
function isRetiringToken(props: Record<string, unknown>, retiringTokens: readonly string[], opts?: { readonly ignoreChanges?: readonly string[] }): boolean {
  if (isAdoptedToken(opts)) return true;
  if (retiringTokens.length === 0) return false;
  // Unknown during preview (computed from another resource): not a hand-made token named in config.
  const owner = knownString(props, "project") ?? knownString(props, "group");
  const name = knownString(props, "name");
  if (owner === undefined || name === undefined) return false;
  return retiringTokens.some((entry) => {
    const split = entry.indexOf(":");
    return entry.slice(0, split).toLowerCase() === owner.toLowerCase() && entry.slice(split + 1) === name;
  });
}

function leastPrivilegeSettings(config: LeastPrivilegeConfig): LeastPrivilegeSettings {
  const { maxLifetimeDays, allowedScopes, allowedAccessLevels } = config;
  return {
    maxLifetimeDays: Number.isInteger(maxLifetimeDays) && (maxLifetimeDays as number) > 0 ? (maxLifetimeDays as number) : DEFAULT_LEAST_PRIVILEGE.maxLifetimeDays,
    allowedScopes: listOr(allowedScopes, DEFAULT_LEAST_PRIVILEGE.allowedScopes),
    allowedAccessLevels: listOr(allowedAccessLevels, DEFAULT_LEAST_PRIVILEGE.allowedAccessLevels).map((level) => level.toLowerCase()),
  };
}

function leastPrivilegePolicy(clock: PolicyClock): ResourceValidationPolicy {
  return {
    name: POLICY_NAMES.leastPrivilege,
    description:
      "GitLab project and group access tokens have only write_repository/read_repository, the developer or maintainer role, an expiry within maxLifetimeDays, and no rotationConfiguration.",
    enforcementLevel: "mandatory",
    configSchema: leastPrivilegeSchema,
    validateResource: (args: ResourceValidationArgs, report: ReportViolation) => {
      if (!ACCESS_TOKEN_TYPES.includes(args.type)) return;
      const config = args.getConfig<LeastPrivilegeConfig>();
      const settings = leastPrivilegeSettings(config);
      const props = args.props;
      const retiring = isRetiringToken(props, listOr(config.retiringTokens, []), args.opts);
      reportAll(report, describeResource(args.type, args.name), [
        ...(retiring ? [] : check(() => scopeFindings(props.scopes, settings))),
        ...(retiring ? [] : check(() => accessLevelFindings(props.accessLevel, settings))),
        ...check(() => expiryFindings(props.expiresAt, clock.today(), settings)),
        ...check(() => rotationFindings(props.rotationConfiguration)),
      ]);
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// 2. Variables that look like credentials are masked and protected.

/** The policy's config as the CLI hands it over. */
interface CredentialVariableConfig {
  /** Words that mark a key as a credential. */
  readonly credentialWords?: string[];
  /** `owner:KEY[scope]` entries exempt from the policy. */
  readonly exceptions?: string[];
}

function variableIdentity(type: string, props: Record<string, unknown>): VariableIdentity | undefined {
  const owner = knownString(props, type === GITLAB_TYPES.groupVariable ? "group" : "project");
  const key = knownString(props, "key");
  if (owner === undefined || key === undefined) return undefined;
  return { owner, key, environmentScope: knownString(props, "environmentScope") ?? "*" };
}

/** Why a variable's own inputs say it carries a credential, or undefined. Never looks at more than the value's shape. */
function credentialReason(props: Record<string, unknown>, key: string, words: readonly string[]): string | undefined {
  const word = credentialWordIn(key, words);
  if (word) return `its key has the word ${word}`;
  const value = whenKnown(() => props.value);
  if (value instanceof Secret || isSecretWireValue(value)) return "its value is a Pulumi secret";
  if (looksLikeGitLabToken(value)) return "its value looks like a GitLab token";
  return undefined;
}

const protection = (props: Record<string, unknown>) => ({ masked: props.masked, hidden: props.hidden, protected: props.protected });

function credentialVariablePolicy(): ResourceValidationPolicy {
  const hint = `of policy ${POLICY_NAMES.credentialVariable}`;
  return {
    name: POLICY_NAMES.credentialVariable,
    description:
      "GitLab CI/CD variables whose key names a credential (TOKEN, PASSWORD, SECRET, KEY, … as a word of the key) or whose value is a secret or GitLab-token-shaped are masked (or hidden) and protected.",
    enforcementLevel: "mandatory",
    configSchema: {
      properties: {
        credentialWords: stringList("Words that mark a key as a credential when they are a whole _-separated part of it.", DEFAULT_CREDENTIAL_WORDS),
        exceptions: exceptionsSchema,
      },
    },
    validateResource: (args: ResourceValidationArgs, report: ReportViolation) => {
      if (!VARIABLE_TYPES.includes(args.type)) return;
      const config = args.getConfig<CredentialVariableConfig>();
      const identity = variableIdentity(args.type, args.props);
      if (!identity || isExcepted(identity, listOr(config.exceptions, []))) return;
      const why = credentialReason(args.props, identity.key, listOr(config.credentialWords, DEFAULT_CREDENTIAL_WORDS));
      if (!why) return;
      reportAll(report, describeResource(args.type, args.name), check(() => protectionFindings(protection(args.props), why, variableId(identity), hint)));
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// Stack policies. Each resource's `props` are its outputs; dependencies are resolved to resources.

const isAccessToken = (resource: PolicyResource) => ACCESS_TOKEN_TYPES.includes(resource.type);
const isVariable = (resource: PolicyResource) => VARIABLE_TYPES.includes(resource.type);

/**
 * The resources a variable's `value` was computed from. Engines without property dependencies in state
 * leave the map empty; then every dependency counts, the closest available evidence.
 */
function valueSources(variable: PolicyResource): readonly PolicyResource[] {
  const byProperty = variable.propertyDependencies ?? {};
  if (Object.keys(byProperty).length === 0) return variable.dependencies ?? [];
  return byProperty.value ?? [];
}

/** Tokens a variable's value holds. */
function heldTokens(variable: PolicyResource): PolicyResource[] {
  return valueSources(variable).filter(isAccessToken);
}

/** Generations of one declared token share project (or group) and name; failing those, their PushToken parent. */
function tokenIdentity(token: PolicyResource): string {
  const owner = knownString(token.props, token.type === GITLAB_TYPES.groupAccessToken ? "group" : "project");
  const name = knownString(token.props, "name");
  if (owner !== undefined && name !== undefined) return `${token.type}|${owner.toLowerCase()}|${name}`;
  if (token.parent?.type === PUSH_TOKEN_COMPONENT_TYPE) return token.parent.urn;
  return token.urn;
}

// 3. A variable that holds an access token is masked and protected, whatever its key is called: this is
//    what catches a token-holding variable at preview, where secrets arrive unwrapped (see above).

function tokenVariablePolicy(): StackValidationPolicy {
  const hint = `of policy ${POLICY_NAMES.tokenVariable}`;
  return {
    name: POLICY_NAMES.tokenVariable,
    description: "GitLab CI/CD variables whose value is computed from an access token in this stack are masked (or hidden) and protected.",
    enforcementLevel: "mandatory",
    configSchema: { properties: { exceptions: exceptionsSchema } },
    validateStack: (args: StackValidationArgs, report: ReportViolation) => {
      const exceptions = listOr(args.getConfig<{ exceptions?: string[] }>().exceptions, []);
      for (const variable of args.resources.filter(isVariable)) {
        const tokens = heldTokens(variable);
        if (tokens.length === 0) continue;
        const identity = variableIdentity(variable.type, variable.props);
        if (identity && isExcepted(identity, exceptions)) continue;
        const why = `its value holds ${tokens.map((token) => describeResource(token.type, token.name)).join(", ")}`;
        const id = identity ? variableId(identity) : variable.name;
        reportAll(report, describeResource(variable.type, variable.name), check(() => protectionFindings(protection(variable.props), why, id, hint)), variable.urn);
      }
    },
  };
}

// 4. Every access token is held by a variable, except the retiring generation of a rotation.

function tokenConsumedPolicy(): StackValidationPolicy {
  return {
    name: POLICY_NAMES.tokenConsumed,
    description:
      "Every GitLab access token is held by a CI/CD variable of the stack, except the retiring generation of a rotation (an older expiry than a held token with the same project and name) and hand-made tokens being retired (adopted by the program, or listed under retiringTokens).",
    enforcementLevel: "mandatory",
    configSchema: { properties: { retiringTokens: retiringTokensSchema } },
    validateStack: (args: StackValidationArgs, report: ReportViolation) => {
      const held = new Set(args.resources.filter(isVariable).flatMap((variable) => heldTokens(variable).map((token) => token.urn)));
      const retiringTokens = listOr(args.getConfig<{ retiringTokens?: string[] }>().retiringTokens, []);
      // A hand-made token being adopted is held by nothing from the start: the variables moved to the new generation.
      const tokens = args.resources.filter(isAccessToken).filter((token) => !isRetiringToken(token.props, retiringTokens, token.opts));
      const views: TokenView[] = tokens.map((token) => ({
        urn: token.urn,
        identity: tokenIdentity(token),
        expiresAt: knownString(token.props, "expiresAt"),
        consumed: held.has(token.urn),
      }));
      views.forEach((view, index) => {
        const reason = unconsumedReason(view, views);
        if (!reason) return;
        const token = tokens[index];
        report(
          violationMessage(describeResource(token.type, token.name), {
            problem: reason,
            fix: "make a variable's value this token's `token` output, or delete the token (deleting it revokes it)",
          }),
          token.urn,
        );
      });
    },
  };
}

// 5. No access token is replaced delete-first.
//    The engine passes the program's deleteBeforeReplace option to policies in preview and update. What
//    it cannot pass: a provider that itself demands delete-first, decided later at diff time.

function createBeforeDeletePolicy(): StackValidationPolicy {
  return {
    name: POLICY_NAMES.createBeforeDelete,
    description: "No GitLab access token sets deleteBeforeReplace: a replacement must exist before the old token is revoked.",
    enforcementLevel: "mandatory",
    validateStack: (args: StackValidationArgs, report: ReportViolation) => {
      for (const token of args.resources.filter(isAccessToken)) {
        if (token.opts?.deleteBeforeReplace !== true) continue;
        report(
          violationMessage(describeResource(token.type, token.name), {
            problem:
              "sets deleteBeforeReplace: a replacement would revoke the live token before the new one exists and before the variables move to it, so every job pushing in between fails",
            fix: "remove the deleteBeforeReplace option; Pulumi then creates the replacement first",
          }),
          token.urn,
        );
      }
    },
  };
}

// Last, so that every schema and helper above is initialised when the policies are built.
/** The pack's policies, on the machine's clock. */
export const policies: Policies = createPolicies();
