// What `npm run rotate` changes in a stack's config: which tokens rotate, their new expiresAt, the
// generation that moves under `retiring`, and which retiring blocks `--cleanup` removes. Pure: the
// decisions are data (TokenChange), applied to the YAML text by lib/stackFile/stackDocument.ts and to plain
// objects by `applyTokenChanges`, which is what the edited file must parse back to.

import { addDays, daysBetween, parseInstant, utcDate } from "./dates";
import { dueTokens, FlagError, formatInstant, type SinceMerge, type TokenDue } from "./expiry";
import type { PushTokenSpec } from "./schema";
import type { StackSettings } from "./validate";

/** A new generation lives this long unless --lifetime says otherwise (capped at the instance's maximum). */
export const DEFAULT_LIFETIME_DAYS = 90;
/** How long the previous generation stays valid for pipelines that already read it. */
export const DEFAULT_GRACE = "24h";

const GRACE = /^([1-9][0-9]{0,4})([mhd])$/;
const GRACE_UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Milliseconds of a grace period written like `90m`, `24h` or `2d`. */
export function parseGrace(text: string): number {
  const match = GRACE.exec(text);
  if (!match) {
    throw new FlagError(`--grace must be a positive whole number of minutes, hours or days, got ${JSON.stringify(text)}. Fix: write e.g. --grace 90m, --grace 24h or --grace 2d`);
  }
  return Number(match[1]) * GRACE_UNIT_MS[match[2]];
}

export { formatInstant };

/** The retiring block a rotation writes: the role and scopes default to the token's, which are unchanged. */
export interface RetiringBlock {
  readonly expiresAt: string;
  readonly revokeAfter: string;
}

/** One token's edit. Everything not named here stays as it is in the file. */
export interface TokenChange {
  /** Index of the token in pushTokens. */
  readonly tokenIndex: number;
  /** The token's new expiresAt; absent when it keeps its expiry (cleanup). */
  readonly expiresAt?: string;
  /** The block that replaces `retiring` (whole, extra fields of the old one included), null to remove it, absent to keep it. */
  readonly retiring?: RetiringBlock | null;
  /** One line for the user: what changed and why. */
  readonly summary: string;
}

export interface RotationPlan {
  /** Edits, in the order of the tokens in the file. */
  readonly changes: readonly TokenChange[];
  /** Why a token asked for or due cannot be changed; the others are changed all the same. */
  readonly refusals: readonly string[];
  /** Why nothing at all can be done in this run (a setting that would defeat every rotation). */
  readonly blocked?: string;
}

export interface RotationRequest {
  /** The current instant: today's date and revokeAfter derive from it. */
  readonly now: Date;
  /** Rotate every token expiring within this many days; default the stack's expiryWarningDays. */
  readonly withinDays?: number;
  /** Rotate this token only, due or not: its name, or `project:name` when the name is not unique. */
  readonly token?: string;
  /** Days from today to the new expiresAt; default DEFAULT_LIFETIME_DAYS, capped at gitlab.maxTokenLifetimeDays. */
  readonly lifetimeDays?: number;
  /** Milliseconds from now to the retiring generation's revokeAfter; default DEFAULT_GRACE. */
  readonly graceMs?: number;
  /** With --since-merge: a retiring block is dropped only once its grace after its merge has passed too. */
  readonly sinceMerge?: SinceMerge;
  /** The stack, named in the commands a refusal gives. */
  readonly stack?: string;
}

const subject = (token: PushTokenSpec) => `${token.name} in ${token.project}`;
const plural = (count: number, unit: string) => `${count} ${unit}${count === 1 ? "" : "s"}`;

