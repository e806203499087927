// The REST client, behaving as the official provider's go-gitlab client does where it shows on the
// wire: the base URL gets `api/v4/` appended unless it ends so; bearer authentication (the provider
// config's description: "The OAuth method is used ... (using Bearer authorization token)"); JSON
// bodies; path parameters escaped like Go's url.PathEscape, queries like url.Values.Encode; 429 and
// 5xx answers retried with go-gitlab's backoff (RateLimit-Reset honoured, Retry-After not), other
// failures not retried. Errors read like go-gitlab's ErrorResponse ("POST <url>: 400 {message: …}")
// and never carry a secret: every string the client was told is secret is replaced by [secret].

import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest, type RequestOptions } from "node:https";
import { rootCertificates } from "node:tls";

export interface GitLabClientOptions {
  /** The provider's baseUrl, e.g. `https://gitlab.example.com/api/v4/` (normalised as go-gitlab does). */
  readonly baseUrl: string;
  readonly token: string;
  /** Extra CA certificates (PEM), trusted besides the system roots. */
  readonly ca?: readonly string[];
  readonly insecure?: boolean;
  readonly headers?: Readonly<Record<string, string>>;
  /** Retries after a 429 or 5xx answer. */
  readonly retries?: number;
  /** Strings never to show in an error (token values, variable values, the API token). */
  readonly secrets?: () => Iterable<string>;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly signal?: AbortSignal;
}

export interface GitLabResponse {
  readonly status: number;
  readonly json: unknown;
}

export interface RequestSpec {
  readonly method: "GET" | "POST" | "PUT" | "DELETE";
  /** Below the API root, already escaped (use pathEscape for each parameter). */
  readonly path: string;
  readonly query?: Readonly<Record<string, string>>;
  readonly body?: unknown;
  /** Authenticate as this token instead of the provider's (self-rotation). */
  readonly asToken?: string;
}

export class GitLabApiError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
  ) {
    super(message);
  }
}

export const is404 = (error: unknown) => error instanceof GitLabApiError && error.status === 404;

/** go-gitlab's setBaseURL: a trailing slash, and `api/v4/` unless the path already ends with it. */
export function normaliseBaseUrl(baseUrl: string): URL {
  const url = new URL(baseUrl);
  if (!url.pathname.endsWith("/")) url.pathname += "/";
  if (!url.pathname.endsWith("/api/v4/")) url.pathname += "api/v4/";
  return url;
}

/** Go's url.PathEscape: unreserved characters and `$&+:=@` stay, everything else (`/ ; , ?` too) is escaped. */
export function pathEscape(segment: string): string {
  return encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).replace(/%(24|26|2B|3A|3D|40)/g, (match) => decodeURIComponent(match));
}

/** Go's url.Values.Encode: keys sorted, QueryEscape (space as +, `*` and brackets escaped). */
export function encodeQuery(query: Readonly<Record<string, string>>): string {
  const escape = (text: string) => encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).replace(/%20/g, "+");
  return Object.keys(query)
    .sort()
    .map((key) => `${escape(key)}=${escape(query[key])}`)
    .join("&");
}

export function redact(text: string, secrets: Iterable<string>): string {
  let result = text;
  for (const secret of [...secrets].filter((s) => s.length >= 4).sort((a, b) => b.length - a.length)) result = result.split(secret).join("[secret]");
  // Belt and braces: anything shaped like a GitLab token.
  return result.replace(/\bgl[a-z]{2,4}-[A-Za-z0-9_-]{8,}/g, "[secret]");
}

export class GitLabClient {
  readonly root: URL;
  constructor(private readonly options: GitLabClientOptions) {
    this.root = normaliseBaseUrl(options.baseUrl);
  }

