// "Now" is injected so that validation and expiry warnings are reproducible in tests and in
// `npm run plan -- --today`. No clock value ever reaches a resource input.

import { utcDate } from "./dates";

export interface Clock {
  /** The current instant. */
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock stopped at `isoInstant` ("2026-11-25" means midnight UTC). */
export function fixedClock(isoInstant: string): Clock {
  const instant = new Date(/T/.test(isoInstant) ? isoInstant : `${isoInstant}T00:00:00Z`);
  if (Number.isNaN(instant.getTime())) throw new RangeError(`not an ISO date or date-time: ${isoInstant}`);
  return { now: () => new Date(instant.getTime()) };
}

/** Today's date in UTC, as YYYY-MM-DD. */
export function today(clock: Clock): string {
  return utcDate(clock.now());
}
