// One GitLab REST request, with the retry policy: a 429 is retried after GitLab's Retry-After (capped),
// a 500/502/503/504, timeout or dropped connection is retried with exponential backoff, but only for a
// request that is safe to repeat. Everything else becomes a GitLabApiError with a one-line message.

import { STATUS_CODES } from "node:http";
import { GitLabApiError, scrub, serverMessage, type GitLabFailure } from "./errors";

export interface TransportSettings {
  /** API base, already checked by `checkApiUrl`: `https://gitlab.example.com/api/v4`. */
  readonly apiUrl: string;
  /** Sent as `PRIVATE-TOKEN`; never shown. */
  readonly token: string;
  /** The variable the token came from, named in messages (`PREVIEW_NOTE_TOKEN`). */
  readonly tokenName: string;
  /** Sent as `User-Agent`, so GitLab's logs show which tool called. */
  readonly userAgent: string;
  /** Waits between attempts; injectable so tests run fast and can read the delays asked for. */
  readonly sleep: (ms: number) => Promise<void>;
  /** Per attempt, from sending to the end of the body. */
  readonly timeoutMs: number;
  /** Attempts in all, the first included. */
  readonly maxAttempts: number;
  /** Backoff before the second attempt; doubled for each further one. */
  readonly baseDelayMs: number;
  /** Backoff never exceeds this. */
  readonly maxDelayMs: number;
  /** Retry-After is honoured up to this. */
  readonly maxRetryAfterMs: number;
}

export interface ApiRequest {
  readonly method: "GET" | "POST" | "PUT";
  /** Below the API base, query included: `/projects/42/merge_requests/7/notes?page=1`. */
  readonly path: string;
  /** Sent as JSON. */
  readonly body?: unknown;
  /** Safe to send again when the first answer was lost or a 5xx: GET, PUT, a forced commit. */
  readonly repeatable: boolean;
  /** What a 404 did not find, e.g. `merge request !7 in project 42`. */
  readonly subject: string;
  /** What to check on a 404. */
  readonly notFoundFix: string;
  /** What the token needs for this request, named on a 403: `the api scope and at least the Reporter role`. */
  readonly needs: string;
  /** Statuses that are answers here rather than failures (404 for "no such file on that branch"). */
  readonly accept?: readonly number[];
}

export interface ApiResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

/** Statuses a gateway or a busy GitLab answers that are worth another attempt. */
const TRANSIENT_STATUSES = new Set([500, 502, 503, 504]);

export function createTransport(settings: TransportSettings): (request: ApiRequest) => Promise<ApiResponse> {
  const origin = new URL(settings.apiUrl).origin;

  return async function send(request: ApiRequest): Promise<ApiResponse> {
    for (let attempt = 1; ; attempt++) {
      const isLast = attempt >= settings.maxAttempts;
      let response: ApiResponse;
      try {
        response = await attemptOnce(settings, request);
      } catch (error) {
        if (request.repeatable && !isLast) {
          await settings.sleep(backoffMs(settings, attempt));
          continue;
        }
        throw lostAnswer(settings, request, error, attempt, origin);
      }
      const { status } = response;
      if ((status >= 200 && status < 300) || request.accept?.includes(status)) return response;
      if (status === 429 && !isLast) {
        // A 429 means GitLab did not process the request, so even a POST may be sent again.
        await settings.sleep(retryAfterMs(settings, response.headers) ?? backoffMs(settings, attempt));
        continue;
      }
      if (TRANSIENT_STATUSES.has(status) && request.repeatable && !isLast) {
        await settings.sleep(backoffMs(settings, attempt));
        continue;
      }
      throw statusError(settings, request, response, attempt);
    }
  };
}

