// A minimal HTTPS client for tests that talk to the emulator directly: it trusts the emulator's CA
// (and nothing is trusted process-wide), sends the token as PRIVATE-TOKEN or Bearer, and returns the
// status, headers and body as received. A dropped connection rejects with the socket's error.

import { request as httpsRequest } from "node:https";
import type { IncomingHttpHeaders } from "node:http";

export interface RequestOptions {
  /** Sent as PRIVATE-TOKEN (default) or `Authorization: Bearer`. */
  readonly token?: string;
  readonly auth?: "private-token" | "bearer";
  /** A JSON body. */
  readonly json?: unknown;
  /** A form body (application/x-www-form-urlencoded). */
  readonly form?: Readonly<Record<string, string>>;
  /** A body sent exactly as given (set its content-type in `headers`). */
  readonly body?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface EmulatorResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
  /** The body parsed as JSON; undefined when it is empty or not JSON. */
  readonly json: unknown;
}

/** `method` on `path` below /api/v4 (e.g. `/projects/xlink%2Finfra/variables?page=2`). */
export function gitlabRequest(emulator: { readonly origin: string; readonly caPem: string }, method: string, path: string, options: RequestOptions = {}): Promise<EmulatorResponse> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) {
    if (options.auth === "bearer") headers.authorization = `Bearer ${options.token}`;
    else headers["private-token"] = options.token;
  }
  let body: string | undefined = options.body;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers["content-type"] ??= "application/json";
  } else if (options.form !== undefined) {
    body = new URLSearchParams(options.form).toString();
    headers["content-type"] ??= "application/x-www-form-urlencoded";
  }
  if (body !== undefined) headers["content-length"] = String(Buffer.byteLength(body));
  const url = new URL(`/api/v4${path}`, emulator.origin);
  return new Promise((resolve, reject) => {
    const request = httpsRequest(url, { method, headers, ca: emulator.caPem, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("error", reject);
      response.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let json: unknown;
        try {
          json = text === "" ? undefined : JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: response.statusCode ?? 0, headers: response.headers, text, json });
      });
    });
    request.on("error", reject);
    request.end(body);
  });
}
