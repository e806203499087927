// What `npm run expiry` and `npm run rotate` consider due (config/expiry.ts): flag parsing, the clock,
// the relaxed validation that lets an expired token be reported, and the report itself.

import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { fixedClock } from "../../config/clock";
import {
  describeDaysLeft,
  dueTokens,
  expiredTokenIndices,
  expiryReport,
  parseDayCount,
  resolveNow,
  UsageError,
  validateAllowingExpired,
  type ExpiryReport,
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
      const error = thrown(() => parseDayCount("--within", text, 0), UsageError);
      assert.equal(error.message, `--within must be a whole number of days from 0 to 400, got ${JSON.stringify(text)}`);
      assert.equal(error.name, "UsageError");
    }
    assert.equal(thrown(() => parseDayCount("--lifetime", "0", 1), UsageError).message, '--lifetime must be a whole number of days from 1 to 400, got "0"');
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
    assert.equal(thrown(() => resolveNow({ today: TODAY, now: "2026-11-25T00:00:00Z" }, clock), UsageError).message, "pass --today or --now, not both");
    assert.equal(thrown(() => resolveNow({ today: "2026-02-30" }, clock), UsageError).message, '--today must be a date like 2026-11-25, got "2026-02-30"');
    assert.equal(
      thrown(() => resolveNow({ now: "2026-11-25T10:00:00" }, clock), UsageError).message,
      '--now must be an ISO date-time with a zone like 2026-11-25T09:30:00Z, got "2026-11-25T10:00:00"',
    );
  });
});

describe("expiredTokenIndices", () => {
  it("lists tokens whose expiresAt is today or earlier, in order", () => {
    const tokens = [token({ expiresAt: "2026-11-26" }), token({ expiresAt: TODAY }), token({ expiresAt: "2026-11-24" }), token({ expiresAt: "2026-01-01" })];
    assert.deepEqual(expiredTokenIndices(tokens, TODAY), [1, 2, 3]);
  });

  it("ignores what is not a token with a real date", () => {
    assert.deepEqual(expiredTokenIndices(undefined, TODAY), []);
    assert.deepEqual(expiredTokenIndices({ expiresAt: "2020-01-01" }, TODAY), []);
    assert.deepEqual(expiredTokenIndices([null, "x", 3, token({ expiresAt: "2020-02-30" }), token({ expiresAt: 20200101 }), token({ expiresAt: "2020-01-01" })], TODAY), [5]);
  });
});

