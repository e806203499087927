// Every request the emulator answered, for tests to assert on: method, path, route, query, status,
// the caller's token id, and the body with every `token`/`value` field (and `private_token`)
// replaced by "[redacted]", so that no log line or thrown message can carry a secret.

import type { Method } from "./routing";

export const REDACTED = "[redacted]";
const SECRET_FIELDS = new Set(["token", "value", "private_token"]);

export interface LoggedRequest {
  /** 1, 2, 3 … in arrival order. */
  readonly seq: number;
  readonly method: string;
  /** The path as sent, without the query, e.g. `/api/v4/projects/xlink%2Finfra/variables`. */
  readonly path: string;
  /** The matched route template such as `/projects/:id/variables/:key`; null for an unknown route. */
  readonly route: string | null;
  /** Query parameters, nested as GitLab reads them, secrets redacted. */
  readonly query: Readonly<Record<string, unknown>>;
  /** The parsed body, secrets redacted; undefined when there was none. */
  readonly body: unknown;
  /** The status answered, or "reset" when the connection was dropped instead. */
  readonly status: number | "reset";
  /** The id of the token that authenticated the request, when one did. */
  readonly tokenId: number | null;
  /** A fault injected into this request, by its label. */
  readonly fault: string | null;
}

/** `value` with every secret-named field, at any depth, replaced by "[redacted]". */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([key, field]) => [key, SECRET_FIELDS.has(key) ? REDACTED : redactSecrets(field)]));
  }
  return value;
}

/** What tests see of the log: everything but the power to add to it. */
export interface EmulatorLog {
  requests(filter?: { readonly method?: Method; readonly route?: string }): LoggedRequest[];
  writes(): LoggedRequest[];
  countsByRoute(): Record<string, number>;
  unknownRoutes(): LoggedRequest[];
  clear(): void;
}

export class RequestLog implements EmulatorLog {
  private readonly entries: LoggedRequest[] = [];

  record(entry: Omit<LoggedRequest, "seq">): void {
    this.entries.push({ ...entry, seq: this.entries.length + 1 });
  }

  /** Every request so far, oldest first; optionally only those of one method and/or route. */
  requests(filter: { readonly method?: Method; readonly route?: string } = {}): LoggedRequest[] {
    return this.entries.filter((entry) => (filter.method === undefined || entry.method === filter.method) && (filter.route === undefined || entry.route === filter.route));
  }

  /** The requests whose method may change something (POST, PUT, DELETE), e.g. to prove a preview wrote nothing. */
  writes(): LoggedRequest[] {
    return this.entries.filter((entry) => entry.method !== "GET" && entry.method !== "HEAD");
  }

  /** How many requests each route received, keyed `METHOD /route/template` (unknown routes as `METHOD <unknown> /path`). */
  countsByRoute(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const entry of this.entries) {
      const key = entry.route === null ? `${entry.method} <unknown> ${entry.path}` : `${entry.method} ${entry.route}`;
      counts[key] = (counts[key] ?? 0) + 1;
    }
    return counts;
  }

  unknownRoutes(): LoggedRequest[] {
    return this.entries.filter((entry) => entry.route === null);
  }

  /** Forgets every request (a test's setup traffic, say), so that assertions see only what follows. */
  clear(): void {
    this.entries.length = 0;
  }
}

/** One line naming a request without any secret: `GET /api/v4/foo?value=[redacted]`. */
export function describeRequest(entry: LoggedRequest): string {
  const query = flatten(entry.query)
    .map(([name, value]) => `${name}=${value === REDACTED ? REDACTED : encodeURIComponent(value)}`)
    .join("&");
  return `${entry.method} ${entry.path}${query ? `?${query}` : ""}`;
}

function flatten(query: Readonly<Record<string, unknown>>, prefix = ""): [string, string][] {
  return Object.entries(query).flatMap(([key, value]): [string, string][] => {
    const name = prefix ? `${prefix}[${key}]` : key;
    if (Array.isArray(value)) return value.map((item): [string, string] => [`${name}[]`, String(item)]);
    if (value !== null && typeof value === "object") return flatten(value as Record<string, unknown>, name);
    return [[name, String(value)]];
  });
}
