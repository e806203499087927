// Validates the whole stack config at once and returns the settings the program builds from.
// Every problem is collected before anything is reported, so one `pulumi preview` (or `npm run plan`)
// shows the user all of them; the program registers nothing unless this returns.

import type { z } from "zod";
import { dayNumber, isIsoDate } from "./dates";
import { ConfigError, describeValue, formatPath, looksLikeToken, suggestKey, type ConfigIssue } from "./issues";
import { GITLAB_TOKEN_KEY } from "./rawConfig";
import { PUSH_TOKENS_FILE_KEY, type Declaration } from "./declaration";
import { GITLAB_FEATURE_RELEASES, hasFeature } from "./gitlabVersion";
import { tokenShapedKeyIssue, tokenShapedPlaces, withRevocationAdvice } from "./pastedTokens";
import {
  defaultExpiryWarningDays,
  expiryWarningDaysSchema,
  gitlabSchema,
  KNOWN_KEYS,
  pushTokenSchema,
  type GitLabSettings,
  type PushTokenSpec,
} from "./schema";

/** The config as read from the stack, before validation. Values are whatever the YAML held. */
export interface RawStackConfig {
  readonly gitlab?: unknown;
  readonly pushTokens?: unknown;
  /** The declaration file pushTokensFile names, read (declaration.ts): its pushTokens stand for the config's. */
  readonly declaration?: Declaration;
  readonly expiryWarningDays?: unknown;
  /** Whether the config holds a gitlabToken (refused either way), and how: as a secret or in plain text. */
  readonly gitlabToken?: "absent" | "secret" | "plaintext";
  /** Every key set in the project's namespace (without the `gitlab-push-tokens:` prefix), to catch typos. */
  readonly presentKeys?: readonly string[];
  /** Keys set in the `gitlab:` namespace (without the prefix): the default provider's, which the program never uses. */
  readonly defaultProviderKeys?: readonly string[];
}

export interface StackSettings {
  readonly gitlab: GitLabSettings;
  readonly expiryWarningDays: number;
  readonly pushTokens: readonly PushTokenSpec[];
}

export interface ValidationOptions {
  /** Today's UTC date (YYYY-MM-DD): expiry dates must lie after it. */
  readonly today: string;
  /** Named in the error message, e.g. "Pulumi.dev.yaml". */
  readonly configFile?: string;
}

