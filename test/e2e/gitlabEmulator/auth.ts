// Who is calling, as GitLab's API guard decides it (gitlabhq/gitlabhq lib/gitlab/auth/auth_finders.rb,
// lib/api/api_guard.rb): the token comes from the `private_token` parameter, the PRIVATE-TOKEN header
// or `Authorization: Bearer`; an unknown token answers 401 "401 Unauthorized"; an expired, then a
// revoked token answer OAuth2 invalid_token errors; a token without a scope the endpoint allows
// answers 403 insufficient_scope. A revoked token used on a rotation path is GitLab's "automatic
// reuse detection": every active token of its family is revoked before the 401.

import type { IncomingHttpHeaders } from "node:http";
import { insufficientScope, invalidToken, unauthorized } from "./errors";
import type { Caller, Reply } from "./routing";
import { isExpired, type EmulatorState } from "./state";

const ROTATION_PATH = /access_tokens\/(\d+|self)\/rotate$/;
/** GitLab records a token's use at most every 10 minutes (PersonalAccessTokens::LastUsedService). */
const LAST_USED_INTERVAL_MS = 10 * 60 * 1000;

export type Authentication = { readonly caller: Caller } | { readonly reply: Reply };

/** The token a request carries, if any. */
export function presentedToken(headers: IncomingHttpHeaders, params: Readonly<Record<string, unknown>>): string | undefined {
  const fromParam = typeof params.private_token === "string" && params.private_token !== "" ? params.private_token : undefined;
  const header = headers["private-token"];
  const fromHeader = typeof header === "string" && header !== "" ? header : undefined;
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? "")?.[1];
  return fromParam ?? fromHeader ?? bearer;
}

export function authenticate(options: {
  readonly state: EmulatorState;
  readonly presented: string | undefined;
  readonly path: string;
  readonly allowedScopes: readonly string[];
  readonly now: Date;
  readonly today: string;
}): Authentication {
  const { state, presented, today } = options;
  if (presented === undefined) return { reply: unauthorized() };
  const token = state.tokenByValue(presented);
  const user = token ? state.users.get(token.userId) : undefined;
  if (!token || !user) return { reply: unauthorized() };
  if (isExpired(token, today)) return { reply: invalidToken("expired") };
  if (token.revoked) {
    if (ROTATION_PATH.test(options.path)) {
      for (const member of state.tokenFamily(token)) member.revoked = true;
    }
    return { reply: invalidToken("revoked") };
  }
  if (!token.scopes.some((scope) => options.allowedScopes.includes(scope))) return { reply: insufficientScope(options.allowedScopes) };
  if (token.lastUsedAt === null || options.now.getTime() - Date.parse(token.lastUsedAt) >= LAST_USED_INTERVAL_MS) {
    token.lastUsedAt = options.now.toISOString();
  }
  return { caller: { user, token } };
}
