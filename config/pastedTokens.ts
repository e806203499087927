// A token pasted into the stack's config, wherever it is: as any field's value, under an unknown key, or
// as a key itself. The file is committed, so the token is in the repository's history for good, and
// whatever else is wrong at that spot, the first thing to do is to revoke it: every message about such
// a spot says so, and a spot no other rule complains about gets a problem of its own.

import { formatPath, looksLikeToken, type ConfigIssue } from "./issues";

/** What a message about a pasted token tells the user to do first. */
export const REVOKE_PASTED_TOKEN = "revoke that token now (it is in the repository's history)";

/** Where token-shaped text is: a value at `path`, or a key of the object at `path`. */
export interface TokenShapedPlace {
  readonly path: string;
  readonly key: boolean;
}

/** Every place under `prefix` in `value` (as YAML parsed it) holding token-shaped text. */
export function tokenShapedPlaces(value: unknown, prefix: readonly PropertyKey[]): TokenShapedPlace[] {
  if (typeof value === "string") return looksLikeToken(value) ? [{ path: formatPath(prefix), key: false }] : [];
  if (Array.isArray(value)) return value.flatMap((item, index) => tokenShapedPlaces(item, [...prefix, index]));
  if (typeof value !== "object" || value === null) return [];
  return Object.entries(value).flatMap(([key, item]) => [
    ...(looksLikeToken(key) ? [{ path: formatPath(prefix), key: true }] : []),
    ...(looksLikeToken(key) ? [] : tokenShapedPlaces(item, [...prefix, key])),
  ]);
}

/** The issue for an unknown key that looks like a token: the sentence never holds the key, and says to revoke it. */
export function tokenShapedKeyIssue(parentPath: string): ConfigIssue {
  return { path: parentPath, problem: "a key that looks like a GitLab token (not shown) is not a config key", fix: `${REVOKE_PASTED_TOKEN}, then remove that key` };
}

/**
 * `issues` with the revocation first in the fix of each one about a place in `places`, and one issue
 * more for each place no issue is about.
 */
export function withRevocationAdvice(issues: readonly ConfigIssue[], places: readonly TokenShapedPlace[]): ConfigIssue[] {
  const covers = (issuePath: string, place: TokenShapedPlace) =>
    place.key ? place.path === issuePath : issuePath !== "" && (place.path === issuePath || place.path.startsWith(`${issuePath}.`) || place.path.startsWith(`${issuePath}[`));
  const advised = issues.map((issue) =>
    !issue.fix.includes(REVOKE_PASTED_TOKEN) && places.some((place) => covers(issue.path, place)) ? { ...issue, fix: `${REVOKE_PASTED_TOKEN}, then ${issue.fix}` } : issue,
  );
  const uncovered = places.filter((place) => !issues.some((issue) => covers(issue.path, place)));
  return [
    ...advised,
    ...uncovered.map((place) => ({
      path: place.path,
      problem: "holds a value that looks like a GitLab token (not shown)",
      fix: `${REVOKE_PASTED_TOKEN}, then remove it: a token never belongs in the config (the API token is the secret gitlabToken, or GITLAB_TOKEN)`,
    })),
  ];
}
