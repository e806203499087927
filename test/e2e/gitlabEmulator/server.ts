// The HTTPS server and the path every request takes: read the body, apply an injected fault, match a
// route (an unknown one answers GitLab's 404 and is recorded), authenticate, run the handler, answer,
// and log the request with its secrets redacted.

import { createServer, type Server } from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { utcDate } from "../../../config/dates";
import { authenticate, presentedToken } from "./auth";
import type { EmulatorCertificate } from "./certificate";
import { routeNotFound } from "./errors";
import { faultOutcome, type Faults } from "./faults";
import type { EmulatorSettings } from "./options";
import { BodyError, mergeParams, parseBody, parseQuery } from "./params";
import { redactSecrets, type RequestLog } from "./requestLog";
import { matchRoute, scopesFor, type Reply, type Route } from "./routing";
import type { EmulatorState } from "./state";

export const API_PREFIX = "/api/v4";
const MAX_BODY_BYTES = 1024 * 1024;

export interface ServerParts {
  readonly state: EmulatorState;
  readonly settings: EmulatorSettings;
  readonly log: RequestLog;
  readonly faults: Faults;
  readonly routes: readonly Route[];
  /** Emulator bugs (a handler that threw), answered 500 and kept for the test to see. */
  readonly internalErrors: string[];
}

export interface RunningServer {
  /** `https://127.0.0.1:<port>` */
  readonly origin: string;
  close(): Promise<void>;
}

export async function startServer(parts: ServerParts, certificate: EmulatorCertificate): Promise<RunningServer> {
  let origin = "";
  // The TCP sockets under the TLS ones, by client address: only a TCP socket can send a reset.
  const tcpSockets = new Map<string, Socket>();
  const reset = (response: ServerResponse) => {
    const tls = response.socket;
    const tcp = tls ? tcpSockets.get(`${tls.remoteAddress}:${tls.remotePort}`) : undefined;
    if (tcp) tcp.resetAndDestroy();
    else tls?.destroy();
  };
  const server: Server = createServer({ key: certificate.keyPem, cert: certificate.certPem }, (request, response) => {
    handle(parts, origin, request, response, reset).catch((error: unknown) => {
      parts.internalErrors.push(`${request.method} ${request.url?.split("?")[0]}: ${error instanceof Error ? error.message : String(error)}`);
      if (!response.headersSent) send(response, { status: 500, json: { message: "500 Internal Server Error" } });
    });
  });
  server.on("connection", (socket: Socket) => {
    const key = `${socket.remoteAddress}:${socket.remotePort}`;
    tcpSockets.set(key, socket);
    socket.once("close", () => tcpSockets.delete(key));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function handle(parts: ServerParts, origin: string, request: IncomingMessage, response: ServerResponse, reset: (response: ServerResponse) => void): Promise<void> {
  const method = request.method ?? "GET";
  const url = new URL(request.url ?? "/", origin);
  const rawPath = url.pathname;
  const query = parseQuery(url.search);
  const bodyBytes = await readBody(request);
  let body: Record<string, unknown> | undefined;
  let bodyError: string | undefined;
  try {
    body = bodyBytes.length > 0 ? await parseBody(bodyBytes, request.headers["content-type"]) : undefined;
  } catch (error) {
    if (!(error instanceof BodyError)) throw error;
    bodyError = error.message;
  }
  const belowApi = rawPath.startsWith(`${API_PREFIX}/`) ? rawPath.slice(API_PREFIX.length) : undefined;
  const match = belowApi === undefined ? undefined : matchRoute(parts.routes, method, segmentsOf(belowApi));
  let tokenId: number | null = null;
  const finish = (reply: Reply | "reset", fault: string | null) => {
    parts.log.record({ method, path: rawPath, route: match?.route.path ?? null, query: redactSecrets(query) as Record<string, unknown>, body: body === undefined ? undefined : redactSecrets(body), status: reply === "reset" ? "reset" : reply.status, tokenId, fault });
    if (reply === "reset") reset(response);
    else send(response, reply);
  };

  const fault = parts.faults.take(method, belowApi ?? rawPath);
  const action = fault?.rule.fault;
  if (action?.kind === "latency") await sleep(action.ms);
  const interruption = action && action.kind !== "latency" ? action : undefined;
  if (interruption && fault?.rule.when !== "after") return finish(faultOutcome(interruption, parts.settings.clock.now()), fault!.label);
  const reply = answer();
  // An "after" fault: the request has done its work; only the answer is lost or replaced.
  if (interruption) return finish(faultOutcome(interruption, parts.settings.clock.now()), fault!.label);
  return finish(reply, fault?.label ?? null);

  function answer(): Reply {
    if (!match) return routeNotFound();
    if (bodyError !== undefined) return { status: 400, json: { error: bodyError } };
    const params = mergeParams(query, body ?? {});
    const now = parts.settings.clock.now();
    const today = utcDate(now);
    const authentication = authenticate({ state: parts.state, presented: presentedToken(request.headers, params), path: rawPath, allowedScopes: scopesFor(match.route, match.pathParams), now, today });
    if ("reply" in authentication) return authentication.reply;
    tokenId = authentication.caller.token.id;
    return match.route.handle({ pathParams: match.pathParams, params, caller: authentication.caller, state: parts.state, settings: parts.settings, today, origin, rawPath });
  }
}

/** The decoded segments of a path below /api/v4 (`/projects/a%2Fb` → ["projects", "a/b"]). */
function segmentsOf(belowApi: string): string[] {
  return belowApi
    .split("/")
    .slice(1)
    .map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        return segment;
      }
    });
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error(`request body over ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function send(response: ServerResponse, reply: Reply): void {
  const headers: Record<string, string> = { ...reply.headers };
  let payload: string | undefined;
  if (reply.json !== undefined) {
    payload = JSON.stringify(reply.json);
    headers["content-type"] ??= "application/json";
  } else if (reply.text !== undefined) {
    payload = reply.text;
    headers["content-type"] ??= "text/plain";
  }
  response.writeHead(reply.status, headers);
  response.end(reply.status === 204 ? undefined : payload);
}
