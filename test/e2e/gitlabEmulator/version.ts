// Which GitLab release the emulator answers as, and the few behaviours that changed between the
// releases this project supports. Only differences that matter to the project are modelled; each
// names the release that introduced it (gitlabhq/gitlabhq doc/api and doc/user history notes).

/** The release emulated when no `version` option is given. */
export const DEFAULT_VERSION = "19.6.0";

/** Releases before this one are refused: the emulator does not model them. */
const OLDEST_SUPPORTED = "17.0.0";

export interface GitLabFeatures {
  /** The release as answered by GET /version. */
  readonly version: string;
  /** 17.2: `state=active|inactive` filter on the access token list (ignored before). */
  readonly tokenStateFilter: boolean;
  /** 17.4: `masked_and_hidden` on create and `hidden` in responses (before: neither exists). */
  readonly hiddenVariables: boolean;
  /** 17.6: the maximum token lifetime may be raised to 400 days. */
  readonly extendedTokenLifetime: boolean;
  /** 17.7: access tokens carry a `description` (before: the field is ignored and not answered). */
  readonly tokenDescription: boolean;
  /** 17.7: the Planner role (access level 15). */
  readonly plannerRole: boolean;
  /** 17.9: the `self_rotate` scope. */
  readonly selfRotateScope: boolean;
  /** 17.9: a revoked token's bot user is kept, so the token stays listed as revoked (before: deleted with it). */
  readonly retainRevokedTokens: boolean;
  /** 17.10: `last_used_ips` in access token responses. */
  readonly lastUsedIps: boolean;
}

/** `[major, minor, patch]` of "19.6.0" (a suffix such as "-ee" is dropped). */
function parse(version: string): [number, number, number] | undefined {
  const match = /^(\d+)\.(\d+)(?:\.(\d+))?(?:-[a-z0-9.]+)?$/i.exec(version.trim());
  if (!match) return undefined;
  return [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)];
}

function atLeast(version: [number, number, number], minimum: string): boolean {
  const wanted = parse(minimum)!;
  for (let index = 0; index < 3; index++) {
    if (version[index] !== wanted[index]) return version[index] > wanted[index];
  }
  return true;
}

/** Negative, zero or positive as release `a` is before, equal to or after `b` (both well formed). */
export function compareReleases(a: string, b: string): number {
  const [left, right] = [parse(a)!, parse(b)!];
  for (let index = 0; index < 3; index++) if (left[index] !== right[index]) return left[index] - right[index];
  return 0;
}

/** The features of `version`; throws with the fix for a version that is malformed or too old. */
export function featuresOf(version: string): GitLabFeatures {
  const parsed = parse(version);
  if (!parsed) {
    throw new RangeError(`GitLab emulator: version ${JSON.stringify(version)} is not a release number. Fix: pass a version such as "${DEFAULT_VERSION}".`);
  }
  if (!atLeast(parsed, OLDEST_SUPPORTED)) {
    throw new RangeError(`GitLab emulator: version ${version} is older than ${OLDEST_SUPPORTED}, which the emulator does not model. Fix: pass ${OLDEST_SUPPORTED} or later.`);
  }
  return {
    version: parsed.join("."),
    tokenStateFilter: atLeast(parsed, "17.2"),
    hiddenVariables: atLeast(parsed, "17.4"),
    extendedTokenLifetime: atLeast(parsed, "17.6"),
    tokenDescription: atLeast(parsed, "17.7"),
    plannerRole: atLeast(parsed, "17.7"),
    selfRotateScope: atLeast(parsed, "17.9"),
    retainRevokedTokens: atLeast(parsed, "17.9"),
    lastUsedIps: atLeast(parsed, "17.10"),
  };
}