/** Returns validated settings, or throws a ConfigError listing every problem. */
export function validateStackConfig(raw: RawStackConfig, options: ValidationOptions): StackSettings {
  const issues: ConfigIssue[] = [];

  for (const key of raw.presentKeys ?? []) {
    // gitlabToken has a refusal of its own, below.
    if ((KNOWN_KEYS.root as readonly string[]).includes(key) || key === GITLAB_TOKEN_KEY) continue;
    if (looksLikeToken(key)) {
      issues.push(tokenShapedKeyIssue(""));
      continue;
    }
    const suggestion = suggestKey(key, KNOWN_KEYS.root);
    issues.push({
      path: key,
      problem: `unknown config key ${describeValue(`gitlab-push-tokens:${key}`)}`,
      fix: suggestion ? `rename it to gitlab-push-tokens:${suggestion}` : `remove it; the keys are ${KNOWN_KEYS.root.join(", ")}`,
    });
  }

  // `pulumi config set gitlab:token …` configures the *default* GitLab provider. This program uses an
  // explicit one, so such a value would be silently ignored, and baseUrl would fall back to gitlab.com.
  for (const key of raw.defaultProviderKeys ?? []) {
    if (looksLikeToken(key)) {
      issues.push(tokenShapedKeyIssue(""));
      continue;
    }
    issues.push({
      path: `gitlab:${key}`,
      problem: `${describeValue(`gitlab:${key}`)} configures the default GitLab provider, which this program does not use`,
      fix: (Object.hasOwn(DEFAULT_PROVIDER_FIXES, key) ? DEFAULT_PROVIDER_FIXES[key] : undefined) ?? "remove it; the program's provider is configured under gitlab-push-tokens:gitlab",
    });
  }

  // The API token never belongs in the stack: whoever can decrypt the stack's config or state (the
  // credential every preview needs) could read it, encrypted or not.
  if (raw.gitlabToken === "plaintext" || raw.gitlabToken === "secret") issues.push(gitlabTokenRefusal(raw.gitlabToken));

  const gitlab = parseWith(gitlabSchema, raw.gitlab ?? {}, ["gitlab"], issues) ?? gitlabSchema.parse({});
  const defaultWindow = defaultExpiryWarningDays(gitlab.maxTokenLifetimeDays);
  const expiryWarningDays = raw.expiryWarningDays === undefined ? defaultWindow : (parseWith(expiryWarningDaysSchema, raw.expiryWarningDays, ["expiryWarningDays"], issues) ?? defaultWindow);
  // (On an instance whose tokens live one day, every token is always due: no window can help.)
  if (raw.expiryWarningDays !== undefined && expiryWarningDays >= gitlab.maxTokenLifetimeDays && gitlab.maxTokenLifetimeDays > 1) {
    issues.push({
      path: "expiryWarningDays",
      problem: `${expiryWarningDays} day${expiryWarningDays === 1 ? "" : "s"} is not shorter than gitlab.maxTokenLifetimeDays (${gitlab.maxTokenLifetimeDays}): a token given the longest lifetime would be due to rotate the day it is created, and every scheduled check would fail`,
      fix: `lower it below ${gitlab.maxTokenLifetimeDays}, e.g. expiryWarningDays: ${defaultWindow}, or leave it out (the default is then ${defaultWindow})`,
    });
  }

  // The tokens are declared in the stack config or in the file it names, never in both: either could
  // be the one a reviewer reads.
  const { declaration } = raw;
  if (declaration) {
    issues.push(...declaration.issues);
    if (raw.pushTokens !== undefined) {
      issues.push({
        path: PUSH_TOKENS_FILE_KEY,
        problem: `pushTokens is set in the stack config and pushTokensFile names ${describeValue(declaration.file)} too: one of them would be ignored`,
        fix: "keep one: move pushTokens into the file (npm run move-push-tokens -- --stack <stack> does it, keeping comments) or remove pushTokensFile",
      });
    }
  }
  const declared = declaration ? declaration.pushTokens : raw.pushTokens;
  const pushTokens: PushTokenSpec[] = [];
  if (declared === undefined) {
    // A declaration file that could not be read has said why.
    if (!declaration || declaration.issues.length === 0) {
      issues.push({ path: "pushTokens", problem: "no tokens are declared", fix: "declare them under gitlab-push-tokens:pushTokens, or in a declaration file named by gitlab-push-tokens:pushTokensFile (see the config reference in README.md)" });
    }
  } else if (!Array.isArray(declared)) {
    issues.push({ path: "pushTokens", problem: `expected a list of tokens, got ${describeValue(declared)}`, fix: "write pushTokens as a YAML list, each item starting with '- name:'" });
  } else {
    const schema = pushTokenSchema({ today: options.today, maxTokenLifetimeDays: gitlab.maxTokenLifetimeDays });
    declared.forEach((token, index) => {
      const parsed = parseWith(schema, token, ["pushTokens", index], issues);
      issues.push(...crossFieldIssues(token, index, gitlab.version));
      if (parsed) pushTokens.push(parsed);
    });
    issues.push(...duplicateIssues(declared));
  }

  const pasted = [
    ...tokenShapedPlaces(raw.gitlab, ["gitlab"]),
    ...tokenShapedPlaces(raw.expiryWarningDays, ["expiryWarningDays"]),
    ...tokenShapedPlaces(declared, ["pushTokens"]),
  ];
  const reported = withRevocationAdvice(issues, pasted);
  if (reported.length > 0) {
    const located = declaration ? reported.map((issue) => locate(issue, declaration)) : reported;
    throw new ConfigError(sortByPath(located), declaration ? `${options.configFile ?? "Pulumi.<stack>.yaml"} and ${declaration.file}` : options.configFile);
  }
  return { gitlab, expiryWarningDays, pushTokens };
}