/** The tokens to rotate and the edit for each, or why not. */
export function planRotation(settings: StackSettings, request: RotationRequest): RotationPlan {
  const today = utcDate(request.now);
  const window = request.withinDays ?? settings.expiryWarningDays;
  const due = dueTokens(settings, request.now, window, request.sinceMerge);
  let selected: number[];
  if (request.token === undefined) {
    selected = due.flatMap((status, index) => (status.expiring ? [index] : []));
  } else {
    const found = findToken(settings.pushTokens, request.token);
    if (typeof found === "string") return { changes: [], refusals: [found] };
    selected = [found];
  }

  const maximum = settings.gitlab.maxTokenLifetimeDays;
  const requested = request.lifetimeDays ?? DEFAULT_LIFETIME_DAYS;
  const lifetime = Math.min(requested, maximum);
  if (selected.length > 0 && lifetime <= window) {
    // Every token rotated now would be due again at once: the next check fails, the next rotate refuses.
    const source = lifetime < requested ? `gitlab.maxTokenLifetimeDays (${maximum})` : `a lifetime of ${plural(lifetime, "day")}${request.lifetimeDays === undefined ? " (the default)" : ""}`;
    return {
      changes: [],
      refusals: [],
      blocked: `cannot rotate: ${source} is not longer than the ${plural(window, "day")} window in which a token is due, so every new token would be due at once. Fix: ${
        lifetime < requested ? `pass --within below ${lifetime}, or lower expiryWarningDays` : `pass --lifetime above ${window}${window < maximum ? "" : ", or --within below it"}`
      }`,
    };
  }
  const generation: NewGeneration = {
    today,
    lifetime,
    maximum,
    expiresAt: addDays(today, lifetime),
    lifetimeNote: lifetime < requested ? `${plural(lifetime, "day")}: --lifetime ${requested} capped at gitlab.maxTokenLifetimeDays` : plural(lifetime, "day"),
    revokeAfter: formatInstant(new Date(request.now.getTime() + (request.graceMs ?? parseGrace(DEFAULT_GRACE)))),
  };

  const changes: TokenChange[] = [];
  const refusals: string[] = [];
  for (const tokenIndex of selected) {
    const outcome = rotateToken(settings.pushTokens[tokenIndex], tokenIndex, due[tokenIndex], generation);
    if (typeof outcome === "string") refusals.push(outcome);
    else changes.push(outcome);
  }
  return { changes, refusals };
}

/** What every token rotated in one run gets. */
interface NewGeneration {
  readonly today: string;
  /** Days from today to the new expiresAt, after the cap. */
  readonly lifetime: number;
  /** gitlab.maxTokenLifetimeDays. */
  readonly maximum: number;
  readonly expiresAt: string;
  /** How the lifetime reads in a summary, with the cap when it applied. */
  readonly lifetimeNote: string;
  readonly revokeAfter: string;
}

/** One token's rotation, or why it cannot be rotated. */
function rotateToken(token: PushTokenSpec, tokenIndex: number, due: TokenDue, generation: NewGeneration): TokenChange | string {
  const { today, lifetime, maximum, expiresAt, lifetimeNote, revokeAfter } = generation;
  const daysLeft = daysBetween(today, token.expiresAt);
  if (token.retiring && !due.revocable) {
    const until = formatInstant(due.revocableFrom!);
    const reason = due.revocableFrom!.getTime() === parseInstant(token.retiring.revokeAfter)?.getTime() ? `its revokeAfter ${token.retiring.revokeAfter}` : `${until} (its grace after the merge that brought it; revokeAfter ${token.retiring.revokeAfter})`;
    return `cannot rotate ${subject(token)}: its retiring generation (expires ${token.retiring.expiresAt}) stays until ${reason}, and a token keeps two generations at most; rotate it after that`;
  }
  if (daysLeft >= lifetime) {
    const longEnough = daysLeft + 1;
    return (
      `cannot rotate ${subject(token)}: the new expiresAt ${expiresAt} (today + ${plural(lifetime, "day")}) would not be after the current ${token.expiresAt}; ` +
      (longEnough <= maximum ? `pass --lifetime ${longEnough} or more` : `it already expires on the latest date gitlab.maxTokenLifetimeDays (${maximum}) allows`)
    );
  }
  // A dropped block is the one --cleanup would remove: past revokeAfter or expired.
  const dropped = token.retiring
    ? `; dropped its previous retiring generation (expires ${token.retiring.expiresAt}), ${daysBetween(today, token.retiring.expiresAt) <= 0 ? "which has expired" : `past its revokeAfter ${token.retiring.revokeAfter}`}, as --cleanup would: the next pulumi up revokes it`
    : "";
  if (daysLeft <= 0) {
    // An expired token no longer authenticates: there is nothing for running pipelines to keep.
    return {
      tokenIndex,
      expiresAt,
      ...(token.retiring && { retiring: null }),
      summary: `rotated ${subject(token)}: it expired on ${token.expiresAt}; expiresAt -> ${expiresAt} (${lifetimeNote}), no retiring generation kept since the expired one no longer works${dropped}`,
    };
  }
  return {
    tokenIndex,
    expiresAt,
    retiring: { expiresAt: token.expiresAt, revokeAfter },
    summary: `rotated ${subject(token)}: expiresAt ${token.expiresAt} -> ${expiresAt} (${lifetimeNote}); the ${token.expiresAt} generation moves under retiring with revokeAfter ${revokeAfter}${dropped}`,
  };
}

