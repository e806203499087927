// One problem found in the stack's config, and how the whole list is reported.
// Nothing here knows about Pulumi: the program wraps the message in a RunError.

export interface ConfigIssue {
  /** Where the problem is, e.g. `pushTokens[1].consumers[0].key`. */
  readonly path: string;
  /** What is wrong, naming the offending value when it is safe to show. */
  readonly problem: string;
  /** What to write instead. */
  readonly fix: string;
  /** The file and line the path is at, when it is not the stack file: `push-tokens/dev.yaml line 12`. */
  readonly where?: string;
}

export class ConfigError extends Error {
  readonly issues: readonly ConfigIssue[];

  constructor(
    issues: readonly ConfigIssue[],
    readonly configFile = "Pulumi.<stack>.yaml",
  ) {
    // Redacted here, whatever each rule put in its text: paths can hold user-written keys too.
    const redacted = issues.map((issue) => ({
      path: printablePath(redactTokens(issue.path)),
      problem: redactTokens(issue.problem),
      fix: redactTokens(issue.fix),
      ...(issue.where !== undefined && { where: printablePath(redactTokens(issue.where)) }),
    }));
    super(formatConfigIssues(redacted, configFile));
    this.name = "ConfigError";
    this.issues = redacted;
  }
}

/** `["pushTokens", 1, "consumers", 0, "key"]` → `pushTokens[1].consumers[0].key`. */
export function formatPath(segments: readonly PropertyKey[]): string {
  let path = "";
  for (const segment of segments) {
    if (typeof segment === "number") path += `[${segment}]`;
    else path += path === "" ? String(segment) : `.${String(segment)}`;
  }
  return path;
}

export function formatConfigIssues(issues: readonly ConfigIssue[], configFile: string): string {
  const count = issues.length === 1 ? "1 problem" : `${issues.length} problems`;
  // A generated or mangled config can hold thousands of problems; the first ones show what is wrong,
  // and a listing of megabytes would only bury them in the CI log.
  const lines = issues.slice(0, LISTED_PROBLEMS).map((issue) => `  - ${issue.path || "(config)"}${issue.where === undefined ? "" : ` (${issue.where})`}: ${issue.problem}. Fix: ${issue.fix}.`);
  const unlisted = issues.length - lines.length;
  if (unlisted > 0) lines.push(`  … and ${unlisted} more problem${unlisted === 1 ? "" : "s"}, not listed: fix these first, then run again.`);
  return [
    `Invalid gitlab-push-tokens config in ${configFile} (${count}); no GitLab resource was registered:`,
    ...lines,
  ].join("\n");
}

/** The most problems one message lists. */
export const LISTED_PROBLEMS = 50;

// Anything shaped like a GitLab token is never echoed back, even when a user pasted one into the wrong
// field: error messages end up in CI logs and merge-request notes. GitLab prefixes every token it
// issues (personal/project/group access, deploy, runner, trigger, feed, CI build, OAuth, …).
const TOKEN_PREFIXES = "glpat|gldt|glrt|glrtr|glptt|glft|glimt|glagent|glcbt|glsoat|glffct|gloas|glwt";
const TOKEN_LIKE = new RegExp(`(?:${TOKEN_PREFIXES})-[A-Za-z0-9_.-]{8,}`);
const SHOWN_LENGTH = 60;
const PATH_LENGTH = 200;

/** A path that prints on one line and stays short, whatever keys the user wrote: line breaks and other control characters escaped, long paths cut. */
export function printablePath(path: string): string {
  const escaped = path.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);
  return escaped.length > PATH_LENGTH ? `${escaped.slice(0, PATH_LENGTH)}…` : escaped;
}

/** True when `text` contains something shaped like a GitLab token. */
export function looksLikeToken(text: string): boolean {
  return TOKEN_LIKE.test(text);
}

/** `text` with every token-shaped run replaced by a placeholder. */
export function redactTokens(text: string): string {
  return text.replace(new RegExp(TOKEN_LIKE.source, "g"), "[redacted token-like value]");
}

/**
 * The shortest value treated as a secret to redact. GitLab's tokens are 20 characters and more (and a
 * masked variable needs 8); a shorter value is a placeholder such as `x` or `test`, and redacting
 * every occurrence of it would mangle every message instead of hiding anything.
 */
export const MIN_SECRET_LENGTH = 8;

/**
 * `text` with each secret (a token the process holds, whatever its shape) replaced by
 * `[redacted token]` wherever it stands as a whole word, in one pass, so that a placeholder is never
 * redacted again; values shorter than MIN_SECRET_LENGTH are not secrets and are left alone.
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  const real = [...new Set(secrets.filter((secret): secret is string => secret !== undefined && secret.length >= MIN_SECRET_LENGTH))];
  if (real.length === 0) return text;
  // Longest first, so that a secret containing another is replaced whole.
  const alternatives = real.sort((a, b) => b.length - a.length).map((secret) => secret.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  return text.replace(new RegExp(`(?<![A-Za-z0-9_])(?:${alternatives.join("|")})(?![A-Za-z0-9_])`, "g"), "[redacted token]");
}

/** A short, safe rendering of a config value for an error message. */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (typeof value === "object") return "an object";
  if (typeof value === "string") {
    if (TOKEN_LIKE.test(value)) return "a value that looks like a GitLab token (not shown)";
    const shown = value.length > SHOWN_LENGTH ? `${value.slice(0, SHOWN_LENGTH)}…` : value;
    return JSON.stringify(shown);
  }
  return `${typeof value} ${String(value)}`;
}

/** Closest known key to a misspelt one (`expires_at` → `expiresAt`), if any is close. */
export function suggestKey(unknownKey: string, knownKeys: readonly string[]): string | undefined {
  const fold = (key: string) => key.toLowerCase().replace(/[-_\s]/g, "");
  const folded = fold(unknownKey);
  return (
    knownKeys.find((known) => fold(known) === folded) ??
    // Edit distance is at least the length difference: skip the quadratic work for keys that cannot be close.
    knownKeys.find((known) => Math.abs(fold(known).length - folded.length) <= 2 && editDistance(fold(known), folded) <= 2)
  );
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
