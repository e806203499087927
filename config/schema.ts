// The shape of the stack's config, as zod schemas. Field rules that need "today" or the instance's
// maximum token lifetime are built per validation run (see `pushTokenSchema`); rules that span
// several tokens (duplicates) live in validate.ts.

import { z } from "zod";
import { addDays, dayNumber, isIsoDate, parseInstant } from "./dates";
import { describeValue, looksLikeToken } from "./issues";
import { REVOKE_PASTED_TOKEN } from "./pastedTokens";
import { GITLAB_ROLES, PROJECT_ACCESS_TOKEN_SCOPES, type GitLabRole, type ProjectAccessTokenScope } from "./gitlabVocabulary";
import { DEFAULT_GITLAB_RELEASE, formatRelease, GITLAB_FEATURE_RELEASES, hasFeature, OLDEST_SUPPORTED_RELEASE, parseRelease, releaseAtLeast } from "./gitlabVersion";

/** Roles that can push without administering the project: lower ones cannot push, owner is too broad. */
export const ACCESS_LEVELS = ["developer", "maintainer"] as const;
/** The only scopes a push token needs; sorted, which is the order tokens are registered with. */
export const REPOSITORY_SCOPES = ["read_repository", "write_repository"] as const;

export const DEFAULT_BASE_URL = "https://gitlab.com/api/v4/";
export const DEFAULT_MAX_TOKEN_LIFETIME_DAYS = 365;
/** GitLab's ceiling when the instance enables buffered_token_expiration_limit. */
export const LONGEST_MAX_TOKEN_LIFETIME_DAYS = 400;
export const DEFAULT_EXPIRY_WARNING_DAYS = 30;

/**
 * The warning window when expiryWarningDays is not set: 30 days, or a third of the instance's maximum
 * token lifetime when that is shorter, so that a token given the longest lifetime is never due the day
 * it is created (30 days on a 30-day instance would make every rotation due at once).
 */
export function defaultExpiryWarningDays(maxTokenLifetimeDays: number): number {
  return Math.min(DEFAULT_EXPIRY_WARNING_DAYS, Math.max(1, Math.floor(maxTokenLifetimeDays / 3)));
}

export type AccessLevel = (typeof ACCESS_LEVELS)[number];
export type RepositoryScope = (typeof REPOSITORY_SCOPES)[number];
/** Any role GitLab knows: only an adopted, hand-made retiring token may hold one beyond AccessLevel. */
export type { GitLabRole };
/** Any project access token scope: only an adopted, hand-made retiring token may hold one beyond RepositoryScope. */
export type TokenScope = ProjectAccessTokenScope;

/** What a rule needs to know beyond the value itself. */
export interface RuleContext {
  /** Today's UTC date, YYYY-MM-DD. */
  readonly today: string;
  /** The instance's maximum access-token lifetime in days. */
  readonly maxTokenLifetimeDays: number;
}

type RefinementCtx = z.RefinementCtx;

/** Reports a rule violation with the fix the user should apply. */
function refuse(ctx: RefinementCtx, problem: string, fix: string, path: PropertyKey[] = []): void {
  ctx.addIssue({ code: "custom", message: problem, path, params: { fix } });
}

/** Refuses a value shaped like a GitLab token in a field that is shown in resource names, outputs and warnings. */
function refuseTokenLike(value: string, ctx: RefinementCtx): void {
  if (!looksLikeToken(value)) return;
  refuse(ctx, "a value that looks like a GitLab token (not shown) is not allowed here: it would be shown in every preview, in the stack's outputs and in GitLab", `never put a token in the config: ${REVOKE_PASTED_TOKEN} and write the intended value`);
}

// --- single fields -------------------------------------------------------------------------

const GITLAB_ROLES_BELOW_DEVELOPER = ["no one", "minimal", "guest", "planner", "reporter", "security_manager"];

/** Why a role is refused for a token this stack creates, with the fix; undefined when it is allowed. */
function roleRefusal(value: string): { problem: string; fix: string } | undefined {
  if ((ACCESS_LEVELS as readonly string[]).includes(value)) return undefined;
  const fix = "use developer (the default), or maintainer to push to protected branches";
  if (GITLAB_ROLES_BELOW_DEVELOPER.includes(value)) return { problem: `${describeValue(value)} cannot push`, fix };
  if (value === "owner") return { problem: `"owner" is far broader than pushing needs (least privilege)`, fix };
  return { problem: `${describeValue(value)} is not a GitLab role`, fix: "use developer (the default) or maintainer" };
}

