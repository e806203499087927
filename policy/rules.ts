// What the guardrails know about GitLab access tokens and CI/CD variables, as pure functions of plain
// values. policies.ts reads the values off CrossGuard's arguments and turns findings into violations.
//
// The pack is self-contained on purpose: it imports nothing from the program it checks (infra/, config/),
// so a mistake made in the program cannot be repeated by its own guardrail, and `pulumi policy publish`
// can ship this folder alone.

/** Type tokens of the official GitLab provider (pulumi-gitlab), as the engine reports them. */
export const GITLAB_TYPES = {
  projectAccessToken: "gitlab:index/projectAccessToken:ProjectAccessToken",
  groupAccessToken: "gitlab:index/groupAccessToken:GroupAccessToken",
  projectVariable: "gitlab:index/projectVariable:ProjectVariable",
  groupVariable: "gitlab:index/groupVariable:GroupVariable",
} as const;

export const ACCESS_TOKEN_TYPES: readonly string[] = [GITLAB_TYPES.projectAccessToken, GITLAB_TYPES.groupAccessToken];
export const VARIABLE_TYPES: readonly string[] = [GITLAB_TYPES.projectVariable, GITLAB_TYPES.groupVariable];

/** The program's component: every generation of one declared token is its child. */
export const PUSH_TOKEN_COMPONENT_TYPE = "gitlab-push-tokens:index:PushToken";

/** The role pulumi-gitlab gives a token whose `accessLevel` is unset ("Default is `maintainer`" in its schema). */
const PROVIDER_DEFAULT_ACCESS_LEVEL = "maintainer";

/** One thing wrong with a resource, and what to write instead. */
export interface Finding {
  /** What is wrong, phrased to follow the resource's description ("has scopes …"). */
  readonly problem: string;
  /** What to change. */
  readonly fix: string;
}

/** `project access token "xlink/app:PUSHER@2027-02-15"`, the subject of a violation message. */
export function describeResource(type: string, name: string): string {
  const kind: Record<string, string> = {
    [GITLAB_TYPES.projectAccessToken]: "project access token",
    [GITLAB_TYPES.groupAccessToken]: "group access token",
    [GITLAB_TYPES.projectVariable]: "project variable",
    [GITLAB_TYPES.groupVariable]: "group variable",
  };
  return `${kind[type] ?? type} "${name}"`;
}

/** One line: subject, problem, fix. Anything shaped like a GitLab token is redacted, whatever put it there. */
export function violationMessage(subject: string, finding: Finding): string {
  return redactTokenLike(`${subject} ${finding.problem}. Fix: ${finding.fix}.`);
}

// GitLab prefixes every token it issues (personal/project/group access, deploy, runner, trigger, feed,
// CI job, OAuth, …). A value of that shape is a credential whatever its variable is called.
const TOKEN_LIKE = /(?:glpat|gldt|glrt|glrtr|glptt|glft|glimt|glagent|glcbt|glsoat|glffct|gloas|glwt)-[A-Za-z0-9_.-]{8,}/;

/** True for a string shaped like a GitLab-issued token. */
export function looksLikeGitLabToken(value: unknown): boolean {
  return typeof value === "string" && TOKEN_LIKE.test(value);
}

/** `text` with every token-shaped run replaced, so no message can carry a credential. */
function redactTokenLike(text: string): string {
  return text.replace(new RegExp(TOKEN_LIKE.source, "g"), "[redacted token-like value]");
}