describe("validateAllowingExpired", () => {
  it("returns exactly what the program's validation returns for a valid config", () => {
    const raw = stack([token({ retiring: { expiresAt: "2026-12-20", revokeAfter: "2026-11-27T12:00:00Z" } }), token({ name: "OTHER", expiresAt: "2027-05-01" })], { expiryWarningDays: 10 });
    assert.deepEqual(validateAllowingExpired(raw, { today: TODAY }), validateStackConfig(raw, { today: TODAY }));
  });

  it("accepts a config whose only problem is expired tokens, keeping their real dates", () => {
    const raw = stack([token({ expiresAt: TODAY }), token({ name: "LIVE" }), token({ name: "OLD", expiresAt: "2026-10-01", retiring: { expiresAt: "2026-09-01", revokeAfter: "2026-08-01T00:00:00Z" } })]);
    const settings = validateAllowingExpired(raw, { today: TODAY });
    assert.deepEqual(
      settings.pushTokens.map((spec) => [spec.name, spec.expiresAt, spec.retiring?.expiresAt]),
      [
        ["GITLAB_CI_PUSHER", TODAY, undefined],
        ["LIVE", "2027-02-15", undefined],
        ["OLD", "2026-10-01", "2026-09-01"],
      ],
    );
    assert.deepEqual(settings.pushTokens[1], validateStackConfig(stack([token({ name: "LIVE" })]), { today: TODAY }).pushTokens[0]);
  });

  it("throws the program's full error when anything else is wrong too", () => {
    const raw = stack([token({ expiresAt: "2026-11-01" }), token({ name: "BAD", scopes: ["api"] })]);
    const strict = thrown(() => validateStackConfig(raw, { today: TODAY, configFile: "Pulumi.x.yaml" }), ConfigError);
    const relaxed = thrown(() => validateAllowingExpired(raw, { today: TODAY, configFile: "Pulumi.x.yaml" }), ConfigError);
    assert.equal(relaxed.message, strict.message);
    assert.deepEqual(
      relaxed.issues.map((issue) => issue.path),
      ["pushTokens[0].expiresAt", "pushTokens[1].scopes[0]"],
    );
    assert.match(relaxed.message, /^Invalid gitlab-push-tokens config in Pulumi\.x\.yaml \(2 problems\)/);
  });

  it("does not hide a retiring date that is not before an expired expiresAt", () => {
    // Tomorrow (the stand-in for the expired date) would be after the retiring date; the real date is not.
    const raw = stack([token({ expiresAt: "2026-11-20", retiring: { expiresAt: TODAY, revokeAfter: "2026-11-21T00:00:00Z" } })]);
    const error = thrown(() => validateAllowingExpired(raw, { today: TODAY }), ConfigError);
    assert.deepEqual(
      error.issues.map((issue) => issue.path),
      ["pushTokens[0].expiresAt", "pushTokens[0].retiring.expiresAt"],
    );
  });

  it("lets an error other than a ConfigError through untouched", () => {
    let reads = 0;
    const raw: RawStackConfig = {
      get pushTokens() {
        reads += 1;
        if (reads === 1) throw new TypeError("not a config problem");
        return [];
      },
    };
    assert.throws(() => validateAllowingExpired(raw, { today: TODAY }), { name: "TypeError", message: "not a config problem" });
  });

  it("throws the program's error unchanged when no token has expired", () => {
    const raw = stack([token({ expiresAt: "2030-01-01" })]);
    assert.equal(thrown(() => validateAllowingExpired(raw, { today: TODAY }), ConfigError).message, thrown(() => validateStackConfig(raw, { today: TODAY }), ConfigError).message);
    assert.equal(thrown(() => validateAllowingExpired({}, { today: TODAY }), ConfigError).issues[0].path, "pushTokens");
  });
});

describe("dueTokens", () => {
  const settings = (pushTokens: Fields[]) => validateAllowingExpired(stack(pushTokens), { today: TODAY });

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
    const report = expiryReport(validateAllowingExpired(raw, { today: TODAY }), MIDNIGHT, 29);
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
          retiring: { expiresAt: "2026-12-20", revokeAfter: "2026-11-27T12:00:00Z", revocable: false },
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
    const report = expiryReport(validateAllowingExpired(raw, { today: TODAY }), MIDNIGHT, 30);
    assert.equal(report.due, true);
    assert.deepEqual(
      report.tokens.map((entry) => entry.due),
      [false, true],
    );
  });

  it("is due when only a retiring generation is past revokeAfter", () => {
    const now = new Date("2026-11-27T12:00:00Z");
    const report = expiryReport(validateAllowingExpired(raw, { today: "2026-11-27" }), now, 1);
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
    const report = expiryReport(validateAllowingExpired(raw, { today }), new Date(`${today}T08:00:00Z`), 30);
    assert.deepEqual(
      report.tokens.map((entry) => [entry.name, entry.daysLeft, entry.expired, entry.due]),
      [
        ["GITLAB_CI_PUSHER", 49, false, false],
        ["RELEASE_TAGGER", -3, true, true],
      ],
    );
  });

  it("counts a token expiring today as expired", () => {
    const report = expiryReport(validateAllowingExpired(raw, { today: "2026-12-25" }), new Date("2026-12-25T00:00:00Z"), 1);
    assert.deepEqual([report.tokens[1].daysLeft, report.tokens[1].expired], [0, true]);
    assert.deepEqual([report.tokens[0].daysLeft, report.tokens[0].expired], [52, false]);
  });

  it("is not due for a stack without tokens", () => {
    assert.deepEqual(expiryReport(validateAllowingExpired(stack([]), { today: TODAY }), MIDNIGHT, 400), { today: TODAY, withinDays: 400, due: false, tokens: [] });
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