/** Why a scope is refused for a token this stack creates, with the fix; undefined when it is allowed. */
function scopeRefusal(value: string): { problem: string; fix: string } | undefined {
  if ((REPOSITORY_SCOPES as readonly string[]).includes(value)) return undefined;
  return {
    problem: `scope ${describeValue(value)} is refused: a push token needs only write_repository, and anything broader lets a leaked token do more than push (least privilege)`,
    fix: "use [write_repository], which also grants read (pull) access, so the job can clone with the same token",
  };
}

const accessLevel = z.string().superRefine((value, ctx) => {
  const refusal = roleRefusal(value);
  if (refusal) refuse(ctx, refusal.problem, refusal.fix);
}).transform((value) => value as AccessLevel);

const scope = z.string().superRefine((value, ctx) => {
  const refusal = scopeRefusal(value);
  if (refusal) refuse(ctx, refusal.problem, refusal.fix);
});

const scopeList = <T extends z.ZodType<string>>(item: T) => z
  .array(item)
  .min(1, { error: "the scope list is empty" })
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((value, index) => {
      if (seen.has(value)) refuse(ctx, `${describeValue(value)} is listed twice`, "list each scope once", [index]);
      seen.add(value);
    });
  })
  // Registered sorted: GitLab treats scopes as a set, so reordering them in YAML must not show a diff.
  .transform((list) => [...list].sort());

const scopes = scopeList(scope).transform((list) => list as RepositoryScope[]);

// A hand-made token being adopted (retiring.tokenId) is declared as GitLab holds it, whatever its role
// and scopes: it is on its way out, and declaring it narrower would make the provider replace it.
const anyGitLabRole = z.string().superRefine((value, ctx) => {
  if (!(GITLAB_ROLES as readonly string[]).includes(value)) {
    refuse(ctx, `${describeValue(value)} is not a GitLab role`, `use developer or maintainer; a hand-made token being adopted (with tokenId) states its role as GitLab shows it: one of ${GITLAB_ROLES.join(", ")}`);
  }
});

const anyTokenScope = z.string().superRefine((value, ctx) => {
  if (!(PROJECT_ACCESS_TOKEN_SCOPES as readonly string[]).includes(value)) {
    refuse(ctx, `${describeValue(value)} is not a project access token scope`, `use write_repository; a hand-made token being adopted (with tokenId) states its scopes as GitLab shows them: any of ${PROJECT_ACCESS_TOKEN_SCOPES.join(", ")}`);
  }
});

/** Whether a scope or role is one this stack would give a token it creates (least privilege). */
export const isRepositoryScope = (value: string): value is RepositoryScope => scopeRefusal(value) === undefined;
export const isPushRole = (value: string): value is AccessLevel => roleRefusal(value) === undefined;

// GitLab token IDs are positive integers; written unquoted, so YAML hands over a number.
const tokenId = z.unknown().superRefine((value, ctx) => {
  if (typeof value === "number" && Number.isSafeInteger(value) && value > 0) return;
  const quoted = typeof value === "string" && /^[1-9][0-9]*$/.test(value);
  refuse(
    ctx,
    `expected the token's ID, a positive whole number, got ${describeValue(value)}`,
    quoted
      ? `write it without quotes: tokenId: ${value}`
      : "write the hand-made token's numeric ID, unquoted, as GitLab lists it (project Settings > Access tokens, or GET /projects/:id/access_tokens), e.g. tokenId: 1234",
  );
}).transform((value) => value as number);

// A project is its full path ("group/subgroup/project") or its numeric ID. Paths need a namespace;
// GitLab path segments are letters, digits, '_', '-', '.', not starting with '-' or ending in '.git'.
const PROJECT_PATH = /^[A-Za-z0-9_.][A-Za-z0-9_.-]*(\/[A-Za-z0-9_.][A-Za-z0-9_.-]*)+$/;
const PROJECT_ID = /^[1-9][0-9]*$/;

const projectRef = z
  .union([z.string(), z.number()], { error: (issue) => `expected a project path or numeric ID, got ${describeValue(issue.input)}` })
  .transform((value) => String(value))
  .superRefine((value, ctx) => {
    if (PROJECT_ID.test(value)) return;
    if (!PROJECT_PATH.test(value) || /\.(git|atom)$/.test(value) || value.length > 255) {
      refuse(ctx, `${describeValue(value)} is not a GitLab project path or ID`, 'write the full path as in the project URL, e.g. "xlink/xlink-app", or its numeric ID');
    } else refuseTokenLike(value, ctx);
  });

