// A fingerprint of everything a run registered, so the benchmark can check on every run, at every
// size, that the program and the baseline sent the engine exactly the same resources.

import { createHash } from "node:crypto";
import type { Registration } from "../evaluation/evaluate";

/** SHA-256 of the registrations in URN order, object keys sorted: independent of registration and key order. */
export function registrationDigest(registrations: readonly Registration[]): string {
  const ordered = [...registrations].sort((a, b) => (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0));
  return createHash("sha256").update(canonicalJson(ordered)).digest("hex");
}

/** JSON with object keys sorted; undefined members are left out, as JSON.stringify does. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? "null" : canonicalJson(item))).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    const members = Object.keys(value)
      .sort()
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${members.join(",")}}`;
  }
  return JSON.stringify(value);
}
