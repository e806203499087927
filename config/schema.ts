// The shape of the stack's config, as zod schemas. Field rules that need "today" or the instance's
// maximum token lifetime are built per validation run (see `pushTokenSchema`); rules that span
// several tokens (duplicates) live in validate.ts.

import { z } from "zod";
import { addDays, dayNumber, isIsoDate, parseInstant } from "./dates";
import { describeValue } from "./issues";

/** Roles that can push without administering the project: lower ones cannot push, owner is too broad. */
export const ACCESS_LEVELS = ["developer", "maintainer"] as const;
/** The only scopes a push token needs; sorted, which is the order tokens are registered with. */
export const REPOSITORY_SCOPES = ["read_repository", "write_repository"] as const;

export const DEFAULT_BASE_URL = "https://gitlab.com/api/v4/";
export const DEFAULT_MAX_TOKEN_LIFETIME_DAYS = 365;
/** GitLab's ceiling when the instance enables buffered_token_expiration_limit. */
export const LONGEST_MAX_TOKEN_LIFETIME_DAYS = 400;
export const DEFAULT_EXPIRY_WARNING_DAYS = 30;

export type AccessLevel = (typeof ACCESS_LEVELS)[number];
export type RepositoryScope = (typeof REPOSITORY_SCOPES)[number];

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

// --- single fields -------------------------------------------------------------------------

const GITLAB_ROLES_BELOW_DEVELOPER = ["no one", "minimal", "guest", "planner", "reporter", "security_manager"];

const accessLevel = z.string().superRefine((value, ctx) => {
  if ((ACCESS_LEVELS as readonly string[]).includes(value)) return;
  if (GITLAB_ROLES_BELOW_DEVELOPER.includes(value)) {
    refuse(ctx, `${describeValue(value)} cannot push`, "use developer (the default), or maintainer to push to protected branches");
  } else if (value === "owner") {
    refuse(ctx, `"owner" is far broader than pushing needs (least privilege)`, "use developer (the default), or maintainer to push to protected branches");
  } else {
    refuse(ctx, `${describeValue(value)} is not a GitLab role`, "use developer (the default) or maintainer");
  }
}).transform((value) => value as AccessLevel);

const scope = z.string().superRefine((value, ctx) => {
  if ((REPOSITORY_SCOPES as readonly string[]).includes(value)) return;
  refuse(
    ctx,
    `scope ${describeValue(value)} is refused: a push token needs only write_repository, and anything broader lets a leaked token do more than push (least privilege)`,
    "use [write_repository], adding read_repository only if the job also clones with this token",
  );
});

const scopes = z
  .array(scope)
  .min(1, { error: "the scope list is empty" })
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((value, index) => {
      if (seen.has(value)) refuse(ctx, `${describeValue(value)} is listed twice`, "list each scope once", [index]);
      seen.add(value);
    });
  })
  // Registered sorted: GitLab treats scopes as a set, so reordering them in YAML must not show a diff.
  .transform((list) => [...list].sort() as RepositoryScope[]);

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
    }
  });

// Token names appear in Pulumi resource names, so they keep to characters that read well there.
const TOKEN_NAME = /^[A-Za-z0-9][A-Za-z0-9 _.-]*$/;

const tokenName = z.string().superRefine((value, ctx) => {
  if (value.length > 255 || !TOKEN_NAME.test(value)) {
    refuse(ctx, `token name ${describeValue(value)} is not allowed`, "use 1 to 255 letters, digits, spaces, '_', '-' or '.', starting with a letter or digit, e.g. GITLAB_CI_PUSHER");
  }
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
  }
});

/** A YAML date that must be quoted: unquoted, YAML turns 2027-02-15 into a timestamp. */
const isoDate = z.string().superRefine((value, ctx) => {
  if (!isIsoDate(value)) {
    refuse(ctx, `${describeValue(value)} is not a date in YYYY-MM-DD form`, 'write a real date in quotes, e.g. "2027-02-15"');
  }
});

const instant = z.string().superRefine((value, ctx) => {
  if (!parseInstant(value)) {
    refuse(ctx, `${describeValue(value)} is not an ISO date-time with a time zone`, 'write it like "2026-11-27T12:00:00Z"');
  }
});

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
});

export const expiryWarningDaysSchema = z
  .number()
  .int({ error: "must be a whole number of days" })
  .min(1, { error: "must be at least 1 day" })
  .max(LONGEST_MAX_TOKEN_LIFETIME_DAYS, { error: `must be at most ${LONGEST_MAX_TOKEN_LIFETIME_DAYS} days` })
  .default(DEFAULT_EXPIRY_WARNING_DAYS);

export const consumerSchema = z
  .strictObject({
    project: projectRef,
    key: variableKey,
    protected: z.boolean().default(true),
    masked: z.boolean().default(true),
    hidden: z.boolean().default(false),
    environmentScope: environmentScope.default("*"),
  })
  .superRefine((consumer, ctx) => {
    if (!consumer.masked) {
      refuse(ctx, "an unmasked variable prints the token in every job log that echoes it", "remove masked: false (variables holding tokens are always masked)", ["masked"]);
    }
  })
  .transform((consumer) => ({ ...consumer, masked: true as const }));

/** The token schema for one validation run: dates are judged against `context.today`. */
export function pushTokenSchema(context: RuleContext) {
  const latestExpiry = addDays(context.today, context.maxTokenLifetimeDays);
  const expiresAt = isoDate.superRefine((value, ctx) => {
    if (!isIsoDate(value)) return;
    if (dayNumber(value) <= dayNumber(context.today)) {
      refuse(ctx, `${value} is not in the future (today is ${context.today})`, "rotate the token: move this date under retiring and set a new expiresAt");
    } else if (dayNumber(value) > dayNumber(latestExpiry)) {
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
      retiring: z
        .strictObject({ expiresAt: isoDate, revokeAfter: instant, accessLevel: accessLevel.optional(), scopes: scopes.optional() })
        .optional(),
    })
    // The retiring generation keeps the role and scopes it was created with: they default to the
    // token's, and a rotation that also changes them states the old ones here, since a change would
    // make the provider replace (revoke) the retiring token at once.
    .transform(({ retiring, ...token }) => ({
      ...token,
      ...(retiring && {
        retiring: {
          expiresAt: retiring.expiresAt,
          revokeAfter: retiring.revokeAfter,
          accessLevel: retiring.accessLevel ?? token.accessLevel,
          scopes: retiring.scopes ?? token.scopes,
        },
      }),
    }));
}

/** Keys each object accepts, for "did you mean" suggestions. */
export const KNOWN_KEYS = {
  root: ["gitlab", "pushTokens", "expiryWarningDays", "gitlabToken"],
  gitlab: Object.keys(gitlabSchema.shape),
  pushToken: ["name", "project", "accessLevel", "scopes", "expiresAt", "consumers", "retiring"],
  consumer: ["project", "key", "protected", "masked", "hidden", "environmentScope"],
  retiring: ["expiresAt", "revokeAfter", "accessLevel", "scopes"],
} as const;

export type GitLabSettings = z.output<typeof gitlabSchema>;
export type ConsumerSpec = z.output<typeof consumerSchema>;
export type PushTokenSpec = z.output<ReturnType<typeof pushTokenSchema>>;