/** An issue of the declared tokens, with the file and line it is at. */
function locate(issue: ConfigIssue, declaration: Declaration): ConfigIssue {
  if (!/^pushTokens(\[|\.|$)/.test(issue.path)) return issue;
  const line = declaration.lineOf(issue.path);
  return { ...issue, where: line === undefined ? declaration.file : `${declaration.file} line ${line}` };
}

/** Parses `value`, turning zod's issues into ConfigIssues under `prefix`; undefined when invalid. */
function parseWith<T extends z.ZodType>(schema: T, value: unknown, prefix: PropertyKey[], issues: ConfigIssue[]): z.output<T> | undefined {
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return result.data;
  for (const issue of result.error.issues) issues.push(...toConfigIssues(issue, prefix));
  return undefined;
}

function toConfigIssues(issue: z.core.$ZodIssue, prefix: PropertyKey[]): ConfigIssue[] {
  const segments = [...prefix, ...issue.path];
  if (issue.code === "unrecognized_keys") {
    const known = knownKeysAt(segments);
    return issue.keys.map((key) => {
      if (looksLikeToken(key)) return tokenShapedKeyIssue(formatPath(segments));
      const suggestion = suggestKey(key, known);
      return {
        path: formatPath([...segments, key]),
        problem: `unknown key ${describeValue(key)}`,
        fix: suggestion ? `rename it to ${suggestion}` : `remove it; the keys here are ${known.join(", ")}`,
      };
    });
  }
  const field = fieldName(segments);
  const fix = (issue.code === "custom" && typeof issue.params?.fix === "string" ? issue.params.fix : undefined) ?? FIELD_FIXES[field] ?? "see the config reference in README.md";
  let problem = issue.message;
  if (issue.code === "invalid_type" && issue.input === undefined) problem = `${field} is required`;
  else if (issue.code === "invalid_type" && EXPECTED[issue.expected]) problem = `expected ${EXPECTED[issue.expected]}, got ${describeValue(issue.input)}`;
  return [{ path: formatPath(segments), problem, fix }];
}

// Zod's type names in the words of a YAML author. Others (such as "int") keep the schema's own message.
const EXPECTED: Record<string, string> = { string: "a string", number: "a number", boolean: "true or false", object: "a map", array: "a list" };

/** The name of the field a path points into: `scopes` for pushTokens[0].scopes[2]. */
function fieldName(segments: readonly PropertyKey[]): string {
  const named = segments.filter((segment): segment is string => typeof segment === "string");
  return named[named.length - 1] ?? "";
}

function knownKeysAt(segments: readonly PropertyKey[]): readonly string[] {
  const path = segments.map((segment) => (typeof segment === "number" ? "[]" : segment)).join(".");
  const byPath: Record<string, readonly string[]> = {
    gitlab: KNOWN_KEYS.gitlab,
    "pushTokens.[]": KNOWN_KEYS.pushToken,
    "pushTokens.[].consumers.[]": KNOWN_KEYS.consumer,
    "pushTokens.[].retiring": KNOWN_KEYS.retiring,
  };
  return byPath[path] ?? [];
}

/** Why the API token may not be in the stack's config, encrypted or not, and where it goes instead. */
function gitlabTokenRefusal(form: "plaintext" | "secret"): ConfigIssue {
  return {
    path: GITLAB_TOKEN_KEY,
    problem:
      form === "plaintext"
        ? "the GitLab API token is in the stack config in plain text, readable by anyone who can read the repository"
        : "the GitLab API token is in the stack config: encrypted, but whoever can decrypt the stack's config or state (every preview can) reads it",
    fix: `remove it (\`pulumi config rm ${GITLAB_TOKEN_KEY}\`) and give \`pulumi up\` the token as GITLAB_TOKEN, a protected CI/CD variable scoped to the apply job's environment (README: Who can read what); then rotate the token, since it was readable`,
  };
}

const DEFAULT_PROVIDER_FIXES: Record<string, string> = {
  token: "remove it, and give `pulumi up` the API token as GITLAB_TOKEN, a protected CI/CD variable scoped to the apply job's environment (README: Who can read what); then rotate the token, since it was readable",
  baseUrl: "move it to gitlab-push-tokens:gitlab.baseUrl",
};

const FIELD_FIXES: Record<string, string> = {
  gitlab: "write gitlab as a map, e.g. gitlab: {baseUrl: https://gitlab.example.com/api/v4}",
  baseUrl: "write the API endpoint, e.g. https://gitlab.example.com/api/v4",
  maxTokenLifetimeDays: "use a whole number of days from 1 to 400 (GitLab's default is 365)",
  version: 'write the instance\'s release quoted, as major.minor, e.g. version: "17.7"',
  expiryWarningDays: "use a whole number of days, e.g. 30",
  name: "name the token, e.g. name: GITLAB_CI_PUSHER",
  project: "write the project's full path, e.g. xlink/xlink-app, or its numeric ID",
  previousProject: "write the project as it was spelt before, e.g. xlink/xlink-app, or its numeric ID",
  accessLevel: "use developer (the default) or maintainer",
  scopes: "use scopes: [write_repository]",
  expiresAt: "write a date, e.g. expiresAt: 2027-02-15",
  consumers: "list the projects whose pipelines push, e.g. consumers: [{project: xlink/xlink-app, key: GITLAB_PUSHER_TOKEN}]",
  key: "write the CI/CD variable key, e.g. key: GITLAB_PUSHER_TOKEN",
  protected: "write true (the default) or false, unquoted",
  masked: "remove the line: variables holding tokens are always masked",
  hidden: "write true or false, unquoted",
  environmentScope: 'write "*" (the default) or an environment name',
  retiring: 'write retiring: {expiresAt: YYYY-MM-DD, revokeAfter: "YYYY-MM-DDTHH:MM:SSZ"}',
  adopt: "write true (the variable already exists in GitLab and is imported) or remove the line",
  revokeAfter: 'write it like "2026-11-27T12:00:00Z"',
};

type Fields = Record<string, unknown>;
const asFields = (value: unknown): Fields | undefined =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Fields) : undefined;

