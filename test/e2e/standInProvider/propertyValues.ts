// Pulumi property values as they cross the provider protocol in a google.protobuf.Struct: secrets are
// wrapped in an object carrying Pulumi's signature key, unknowns (previews) are a sentinel string.
// The stand-in keeps values in this wire form end to end, so that a secret that came in wrapped goes
// back out wrapped (the engine stores what Check returns as the resource's inputs, verbatim).

/** The signature key Pulumi puts on special values (pulumi/pulumi sdk/go/common/resource/sig). */
export const SIGNATURE_KEY = "4dabf18193072939515e22adb298388d";
/** The signature value of a secret. */
export const SECRET_SIGNATURE = "1b47061264138c4ac30d75fd1eb44270";
/** What an unknown value (an output not yet known during a preview) looks like on the wire. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export type WireValue = null | boolean | number | string | WireValue[] | { [key: string]: WireValue };
export type WireMap = Record<string, WireValue>;

export interface SecretValue {
  readonly [SIGNATURE_KEY]: typeof SECRET_SIGNATURE;
  readonly value: WireValue;
}

export function isSecret(value: unknown): value is SecretValue {
  return typeof value === "object" && value !== null && !Array.isArray(value) && (value as Record<string, unknown>)[SIGNATURE_KEY] === SECRET_SIGNATURE;
}

/** Wraps `value` as a secret, once. */
export function secret(value: WireValue): WireValue {
  return isSecret(value) ? value : ({ [SIGNATURE_KEY]: SECRET_SIGNATURE, value } as unknown as WireValue);
}

/** The value with every secret wrapper removed, at any depth: what the provider computes with. */
export function reveal(value: unknown): WireValue {
  if (isSecret(value)) return reveal(value.value);
  if (Array.isArray(value)) return value.map(reveal);
  if (typeof value === "object" && value !== null) return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, reveal(inner)]));
  return (value ?? null) as WireValue;
}

/** True when the value, or anything inside it, is not known yet. */
export function containsUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (isSecret(value)) return containsUnknown(value.value);
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (typeof value === "object" && value !== null) return Object.values(value).some(containsUnknown);
  return false;
}

/** Every string inside secret wrappers: what no log line, error or plaintext output may contain. */
export function secretStrings(value: unknown, insideSecret = false): string[] {
  if (isSecret(value)) return secretStrings(value.value, true);
  if (typeof value === "string") return insideSecret && value !== "" ? [value] : [];
  if (Array.isArray(value)) return value.flatMap((inner) => secretStrings(inner, insideSecret));
  if (typeof value === "object" && value !== null) return Object.values(value).flatMap((inner) => secretStrings(inner, insideSecret));
  return [];
}

/** A revealed value compared by content: what decides whether a property changed. */
export function sameValue(left: unknown, right: unknown): boolean {
  return JSON.stringify(canonical(reveal(left))) === JSON.stringify(canonical(reveal(right)));
}

function canonical(value: WireValue): WireValue {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonical(value[key])]),
    );
  }
  return value;
}

/** `value` made secret when `like` is: how an output keeps the secretness of the input it came from. */
export function secretLike(value: WireValue, like: unknown): WireValue {
  return isSecret(like) ? secret(value) : value;
}

/**
 * Drops keys whose value is null or absent. A simplification: the stand-in writes no null attributes to
 * state, where the bridge may write some as null; nothing in Pulumi's diff or display tells them apart.
 */
export function withoutNulls(map: Record<string, WireValue | undefined>): WireMap {
  return Object.fromEntries(Object.entries(map).filter(([, value]) => value !== null && value !== undefined)) as WireMap;
}
