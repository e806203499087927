// Calendar arithmetic (config/dates.ts); the clock is test/config/clock.test.ts.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";

import { fixedClock } from "../../config/clock";
import { addDays, dayNumber, daysBetween, isIsoDate, parseInstant, utcDate } from "../../config/dates";

const MS_PER_DAY = 86_400_000;

/** Reference leap-year rule, written independently of the code under test. */
const isLeapYear = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
const daysInMonth = (year: number, month: number) => [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
const pad = (value: number, width: number) => String(value).padStart(width, "0");

/** Any calendar date from 1900 to 2199, as YYYY-MM-DD. */
const isoDateArb = fc
  .date({ min: new Date(Date.UTC(1900, 0, 1)), max: new Date(Date.UTC(2199, 11, 31, 23, 59, 59, 999)), noInvalidDate: true })
  .map((instant) => instant.toISOString().slice(0, 10));
/** Offsets of up to a century either way: results stay within years 1800–2299. */
const dayOffsetArb = fc.integer({ min: -36_600, max: 36_600 });

describe("isIsoDate", () => {
  it("accepts real calendar dates, including 29 February of leap years", () => {
    for (const date of ["2027-02-15", "2028-02-29", "2000-02-29", "1970-01-01", "2026-12-31", "2027-01-31", "2027-04-30"]) {
      assert.equal(isIsoDate(date), true, date);
    }
  });

  it("refuses dates that do not exist", () => {
    for (const date of ["2027-02-29", "1900-02-29", "2100-02-29", "2027-02-30", "2027-04-31", "2027-13-01", "2027-00-10", "2027-01-00", "2027-01-32"]) {
      assert.equal(isIsoDate(date), false, date);
    }
  });

  it("refuses anything not written exactly YYYY-MM-DD", () => {
    for (const text of ["2027-2-1", "2027-02-1", " 2027-02-01", "2027-02-01 ", "2027/02/01", "20270201", "27-02-01", "2027-02-01T00:00:00Z", "+02027-02-01", "", "tomorrow"]) {
      assert.equal(isIsoDate(text), false, JSON.stringify(text));
    }
  });

  it("agrees with the Gregorian leap-year rule for every year, month and day (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1000, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }), (year, month, day) => {
        const text = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
        const real = month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
        assert.equal(isIsoDate(text), real, text);
      }),
    );
  });
});

describe("dayNumber", () => {
  it("counts days since 1970-01-01", () => {
    assert.equal(dayNumber("1970-01-01"), 0);
    assert.equal(dayNumber("1970-01-02"), 1);
    assert.equal(dayNumber("1969-12-31"), -1);
    assert.equal(dayNumber("2000-01-01"), 10_957);
    assert.equal(dayNumber("2000-03-01"), 10_957 + 31 + 29);
  });

  it("throws a RangeError on anything that is not a real YYYY-MM-DD date", () => {
    for (const text of ["2027-02-30", "2027-2-1", "", "not a date"]) {
      assert.throws(() => dayNumber(text), RangeError, JSON.stringify(text));
    }
  });

  it("matches the UTC day of any instant (property)", () => {
    fc.assert(
      fc.property(fc.date({ min: new Date(Date.UTC(1900, 0, 1)), max: new Date(Date.UTC(2199, 11, 31)), noInvalidDate: true }), (instant) => {
        assert.equal(dayNumber(utcDate(instant)), Math.floor(instant.getTime() / MS_PER_DAY));
      }),
    );
  });
});

describe("daysBetween", () => {
  it("counts whole days, negative when the second date is earlier", () => {
    assert.equal(daysBetween("2026-11-25", "2026-11-25"), 0);
    assert.equal(daysBetween("2026-11-25", "2026-11-26"), 1);
    assert.equal(daysBetween("2026-11-26", "2026-11-25"), -1);
    assert.equal(daysBetween("2026-11-30", "2026-12-01"), 1);
    assert.equal(daysBetween("2026-12-31", "2027-01-01"), 1);
  });

  it("counts 366 days across a leap day and 365 otherwise", () => {
    assert.equal(daysBetween("2026-11-25", "2027-11-25"), 365);
    assert.equal(daysBetween("2027-11-25", "2028-11-25"), 366);
    assert.equal(daysBetween("2028-02-28", "2028-03-01"), 2);
    assert.equal(daysBetween("2027-02-28", "2027-03-01"), 1);
  });

  it("throws when either date is not a real date", () => {
    assert.throws(() => daysBetween("2026-11-25", "2027-02-30"), RangeError);
    assert.throws(() => daysBetween("2026/11/25", "2027-02-15"), RangeError);
  });

  it("is antisymmetric (property)", () => {
    fc.assert(
      fc.property(isoDateArb, isoDateArb, (a, b) => {
        assert.equal(daysBetween(a, a), 0);
        // A sum rather than `-daysBetween(b, a)`: strict equality tells 0 from -0.
        assert.equal(daysBetween(a, b) + daysBetween(b, a), 0);
      }),
    );
  });
});

