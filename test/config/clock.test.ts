// The injectable clock (config/clock.ts): stopped at a date or an instant, or the system's.

import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { fixedClock, systemClock, today } from "../../config/clock";
import { isIsoDate } from "../../config/dates";

describe("clock", () => {
  it("fixedClock of a date alone stops at midnight UTC that day", () => {
    const clock = fixedClock("2026-11-25");
    assert.equal(clock.now().getTime(), Date.UTC(2026, 10, 25));
    assert.equal(today(clock), "2026-11-25");
  });

  it("fixedClock of an instant stops at that instant", () => {
    assert.equal(fixedClock("2026-11-27T14:00:00+02:00").now().getTime(), Date.UTC(2026, 10, 27, 12));
  });

  it("today is the UTC date, even for an instant late in the day in a +hh offset", () => {
    // 01:30 on the 26th in +02:00 is 23:30 on the 25th in UTC.
    assert.equal(today(fixedClock("2026-11-26T01:30:00+02:00")), "2026-11-25");
    // 22:00 on the 25th in -05:00 is 03:00 on the 26th in UTC.
    assert.equal(today(fixedClock("2026-11-25T22:00:00-05:00")), "2026-11-26");
  });

  it("hands out a fresh Date each time, so a caller cannot move the clock", () => {
    const clock = fixedClock("2026-11-25");
    clock.now().setUTCFullYear(1999);
    assert.equal(today(clock), "2026-11-25");
  });

  it("fixedClock refuses text that is not a date or date-time", () => {
    assert.throws(() => fixedClock("garbage"), RangeError);
    assert.throws(() => fixedClock("2026-11-25Tnoon"), RangeError);
    assert.throws(() => fixedClock("2026-11-31"), RangeError, "no silent roll-over to December");
    assert.throws(() => fixedClock("2026-11-25T23:30:00"), RangeError, "no zone: it would depend on the machine's");
  });

  it("systemClock's today is a real YYYY-MM-DD date", () => {
    assert.ok(isIsoDate(today(systemClock)));
  });
});