/**
 * Why `previous` cannot be an earlier spelling of `project`, with the fix; undefined when it can. The
 * program cannot ask GitLab (it makes no API call), so it accepts what it cannot disprove: a path and
 * a numeric ID, or two paths that differ only in letter case (GitLab compares paths so).
 */
function respellingRefusal(project: string, previous: string): { problem: string; fix: string } | undefined {
  if (project === previous) return { problem: `previousProject is the same as project (${describeValue(project)})`, fix: "remove previousProject" };
  const isId = (value: string) => PROJECT_ID.test(value);
  if (isId(project) && isId(previous)) {
    return { problem: `projects ${previous} and ${project} are two different projects, not two spellings of one`, fix: "a token or variable moved to another project is a new one: remove previousProject (the preview then shows the old one deleted and the new one created)" };
  }
  if (!isId(project) && !isId(previous) && project.toLowerCase() !== previous.toLowerCase()) {
    return {
      problem: `paths ${describeValue(previous)} and ${describeValue(project)} differ beyond letter case, so they name different projects`,
      fix: "previousProject is for the same project spelt another way (letter case, or path and numeric ID); for a project GitLab renamed or moved, write its numeric ID as project and the old path as previousProject",
    };
  }
  return undefined;
}

/** Refuses a previousProject that cannot be an earlier spelling of the object's project. */
function refuseImpossibleRespelling(value: { project: string; previousProject?: string }, ctx: RefinementCtx): void {
  if (value.previousProject === undefined) return;
  const refusal = respellingRefusal(value.project, value.previousProject);
  if (refusal) refuse(ctx, refusal.problem, refusal.fix, ["previousProject"]);
}

// Token names appear in Pulumi resource names, so they keep to characters that read well there.
const TOKEN_NAME = /^[A-Za-z0-9][A-Za-z0-9 _.-]*$/;

const tokenName = z.string().superRefine((value, ctx) => {
  if (value.length > 255 || !TOKEN_NAME.test(value)) {
    refuse(ctx, `token name ${describeValue(value)} is not allowed`, "use 1 to 255 letters, digits, spaces, '_', '-' or '.', starting with a letter or digit, e.g. GITLAB_CI_PUSHER");
  } else refuseTokenLike(value, ctx);
});

const VARIABLE_KEY = /^[A-Za-z0-9_]+$/;

const variableKey = z.string().superRefine((value, ctx) => {
  if (value.length === 0 || value.length > 255 || !VARIABLE_KEY.test(value)) {
    refuse(ctx, `variable key ${describeValue(value)} is not allowed`, "use 1 to 255 letters, digits and '_', e.g. GITLAB_PUSHER_TOKEN");
  } else if (value.startsWith("CI_")) {
    refuse(ctx, `variable key ${describeValue(value)} starts with CI_, which GitLab reserves for its predefined variables`, "choose a key such as GITLAB_PUSHER_TOKEN");
  }
});

const environmentScope = z.string().superRefine((value, ctx) => {
  if (value.length === 0 || value.length > 255 || /\s/.test(value)) {
    refuse(ctx, `environment scope ${describeValue(value)} is not valid`, 'use "*" (all environments, the default) or an environment name or pattern such as "production" or "review/*"');
  } else refuseTokenLike(value, ctx);
});

/** A YYYY-MM-DD date; quoted or not, YAML 1.2 (Pulumi's and ours) reads 2027-02-15 as this string. */
const isoDate = z.string().superRefine((value, ctx) => {
  if (!isIsoDate(value)) {
    refuse(ctx, `${describeValue(value)} is not a date in YYYY-MM-DD form`, "write a real date, e.g. 2027-02-15");
  }
});

const instant = z.string().superRefine((value, ctx) => {
  if (!parseInstant(value)) {
    refuse(ctx, `${describeValue(value)} is not an ISO date-time with a time zone`, 'write it like "2026-11-27T12:00:00Z"');
  }
});

// GitLab's release, major.minor, as a quoted string: YAML reads an unquoted 17.10 as the number 17.1.
const gitlabVersion = z
  .unknown()
  .superRefine((value, ctx) => {
    const howToWrite = 'write the instance\'s release quoted, as major.minor, e.g. version: "17.7" (Help > About GitLab, or GET /api/v4/version)';
    if (typeof value === "number") {
      refuse(ctx, `${describeValue(value)} is a number, and YAML reads an unquoted release such as 17.10 as 17.1`, howToWrite);
      return;
    }
    const release = typeof value === "string" ? parseRelease(value) : undefined;
    if (!release) refuse(ctx, `expected GitLab's release as major.minor, got ${describeValue(value)}`, howToWrite);
    else if (!releaseAtLeast(release, OLDEST_SUPPORTED_RELEASE)) {
      refuse(ctx, `GitLab ${formatRelease(release)} is older than ${OLDEST_SUPPORTED_RELEASE}, the oldest release this program is tested against`, `upgrade the instance to ${OLDEST_SUPPORTED_RELEASE} or later (hidden variables need ${GITLAB_FEATURE_RELEASES.hiddenVariables}, token descriptions ${GITLAB_FEATURE_RELEASES.tokenDescriptions})`);
    }
  })
  .transform((value) => formatRelease(parseRelease(value as string)!))
  .default(DEFAULT_GITLAB_RELEASE);