describe("addDays", () => {
  it("steps over month, year and leap-day boundaries", () => {
    assert.equal(addDays("2026-11-25", 0), "2026-11-25");
    assert.equal(addDays("2026-11-30", 1), "2026-12-01");
    assert.equal(addDays("2026-12-31", 1), "2027-01-01");
    assert.equal(addDays("2027-01-01", -1), "2026-12-31");
    assert.equal(addDays("2027-02-28", 1), "2027-03-01");
    assert.equal(addDays("2028-02-28", 1), "2028-02-29");
    assert.equal(addDays("2028-03-01", -1), "2028-02-29");
    assert.equal(addDays("2026-11-25", 365), "2027-11-25");
    assert.equal(addDays("2026-11-25", 400), "2027-12-30");
  });

  it("throws on a date that does not exist", () => {
    assert.throws(() => addDays("2027-02-29", 1), RangeError);
  });

  it("moves exactly n days: daysBetween(d, addDays(d, n)) === n (property)", () => {
    fc.assert(
      fc.property(isoDateArb, dayOffsetArb, (date, days) => {
        assert.equal(daysBetween(date, addDays(date, days)), days);
      }),
    );
  });

  it("is undone by adding the opposite number of days (property)", () => {
    fc.assert(
      fc.property(isoDateArb, dayOffsetArb, (date, days) => {
        assert.equal(addDays(addDays(date, days), -days), date);
      }),
    );
  });

  it("always returns a real YYYY-MM-DD date (property)", () => {
    fc.assert(
      fc.property(isoDateArb, dayOffsetArb, (date, days) => {
        const result = addDays(date, days);
        assert.ok(isIsoDate(result), `addDays(${date}, ${days}) = ${result}`);
      }),
    );
  });
});

describe("utcDate", () => {
  it("gives the UTC calendar date of an instant, whatever the offset it was written with", () => {
    assert.equal(utcDate(new Date("2026-11-25T00:00:00Z")), "2026-11-25");
    assert.equal(utcDate(new Date("2026-11-25T23:59:59.999Z")), "2026-11-25");
    assert.equal(utcDate(new Date("2026-11-26T01:00:00+02:00")), "2026-11-25");
    assert.equal(utcDate(new Date("2026-11-25T22:00:00-05:00")), "2026-11-26");
  });

  it("always returns a real date (property)", () => {
    fc.assert(
      fc.property(fc.date({ min: new Date(Date.UTC(1900, 0, 1)), max: new Date(Date.UTC(2199, 11, 31)), noInvalidDate: true }), (instant) => {
        assert.ok(isIsoDate(utcDate(instant)));
      }),
    );
  });
});

describe("parseInstant", () => {
  const noonUtc = Date.UTC(2026, 10, 27, 12, 0, 0);

  it("accepts Z and ±hh:mm offsets and returns the instant they denote", () => {
    assert.equal(parseInstant("2026-11-27T12:00:00Z")?.getTime(), noonUtc);
    assert.equal(parseInstant("2026-11-27T14:00:00+02:00")?.getTime(), noonUtc);
    assert.equal(parseInstant("2026-11-27T06:30:00-05:30")?.getTime(), noonUtc);
    assert.equal(parseInstant("2026-11-28T01:00:00+13:00")?.getTime(), noonUtc);
  });

  it("accepts a time without seconds and fractional seconds", () => {
    assert.equal(parseInstant("2026-11-27T12:00Z")?.getTime(), noonUtc);
    assert.equal(parseInstant("2026-11-27T12:00:00.500Z")?.getTime(), noonUtc + 500);
  });

  it("refuses a date-time without an offset, or a date alone", () => {
    assert.equal(parseInstant("2026-11-27T12:00:00"), undefined);
    assert.equal(parseInstant("2026-11-27"), undefined);
  });

  it("refuses dates and times that do not exist", () => {
    for (const text of ["2026-02-30T00:00:00Z", "2027-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-11-27T24:00:00Z", "2026-11-27T12:60:00Z", "2026-11-27T12:00:60Z", "2026-11-27T12:00:00+24:00"]) {
      assert.equal(parseInstant(text), undefined, text);
    }
  });

  it("refuses garbage and near misses", () => {
    for (const text of ["", "tomorrow", "now", "2026-11-27 12:00:00Z", "2026-11-27T12:00:00+2:00", "2026-11-27T12:00:00+0200", "2026-11-27T12Z", " 2026-11-27T12:00:00Z", "2026-11-27T12:00:00Z "]) {
      assert.equal(parseInstant(text), undefined, JSON.stringify(text));
    }
  });
});

describe("error messages of the date helpers", () => {
  it("name the value that is not a date", () => {
    assert.throws(() => dayNumber("2027-02-30"), { name: "RangeError", message: 'not a YYYY-MM-DD date: "2027-02-30"' });
    assert.throws(() => fixedClock("soon"), { name: "RangeError", message: "not a YYYY-MM-DD date or an ISO date-time with a zone: soon" });
  });

  it("parseInstant refuses leading or trailing text around a valid date-time", () => {
    for (const text of ["x2026-11-27T12:00:00Z", "2026-11-27T12:00:00Zx", "2026-11-27T12:00:00+02:00x", "2026-11-27T12:00:00.1234567890Z"]) {
      assert.equal(parseInstant(text), undefined, text);
    }
  });
});
