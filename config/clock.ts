// "Now" is injected so that validation and expiry warnings are reproducible in tests and in
// `npm run plan -- --today`. No clock value ever reaches a resource input.

import { isIsoDate, parseInstant, utcDate } from "./dates";

export interface Clock {
  /** The current instant. */
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock stopped at `isoInstant`: a date-time with a zone, or a date, meaning midnight UTC. */
export function fixedClock(isoInstant: string): Clock {
  const instant = isIsoDate(isoInstant) ? new Date(`${isoInstant}T00:00:00Z`) : parseInstant(isoInstant);
  if (!instant) throw new RangeError(`not a YYYY-MM-DD date or an ISO date-time with a zone: ${isoInstant}`);
  return { now: () => new Date(instant.getTime()) };
}

/** Today's date in UTC, as YYYY-MM-DD. */
export function today(clock: Clock): string {
  return utcDate(clock.now());
}
