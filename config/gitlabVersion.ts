// The GitLab release the stack declares (`gitlab.version`), and the features of GitLab the program
// uses with the release that introduced each (gitlabhq doc/api and doc/ci history notes). The program
// never sends an input the declared release does not have: a field GitLab ignores comes back empty
// on the next read, and for a token's description that difference would replace (revoke) the token.

/** A release as major.minor. */
export interface GitLabRelease {
  readonly major: number;
  readonly minor: number;
}

/** What the program uses, and since when. */
export const GITLAB_FEATURE_RELEASES = {
  /** "Masked and hidden" variables (`masked_and_hidden` on create). */
  hiddenVariables: "17.4",
  /** Access tokens may live up to 400 days when the instance allows it. */
  tokenLifetime400Days: "17.6",
  /** Access tokens carry a `description`. */
  tokenDescriptions: "17.7",
} as const;

export type GitLabFeature = keyof typeof GITLAB_FEATURE_RELEASES;

/**
 * The oldest release the program supports: the GitLab emulator every end-to-end test runs against
 * models 17.0 and later, so nothing older is known to work.
 */
export const OLDEST_SUPPORTED_RELEASE = "17.0";

/** The default: the lowest release with every feature above, so that nothing is left out by default. */
export const DEFAULT_GITLAB_RELEASE = GITLAB_FEATURE_RELEASES.tokenDescriptions;

const RELEASE = /^(\d{1,3})\.(\d{1,3})(?:\.\d{1,3})?$/;

/** `"17.7"` or `"17.7.2"` → {17, 7}; undefined for anything else. */
export function parseRelease(text: string): GitLabRelease | undefined {
  const match = RELEASE.exec(text);
  return match ? { major: Number(match[1]), minor: Number(match[2]) } : undefined;
}

/** "17.7" for {17, 7}. */
export function formatRelease(release: GitLabRelease): string {
  return `${release.major}.${release.minor}`;
}

export function releaseAtLeast(release: GitLabRelease, minimum: string): boolean {
  const wanted = parseRelease(minimum)!;
  return release.major !== wanted.major ? release.major > wanted.major : release.minor >= wanted.minor;
}

/** Whether the declared release (major.minor) has `feature`. */
export function hasFeature(version: string, feature: GitLabFeature): boolean {
  const release = parseRelease(version);
  return release !== undefined && releaseAtLeast(release, GITLAB_FEATURE_RELEASES[feature]);
}
