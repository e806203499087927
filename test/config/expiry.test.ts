// What `npm run expiry` and `npm run rotate` consider due (config/expiry.ts): flag parsing, the clock,
// an expired token (valid config, and due), the grace counted from a merge, and the report itself.

import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { fixedClock } from "../../config/clock";
import {
  describeDaysLeft,
  dueTokens,
  expiryReport,
  FlagError,
  parseDayCount,
  resolveNow,
  UsageError,
  type ExpiryReport,
  type SinceMerge,
} from "../../config/expiry";
import { ConfigError } from "../../config/issues";
import { validateStackConfig, type RawStackConfig } from "../../config/validate";

const TODAY = "2026-11-25";
const MIDNIGHT = new Date(`${TODAY}T00:00:00Z`);

type Fields = Record<string, unknown>;

/** A valid token; its variable's key follows its name, so that tokens never share a variable. */
function token(overrides: Fields = {}): Fields {
  const name = (overrides.name as string | undefined) ?? "GITLAB_CI_PUSHER";
  return { name, project: "xlink/xlink-k8s-gitops", expiresAt: "2027-02-15", consumers: [{ project: "xlink/xlink-app", key: `${name}_TOKEN` }], ...overrides };
}

const stack = (pushTokens: Fields[], extra: RawStackConfig = {}): RawStackConfig => ({ pushTokens, ...extra });

/** The error `run` throws, which must be an instance of `type`. */
function thrown<T>(run: () => unknown, type: new (...args: never[]) => T): T {
  try {
    run();
  } catch (error) {
    if (error instanceof type) return error;
    assert.fail(`expected a ${type.name}, got ${String(error)}`);
  }
  assert.fail(`expected a ${type.name}, got no error`);
}

describe("parseDayCount", () => {
  it("accepts whole days from the minimum to 400", () => {
    assert.equal(parseDayCount("--within", "0", 0), 0);
    assert.equal(parseDayCount("--within", "30", 0), 30);
    assert.equal(parseDayCount("--lifetime", "1", 1), 1);
    assert.equal(parseDayCount("--lifetime", "400", 1), 400);
    assert.equal(parseDayCount("--lifetime", "007", 1), 7);
  });

  it("refuses anything else, naming the flag, the range and the value", () => {
    for (const text of ["", "401", "1000", "-1", "1.5", "3d", " 3", "abc", "0x10", "1e2"]) {
      const error = thrown(() => parseDayCount("--within", text, 0), FlagError);
      assert.equal(error.message, `--within must be a whole number of days from 0 to 400, got ${JSON.stringify(text)}. Fix: write e.g. --within 14`);
      assert.equal(error.name, "FlagError");
      assert.ok(error instanceof UsageError);
    }
    assert.equal(thrown(() => parseDayCount("--lifetime", "0", 1), FlagError).message, '--lifetime must be a whole number of days from 1 to 400, got "0". Fix: write e.g. --lifetime 14');
  });
});

describe("resolveNow", () => {
  const clock = fixedClock("2030-01-02T03:04:05Z");

  it("reads --today as midnight UTC and --now as the instant it names", () => {
    assert.equal(resolveNow({ today: TODAY }, clock).toISOString(), "2026-11-25T00:00:00.000Z");
    assert.equal(resolveNow({ now: "2026-11-25T14:30:00+02:00" }, clock).toISOString(), "2026-11-25T12:30:00.000Z");
  });

  it("falls back to the clock", () => {
    assert.equal(resolveNow({}, clock).toISOString(), "2030-01-02T03:04:05.000Z");
  });

  it("refuses both flags, a date that is not one and an instant without a zone", () => {
    assert.equal(
      thrown(() => resolveNow({ today: TODAY, now: "2026-11-25T00:00:00Z" }, clock), FlagError).message,
      "--today and --now are both given. Fix: pass one: --today for a day (its midnight UTC), --now for an instant",
    );
    assert.equal(thrown(() => resolveNow({ today: "2026-02-30" }, clock), FlagError).message, '--today must be a date, got "2026-02-30". Fix: write it as YYYY-MM-DD, e.g. --today 2026-11-25');
    assert.equal(
      thrown(() => resolveNow({ now: "2026-11-25T10:00:00" }, clock), FlagError).message,
      '--now must be an ISO date-time with a zone, got "2026-11-25T10:00:00". Fix: write it like --now 2026-11-25T09:30:00Z',
    );
  });
});

