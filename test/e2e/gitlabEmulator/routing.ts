// The route table: each resource file exports its routes (method, path template, scopes, handler),
// and the server matches a request's path segments against them. Path parameters are one segment
// each, URL-decoded, so a project path must arrive encoded (`xlink%2Finfra`) as GitLab requires.

import type { EmulatorSettings } from "./options";
import type { AccessToken, EmulatorState, User } from "./state";

export type Method = "GET" | "POST" | "PUT" | "DELETE";

export interface Reply {
  readonly status: number;
  /** Sent as application/json. */
  readonly json?: unknown;
  /** Sent as it is, when `json` is absent. */
  readonly text?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** Request parameters as Grape sees them: query and body merged, nested `a[b]` keys as objects. */
export type Params = Readonly<Record<string, unknown>>;

/** Who sent the request: the token and its user (a bot user for a project access token). */
export interface Caller {
  readonly user: User;
  readonly token: AccessToken;
}

export interface RouteContext {
  readonly pathParams: Readonly<Record<string, string>>;
  readonly params: Params;
  readonly caller: Caller;
  readonly state: EmulatorState;
  readonly settings: EmulatorSettings;
  /** Today's date in UTC (YYYY-MM-DD) by the emulator's clock. */
  readonly today: string;
  /** `https://127.0.0.1:<port>`, for web_url fields and pagination links. */
  readonly origin: string;
  /** The request's path without the query, as sent (for pagination links). */
  readonly rawPath: string;
}

export interface Route {
  readonly method: Method;
  /** Below /api/v4, e.g. `/projects/:id/variables/:key`. */
  readonly path: string;
  /** Token scopes any one of which lets the request through; default `api`, plus `read_api` for GET. */
  readonly scopes?: (pathParams: Readonly<Record<string, string>>) => readonly string[];
  handle(context: RouteContext): Reply;
}

export interface RouteMatch {
  readonly route: Route;
  readonly pathParams: Readonly<Record<string, string>>;
}

/** The route for `method` and the decoded segments of a path below /api/v4, if any. */
export function matchRoute(routes: readonly Route[], method: string, segments: readonly string[]): RouteMatch | undefined {
  for (const route of routes) {
    if (route.method !== method) continue;
    const template = route.path.split("/").filter(Boolean);
    if (template.length !== segments.length) continue;
    const pathParams: Record<string, string> = {};
    const matches = template.every((part, index) => {
      if (part.startsWith(":")) {
        pathParams[part.slice(1)] = segments[index];
        return segments[index] !== "";
      }
      return part === segments[index];
    });
    if (matches) return { route, pathParams };
  }
  return undefined;
}

/** The scopes that let a request through `route`. */
export function scopesFor(route: Route, pathParams: Readonly<Record<string, string>>): readonly string[] {
  if (route.scopes) return route.scopes(pathParams);
  return route.method === "GET" ? ["api", "read_api"] : ["api"];
}
