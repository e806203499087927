// The one error type the GitLab client throws, and the safe rendering of what GitLab said.
// Messages are one line, end with a fix, and never carry a request header or a token: GitLab's
// error bodies can echo anything the request held, so they are redacted before being shown.

import { redactSecrets, redactTokens } from "../../config/issues";

export type GitLabFailure =
  /** 401: the token is wrong, expired or revoked. */
  | "unauthorized"
  /** 403: the token lacks a scope or its role is too low. */
  | "forbidden"
  /** 404: the project, merge request, branch, … does not exist or is invisible to the token. */
  | "not-found"
  /** 409: the request conflicts with existing state (say, an open merge request for the branch). */
  | "conflict"
  /** Any other 4xx: GitLab refused the request as sent. */
  | "rejected"
  /** 429 after every attempt. */
  | "rate-limited"
  /** 5xx after every attempt, or once for a request that is not safe to repeat. */
  | "server-error"
  /** No answer within the timeout. */
  | "timeout"
  /** No connection at all. */
  | "unreachable"
  /** A 3xx: followed redirects would carry the token elsewhere, so none is followed. */
  | "redirected"
  /** A 2xx whose body is not the JSON the endpoint returns. */
  | "bad-response";

export class GitLabApiError extends Error {
  override readonly name = "GitLabApiError";

  constructor(
    message: string,
    /** What went wrong, for callers that handle some failures (a 409, a lost answer). */
    readonly failure: GitLabFailure,
    /** The HTTP status, when GitLab answered. */
    readonly status: number | undefined,
    /**
     * True when a request that is not safe to repeat may or may not have been applied (a 5xx,
     * timeout or dropped connection on a POST): the caller re-reads the state before trying again.
     */
    readonly outcomeUnknown = false,
  ) {
    super(message);
  }
}

const SHOWN_LENGTH = 300;

/** Replaces the API token (whatever its shape, see redactSecrets) and anything token-like; collapses to one line. */
export function scrub(text: string, token: string | undefined): string {
  return redactTokens(redactSecrets(text, [token])).replace(/\s+/g, " ").trim();
}

/**
 * GitLab's explanation from an error body (`{"message": …}`, `{"error": …, "error_description": …}`),
 * scrubbed and shortened, or undefined when the body has none.
 */
export function serverMessage(bodyText: string, token: string | undefined): string | undefined {
  let said: string;
  try {
    const body = JSON.parse(bodyText) as Record<string, unknown> | null;
    const parts = [body?.message, body?.error, body?.error_description].filter((part) => part !== undefined && part !== null);
    if (parts.length === 0) return undefined;
    said = parts.map((part) => (typeof part === "string" ? part : JSON.stringify(part))).join(": ");
  } catch {
    // Not JSON: an HTML error page from a proxy says nothing useful in a log line.
    return undefined;
  }
  const clean = scrub(said, token);
  if (clean === "") return undefined;
  return clean.length > SHOWN_LENGTH ? `${clean.slice(0, SHOWN_LENGTH)}…` : clean;
}
