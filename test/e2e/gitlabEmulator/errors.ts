// GitLab's error answers, byte for byte where the source shows them (gitlabhq/gitlabhq
// lib/api/helpers.rb error helpers, lib/api/api_guard.rb, doc/api/rest/troubleshooting.md):
// - helpers such as `not_found!('Variable')` answer `{"message": "404 Variable Not Found"}`;
// - model validation answers `{"message": {"<attribute>": ["<error>", …]}}`;
// - Grape's own parameter checks answer `{"error": "<param> is missing, <param> is invalid"}`;
// - token failures answer OAuth2 bearer errors, with a WWW-Authenticate header on 401.

import type { Reply } from "./routing";

const json = (status: number, body: unknown, headers?: Record<string, string>): Reply => ({ status, json: body, ...(headers ? { headers } : {}) });

/** `not_found!(resource)`: "404 Project Not Found"; without a resource, "404 Not found". */
export function notFound(resource?: string): Reply {
  return json(404, { message: resource ? `404 ${resource} Not Found` : "404 Not found" });
}

/** What GitLab answers for a path no API route matches. */
export function routeNotFound(): Reply {
  return json(404, { error: "404 Not Found" });
}

export function unauthorized(): Reply {
  return json(401, { message: "401 Unauthorized" });
}

export function forbidden(): Reply {
  return json(403, { message: "403 Forbidden" });
}

/** `bad_request!(reason)`: "400 Bad request - <reason>". */
export function badRequest(reason: string): Reply {
  return json(400, { message: `400 Bad request - ${reason}` });
}

export function conflict(message: string): Reply {
  return json(409, { message });
}

/** `render_validation_error!`: attribute → its errors. */
export function validationFailed(errors: Readonly<Record<string, readonly string[]>>): Reply {
  return json(400, { message: errors });
}

/** A Grape parameter failure such as "scopes does not have a valid value". */
export function invalidParameters(messages: readonly string[]): Reply {
  return json(400, { error: messages.join(", ") });
}

export type TokenFailure = "expired" | "revoked";

const TOKEN_FAILURE_DESCRIPTIONS: Record<TokenFailure, string> = {
  expired: "Token is expired. You can either do re-authorization or token refresh.",
  revoked: "Token was revoked. You have to re-authorize from the user.",
};

/** Rack::OAuth2 Bearer::Unauthorized(:invalid_token, …) as GitLab's API guard renders it. */
export function invalidToken(failure: TokenFailure): Reply {
  const description = TOKEN_FAILURE_DESCRIPTIONS[failure];
  return json(401, { error: "invalid_token", error_description: description }, { "www-authenticate": `Bearer realm="The API", error="invalid_token", error_description="${description}"` });
}

/** Rack::OAuth2 Bearer::Forbidden(:insufficient_scope, …), which carries no WWW-Authenticate header. */
export function insufficientScope(scopes: readonly string[]): Reply {
  return json(403, { error: "insufficient_scope", error_description: "The request requires higher privileges than provided by the access token.", scope: scopes.join(" ") });
}

/** Ruby's Array#to_sentence, which joins a model's full error messages: "A", "A and B", "A, B, and C". */
export function toSentence(parts: readonly string[]): string {
  if (parts.length <= 2) return parts.join(" and ");
  return `${parts.slice(0, -1).join(", ")}, and ${parts[parts.length - 1]}`;
}