/** A user-written value, quoted and cut short, for a message. */
export function quote(value: unknown): string {
  const text = typeof value === "string" ? value : JSON.stringify(value) ?? String(value);
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 39)}…` : text);
}

// How the Pulumi SDK and engine mark a secret on the wire (sdk/nodejs/runtime/rpc.ts). CrossGuard's
// validateResource receives secrets already unwrapped; the wire form reaches a policy only when a caller
// hands it raw values (the program's mock registrations do).
const SIGNATURE_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIGNATURE = "1b47061264138c4ac30d75fd1eb44270";

/** True for a value in the engine's secret wire form. */
export function isSecretWireValue(value: unknown): boolean {
  return typeof value === "object" && value !== null && (value as Record<string, unknown>)[SIGNATURE_KEY] === SECRET_SIGNATURE;
}

// ---------------------------------------------------------------------------------------------------
// Dates: GitLab expiry dates are calendar dates (YYYY-MM-DD), compared in UTC.

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

/** True for a real calendar date written YYYY-MM-DD (2027-02-30 is not one). */
export function isIsoDate(text: unknown): text is string {
  if (typeof text !== "string") return false;
  const match = ISO_DATE.exec(text);
  if (!match) return false;
  const [year, month, day] = match.slice(1).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function dayNumber(date: string): number {
  return Date.parse(`${date}T00:00:00Z`) / MS_PER_DAY;
}

/** The date `days` days after `date`. */
export function addDays(date: string, days: number): string {
  return new Date((dayNumber(date) + days) * MS_PER_DAY).toISOString().slice(0, 10);
}

/** Today's UTC date of an instant, YYYY-MM-DD. */
export function utcDate(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}

// ---------------------------------------------------------------------------------------------------
// Access tokens: least privilege.

export interface LeastPrivilegeSettings {
  /** Scopes a token may have; anything else is refused. */
  readonly allowedScopes: readonly string[];
  /** Roles a token may have, judged after the provider's default is applied. */
  readonly allowedAccessLevels: readonly string[];
  /** How many days after today an expiry may lie. */
  readonly maxLifetimeDays: number;
}

export const DEFAULT_LEAST_PRIVILEGE: LeastPrivilegeSettings = {
  allowedScopes: ["write_repository", "read_repository"],
  allowedAccessLevels: ["developer", "maintainer"],
  maxLifetimeDays: 365,
};

const CONFIG_HINT = "in this policy's config";

export function scopeFindings(scopes: unknown, settings: LeastPrivilegeSettings): Finding[] {
  if (!Array.isArray(scopes) || scopes.length === 0) {
    return [{ problem: "declares no scopes", fix: `set scopes to [write_repository] (allowed: ${settings.allowedScopes.join(", ")})` }];
  }
  const refused = scopes.filter((scope) => !settings.allowedScopes.includes(String(scope)));
  if (refused.length === 0) return [];
  return [
    {
      problem: `has scope${refused.length === 1 ? "" : "s"} ${refused.map(quote).join(", ")}, broader than a push token needs (allowed: ${settings.allowedScopes.join(", ")}): a leaked token could do more than push`,
      fix: `set scopes to [write_repository], which also grants read (pull) access, so the job can clone with the same token; or add the scope to allowedScopes ${CONFIG_HINT} (a hand-made token being retired is adopted with retiring.tokenId instead, which the pack recognises)`,
    },
  ];
}

export function accessLevelFindings(accessLevel: unknown, settings: LeastPrivilegeSettings): Finding[] {
  const unset = accessLevel === undefined || accessLevel === null;
  const effective = unset ? PROVIDER_DEFAULT_ACCESS_LEVEL : String(accessLevel).toLowerCase();
  if (settings.allowedAccessLevels.includes(effective)) return [];
  const described = unset ? `no accessLevel, so the provider creates it as ${PROVIDER_DEFAULT_ACCESS_LEVEL}` : `role ${quote(accessLevel)}`;
  return [
    {
      problem: `has ${described} (allowed: ${settings.allowedAccessLevels.join(", ")})`,
      fix: `set accessLevel to developer, or maintainer to push to protected branches, or add the role to allowedAccessLevels ${CONFIG_HINT}`,
    },
  ];
}

/** Judges the expiry against today; a date already past is not this policy's concern (it no longer grants anything). */
export function expiryFindings(expiresAt: unknown, today: string, settings: LeastPrivilegeSettings): Finding[] {
  const latest = addDays(today, settings.maxLifetimeDays);
  if (expiresAt === undefined || expiresAt === null || expiresAt === "") {
    return [{ problem: "has no expiresAt, so nothing bounds how long a leaked token works", fix: `set expiresAt to a date no later than ${latest}` }];
  }
  if (!isIsoDate(expiresAt)) {
    return [{ problem: `has expiresAt ${quote(expiresAt)}, which is not a YYYY-MM-DD date`, fix: `set expiresAt to a date no later than ${latest}` }];
  }
  if (expiresAt <= latest) return [];
  return [
    {
      problem: `expires on ${expiresAt}, more than maxLifetimeDays (${settings.maxLifetimeDays}) after today (${today})`,
      fix: `choose an expiresAt no later than ${latest}, or raise maxLifetimeDays ${CONFIG_HINT} if the instance allows longer-lived tokens`,
    },
  ];
}

export function rotationFindings(rotationConfiguration: unknown): Finding[] {
  if (rotationConfiguration === undefined || rotationConfiguration === null) return [];
  return [
    {
      problem:
        "sets rotationConfiguration: the provider then rotates it in place through GitLab's rotate API, which revokes the live token at once while running jobs still hold it",
      fix: "remove rotationConfiguration and rotate by declaring a new generation next to the old one (a new expiresAt with a retiring block)",
    },
  ];
}

// ---------------------------------------------------------------------------------------------------
// CI/CD variables: credentials must be masked and protected.

export const DEFAULT_CREDENTIAL_WORDS: readonly string[] = ["TOKEN", "PASSWORD", "PASSWD", "SECRET", "KEY", "CREDENTIALS"];

/**
 * The credential word that `key` contains as a whole word part, if any. Parts are split at `_` and at
 * lower-to-upper case changes, so API_KEY, DB_PASSWORD and apiKey match KEY/PASSWORD, while MONKEY,
 * KEYCLOAK_URL and TOKENIZER do not.
 */
export function credentialWordIn(key: string, words: readonly string[]): string | undefined {
  const parts = key.split(/_+|(?<=[a-z0-9])(?=[A-Z])/).map((part) => part.toUpperCase());
  const wanted = words.map((word) => word.toUpperCase());
  return parts.find((part) => wanted.includes(part));
}

/** Where a variable lives and what it is called: `group/project:KEY`, with `[scope]` for a scope other than `*`. */
export interface VariableIdentity {
  /** Project (ID or full path) or group holding the variable. */
  readonly owner: string;
  /** The variable's key, case-sensitive as in GitLab. */
  readonly key: string;
  /** GitLab environment scope; `*` when unset. */
  readonly environmentScope: string;
}

/** The form exceptions are written in, and the form the program names its variables: `owner:KEY[scope]`. */
export function variableId({ owner, key, environmentScope }: VariableIdentity): string {
  return `${owner}:${key}${environmentScope === "*" ? "" : `[${environmentScope}]`}`;
}

// `owner:KEY` matches the key in every environment scope; `owner:KEY[scope]` only that scope; owner `*`
// matches every project and group. Owners compare case-insensitively, as GitLab compares paths.
const EXCEPTION = /^(?<owner>[^:]+):(?<key>[A-Za-z0-9_]+)(?:\[(?<scope>.+)\])?$/;

/** The JSON-schema pattern an exception entry must match. */
export const EXCEPTION_PATTERN = EXCEPTION.source.replace(/\?<[a-z]+>/g, "");

export function isExcepted(variable: VariableIdentity, exceptions: readonly string[]): boolean {
  return exceptions.some((entry) => {
    const groups = EXCEPTION.exec(entry)?.groups;
    if (!groups) return false;
    const ownerMatches = groups.owner === "*" || groups.owner.toLowerCase() === variable.owner.toLowerCase();
    const scopeMatches = groups.scope === undefined || groups.scope === variable.environmentScope;
    return ownerMatches && groups.key === variable.key && scopeMatches;
  });
}

/** The inputs that decide who can see a variable's value; anything but `true` counts as off. */
export interface VariableProtection {
  /** Masked in job logs. */
  readonly masked: unknown;
  /** Masked and hidden in the UI (GitLab 17.4+). */
  readonly hidden: unknown;
  /** Only given to pipelines of protected branches and tags. */
  readonly protected: unknown;
}

/**
 * What a variable that carries a credential (`why`: "its key has the word TOKEN", …) lacks. `hidden`
 * counts as masked: GitLab's "masked and hidden" variables are masked too, and the provider refuses
 * hidden without masked anyway.
 */
export function protectionFindings(variable: VariableProtection, why: string, id: string, exceptionsHint: string): Finding[] {
  const findings: Finding[] = [];
  // Whole, never cut short: it is what the user copies into the config.
  const exception = `, or list ${JSON.stringify(id)} in exceptions ${exceptionsHint}`;
  if (variable.masked !== true && variable.hidden !== true) {
    findings.push({
      problem: `carries a credential (${why}) but is not masked, so job logs can show it in clear`,
      fix: `set masked: true${exception}`,
    });
  }
  if (variable.protected !== true) {
    findings.push({
      problem: `carries a credential (${why}) but is not protected, so pipelines of unprotected branches and merge requests can read it`,
      fix: `set protected: true${exception}`,
    });
  }
  return findings;
}

// ---------------------------------------------------------------------------------------------------
// Stack: every token is held by a variable, except the retiring generation of a rotation.

/** An access token as the stack policy sees it. */
export interface TokenView {
  /** The token's URN, which its violation is reported against. */
  readonly urn: string;
  /** `type|owner|name` when the token's project/group and name are known, else its parent or itself. */
  readonly identity: string;
  /** YYYY-MM-DD, when known. */
  readonly expiresAt?: string;
  /** True when some variable's value is computed from this token. */
  readonly consumed: boolean;
}

/** Why an unconsumed token is not excused as a retiring generation, or undefined when it is excused. */
export function unconsumedReason(token: TokenView, all: readonly TokenView[]): string | undefined {
  if (token.consumed) return undefined;
  const consumedSiblings = all.filter((other) => other !== token && other.consumed && other.identity === token.identity);
  if (consumedSiblings.length === 0) return "is held by no CI/CD variable in this stack, yet stays valid until it expires";
  const newer = consumedSiblings.find((sibling) => isIsoDate(sibling.expiresAt) && isIsoDate(token.expiresAt) && token.expiresAt < sibling.expiresAt);
  if (newer) return undefined; // the retiring generation of a rotation: jobs may still hold it until it is removed
  return "is held by no CI/CD variable, and it does not expire before the generation its variables hold, so it is not a retiring generation";
}
