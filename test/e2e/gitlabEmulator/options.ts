// The emulator's options, checked once at start: a wrong option fails `startGitLabEmulator` with a
// message naming the option and the fix, never a confusing answer later.

import { systemClock, type Clock } from "../../../config/clock";
import { DEFAULT_VERSION, featuresOf, type GitLabFeatures } from "./version";
import type { ProjectSeed } from "./state";

export interface GitLabEmulatorOptions {
  /** The GitLab release to answer as; default "19.6.0". Older releases change a few behaviours (see README). */
  readonly version?: string;
  /** The instance's maximum access token lifetime in days; default 365, at most 400 (from 17.6). */
  readonly maxTokenLifetimeDays?: number;
  /** What "now" is: token expiry, created_at, default expiry dates; default the real clock. */
  readonly clock?: Clock;
  /** Projects that exist from the start (more can be added with `control.addProject`). */
  readonly projects?: readonly ProjectSeed[];
}

export interface EmulatorSettings {
  readonly features: GitLabFeatures;
  readonly maxTokenLifetimeDays: number;
  readonly clock: Clock;
}

const DEFAULT_LIFETIME_DAYS = 365;
const EXTENDED_LIFETIME_DAYS = 400;

export function settingsFrom(options: GitLabEmulatorOptions): EmulatorSettings {
  const features = featuresOf(options.version ?? DEFAULT_VERSION);
  const maxTokenLifetimeDays = options.maxTokenLifetimeDays ?? DEFAULT_LIFETIME_DAYS;
  const ceiling = features.extendedTokenLifetime ? EXTENDED_LIFETIME_DAYS : DEFAULT_LIFETIME_DAYS;
  if (!Number.isInteger(maxTokenLifetimeDays) || maxTokenLifetimeDays < 1 || maxTokenLifetimeDays > ceiling) {
    const why = features.extendedTokenLifetime ? "" : ` (GitLab ${features.version} has no longer limit; 400 days came in 17.6)`;
    throw new RangeError(`GitLab emulator: maxTokenLifetimeDays is ${String(maxTokenLifetimeDays)}, not a whole number of days from 1 to ${ceiling}${why}. Fix: pass a value in that range, or leave it out for 365.`);
  }
  return { features, maxTokenLifetimeDays, clock: options.clock ?? systemClock };
}
