// A real HTTP server on 127.0.0.1 (port chosen by the OS) standing in for GitLab: it records every
// request as it arrived (method, path with query, headers, body) and answers from a script, either a
// queue of replies or a handler. No fetch mocking: the client under test talks HTTP to it.

import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after } from "node:test";

export interface RecordedRequest {
  readonly method: string;
  /** Path and query exactly as sent, e.g. `/api/v4/projects/xlink%2Finfra/merge_requests?state=opened`. */
  readonly path: string;
  /** Header names in lower case. */
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface ScriptedReply {
  /** Default 200. */
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** Sent as JSON (content-type application/json). */
  readonly json?: unknown;
  /** Sent as it is, when `json` is absent. */
  readonly text?: string;
  /** Wait this long before answering (for timeouts). */
  readonly delayMs?: number;
}

export type ReplyHandler = (request: RecordedRequest) => ScriptedReply | Promise<ScriptedReply>;

export interface RecordingServer {
  /** `http://127.0.0.1:<port>/api/v4`, what the client is pointed at. */
  readonly apiUrl: string;
  /** Every request so far, in arrival order. */
  readonly requests: RecordedRequest[];
  /** The JSON body of a recorded request. */
  jsonOf(request: RecordedRequest): unknown;
  close(): Promise<void>;
}

/** The API prefix of `apiUrl`, to strip from recorded paths in assertions. */
export const API_PREFIX = "/api/v4";

/**
 * Starts the server. With a list, each request takes the next reply; when the list runs out the server
 * answers 501 naming the unexpected request (501 is never retried, so a test fails at once).
 */
export async function startRecordingServer(script: readonly ScriptedReply[] | ReplyHandler): Promise<RecordingServer> {
  const requests: RecordedRequest[] = [];
  const queue = Array.isArray(script) ? [...script] : undefined;
  const handler: ReplyHandler =
    typeof script === "function"
      ? script
      : (request) => queue?.shift() ?? { status: 501, json: { message: `recording server: no scripted reply for ${request.method} ${request.path}` } };

  // Delayed replies are cut short on close, so that a timeout test does not hold the process open.
  const pending = new Set<() => void>();
  const delay = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        pending.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      pending.add(done);
    });

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const recorded: RecordedRequest = { method: req.method ?? "", path: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") };
      requests.push(recorded);
      Promise.resolve()
        .then(() => handler(recorded))
        .then(async (reply) => {
          if (reply.delayMs) await delay(reply.delayMs);
          if (res.destroyed) return;
          const payload = reply.json !== undefined ? JSON.stringify(reply.json) : (reply.text ?? "");
          const type = reply.json !== undefined ? { "content-type": "application/json" } : {};
          res.writeHead(reply.status ?? 200, { ...type, ...reply.headers });
          res.end(payload);
        })
        .catch((error: unknown) => {
          res.writeHead(500, { "content-type": "application/json" });
          res.end(JSON.stringify({ message: `recording server handler failed: ${String(error)}` }));
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    apiUrl: `http://127.0.0.1:${port}${API_PREFIX}`,
    requests,
    jsonOf: (request) => JSON.parse(request.body),
    close: () =>
      new Promise<void>((resolve) => {
        for (const done of [...pending]) done();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const served: RecordingServer[] = [];
after(() => Promise.all(served.map((server) => server.close())));

/** Starts a recording server that is closed once the test file's tests are done. */
export async function serve(script: readonly ScriptedReply[] | ReplyHandler): Promise<RecordingServer> {
  const server = await startRecordingServer(script);
  served.push(server);
  return server;
}

/** Every request so far as `METHOD path`. */
export const calls = (server: RecordingServer): string[] => server.requests.map((r) => `${r.method} ${r.path}`);
