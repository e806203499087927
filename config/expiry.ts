// What `npm run expiry` reports and `npm run rotate` acts on: each token's days left, whether it is
// due (expiring within a window), and whether its retiring generation may be removed. Pure: the CLIs
// read the stack file and print. The date rules are the program's own warnings (config/notices.ts),
// evaluated with the window the caller asks for, so a token is due here exactly when a preview with
// that expiryWarningDays would warn about it.

import { fixedClock, type Clock } from "./clock";
import { addDays, daysBetween, isIsoDate, parseInstant, utcDate } from "./dates";
import { ConfigError, formatPath } from "./issues";
import { stackNotices } from "./notices";
import { LONGEST_MAX_TOKEN_LIFETIME_DAYS } from "./schema";
import { validateStackConfig, type RawStackConfig, type StackSettings, type ValidationOptions } from "./validate";

/** A problem the user can act on (a flag's value, an unknown token, a file layout): shown as is, exit 1. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** Whole days from `minimum` to GitLab's longest token lifetime, for --within and --lifetime. */
export function parseDayCount(flag: string, text: string, minimum: number): number {
  const days = /^[0-9]{1,3}$/.test(text) ? Number(text) : Number.NaN;
  if (!(days >= minimum && days <= LONGEST_MAX_TOKEN_LIFETIME_DAYS)) {
    throw new UsageError(`${flag} must be a whole number of days from ${minimum} to ${LONGEST_MAX_TOKEN_LIFETIME_DAYS}, got ${JSON.stringify(text)}`);
  }
  return days;
}

/** The instant a tool runs at: --today (midnight UTC), --now (an ISO date-time with a zone), else `clock`. */
export function resolveNow(flags: { readonly today?: string; readonly now?: string }, clock: Clock): Date {
  return resolveClock(flags, clock).now();
}

/** The clock a tool runs with: stopped at --today (midnight UTC) or --now, else `clock` itself. */
export function resolveClock(flags: { readonly today?: string; readonly now?: string }, clock: Clock): Clock {
  if (flags.today !== undefined && flags.now !== undefined) throw new UsageError("pass --today or --now, not both");
  if (flags.today !== undefined) {
    if (!isIsoDate(flags.today)) throw new UsageError(`--today must be a date like 2026-11-25, got ${JSON.stringify(flags.today)}`);
    return fixedClock(flags.today);
  }
  if (flags.now !== undefined) {
    if (!parseInstant(flags.now)) throw new UsageError(`--now must be an ISO date-time with a zone like 2026-11-25T09:30:00Z, got ${JSON.stringify(flags.now)}`);
    return fixedClock(flags.now);
  }
  return clock;
}

/** Indices of tokens whose expiresAt is a real date on or before `today`: already expired in GitLab. */
export function expiredTokenIndices(rawTokens: unknown, today: string): number[] {
  if (!Array.isArray(rawTokens)) return [];
  const indices: number[] = [];
  rawTokens.forEach((token: unknown, index) => {
    const expiresAt = (token as { expiresAt?: unknown } | null | undefined)?.expiresAt;
    if (typeof expiresAt === "string" && isIsoDate(expiresAt) && daysBetween(today, expiresAt) <= 0) indices.push(index);
  });
  return indices;
}

/**
 * The program's own validation, with one rule relaxed: an expiresAt that is no longer in the future.
 * The program refuses such a config, yet reporting (and rotating) expired tokens is what the expiry
 * and rotate tools are for. The relaxation applies only when that rule is the *only* one broken;
 * otherwise the program's full error is thrown, expired tokens included.
 */