describe("an expired token is valid config, and due", () => {
  it("validates a past expiresAt as it is: the token ran out, which is a due rotation, not a mistake", () => {
    const raw = stack([token({ expiresAt: TODAY }), token({ name: "LIVE" }), token({ name: "OLD", expiresAt: "2026-10-01", retiring: { expiresAt: "2026-09-01", revokeAfter: "2026-08-01T00:00:00Z" } })]);
    const settings = validateStackConfig(raw, { today: TODAY });
    assert.deepEqual(
      settings.pushTokens.map((spec) => [spec.name, spec.expiresAt, spec.retiring?.expiresAt]),
      [
        ["GITLAB_CI_PUSHER", TODAY, undefined],
        ["LIVE", "2027-02-15", undefined],
        ["OLD", "2026-10-01", "2026-09-01"],
      ],
    );
    assert.deepEqual(
      dueTokens(settings, MIDNIGHT, 30).map((due) => due.expiring),
      [true, false, true],
    );
  });

  it("still refuses what is wrong besides, and a date beyond the longest lifetime", () => {
    const raw = stack([token({ expiresAt: "2026-11-01" }), token({ name: "BAD", scopes: ["api"] }), token({ name: "FAR", expiresAt: "2028-01-01" })]);
    const error = thrown(() => validateStackConfig(raw, { today: TODAY, configFile: "Pulumi.x.yaml" }), ConfigError);
    assert.deepEqual(
      error.issues.map((issue) => issue.path),
      ["pushTokens[1].scopes[0]", "pushTokens[2].expiresAt"],
    );
  });

  it("keeps the retiring generation's date before an expired expiresAt", () => {
    const raw = stack([token({ expiresAt: "2026-11-20", retiring: { expiresAt: TODAY, revokeAfter: "2026-11-21T00:00:00Z" } })]);
    assert.deepEqual(
      thrown(() => validateStackConfig(raw, { today: TODAY }), ConfigError).issues.map((issue) => issue.path),
      ["pushTokens[0].retiring.expiresAt"],
    );
  });
});

describe("dueTokens", () => {
  const settings = (pushTokens: Fields[]) => validateStackConfig(stack(pushTokens), { today: TODAY });

  it("is due exactly when the token expires within the window, its boundary included", () => {
    const tokens = settings([token({ expiresAt: "2026-12-25" }), token({ name: "B", expiresAt: "2026-12-26" }), token({ name: "C", expiresAt: "2026-11-20" })]);
    assert.deepEqual(
      dueTokens(tokens, MIDNIGHT, 30).map((due) => due.expiring),
      [true, false, true],
    );
    assert.deepEqual(
      dueTokens(tokens, MIDNIGHT, 31).map((due) => due.expiring),
      [true, true, true],
    );
    assert.deepEqual(
      dueTokens(tokens, MIDNIGHT, 0).map((due) => due.expiring),
      [false, false, true],
    );
  });

  it("makes a retiring generation revocable from its revokeAfter instant on, or once it has expired", () => {
    const tokens = settings([
      token({ retiring: { expiresAt: "2026-12-20", revokeAfter: "2026-11-25T12:00:00Z" } }),
      token({ name: "EXPIRED", retiring: { expiresAt: TODAY, revokeAfter: "2026-12-01T00:00:00Z" } }),
      token({ name: "NONE" }),
    ]);
    const at = (instant: string) => dueTokens(tokens, new Date(instant), 30).map((due) => due.revocable);
    assert.deepEqual(at("2026-11-25T11:59:59.999Z"), [false, true, false]);
    assert.deepEqual(at("2026-11-25T12:00:00Z"), [true, true, false]);
  });

  describe("with the grace counted from the merge (--since-merge)", () => {
    const DAY = 86_400_000;
    // Proposed on 11-20 with a day's grace (revokeAfter 11-21), merged only on 11-24 at 09:00.
    const tokens = settings([token({ retiring: { expiresAt: "2026-12-20", revokeAfter: "2026-11-21T09:00:00Z" } }), token({ name: "NONE" })]);
    const merged: SinceMerge = { landedAt: (index) => (index === 0 ? new Date("2026-11-24T09:00:00Z") : undefined), graceMs: DAY };

    it("is not due before the merge has had its grace, though revokeAfter has passed", () => {
      const at = (instant: string) => dueTokens(tokens, new Date(instant), 30, merged)[0];
      assert.deepEqual(at("2026-11-24T10:00:00Z"), { expiring: false, revocable: false, revocableFrom: new Date("2026-11-25T09:00:00Z") });
      assert.equal(at("2026-11-25T08:59:59Z").revocable, false);
      assert.equal(at("2026-11-25T09:00:00Z").revocable, true);
      assert.equal(dueTokens(tokens, new Date("2026-11-24T10:00:00Z"), 30)[0].revocable, true, "without --since-merge, revokeAfter alone decides");
    });

    it("keeps revokeAfter when it is the later of the two, and counts a block not merged yet from now", () => {
      const early: SinceMerge = { landedAt: () => new Date("2026-11-20T09:00:00Z"), graceMs: DAY };
      assert.deepEqual(dueTokens(tokens, new Date("2026-11-21T08:00:00Z"), 30, early)[0].revocableFrom, new Date("2026-11-21T09:00:00Z"));
      const unmerged: SinceMerge = { landedAt: () => undefined, graceMs: DAY };
      assert.deepEqual(dueTokens(tokens, new Date("2026-11-30T00:00:00Z"), 30, unmerged)[0], { expiring: false, revocable: false, revocableFrom: new Date("2026-12-01T00:00:00Z") });
    });

    it("lets an expired retiring generation go whatever the merge: nothing can still use it", () => {
      const late: SinceMerge = { landedAt: () => new Date("2026-12-19T23:00:00Z"), graceMs: 10 * DAY };
      assert.deepEqual(dueTokens(tokens, new Date("2026-12-20T00:00:00Z"), 30, late)[0], { expiring: false, revocable: true, revocableFrom: new Date("2026-12-20T00:00:00Z") });
    });
  });
});

