// Request parameters as Rack parses them for Grape: a query string and a form or JSON body, with
// bracketed keys nested (`filter[environment_scope]=production` → `{ filter: { environment_scope:
// "production" } }`, `scopes[]=api` → `{ scopes: ["api"] }`). Body values win over query values.

import type { Params } from "./routing";

export class BodyError extends Error {
  override readonly name = "BodyError";
}

/** Parses `search` (with or without the leading `?`) into nested parameters. */
export function parseQuery(search: string): Record<string, unknown> {
  return nest(new URLSearchParams(search).entries());
}

/** The parameters in a request body of `contentType`; throws a BodyError for a body that does not parse. */
export async function parseBody(body: Buffer, contentType: string | undefined): Promise<Record<string, unknown>> {
  if (body.length === 0) return {};
  const type = (contentType ?? "").split(";")[0].trim().toLowerCase();
  if (type === "application/json" || type === "") {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString("utf8"));
    } catch {
      throw new BodyError("the request body is not valid JSON");
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new BodyError("the JSON body is not an object");
    return parsed as Record<string, unknown>;
  }
  if (type === "application/x-www-form-urlencoded") return parseQuery(body.toString("utf8"));
  if (type === "multipart/form-data") {
    // The platform's own multipart parser (undici's), rather than one of ours.
    const form = await new Response(new Uint8Array(body), { headers: { "content-type": contentType! } }).formData();
    const entries: [string, string][] = [];
    for (const [key, value] of form.entries()) entries.push([key, typeof value === "string" ? value : await value.text()]);
    return nest(entries);
  }
  throw new BodyError(`the content type ${type} is not one GitLab's API reads`);
}

export function mergeParams(query: Record<string, unknown>, body: Record<string, unknown>): Params {
  return { ...query, ...body };
}

function nest(entries: Iterable<[string, string]>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [rawKey, value] of entries) {
    const match = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(rawKey);
    if (!match) {
      result[rawKey] = value;
      continue;
    }
    const path = [match[1], ...[...match[2].matchAll(/\[([^[\]]*)\]/g)].map((part) => part[1])];
    assign(result, path, value);
  }
  return result;
}

function assign(target: Record<string, unknown>, path: readonly string[], value: string): void {
  const [head, ...rest] = path;
  if (rest.length === 0) {
    target[head] = value;
    return;
  }
  if (rest.length === 1 && rest[0] === "") {
    const list = Array.isArray(target[head]) ? (target[head] as unknown[]) : [];
    list.push(value);
    target[head] = list;
    return;
  }
  const child = target[head] !== null && typeof target[head] === "object" && !Array.isArray(target[head]) ? (target[head] as Record<string, unknown>) : {};
  target[head] = child;
  assign(child, rest, value);
}