export function validateAllowingExpired(raw: RawStackConfig, options: ValidationOptions): StackSettings {
  try {
    return validateStackConfig(raw, options);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const expired = expiredTokenIndices(raw.pushTokens, options.today);
    // For an expired date, the only rule that can fail at exactly `pushTokens[i].expiresAt` is "not in
    // the future" (it is a real date, and a past date cannot exceed the maximum lifetime).
    const relaxable = new Set(expired.map((index) => formatPath(["pushTokens", index, "expiresAt"])));
    if (!error.issues.every((issue) => relaxable.has(issue.path))) throw error;
    const rawTokens = raw.pushTokens as readonly Record<string, unknown>[];
    // Tomorrow passes every rule an expired date failed and breaks none it passed: it is still after
    // any retiring expiresAt that was before the real one, and within any maximum lifetime.
    const standIn = addDays(options.today, 1);
    const relaxed = rawTokens.map((token, index) => (expired.includes(index) ? { ...token, expiresAt: standIn } : token));
    const settings = validateStackConfig({ ...raw, pushTokens: relaxed }, options);
    return {
      ...settings,
      pushTokens: settings.pushTokens.map((token, index) => (expired.includes(index) ? { ...token, expiresAt: rawTokens[index].expiresAt as string } : token)),
    };
  }
}

/** What is due about one token, as the program's warnings judge it with the given window. */
export interface TokenDue {
  /** The token expires within the window (or has expired): rotate it. */
  readonly expiring: boolean;
  /** Its retiring generation is past revokeAfter or expired: remove the retiring block. */
  readonly revocable: boolean;
}

/** One entry per token of `settings.pushTokens`, in order. */
export function dueTokens(settings: StackSettings, now: Date, withinDays: number): TokenDue[] {
  const notices = stackNotices({ ...settings, expiryWarningDays: withinDays }, now);
  const has = (tokenIndex: number, kind: "expiring" | "revocable") => notices.some((notice) => notice.tokenIndex === tokenIndex && notice.kind === kind);
  return settings.pushTokens.map((_, index) => ({ expiring: has(index, "expiring"), revocable: has(index, "revocable") }));
}

/** A variable a token feeds. */
export interface ConsumerRef {
  readonly project: string;
  readonly key: string;
  readonly environmentScope: string;
}

/** The retiring generation of a token and whether it may now be removed. */
export interface RetiringExpiry {
  readonly expiresAt: string;
  readonly revokeAfter: string;
  readonly revocable: boolean;
}

export interface TokenExpiry {
  readonly project: string;
  readonly name: string;
  readonly expiresAt: string;
  /** Days from today to expiresAt; 0 or less when the token no longer works. */
  readonly daysLeft: number;
  readonly expired: boolean;
  /** Expires within the window: rotate it. */
  readonly due: boolean;
  readonly consumers: readonly ConsumerRef[];
  /** The retiring generation, or null when there is none. */
  readonly retiring: RetiringExpiry | null;
}

export interface ExpiryReport {
  /** Today's UTC date, YYYY-MM-DD. */
  readonly today: string;
  /** A token is due when it expires within this many days. */
  readonly withinDays: number;
  /** Something is due: a token to rotate or a retiring generation to remove. */
  readonly due: boolean;
  /** Every token, in the order of the stack file. */
  readonly tokens: readonly TokenExpiry[];
}

export function expiryReport(settings: StackSettings, now: Date, withinDays: number): ExpiryReport {
  const today = utcDate(now);
  const due = dueTokens(settings, now, withinDays);
  const tokens = settings.pushTokens.map((token, index): TokenExpiry => {
    const daysLeft = daysBetween(today, token.expiresAt);
    return {
      project: token.project,
      name: token.name,
      expiresAt: token.expiresAt,
      daysLeft,
      expired: daysLeft <= 0,
      due: due[index].expiring,
      consumers: token.consumers.map(({ project, key, environmentScope }) => ({ project, key, environmentScope })),
      retiring: token.retiring ? { expiresAt: token.retiring.expiresAt, revokeAfter: token.retiring.revokeAfter, revocable: due[index].revocable } : null,
    };
  });
  return { today, withinDays, due: tokens.some((token) => token.due || (token.retiring !== null && token.retiring.revocable)), tokens };
}

/** "82 days", "1 day", "expired today", "expired 3 days ago". */
export function describeDaysLeft(daysLeft: number): string {
  if (daysLeft > 0) return `${daysLeft} day${daysLeft === 1 ? "" : "s"}`;
  if (daysLeft === 0) return "expired today";
  return `expired ${-daysLeft} day${daysLeft === -1 ? "" : "s"} ago`;
}
