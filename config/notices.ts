// Warnings the program logs on every preview: tokens close to expiry, retiring generations that can
// now be revoked, variables readable from unprotected branches, and the state of an adoption (variables
// still to import, a hand-made token broader than a push token, one left undeclared). Pure, so `plan` and tests can
// reason about the same list the program logs.

import { daysBetween, parseInstant, utcDate } from "./dates";
import { isPushRole, isRepositoryScope } from "./schema";
import type { StackSettings } from "./validate";

export interface Notice {
  /** Index of the token in pushTokens the notice is about; absent for one about the whole stack. */
  readonly tokenIndex?: number;
  readonly kind: "expiring" | "expired" | "revocable" | "unprotected" | "readOnly" | "redundantScope" | "adopting" | "broadRetiring" | "handMadeTokenUndeclared" | "noTokens";
  readonly message: string;
}

/**
 * The warnings for `settings` at `now`. `stack` names the stack in the commands the warnings give
 * (`npm run rotate -- --stack <stack>`).
 */
export function stackNotices(settings: StackSettings, now: Date, stack = "<stack>"): Notice[] {
  const today = utcDate(now);
  const notices: Notice[] = [];
  const rotate = `npm run rotate -- --stack ${stack}`;
  if (settings.pushTokens.length === 0) {
    notices.push({
      kind: "noTokens",
      message: `pushTokens is empty: this stack declares no token, so pulumi up revokes every token it created and deletes every variable it wrote (their pipelines can no longer push). Intended only for a stack being retired or not yet filled; otherwise restore the list`,
    });
  }
  settings.pushTokens.forEach((token, tokenIndex) => {
    const subject = `token ${token.name} in ${token.project}`;
    const daysLeft = daysBetween(today, token.expiresAt);
    if (daysLeft <= 0) {
      // Not a config error: the stack's own token simply ran out, and the fix is the usual rotation.
      // pulumi up leaves an expired token as it is (nothing about it changed), so nothing else repairs it.
      notices.push({
        tokenIndex,
        kind: "expired",
        message: `${subject} expired on ${token.expiresAt}${daysLeft === 0 ? " (today)" : `, ${daysLeft === -1 ? "1 day" : `${-daysLeft} days`} ago`}: its variables hold a dead token and their pipelines cannot push. Rotate it now: ${rotate}, then merge the change, and pulumi up creates the new token and updates the variables (until then pulumi up changes nothing and the token stays expired). If this token is new, not yet in GitLab, give it a future expiresAt instead: it would be created already expired`,
      });
    } else if (daysLeft <= settings.expiryWarningDays) {
      notices.push({
        tokenIndex,
        kind: "expiring",
        message: `${subject} expires on ${token.expiresAt}, in ${daysLeft} day${daysLeft === 1 ? "" : "s"}: rotate it now so that pipelines never hold an expired token: ${rotate}, then merge the change (by hand: move expiresAt under retiring with a revokeAfter, and set a new expiresAt)`,
      });
    }
    if (token.retiring) {
      const revokeAfter = parseInstant(token.retiring.revokeAfter);
      const expired = daysBetween(today, token.retiring.expiresAt) <= 0;
      if (expired || (revokeAfter && now.getTime() >= revokeAfter.getTime())) {
        notices.push({
          tokenIndex,
          kind: "revocable",
          // When the token itself has expired, the rotation drops the block: removing it alone would
          // leave the dead token in place (and `rotate --cleanup` leaves such a token to `rotate`).
          message: `the retiring generation of ${subject} (expires ${token.retiring.expiresAt}) ${expired ? "has expired" : `is past its revokeAfter (${token.retiring.revokeAfter})`}: ${
            daysLeft <= 0 ? `${rotate} drops it with the rotation of the token, which has expired too` : "remove the retiring block to revoke it"
          }`,
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
    if (token.scopes.includes("write_repository") && token.scopes.includes("read_repository")) {
      notices.push({
        tokenIndex,
        kind: "redundantScope",
        message: `${subject} lists read_repository beside write_repository, which already grants read (pull) access, so it adds nothing; remove read_repository (as a rotation: a changed scope replaces, i.e. revokes, the token)`,
      });
    }
    const handMade = token.retiring?.tokenId;
    if (token.retiring && handMade !== undefined) {
      const broader = [
        ...token.retiring.scopes.filter((scope) => !isRepositoryScope(scope)).map((scope) => `scope ${scope}`),
        ...(isPushRole(token.retiring.accessLevel) ? [] : [`role ${token.retiring.accessLevel}`]),
      ];
      if (broader.length > 0) {
        notices.push({
          tokenIndex,
          kind: "broadRetiring",
          message: `hand-made token ${handMade} (${token.retiring.name}) in ${token.project} has ${broader.join(" and ")}, far more than pushing needs: it stays valid until its retiring block is removed after ${token.retiring.revokeAfter}; keep that short`,
        });
      }
    }
    const adopted = token.consumers.filter((consumer) => consumer.adopt);
    for (const consumer of adopted) {
      notices.push({
        tokenIndex,
        kind: "adopting",
        message: `variable ${consumer.key} in ${consumer.project} is marked adopt: true. Not imported yet if the preview shows it as a create: run \`npm run adopt\` and \`pulumi import --file\` first. Imported if it shows as an update: remove adopt: true`,
      });
    }
    if (adopted.length > 0 && handMade === undefined) {
      notices.push({
        tokenIndex,
        kind: "handMadeTokenUndeclared",
        message: `${subject} adopts variables that hold a hand-made token today, but no retiring.tokenId names that token: it will stay valid in GitLab. Name it under retiring (tokenId, expiresAt, revokeAfter) so this stack revokes it, or revoke it by hand`,
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
