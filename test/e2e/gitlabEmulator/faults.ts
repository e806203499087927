// Faults injected into chosen requests: an error status with a body, a 429 with Retry-After (and
// the RateLimit-* headers GitLab's throttles send), a dropped connection (TCP reset), or latency.
// A rule matches by method and path pattern and fires for its next N matches. "before" faults
// answer instead of GitLab (nothing changes); "after" faults let the request change the state and
// then lose the answer, which is how a client meets an outcome it cannot know.

import { STATUS_CODES } from "node:http";
import type { Method, Reply } from "./routing";

export type FaultAction =
  /** Answer `status` (e.g. 500, 502, 503) with `body` (JSON when an object, text when a string). */
  | { readonly kind: "status"; readonly status: number; readonly body?: string | object; readonly headers?: Readonly<Record<string, string>> }
  /** Answer 429 "Retry later" with `Retry-After: <seconds>`. */
  | { readonly kind: "rateLimit"; readonly retryAfterSeconds: number }
  /** Drop the connection with a TCP reset, answering nothing. */
  | { readonly kind: "reset" }
  /** Wait `ms` before handling the request normally. */
  | { readonly kind: "latency"; readonly ms: number };

export interface FaultRule {
  /** Only this method; default any. */
  readonly method?: Method;
  /**
   * Below /api/v4, on the path as sent: a template such as `/projects/:id/access_tokens/:token_id/rotate`
   * (`:name` is one segment, `*` anything), or a RegExp.
   */
  readonly path: string | RegExp;
  /** How many matching requests it hits; default 1 (Infinity: every one). */
  readonly times?: number;
  /** "before" (default): instead of handling; "after": handle, then fault the answer. Latency is always before. */
  readonly when?: "before" | "after";
  readonly fault: FaultAction;
  /** Shown in the request log; default a description of the fault. */
  readonly label?: string;
}

export interface InjectedFault {
  readonly label: string;
  /** Matching requests it has hit so far. */
  readonly hits: number;
  /** Hits left. */
  readonly remaining: number;
  /** Stops it firing. */
  cancel(): void;
}

export interface ActiveRule {
  readonly rule: FaultRule;
  readonly pattern: RegExp;
  readonly label: string;
  hits: number;
  remaining: number;
}

export class Faults {
  private readonly rules: ActiveRule[] = [];

  inject(rule: FaultRule): InjectedFault {
    const times = rule.times ?? 1;
    if (!(times >= 1)) throw new RangeError(`GitLab emulator: a fault's times is ${times}. Fix: pass 1 or more (Infinity for every request).`);
    const active: ActiveRule = { rule, pattern: patternOf(rule.path), label: rule.label ?? describeFault(rule.fault), hits: 0, remaining: times };
    this.rules.push(active);
    return {
      label: active.label,
      get hits() {
        return active.hits;
      },
      get remaining() {
        return active.remaining;
      },
      cancel: () => {
        active.remaining = 0;
      },
    };
  }

  /** The first rule that matches and still fires, consumed by one hit. */
  take(method: string, pathBelowApi: string): ActiveRule | undefined {
    const active = this.rules.find((candidate) => candidate.remaining > 0 && (candidate.rule.method === undefined || candidate.rule.method === method) && candidate.pattern.test(pathBelowApi));
    if (!active) return undefined;
    active.remaining--;
    active.hits++;
    return active;
  }

  /** Rules that have not fired as often as asked, for a test to notice a fault that never hit. */
  pending(): { label: string; remaining: number }[] {
    return this.rules.filter((rule) => rule.remaining > 0 && Number.isFinite(rule.remaining)).map((rule) => ({ label: rule.label, remaining: rule.remaining }));
  }

  clear(): void {
    this.rules.length = 0;
  }
}

/** What a fault that interrupts a request answers: a reply, or "reset" to drop the connection. */
export function faultOutcome(action: Exclude<FaultAction, { kind: "latency" }>, now: Date): Reply | "reset" {
  if (action.kind === "reset") return "reset";
  if (action.kind === "rateLimit") {
    const seconds = action.retryAfterSeconds;
    return {
      status: 429,
      text: "Retry later\n",
      headers: {
        "content-type": "text/plain",
        "retry-after": String(seconds),
        "ratelimit-name": "throttle_authenticated_api",
        "ratelimit-limit": "2000",
        "ratelimit-observed": "2001",
        "ratelimit-remaining": "0",
        "ratelimit-reset": String(seconds),
        "ratelimit-resettime": new Date(now.getTime() + seconds * 1000).toUTCString(),
      },
    };
  }
  const body = action.body ?? { message: `${action.status} ${STATUS_CODES[action.status] ?? "Error"}` };
  return typeof body === "string" ? { status: action.status, text: body, headers: { "content-type": "text/html", ...action.headers } } : { status: action.status, json: body, ...(action.headers ? { headers: action.headers } : {}) };
}

function patternOf(path: string | RegExp): RegExp {
  if (path instanceof RegExp) return path;
  const body = path
    .split("/")
    .map((segment) => (segment.startsWith(":") ? "[^/]+" : segment.split("*").map(escapeRegExp).join(".*")))
    .join("/");
  return new RegExp(`^${body}$`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function describeFault(fault: FaultAction): string {
  switch (fault.kind) {
    case "status":
      return `status ${fault.status}`;
    case "rateLimit":
      return `429 retry after ${fault.retryAfterSeconds}s`;
    case "reset":
      return "connection reset";
    case "latency":
      return `latency ${fault.ms}ms`;
  }
}