async function attemptOnce(settings: TransportSettings, request: ApiRequest): Promise<ApiResponse> {
  const headers: Record<string, string> = {
    "PRIVATE-TOKEN": settings.token,
    accept: "application/json",
    "user-agent": settings.userAgent,
  };
  if (request.body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(`${settings.apiUrl}${request.path}`, {
    method: request.method,
    headers,
    body: request.body === undefined ? undefined : JSON.stringify(request.body),
    // A followed redirect would resend the PRIVATE-TOKEN header to wherever it points.
    redirect: "manual",
    signal: AbortSignal.timeout(settings.timeoutMs),
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

function backoffMs(settings: TransportSettings, attempt: number): number {
  return Math.min(settings.baseDelayMs * 2 ** (attempt - 1), settings.maxDelayMs);
}

/** GitLab sends Retry-After in seconds; an HTTP date is accepted too. Undefined when absent or unreadable. */
function retryAfterMs(settings: TransportSettings, headers: Headers): number | undefined {
  const value = headers.get("retry-after")?.trim();
  if (!value) return undefined;
  let ms: number;
  if (/^\d+$/.test(value)) ms = Number(value) * 1000;
  else {
    const at = Date.parse(value);
    if (Number.isNaN(at)) return undefined;
    ms = Math.max(0, at - Date.now());
  }
  return Math.min(ms, settings.maxRetryAfterMs);
}

function where(request: ApiRequest): string {
  return `${request.method} ${request.path}`;
}

function fail(settings: TransportSettings, request: ApiRequest, detail: string, fix: string, failure: GitLabFailure, status?: number, outcomeUnknown = false): GitLabApiError {
  const message = `GitLab API ${where(request)}: ${detail}. Fix: ${fix}.`;
  return new GitLabApiError(scrub(message, settings.token), failure, status, outcomeUnknown);
}

function statusError(settings: TransportSettings, request: ApiRequest, response: ApiResponse, attempts: number): GitLabApiError {
  const { status } = response;
  const said = serverMessage(response.text, settings.token);
  const saidPart = said ? `; GitLab said "${said.replace(/\.+$/, "")}"` : "";
  const statusLine = `${status} ${STATUS_CODES[status] ?? "Unknown Status"}`;
  const name = settings.tokenName;
  if (status >= 300 && status < 400) {
    const location = scrub(response.headers.get("location") ?? "(no location)", settings.token).slice(0, 200);
    return fail(settings, request, `${statusLine}, a redirect to ${location}, which is not followed so that the token is sent to no other address`, "set the API URL to the address GitLab redirects to", "redirected", status);
  }
  switch (status) {
    case 401:
      return fail(settings, request, `${statusLine}: GitLab did not accept ${name} (wrong, expired or revoked)${saidPart}`, `create a new access token with the api scope and store it in the masked CI/CD variable ${name}`, "unauthorized", status);
    case 403:
      return fail(settings, request, `${statusLine}: ${name} may not do this; it needs ${request.needs}${saidPart}`, `store a token with that scope and role in ${name}`, "forbidden", status);
    case 404:
      return fail(settings, request, `${statusLine}: no ${request.subject}, or ${name} cannot see it${saidPart}`, request.notFoundFix, "not-found", status);
    case 409:
      return fail(settings, request, `${statusLine}${saidPart}`, "resolve the conflict GitLab names, then rerun the job", "conflict", status);
    case 429:
      return fail(settings, request, `${statusLine} after ${attempts} attempts: GitLab kept rate-limiting ${name}${saidPart}`, "rerun the job later, or ask an administrator to raise the rate limit for the token's user", "rate-limited", status);
  }
  if (status >= 500) {
    const retried = request.repeatable && attempts > 1;
    const detail = retried
      ? `${statusLine} after ${attempts} attempts${saidPart}`
      : TRANSIENT_STATUSES.has(status) && !request.repeatable
        ? `${statusLine}${saidPart}; not repeated, since GitLab may have applied it`
        : `${statusLine}${saidPart}`;
    return fail(settings, request, detail, "check the GitLab instance's health, then rerun the job", "server-error", status, TRANSIENT_STATUSES.has(status) && !request.repeatable);
  }
  return fail(settings, request, `${statusLine}: GitLab rejected the request${saidPart}`, "correct what GitLab names, then rerun the job", "rejected", status);
}

function lostAnswer(settings: TransportSettings, request: ApiRequest, error: unknown, attempts: number, origin: string): GitLabApiError {
  const tries = attempts === 1 ? "1 attempt" : `${attempts} attempts`;
  const unknown = !request.repeatable;
  const notRepeated = unknown ? "; not repeated, since GitLab may have applied it" : "";
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) {
    return fail(settings, request, `no answer within ${settings.timeoutMs / 1000} s (${tries})${notRepeated}`, `check that ${origin} is reachable from the runner and healthy, then rerun the job`, "timeout", undefined, unknown);
  }
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  const reason = typeof cause?.code === "string" ? cause.code : error instanceof Error ? error.message : String(error);
  return fail(settings, request, `could not reach ${origin} (${reason}; ${tries})${notRepeated}`, "check the API URL and the runner's network access to GitLab, then rerun the job", "unreachable", undefined, unknown);
}