/**
 * Removes every retiring block past its revokeAfter (with --since-merge, also past its grace after
 * the merge) or expired, and nothing else. A token that has itself expired is left to `rotate`, which
 * gives it a new expiresAt and drops its retiring block in one change: cleaning it up alone would leave
 * a stack whose pipelines still hold a dead token.
 */
export function planCleanup(settings: StackSettings, now: Date, options: { readonly sinceMerge?: SinceMerge; readonly stack?: string } = {}): RotationPlan {
  const today = utcDate(now);
  const due = dueTokens(settings, now, settings.expiryWarningDays, options.sinceMerge);
  const refusals: string[] = [];
  const changes = settings.pushTokens.flatMap((token, tokenIndex): TokenChange[] => {
    if (daysBetween(today, token.expiresAt) <= 0) {
      refusals.push(`not cleaned up: ${subject(token)} expired on ${token.expiresAt}, and its pipelines hold a dead token. Fix: run npm run rotate -- --stack ${options.stack ?? "<stack>"} first: it gives the token a new expiresAt${token.retiring ? " and drops its retiring generation" : ""}`);
      return [];
    }
    if (!token.retiring || !due[tokenIndex].revocable) return [];
    const why = daysBetween(today, token.retiring.expiresAt) <= 0 ? "it has expired" : `it is past its revokeAfter ${token.retiring.revokeAfter}`;
    return [{ tokenIndex, retiring: null, summary: `removed the retiring generation of ${subject(token)} (expires ${token.retiring.expiresAt}): ${why}; the next pulumi up revokes it` }];
  });
  return { changes, refusals };
}

/** The index of the token `selector` names (`NAME` or `project:NAME`), or why there is none. */
export function findToken(tokens: readonly PushTokenSpec[], selector: string): number | string {
  const separator = selector.indexOf(":");
  const name = selector.slice(separator + 1);
  // GitLab compares project paths case-insensitively, as validation does.
  const project = separator < 0 ? undefined : selector.slice(0, separator).toLowerCase();
  const matches = tokens.flatMap((token, index) => (token.name === name && (project === undefined || token.project.toLowerCase() === project) ? [index] : []));
  if (matches.length === 1) return matches[0];
  if (matches.length === 0) {
    const known = tokens.map((token) => `${token.project}:${token.name}`).join(", ");
    return `no token ${JSON.stringify(selector)} in the stack; ${tokens.length === 0 ? "it declares none" : `its tokens are ${known}`}`;
  }
  const projects = matches.map((index) => tokens[index].project);
  return `--token ${JSON.stringify(selector)} is ambiguous: ${name} is declared in ${projects.join(" and ")}; pass ${projects.map((path) => `--token ${path}:${name}`).join(" or ")}`;
}

/** `rawTokens` (as parsed from YAML) with `changes` applied: what the edited file must parse to. */
export function applyTokenChanges(rawTokens: readonly unknown[], changes: readonly TokenChange[]): unknown[] {
  const result = structuredClone([...rawTokens]);
  for (const change of changes) {
    const token = result[change.tokenIndex] as Record<string, unknown>;
    if (change.expiresAt !== undefined) token.expiresAt = change.expiresAt;
    if (change.retiring === null) delete token.retiring;
    else if (change.retiring !== undefined) token.retiring = { expiresAt: change.retiring.expiresAt, revokeAfter: change.retiring.revokeAfter };
  }
  return result;
}