describe("expiryReport", () => {
  const raw = stack([
    token({
      consumers: [
        { project: "xlink/xlink-app", key: "GITLAB_PUSHER_TOKEN" },
        { project: "xlink/xlink-worker", key: "GITLAB_PUSHER_TOKEN", environmentScope: "production", protected: false },
      ],
      retiring: { expiresAt: "2026-12-20", revokeAfter: "2026-11-27T12:00:00Z", scopes: ["write_repository"] },
    }),
    token({ name: "RELEASE_TAGGER", project: "xlink/xlink-charts", expiresAt: "2026-12-25", consumers: [{ project: "xlink/xlink-release", key: "CHARTS_PUSH_TOKEN" }] }),
  ]);

  it("lists every token with its days left, consumers and retiring generation", () => {
    const report = expiryReport(validateStackConfig(raw, { today: TODAY }), MIDNIGHT, 29);
    const expected: ExpiryReport = {
      today: TODAY,
      withinDays: 29,
      due: false,
      tokens: [
        {
          project: "xlink/xlink-k8s-gitops",
          name: "GITLAB_CI_PUSHER",
          expiresAt: "2027-02-15",
          daysLeft: 82,
          expired: false,
          due: false,
          consumers: [
            { project: "xlink/xlink-app", key: "GITLAB_PUSHER_TOKEN", environmentScope: "*" },
            { project: "xlink/xlink-worker", key: "GITLAB_PUSHER_TOKEN", environmentScope: "production" },
          ],
          retiring: { expiresAt: "2026-12-20", revokeAfter: "2026-11-27T12:00:00Z", mergedAt: null, revocableFrom: "2026-11-27T12:00:00Z", revocable: false },
        },
        {
          project: "xlink/xlink-charts",
          name: "RELEASE_TAGGER",
          expiresAt: "2026-12-25",
          daysLeft: 30,
          expired: false,
          due: false,
          consumers: [{ project: "xlink/xlink-release", key: "CHARTS_PUSH_TOKEN", environmentScope: "*" }],
          retiring: null,
        },
      ],
    };
    assert.deepEqual(report, expected);
  });

  it("is due when a token enters the window", () => {
    const report = expiryReport(validateStackConfig(raw, { today: TODAY }), MIDNIGHT, 30);
    assert.equal(report.due, true);
    assert.deepEqual(
      report.tokens.map((entry) => entry.due),
      [false, true],
    );
  });

  it("is due when only a retiring generation is past revokeAfter", () => {
    const now = new Date("2026-11-27T12:00:00Z");
    const report = expiryReport(validateStackConfig(raw, { today: "2026-11-27" }), now, 1);
    assert.equal(report.due, true);
    assert.equal(report.today, "2026-11-27");
    assert.deepEqual(
      report.tokens.map((entry) => [entry.due, entry.retiring?.revocable]),
      [
        [false, true],
        [false, undefined],
      ],
    );
  });

  it("reports an expired token as expired and due, with negative days left", () => {
    const today = "2026-12-28";
    const report = expiryReport(validateStackConfig(raw, { today }), new Date(`${today}T08:00:00Z`), 30);
    assert.deepEqual(
      report.tokens.map((entry) => [entry.name, entry.daysLeft, entry.expired, entry.due]),
      [
        ["GITLAB_CI_PUSHER", 49, false, false],
        ["RELEASE_TAGGER", -3, true, true],
      ],
    );
  });

  it("counts a token expiring today as expired", () => {
    const report = expiryReport(validateStackConfig(raw, { today: "2026-12-25" }), new Date("2026-12-25T00:00:00Z"), 1);
    assert.deepEqual([report.tokens[1].daysLeft, report.tokens[1].expired], [0, true]);
    assert.deepEqual([report.tokens[0].daysLeft, report.tokens[0].expired], [52, false]);
  });

  it("is not due for a stack without tokens", () => {
    assert.deepEqual(expiryReport(validateStackConfig(stack([]), { today: TODAY }), MIDNIGHT, 400), { today: TODAY, withinDays: 400, due: false, tokens: [] });
  });
});

describe("describeDaysLeft", () => {
  it("words days left and days since expiry", () => {
    assert.deepEqual(
      [2, 1, 0, -1, -2, 365].map(describeDaysLeft),
      ["2 days", "1 day", "expired today", "expired 1 day ago", "expired 2 days ago", "365 days"],
    );
  });
});