/** Rules across fields, judged on the raw input so that they report even when another field is wrong. */
function crossFieldIssues(rawToken: unknown, tokenIndex: number, gitlabVersion: string): ConfigIssue[] {
  const token = asFields(rawToken);
  if (!token) return [];
  const issues: ConfigIssue[] = [];
  const retiring = asFields(token.retiring);
  const current = token.expiresAt;
  const previous = retiring?.expiresAt;
  if (typeof current === "string" && typeof previous === "string" && isIsoDate(current) && isIsoDate(previous) && dayNumber(previous) >= dayNumber(current)) {
    issues.push({
      path: formatPath(["pushTokens", tokenIndex, "retiring", "expiresAt"]),
      problem: `the retiring generation expires ${previous}, not before the current one (${current})`,
      fix: "retiring holds the previous expiresAt; the new expiresAt must be later",
    });
  }
  if (Array.isArray(token.consumers)) {
    token.consumers.forEach((rawConsumer, consumerIndex) => {
      const consumer = asFields(rawConsumer);
      const hiddenPath = formatPath(["pushTokens", tokenIndex, "consumers", consumerIndex, "hidden"]);
      if (consumer?.hidden === true && consumer.masked === false) {
        issues.push({ path: hiddenPath, problem: "hidden requires masked: GitLab hides only masked variables", fix: "remove masked: false" });
      }
      // GitLab before 17.4 ignores masked_and_hidden: the variable would be created visible.
      if (consumer?.hidden === true && !hasFeature(gitlabVersion, "hiddenVariables")) {
        issues.push({
          path: hiddenPath,
          problem: `GitLab ${gitlabVersion} (gitlab.version) has no hidden variables; they came in ${GITLAB_FEATURE_RELEASES.hiddenVariables}, and an older instance would create the variable visible`,
          fix: `remove hidden: true, or raise gitlab.version if the instance runs ${GITLAB_FEATURE_RELEASES.hiddenVariables} or later`,
        });
      }
    });
  }
  return issues;
}

// GitLab paths are case-insensitive: xlink/App and xlink/app are one project.
const projectIdentity = (project: unknown) => (typeof project === "number" ? String(project) : typeof project === "string" ? project.toLowerCase() : undefined);

/**
 * Two tokens with one name in one project, one variable fed by two tokens (or both adopted and new),
 * and one hand-made token adopted twice are refused.
 */
