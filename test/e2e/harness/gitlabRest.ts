// The smallest GitLab REST v4 client the scenario suites need to read and change GitLab the way a
// person or a script would: one request at a time, `PRIVATE-TOKEN` authentication, JSON bodies,
// offset pagination followed to the end. It trusts the system's CAs plus an optional extra CA (the
// emulator's, or a self-managed instance's), never retries (a test must see what GitLab answered),
// and never puts the token in an error.

import { request as httpsRequest } from "node:https";
import { rootCertificates } from "node:tls";

export interface RestOptions {
  /** The API base, ending in `/api/v4` (with or without the slash). */
  readonly baseUrl: string;
  readonly token: string;
  /** PEM of a CA to trust besides the system's. */
  readonly caPem?: string;
}

export interface RestResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The parsed JSON body; undefined when empty or not JSON. */
  readonly json: unknown;
  readonly text: string;
}

/** A 4xx/5xx answer, with GitLab's own words (never the token). */
export class GitLabRestError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    body: string,
  ) {
    super(`${method} ${path}: GitLab answered ${status} ${body.slice(0, 300)}`);
    this.name = "GitLabRestError";
  }
}

export interface GitLabRest {
  /** `method path` below the API base (`projects/xlink%2Fapp/variables`); throws GitLabRestError unless 2xx. */
  call(method: string, path: string, options?: { readonly json?: unknown; readonly query?: Readonly<Record<string, string>> }): Promise<RestResponse>;
  /** Every item of a paginated list (100 a page), following `x-next-page`. */
  list(path: string, query?: Readonly<Record<string, string>>): Promise<unknown[]>;
}

export function gitlabRest(options: RestOptions): GitLabRest {
  const base = new URL(options.baseUrl.endsWith("/") ? options.baseUrl : `${options.baseUrl}/`);
  const ca = options.caPem ? [...rootCertificates, options.caPem] : undefined;

  const send = (method: string, path: string, query: Readonly<Record<string, string>> = {}, json?: unknown): Promise<RestResponse> => {
    const url = new URL(path, base);
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
    const body = json === undefined ? undefined : JSON.stringify(json);
    const headers: Record<string, string> = { "private-token": options.token, accept: "application/json" };
    if (body !== undefined) Object.assign(headers, { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) });
    return new Promise((resolve, reject) => {
      const request = httpsRequest(url, { method, headers, ca, agent: false }, (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("error", reject);
        response.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let parsed: unknown;
          try {
            parsed = text === "" ? undefined : JSON.parse(text);
          } catch {
            parsed = undefined;
          }
          resolve({ status: response.statusCode ?? 0, headers: response.headers, json: parsed, text });
        });
      });
      request.on("error", (error) => reject(new Error(`${method} ${url.origin}${url.pathname}: ${error.message}`)));
      request.end(body);
    });
  };

  const call: GitLabRest["call"] = async (method, path, callOptions = {}) => {
    const response = await send(method, path, callOptions.query, callOptions.json);
    if (response.status < 200 || response.status >= 300) throw new GitLabRestError(method, path, response.status, response.text.split(options.token).join("[api token]"));
    return response;
  };

  return {
    call,
    async list(path, query = {}) {
      const items: unknown[] = [];
      for (let page = "1"; page !== ""; ) {
        const response = await call("GET", path, { query: { ...query, per_page: "100", page } });
        items.push(...(response.json as unknown[]));
        const next = response.headers["x-next-page"];
        page = typeof next === "string" ? next : "";
      }
      return items;
    },
  };
}

/** A project path or id as one URL path segment, as GitLab wants it (`xlink%2Fapp`). */
export const projectSegment = (project: string | number) => encodeURIComponent(String(project));
