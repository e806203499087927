// Warnings the program logs on every preview: tokens close to expiry, retiring generations that can
// now be revoked, and variables readable from unprotected branches. Pure, so `plan` and tests can
// reason about the same list the program logs.

import { daysBetween, parseInstant, utcDate } from "./dates";
import type { StackSettings } from "./validate";

export interface Notice {
  /** Index of the token in pushTokens the notice is about. */
  readonly tokenIndex: number;
  readonly kind: "expiring" | "revocable" | "unprotected" | "readOnly";
  readonly message: string;
}

export function stackNotices(settings: StackSettings, now: Date): Notice[] {
  const today = utcDate(now);
  const notices: Notice[] = [];
  settings.pushTokens.forEach((token, tokenIndex) => {
    const subject = `token ${token.name} in ${token.project}`;
    const daysLeft = daysBetween(today, token.expiresAt);
    if (daysLeft <= settings.expiryWarningDays) {
      notices.push({
        tokenIndex,
        kind: "expiring",
        message: `${subject} expires on ${token.expiresAt}, in ${daysLeft} day${daysLeft === 1 ? "" : "s"}: rotate it now (move expiresAt under retiring with a revokeAfter, set a new expiresAt) so pipelines never hold an expired token`,
      });
    }
    if (token.retiring) {
      const revokeAfter = parseInstant(token.retiring.revokeAfter);
      const expired = daysBetween(today, token.retiring.expiresAt) <= 0;
      if (expired || (revokeAfter && now.getTime() >= revokeAfter.getTime())) {
        notices.push({
          tokenIndex,
          kind: "revocable",
          message: `the retiring generation of ${subject} (expires ${token.retiring.expiresAt}) ${expired ? "has expired" : `is past its revokeAfter (${token.retiring.revokeAfter})`}: remove the retiring block to revoke it`,
        });
      }
    }
    if (!token.scopes.includes("write_repository")) {
      notices.push({
        tokenIndex,
        kind: "readOnly",
        message: `${subject} has no write_repository scope, so jobs cannot push with it; add write_repository, or use a deploy token if they only clone`,
      });
    }
    for (const consumer of token.consumers) {
      if (!consumer.protected) {
        notices.push({
          tokenIndex,
          kind: "unprotected",
          message: `variable ${consumer.key} in ${consumer.project} is not protected: pipelines on any branch can read the push token for ${token.project}; set protected: true unless unprotected branches must push`,
        });
      }
    }
  });
  return notices;
}
