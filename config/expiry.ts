// What `npm run expiry` reports and `npm run rotate` acts on: each token's days left, whether it is
// due (expiring within a window), and whether its retiring generation may be removed. Pure: the CLIs
// read the stack file and print. The date rules are the program's own warnings (config/notices.ts),
// evaluated with the window the caller asks for, so a token is due here exactly when a preview with
// that expiryWarningDays would warn about it.

import { fixedClock, type Clock } from "./clock";
import { daysBetween, isIsoDate, parseInstant, utcDate } from "./dates";
import { stackNotices, type Notice } from "./notices";
import { LONGEST_MAX_TOKEN_LIFETIME_DAYS } from "./schema";
import type { StackSettings } from "./validate";

/** A problem the user can act on (a flag's value, an unknown token, a file layout): shown as is, exit 1. */
export class UsageError extends Error {
  override readonly name: string = "UsageError";
}

/** A command-line option with a value it cannot take: reported as a usage error, with the usage line. */
export class FlagError extends UsageError {
  override readonly name = "FlagError";
}

/** Whole days from `minimum` to GitLab's longest token lifetime, for --within and --lifetime. */
export function parseDayCount(flag: string, text: string, minimum: number): number {
  const days = /^[0-9]{1,3}$/.test(text) ? Number(text) : Number.NaN;
  if (!(days >= minimum && days <= LONGEST_MAX_TOKEN_LIFETIME_DAYS)) {
    throw new FlagError(`${flag} must be a whole number of days from ${minimum} to ${LONGEST_MAX_TOKEN_LIFETIME_DAYS}, got ${JSON.stringify(text)}. Fix: write e.g. ${flag} ${Math.max(minimum, 14)}`);
  }
  return days;
}

/** The instant a tool runs at: --today (midnight UTC), --now (an ISO date-time with a zone), else `clock`. */
export function resolveNow(flags: { readonly today?: string; readonly now?: string }, clock: Clock): Date {
  return resolveClock(flags, clock).now();
}

/** The clock a tool runs with: stopped at --today (midnight UTC) or --now, else `clock` itself. */
export function resolveClock(flags: { readonly today?: string; readonly now?: string }, clock: Clock): Clock {
  if (flags.today !== undefined && flags.now !== undefined) throw new FlagError("--today and --now are both given. Fix: pass one: --today for a day (its midnight UTC), --now for an instant");
  if (flags.today !== undefined) {
    if (!isIsoDate(flags.today)) throw new FlagError(`--today must be a date, got ${JSON.stringify(flags.today)}. Fix: write it as YYYY-MM-DD, e.g. --today 2026-11-25`);
    return fixedClock(flags.today);
  }
  if (flags.now !== undefined) {
    if (!parseInstant(flags.now)) throw new FlagError(`--now must be an ISO date-time with a zone, got ${JSON.stringify(flags.now)}. Fix: write it like --now 2026-11-25T09:30:00Z`);
    return fixedClock(flags.now);
  }
  return clock;
}

/** What is due about one token, as the program's warnings judge it with the given window. */
export interface TokenDue {
  /** The token expires within the window (or has expired): rotate it. */
  readonly expiring: boolean;
  /** Its retiring generation is past revokeAfter (and, since the merge, its grace) or expired: remove the retiring block. */
  readonly revocable: boolean;
  /**
   * When its retiring generation becomes removable: revokeAfter, or the end of the grace after the
   * merge that brought it when that is later (`--since-merge`); undefined without a retiring block.
   */
  readonly revocableFrom?: Date;
}

/**
 * With `--since-merge`: the grace is counted from when each retiring block reached the checked-out
 * branch (its merge), not only from its revokeAfter, which `rotate` sets when it proposes the rotation.
 */
export interface SinceMerge {
  /** When pushTokens[tokenIndex]'s retiring block reached the branch; undefined for one not merged yet, whose grace has not begun. */
  readonly landedAt: (tokenIndex: number) => Date | undefined;
  /** How long after that merge a pipeline may still hold the retiring token. */
  readonly graceMs: number;
}

/** One entry per token of `settings.pushTokens`, in order. */
export function dueTokens(settings: StackSettings, now: Date, withinDays: number, sinceMerge?: SinceMerge): TokenDue[] {
  const notices = stackNotices({ ...settings, expiryWarningDays: withinDays }, now);
  const has = (tokenIndex: number, kind: Notice["kind"]) => notices.some((notice) => notice.tokenIndex === tokenIndex && notice.kind === kind);
  return settings.pushTokens.map((token, index) => {
    const expiring = has(index, "expiring") || has(index, "expired");
    if (!token.retiring) return { expiring, revocable: false };
    // The retiring token no longer works from the start of its expiry day: nothing can still need it.
    const expiredAt = new Date(`${token.retiring.expiresAt}T00:00:00Z`);
    const revokeAfter = parseInstant(token.retiring.revokeAfter)!;
    const afterMerge = sinceMerge && new Date((sinceMerge.landedAt(index) ?? now).getTime() + sinceMerge.graceMs);
    const notBefore = afterMerge && afterMerge > revokeAfter ? afterMerge : revokeAfter;
    const revocableFrom = expiredAt < notBefore ? expiredAt : notBefore;
    return { expiring, revocable: now >= revocableFrom, revocableFrom };
  });
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
  /** With --since-merge: when the retiring block reached the checked-out branch; null without it, or when not merged yet. */
  readonly mergedAt: string | null;
  /** When it may be removed: revokeAfter, the end of the grace after its merge, or its expiry, as config/expiry.ts rules. */
  readonly revocableFrom: string;
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

export function expiryReport(settings: StackSettings, now: Date, withinDays: number, sinceMerge?: SinceMerge): ExpiryReport {
  const today = utcDate(now);
  const due = dueTokens(settings, now, withinDays, sinceMerge);
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
      retiring: token.retiring
        ? {
            expiresAt: token.retiring.expiresAt,
            revokeAfter: token.retiring.revokeAfter,
            mergedAt: mergedAt(sinceMerge?.landedAt(index)),
            revocableFrom: formatInstant(due[index].revocableFrom!),
            revocable: due[index].revocable,
          }
        : null,
    };
  });
  return { today, withinDays, due: tokens.some((token) => token.due || (token.retiring !== null && token.retiring.revocable)), tokens };
}

/** `YYYY-MM-DDTHH:MM:SSZ`, rounded up to a whole second so that a grace period is never shortened. */
export function formatInstant(instant: Date): string {
  return new Date(Math.ceil(instant.getTime() / 1000) * 1000).toISOString().replace(".000Z", "Z");
}

const mergedAt = (instant: Date | undefined) => (instant === undefined ? null : formatInstant(instant));

/** "82 days", "1 day", "expired today", "expired 3 days ago". */
export function describeDaysLeft(daysLeft: number): string {
  if (daysLeft > 0) return `${daysLeft} day${daysLeft === 1 ? "" : "s"}`;
  if (daysLeft === 0) return "expired today";
  return `expired ${-daysLeft} day${daysLeft === -1 ? "" : "s"} ago`;
}