  async request(spec: RequestSpec): Promise<GitLabResponse> {
    const url = new URL(spec.path, this.root);
    if (spec.query) url.search = encodeQuery(spec.query);
    const maxRetries = this.options.retries ?? 5;
    for (let attempt = 0; ; attempt++) {
      let response: { status: number; headers: IncomingMessage["headers"]; body: string };
      try {
        response = await this.send(url, spec);
      } catch (error) {
        // go-gitlab's CheckRetry does not retry transport errors.
        throw new GitLabApiError(this.redacted(`${spec.method} ${displayUrl(url)}: ${(error as Error).message}`), undefined);
      }
      if ((response.status === 429 || response.status >= 500) && attempt < maxRetries) {
        await (this.options.sleep ?? sleep)(backoffMs(response.status, attempt, response.headers));
        continue;
      }
      if (response.status >= 200 && response.status < 300) {
        return { status: response.status, json: response.body === "" ? undefined : parseJson(response.body) };
      }
      throw new GitLabApiError(this.redacted(`${spec.method} ${displayUrl(url)}: ${response.status} ${errorMessage(response.body)}`), response.status);
    }
  }

  private redacted(text: string): string {
    return redact(text, [this.options.token, ...(this.options.secrets?.() ?? [])]);
  }

  private send(url: URL, spec: RequestSpec): Promise<{ status: number; headers: IncomingMessage["headers"]; body: string }> {
    const payload = spec.body === undefined ? undefined : JSON.stringify(spec.body);
    const headers: Record<string, string> = {
      ...this.options.headers,
      accept: "application/json",
      authorization: `Bearer ${spec.asToken ?? this.options.token}`,
      "user-agent": "pulumi-resource-gitlab/10.1.1 (stand-in for terraform-provider-gitlab/19.2.1)",
      ...(payload === undefined ? {} : { "content-type": "application/json", "content-length": String(Buffer.byteLength(payload)) }),
    };
    const options: RequestOptions = { method: spec.method, headers, signal: this.options.signal };
    if (url.protocol === "https:") {
      options.ca = this.options.ca && this.options.ca.length > 0 ? [...rootCertificates, ...this.options.ca] : undefined;
      options.rejectUnauthorized = !this.options.insecure;
    }
    const send = url.protocol === "https:" ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = send(url, options, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      });
      req.on("error", reject);
      req.end(payload);
    });
  }
}

/** go-gitlab's retryHTTPBackoff: rate limits back off exponentially from 100 ms (or until RateLimit-Reset); 5xx linearly 700–900 ms per attempt. */
export function backoffMs(status: number, attempt: number, headers: IncomingMessage["headers"], random: () => number = Math.random): number {
  if (status === 429) {
    const min = 100;
    const jitter = random() * (400 - min);
    const reset = Number(headers["ratelimit-reset"]);
    if (Number.isFinite(reset) && reset > 0) return Math.max(min, reset * 1000 - Date.now()) + jitter;
    return min * 2 ** attempt + jitter;
  }
  const n = attempt + 1;
  return 700 * n + random() * (900 - 700) * n;
}

/** The URL as go-gitlab's error shows it: scheme, host and unescaped path, no query. */
function displayUrl(url: URL): string {
  return `${url.protocol}//${url.host}${decodeURIComponent(url.pathname)}`;
}

/** go-gitlab's parseError: `{message: …}` / `{error: …}`, nested maps and lists flattened as Go prints them. */
function errorMessage(body: string): string {
  const parsed = parseJson(body);
  if (parsed === undefined || typeof parsed !== "object" || parsed === null) return body.trim() === "" ? "" : `failed to parse unknown error format: ${body.trim().slice(0, 200)}`;
  const record = parsed as Record<string, unknown>;
  if ("message" in record) return `{message: ${goFormat(record.message)}}`;
  if ("error" in record) return `{error: ${goFormat(record.error)}}`;
  return goFormat(record);
}

function goFormat(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(goFormat).join(", ")}]`;
  if (typeof value === "object" && value !== null) {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${key}: ${goFormat((value as Record<string, unknown>)[key])}`)
      .join(", ")}}`;
  }
  return String(value);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