function duplicateIssues(rawTokens: readonly unknown[]): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const tokenOwners = new Map<string, number>();
  const variableOwners = new Map<string, { path: string; adopt: boolean }>();
  const adoptedTokenOwners = new Map<number, number>();
  rawTokens.forEach((rawToken, tokenIndex) => {
    const token = asFields(rawToken);
    if (!token) return;
    const project = projectIdentity(token.project);
    if (project !== undefined && typeof token.name === "string") {
      const identity = `${project}\n${token.name}`;
      const first = tokenOwners.get(identity);
      if (first === undefined) tokenOwners.set(identity, tokenIndex);
      else
        issues.push({
          path: formatPath(["pushTokens", tokenIndex, "name"]),
          problem: `pushTokens[${first}] already declares token ${describeValue(token.name)} in ${describeValue(String(token.project))}`,
          fix: "give this token another name, or move its consumers to the first one",
        });
    }
    const tokenId = asFields(token.retiring)?.tokenId;
    if (typeof tokenId === "number") {
      const first = adoptedTokenOwners.get(tokenId);
      if (first === undefined) adoptedTokenOwners.set(tokenId, tokenIndex);
      else
        // Token IDs are unique across the instance: two declarations would import one token twice, and
        // removing either retiring block would revoke it for both.
        issues.push({
          path: formatPath(["pushTokens", tokenIndex, "retiring", "tokenId"]),
          problem: `pushTokens[${first}] already adopts hand-made token ${tokenId}`,
          fix: "a hand-made token is retired by one declaration: remove tokenId here, or correct it",
        });
    }
    if (!Array.isArray(token.consumers)) return;
    token.consumers.forEach((rawConsumer, consumerIndex) => {
      const consumer = asFields(rawConsumer);
      const consumerProject = projectIdentity(consumer?.project);
      if (!consumer || consumerProject === undefined || typeof consumer.key !== "string") return;
      const scope = typeof consumer.environmentScope === "string" ? consumer.environmentScope : "*";
      const identity = `${consumerProject}\n${consumer.key}\n${scope}`;
      const here = formatPath(["pushTokens", tokenIndex, "consumers", consumerIndex]);
      const adopt = consumer.adopt === true;
      const first = variableOwners.get(identity);
      if (first === undefined) variableOwners.set(identity, { path: here, adopt });
      else if (first.adopt !== adopt)
        // One variable in GitLab cannot be both taken over and created: the import would hand it to one
        // declaration and the create of the other would fail on the taken key.
        issues.push({
          path: `${here}.adopt`,
          problem: `variable ${describeValue(consumer.key)} (environment scope ${describeValue(scope)}) in ${describeValue(String(consumer.project))} is declared twice, ${adopt ? "adopted here and new" : "new here and adopted"} at ${first.path}`,
          fix: "declare it once: keep the declaration under the token it should hold, with adopt: true if it already exists in GitLab",
        });
      else
        issues.push({
          path: `${here}.key`,
          problem: `${first.path} already writes variable ${describeValue(consumer.key)} (environment scope ${describeValue(scope)}) in ${describeValue(String(consumer.project))}`,
          fix: "a variable holds one token: use another key or environmentScope",
        });
    });
  });
  return issues;
}

// The order of the config reference; keys not in it (unknown ones) sort after, alphabetically.
const KEY_ORDER = [
  ...KNOWN_KEYS.root.filter((key) => key !== "pushTokens"),
  GITLAB_TOKEN_KEY,
  ...KNOWN_KEYS.gitlab,
  "pushTokens",
  ...KNOWN_KEYS.pushToken.filter((key) => key !== "retiring"),
  ...KNOWN_KEYS.consumer,
  "retiring",
  ...KNOWN_KEYS.retiring,
];

/** Orders issues as a reader meets them: by path, indices as numbers, keys in reference order. */
function sortByPath(issues: ConfigIssue[]): ConfigIssue[] {
  const segments = (path: string) => path.split(/[.[\]]+/).filter(Boolean);
  const rank = (segment: string) => {
    if (/^\d+$/.test(segment)) return { group: 0, order: Number(segment), name: "" };
    const known = KEY_ORDER.indexOf(segment);
    return known >= 0 ? { group: 1, order: known, name: "" } : { group: 2, order: 0, name: segment };
  };
  const compare = (a: string, b: string) => {
    const [left, right] = [segments(a), segments(b)];
    for (let i = 0; i < Math.min(left.length, right.length); i++) {
      const [l, r] = [rank(left[i]), rank(right[i])];
      const difference = l.group - r.group || l.order - r.order || l.name.localeCompare(r.name);
      if (difference !== 0) return difference;
    }
    return left.length - right.length;
  };
  return issues.map((issue, found) => ({ issue, found })).sort((a, b) => compare(a.issue.path, b.issue.path) || a.found - b.found).map(({ issue }) => issue);
}