// --- objects -------------------------------------------------------------------------------

export const gitlabSchema = z.strictObject({
  baseUrl: z
    .string()
    .superRefine((value, ctx) => {
      const url = URL.canParse(value) && !/[\s?#]/.test(value) ? new URL(value) : undefined;
      if (!url) {
        refuse(ctx, `${describeValue(value)} is not a plain URL`, "write the API endpoint, e.g. https://gitlab.example.com/api/v4");
      } else if (url.protocol !== "https:") {
        refuse(ctx, `${describeValue(value)} is not https: the API token would cross the network in clear text`, "use the https:// address of the instance");
      } else if (!/\/api\/v4\/?$/.test(url.pathname) || url.username || url.password) {
        refuse(ctx, `${describeValue(value)} is not the instance's API endpoint`, "end the address with /api/v4, e.g. https://gitlab.example.com/api/v4");
      }
    })
    // Rebuilt from the parsed URL with the trailing slash the provider wants, so that "…/api/v4",
    // "…/api/v4/" and "HTTPS://GitLab.example.com/api/v4" are one and the same input.
    .transform((value) => {
      const url = new URL(value);
      return `${url.origin}${url.pathname.replace(/\/?$/, "/")}`;
    })
    .default(DEFAULT_BASE_URL),
  maxTokenLifetimeDays: z
    .number()
    .int({ error: "must be a whole number of days" })
    .min(1, { error: "must be at least 1 day" })
    .max(LONGEST_MAX_TOKEN_LIFETIME_DAYS, { error: `GitLab never allows more than ${LONGEST_MAX_TOKEN_LIFETIME_DAYS} days` })
    .default(DEFAULT_MAX_TOKEN_LIFETIME_DAYS),
  /** The instance's release: the program sends only what that release has (config/gitlabVersion.ts). */
  version: gitlabVersion,
}).superRefine((gitlab, ctx) => {
  if (gitlab.maxTokenLifetimeDays > DEFAULT_MAX_TOKEN_LIFETIME_DAYS && !hasFeature(gitlab.version, "tokenLifetime400Days")) {
    refuse(
      ctx,
      `${gitlab.maxTokenLifetimeDays} days is longer than GitLab ${gitlab.version} allows (${DEFAULT_MAX_TOKEN_LIFETIME_DAYS}; up to ${LONGEST_MAX_TOKEN_LIFETIME_DAYS} from ${GITLAB_FEATURE_RELEASES.tokenLifetime400Days})`,
      `lower maxTokenLifetimeDays to at most ${DEFAULT_MAX_TOKEN_LIFETIME_DAYS}, or raise gitlab.version if the instance runs ${GITLAB_FEATURE_RELEASES.tokenLifetime400Days} or later`,
      ["maxTokenLifetimeDays"],
    );
  }
});

export const expiryWarningDaysSchema = z
  .number()
  .int({ error: "must be a whole number of days" })
  .min(1, { error: "must be at least 1 day" })
  .max(LONGEST_MAX_TOKEN_LIFETIME_DAYS, { error: `must be at most ${LONGEST_MAX_TOKEN_LIFETIME_DAYS} days` });

export const consumerSchema = z
  .strictObject({
    project: projectRef,
    key: variableKey,
    protected: z.boolean().default(true),
    masked: z.boolean().default(true),
    hidden: z.boolean().default(false),
    environmentScope: environmentScope.default("*"),
    /** The variable already exists in GitLab (made by hand): `npm run adopt` imports it instead of creating it. */
    adopt: z.boolean().default(false),
    /** How `project` was spelt when the variable was created (path ↔ ID, letter case): its identity stays. */
    previousProject: projectRef.optional(),
  })
  .superRefine((consumer, ctx) => {
    refuseImpossibleRespelling(consumer, ctx);
    if (!consumer.masked) {
      refuse(ctx, "an unmasked variable prints the token in every job log that echoes it", "remove masked: false (variables holding tokens are always masked)", ["masked"]);
    }
  })
  .transform((consumer) => ({ ...consumer, masked: true as const }));

/**
 * The previous generation, kept valid until `revokeAfter`. Either one this stack created (its role and
 * scopes default to the token's) or, with `tokenId`, a hand-made token being adopted, declared as
 * GitLab holds it: its own name, role and scopes, broader ones included, since it is on its way out.
 */
const retiringSchema = z
  .strictObject({
    expiresAt: isoDate,
    revokeAfter: instant,
    accessLevel: anyGitLabRole.optional(),
    scopes: scopeList(anyTokenScope).optional(),
    tokenId: tokenId.optional(),
    name: tokenName.optional(),
  })
  .superRefine((retiring, ctx) => {
    if (retiring.tokenId !== undefined) return;
    // A generation this stack created obeys the same least-privilege rules as the current one.
    const adoptHint = "; if this is a hand-made token being adopted, give its tokenId";
    const role = retiring.accessLevel === undefined ? undefined : roleRefusal(retiring.accessLevel);
    if (role) refuse(ctx, role.problem, role.fix + adoptHint, ["accessLevel"]);
    retiring.scopes?.forEach((value, index) => {
      const refusal = scopeRefusal(value);
      if (refusal) refuse(ctx, refusal.problem, refusal.fix + adoptHint, ["scopes", index]);
    });
    if (retiring.name !== undefined) {
      refuse(ctx, "name is only for a hand-made token: a generation this stack created has the token's own name", "remove name, or give the hand-made token's tokenId", ["name"]);
    }
  });

/** The token schema for one validation run: dates are judged against `context.today`. */
export function pushTokenSchema(context: RuleContext) {
  const latestExpiry = addDays(context.today, context.maxTokenLifetimeDays);
  // A date that has passed is not refused: it is the stack's own token running out, which is a due
  // rotation (a warning naming `npm run rotate`, config/notices.ts), not a mistake in the file. Refusing
  // it would make every command fail on the day a token expires, `rotate` included.
  const expiresAt = isoDate.superRefine((value, ctx) => {
    if (!isIsoDate(value)) return;
    if (dayNumber(value) > dayNumber(latestExpiry)) {
      refuse(
        ctx,
        `${value} is more than ${context.maxTokenLifetimeDays} days away, the instance's maximum token lifetime`,
        `choose a date no later than ${latestExpiry}, or raise gitlab.maxTokenLifetimeDays if the instance allows longer`,
      );
    }
  });

  return z
    .strictObject({
      name: tokenName,
      project: projectRef,
      accessLevel: accessLevel.default("developer"),
      scopes: scopes.default(["write_repository"]),
      expiresAt,
      consumers: z.array(consumerSchema).min(1, { error: "a token needs at least one consumer" }),
      retiring: retiringSchema.optional(),
      /** How `project` was spelt when the token's live generations were created: they keep it, revoked by nothing. */
      previousProject: projectRef.optional(),
    })
    .superRefine(refuseImpossibleRespelling)
    // The retiring generation keeps the role and scopes it was created with: they default to the
    // token's, and a rotation that also changes them states the old ones here, since a change would
    // make the provider replace (revoke) the retiring token at once.
    .transform(({ retiring, ...token }) => ({
      ...token,
      ...(retiring && {
        retiring: {
          expiresAt: retiring.expiresAt,
          revokeAfter: retiring.revokeAfter,
          accessLevel: (retiring.accessLevel ?? token.accessLevel) as GitLabRole,
          scopes: (retiring.scopes ?? token.scopes) as TokenScope[],
          name: retiring.name ?? token.name,
          ...(retiring.tokenId !== undefined && { tokenId: retiring.tokenId }),
        },
      }),
    }));
}

/** Keys each object accepts, for "did you mean" suggestions. */
export const KNOWN_KEYS = {
  root: ["gitlab", "pushTokens", "pushTokensFile", "expiryWarningDays"],
  gitlab: ["baseUrl", "maxTokenLifetimeDays", "version"],
  pushToken: ["name", "project", "accessLevel", "scopes", "expiresAt", "consumers", "retiring", "previousProject"],
  consumer: ["project", "key", "protected", "masked", "hidden", "environmentScope", "adopt", "previousProject"],
  retiring: ["expiresAt", "revokeAfter", "accessLevel", "scopes", "tokenId", "name"],
} as const;

export type GitLabSettings = z.output<typeof gitlabSchema>;
export type ConsumerSpec = z.output<typeof consumerSchema>;
export type PushTokenSpec = z.output<ReturnType<typeof pushTokenSchema>>;
export type RetiringSpec = NonNullable<PushTokenSpec["retiring"]>;
