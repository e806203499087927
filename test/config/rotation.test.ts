// What `npm run rotate` decides (config/rotation.ts): grace parsing, instants, which tokens rotate and
// how, refusals, --cleanup, token selection, and, as properties, that a rotation always yields a config
// the program accepts. The YAML editing itself is covered by test/lib/stackFile/stackDocument.test.ts.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";

import { addDays, utcDate } from "../../config/dates";
import { dueTokens, FlagError } from "../../config/expiry";
import {
  applyTokenChanges,
  DEFAULT_GRACE,
  DEFAULT_LIFETIME_DAYS,
  findToken,
  formatInstant,
  parseGrace,
  planCleanup,
  planRotation,
  type RotationPlan,
  type RotationRequest,
} from "../../config/rotation";
import { validateStackConfig, type RawStackConfig, type StackSettings } from "../../config/validate";

const TODAY = "2026-11-25";
const NOW = new Date(`${TODAY}T09:30:00Z`);
const HOUR = 3_600_000;

type Fields = Record<string, unknown>;

/** A valid token; its variable's key follows its name, so that tokens never share a variable. */
function token(overrides: Fields = {}): Fields {
  const name = (overrides.name as string | undefined) ?? "GITLAB_CI_PUSHER";
  return { name, project: "xlink/xlink-k8s-gitops", expiresAt: "2027-02-15", consumers: [{ project: "xlink/xlink-app", key: `${name.replace(/\W/g, "_")}_TOKEN` }], ...overrides };
}

function settingsOf(pushTokens: Fields[], extra: RawStackConfig = {}, today = TODAY): StackSettings {
  return validateStackConfig({ pushTokens, ...extra }, { today });
}

function rotate(pushTokens: Fields[], request: Partial<RotationRequest> = {}, extra: RawStackConfig = {}): RotationPlan {
  const now = request.now ?? NOW;
  return planRotation(settingsOf(pushTokens, extra, utcDate(now)), { now, ...request });
}

function thrown(run: () => unknown): FlagError {
  try {
    run();
  } catch (error) {
    if (error instanceof FlagError) return error;
    assert.fail(`expected a FlagError, got ${String(error)}`);
  }
  assert.fail("expected a FlagError, got no error");
}

describe("parseGrace", () => {
  it("reads minutes, hours and days", () => {
    assert.equal(parseGrace("1m"), 60_000);
    assert.equal(parseGrace("90m"), 90 * 60_000);
    assert.equal(parseGrace("24h"), 24 * HOUR);
    assert.equal(parseGrace("2d"), 48 * HOUR);
    assert.equal(parseGrace("99999d"), 99_999 * 24 * HOUR);
    assert.equal(parseGrace(DEFAULT_GRACE), 24 * HOUR);
  });

  it("refuses zero, other units, signs, fractions, spaces and absurd lengths, naming the value", () => {
    for (const text of ["0h", "0m", "00h", "24", "h", "1w", "1s", "-1h", "+1h", "1.5h", " 24h", "24h ", "24H", "100000d", "", "1h30m", "x24h", "24hx"]) {
      assert.equal(thrown(() => parseGrace(text)).message, `--grace must be a positive whole number of minutes, hours or days, got ${JSON.stringify(text)}. Fix: write e.g. --grace 90m, --grace 24h or --grace 2d`, text);
    }
  });
});

describe("formatInstant", () => {
  it("writes whole seconds in UTC with a Z", () => {
    assert.equal(formatInstant(new Date("2026-11-26T09:30:00.000Z")), "2026-11-26T09:30:00Z");
    assert.equal(formatInstant(new Date("2026-11-26T11:30:00+02:00")), "2026-11-26T09:30:00Z");
  });

  it("rounds a fraction of a second up, so that a grace period is never shortened", () => {
    assert.equal(formatInstant(new Date("2026-11-26T09:30:00.001Z")), "2026-11-26T09:30:01Z");
    assert.equal(formatInstant(new Date("2026-12-31T23:59:59.999Z")), "2027-01-01T00:00:00Z");
  });
});

describe("planRotation: which tokens are due", () => {
  const tokens = [
    token({ name: "AT_WINDOW", expiresAt: "2026-12-25" }), // 30 days left
    token({ name: "BEYOND", expiresAt: "2026-12-26" }), // 31 days left
    token({ name: "SOON", expiresAt: "2026-11-26" }), // 1 day left
  ];

  it("rotates the tokens expiring within the stack's expiryWarningDays, its boundary included, in file order", () => {
    assert.deepEqual(
      rotate(tokens).changes.map((change) => change.tokenIndex),
      [0, 2],
    );
  });

  it("uses the stack's own expiryWarningDays as the default window", () => {
    assert.deepEqual(
      rotate(tokens, {}, { expiryWarningDays: 31 }).changes.map((change) => change.tokenIndex),
      [0, 1, 2],
    );
    assert.deepEqual(
      rotate(tokens, {}, { expiryWarningDays: 1 }).changes.map((change) => change.tokenIndex),
      [2],
    );
  });

  it("lets --within override it", () => {
    assert.deepEqual(
      rotate(tokens, { withinDays: 31 }, { expiryWarningDays: 1 }).changes.map((change) => change.tokenIndex),
      [0, 1, 2],
    );
    assert.deepEqual(rotate(tokens, { withinDays: 0 }), { changes: [], refusals: [] });
  });
});

describe("planRotation: the edit for a live token", () => {
  it("moves expiresAt under retiring with revokeAfter now + 24h and sets today + 90 days", () => {
    assert.equal(DEFAULT_LIFETIME_DAYS, 90);
    assert.deepEqual(rotate([token({ expiresAt: "2026-12-10" })]), {
      changes: [
        {
          tokenIndex: 0,
          expiresAt: "2027-02-23",
          retiring: { expiresAt: "2026-12-10", revokeAfter: "2026-11-26T09:30:00Z" },
          summary:
            "rotated GITLAB_CI_PUSHER in xlink/xlink-k8s-gitops: expiresAt 2026-12-10 -> 2027-02-23 (90 days); the 2026-12-10 generation moves under retiring with revokeAfter 2026-11-26T09:30:00Z",
        },
      ],
      refusals: [],
    });
  });

  it("takes --lifetime and --grace", () => {
    const [change] = rotate([token({ expiresAt: "2026-12-10" })], { lifetimeDays: 31, graceMs: 90 * 60_000 }).changes;
    assert.equal(change.expiresAt, "2026-12-26");
    assert.deepEqual(change.retiring, { expiresAt: "2026-12-10", revokeAfter: "2026-11-25T11:00:00Z" });
    assert.equal(change.summary, "rotated GITLAB_CI_PUSHER in xlink/xlink-k8s-gitops: expiresAt 2026-12-10 -> 2026-12-26 (31 days); the 2026-12-10 generation moves under retiring with revokeAfter 2026-11-25T11:00:00Z");
  });

  it("writes a lifetime of one day in the singular", () => {
    const [change] = rotate([token({ expiresAt: "2026-11-26" })], { lifetimeDays: 2, withinDays: 1, now: new Date(`${TODAY}T00:00:00Z`) }).changes;
    assert.match(change.summary, /-> 2026-11-27 \(2 days\);/);
    const [capped] = rotate([token({ expiresAt: "2026-11-26" })], { lifetimeDays: 2, token: "GITLAB_CI_PUSHER", withinDays: 0 }, { gitlab: { maxTokenLifetimeDays: 1 } }).refusals;
    assert.match(capped, /today \+ 1 day\)/);
  });

  it("caps the lifetime at gitlab.maxTokenLifetimeDays and says so", () => {
    const [change] = rotate([token({ expiresAt: "2026-12-10" })], { lifetimeDays: 400 }, { gitlab: { maxTokenLifetimeDays: 60 } }).changes;
    assert.equal(change.expiresAt, "2027-01-24");
    assert.equal(
      change.summary,
      "rotated GITLAB_CI_PUSHER in xlink/xlink-k8s-gitops: expiresAt 2026-12-10 -> 2027-01-24 (60 days: --lifetime 400 capped at gitlab.maxTokenLifetimeDays); the 2026-12-10 generation moves under retiring with revokeAfter 2026-11-26T09:30:00Z",
    );
    const [exact] = rotate([token({ expiresAt: "2026-12-10" })], { lifetimeDays: 60 }, { gitlab: { maxTokenLifetimeDays: 60 } }).changes;
    assert.match(exact.summary, /\(60 days\);/);
  });

  it("drops a retiring generation past its revokeAfter, as --cleanup would, and says so", () => {
    const retiring = { expiresAt: "2026-12-01", revokeAfter: "2026-11-25T09:30:00Z", tokenId: 1234 };
    const plan = planRotation(
      settingsOf([token({ expiresAt: "2026-12-10", retiring: { expiresAt: retiring.expiresAt, revokeAfter: retiring.revokeAfter } })]),
      { now: NOW },
    );
    assert.deepEqual(plan.refusals, []);
    assert.deepEqual(plan.changes[0].retiring, { expiresAt: "2026-12-10", revokeAfter: "2026-11-26T09:30:00Z" });
    assert.equal(
      plan.changes[0].summary,
      "rotated GITLAB_CI_PUSHER in xlink/xlink-k8s-gitops: expiresAt 2026-12-10 -> 2027-02-23 (90 days); the 2026-12-10 generation moves under retiring with revokeAfter 2026-11-26T09:30:00Z; dropped its previous retiring generation (expires 2026-12-01), past its revokeAfter 2026-11-25T09:30:00Z, as --cleanup would: the next pulumi up revokes it",
    );
  });

  it("drops an expired retiring generation even before its revokeAfter", () => {
    const [change] = rotate([token({ expiresAt: "2026-12-10", retiring: { expiresAt: TODAY, revokeAfter: "2026-12-01T00:00:00Z" } })]).changes;
    assert.match(change.summary, /; dropped its previous retiring generation \(expires 2026-11-25\), which has expired, as --cleanup would: the next pulumi up revokes it$/);
  });

  it("refuses while the retiring generation is before its revokeAfter: two generations at most", () => {
    const tokens = [token({ expiresAt: "2026-12-10", retiring: { expiresAt: "2026-12-01", revokeAfter: "2026-11-25T09:30:01Z" } }), token({ name: "OTHER", expiresAt: "2026-12-11" })];
    const plan = rotate(tokens);
    assert.deepEqual(plan.refusals, [
      "cannot rotate GITLAB_CI_PUSHER in xlink/xlink-k8s-gitops: its retiring generation (expires 2026-12-01) stays until its revokeAfter 2026-11-25T09:30:01Z, and a token keeps two generations at most; rotate it after that",
    ]);
    assert.deepEqual(
      plan.changes.map((change) => change.tokenIndex),
      [1],
    );
  });

  it("refuses when the new expiry would not be after the current one", () => {
    assert.deepEqual(rotate([token({ expiresAt: "2026-12-25" })], { lifetimeDays: 30, token: "GITLAB_CI_PUSHER", withinDays: 29 }).refusals, [
      "cannot rotate GITLAB_CI_PUSHER in xlink/xlink-k8s-gitops: the new expiresAt 2026-12-25 (today + 30 days) would not be after the current 2026-12-25; pass --lifetime 31 or more",
    ]);
    assert.equal(rotate([token({ expiresAt: "2026-12-25" })], { lifetimeDays: 31 }).refusals.length, 0);
    assert.deepEqual(rotate([token({ expiresAt: "2026-12-25" })], { token: "GITLAB_CI_PUSHER" }, { gitlab: { maxTokenLifetimeDays: 30 } }).refusals, [
      "cannot rotate GITLAB_CI_PUSHER in xlink/xlink-k8s-gitops: the new expiresAt 2026-12-25 (today + 30 days) would not be after the current 2026-12-25; it already expires on the latest date gitlab.maxTokenLifetimeDays (30) allows",
    ]);
    assert.deepEqual(rotate([token({ expiresAt: "2026-12-24" })], { token: "GITLAB_CI_PUSHER", lifetimeDays: 29 }, { gitlab: { maxTokenLifetimeDays: 30 } }).refusals, [
      "cannot rotate GITLAB_CI_PUSHER in xlink/xlink-k8s-gitops: the new expiresAt 2026-12-24 (today + 29 days) would not be after the current 2026-12-24; pass --lifetime 30 or more",
    ]);
  });
});

describe("planRotation: an expired token", () => {
  const now = new Date("2026-12-28T08:00:00Z");

  it("gets a new expiresAt and no retiring generation, since the expired one no longer works", () => {
    assert.deepEqual(rotate([token({ expiresAt: "2026-12-25" })], { now }), {
      changes: [
        {
          tokenIndex: 0,
          expiresAt: "2027-03-28",
          summary: "rotated GITLAB_CI_PUSHER in xlink/xlink-k8s-gitops: it expired on 2026-12-25; expiresAt -> 2027-03-28 (90 days), no retiring generation kept since the expired one no longer works",
        },
      ],
      refusals: [],
    });
  });

  it("removes its retiring block, which has expired too", () => {
    const [change] = rotate([token({ expiresAt: "2026-12-28", retiring: { expiresAt: "2026-12-20", revokeAfter: "2027-01-01T00:00:00Z" } })], { now }).changes;
    assert.equal(change.retiring, null);
    assert.equal(change.expiresAt, "2027-03-28");
    assert.equal(
      change.summary,
      "rotated GITLAB_CI_PUSHER in xlink/xlink-k8s-gitops: it expired on 2026-12-28; expiresAt -> 2027-03-28 (90 days), no retiring generation kept since the expired one no longer works; dropped its previous retiring generation (expires 2026-12-20), which has expired, as --cleanup would: the next pulumi up revokes it",
    );
  });

  it("is due whatever the window", () => {
    assert.deepEqual(
      rotate([token({ expiresAt: "2026-12-27" }), token({ name: "LIVE", expiresAt: "2026-12-29" })], { now, withinDays: 0 }).changes.map((change) => change.tokenIndex),
      [0],
    );
  });
});

describe("planRotation --token", () => {
  const tokens = [
    token({ name: "PUSHER", project: "xlink/a" }),
    token({ name: "PUSHER", project: "xlink/b", consumers: [{ project: "xlink/app", key: "B_TOKEN" }] }),
    token({ name: "TAGGER", project: "xlink/a", expiresAt: "2026-12-01" }),
  ];

  it("rotates the named token even when it is not due, and no other", () => {
    assert.deepEqual(
      rotate(tokens, { token: "xlink/b:PUSHER" }).changes.map((change) => [change.tokenIndex, change.expiresAt]),
      [[1, "2027-02-23"]],
    );
    assert.deepEqual(
      rotate(tokens, { token: "XLink/A:PUSHER" }).changes.map((change) => change.tokenIndex),
      [0],
    );
    assert.deepEqual(
      rotate(tokens, { token: "TAGGER" }).changes.map((change) => change.tokenIndex),
      [2],
    );
  });

  it("refuses a name declared in two projects, naming both selectors", () => {
    assert.deepEqual(rotate(tokens, { token: "PUSHER" }), {
      changes: [],
      refusals: ['--token "PUSHER" is ambiguous: PUSHER is declared in xlink/a and xlink/b; pass --token xlink/a:PUSHER or --token xlink/b:PUSHER'],
    });
  });

  it("refuses a token that is not there, listing those that are", () => {
    assert.deepEqual(rotate(tokens, { token: "pusher" }), {
      changes: [],
      refusals: ['no token "pusher" in the stack; its tokens are xlink/a:PUSHER, xlink/b:PUSHER, xlink/a:TAGGER'],
    });
    assert.deepEqual(rotate(tokens, { token: "xlink/c:PUSHER" }).refusals, ['no token "xlink/c:PUSHER" in the stack; its tokens are xlink/a:PUSHER, xlink/b:PUSHER, xlink/a:TAGGER']);
    assert.deepEqual(rotate([], { token: "PUSHER" }).refusals, ['no token "PUSHER" in the stack; it declares none']);
  });
});

describe("findToken", () => {
  const consumers = (key: string) => [{ project: "g/app", key }];
  const specs = settingsOf([
    token({ name: "A", project: "g/one", consumers: consumers("ONE") }),
    token({ name: "A", project: "g/two", consumers: consumers("TWO") }),
    token({ name: "B", project: "123", consumers: consumers("THREE") }),
    token({ name: "C", project: "G/Upper", consumers: consumers("FOUR") }),
  ]).pushTokens;

  it("finds by name or by project:name, project paths compared case-insensitively", () => {
    assert.equal(findToken(specs, "B"), 2);
    assert.equal(findToken(specs, "123:B"), 2);
    assert.equal(findToken(specs, "g/TWO:A"), 1);
    assert.equal(findToken(specs, "g/one:A"), 0);
    assert.equal(findToken(specs, "g/upper:C"), 3);
  });

  it("explains a miss or an ambiguity", () => {
    assert.equal(findToken(specs, "g/one:B"), 'no token "g/one:B" in the stack; its tokens are g/one:A, g/two:A, 123:B, G/Upper:C');
    assert.equal(findToken(specs, ":A"), 'no token ":A" in the stack; its tokens are g/one:A, g/two:A, 123:B, G/Upper:C');
    assert.equal(findToken(specs, "A"), '--token "A" is ambiguous: A is declared in g/one and g/two; pass --token g/one:A or --token g/two:A');
  });
});

describe("planCleanup", () => {
  const tokens = [
    token({ name: "PAST", retiring: { expiresAt: "2026-12-20", revokeAfter: "2026-11-25T09:30:00Z" } }),
    token({ name: "PENDING", retiring: { expiresAt: "2026-12-20", revokeAfter: "2026-11-25T09:30:01Z" } }),
    token({ name: "EXPIRED", retiring: { expiresAt: TODAY, revokeAfter: "2026-12-20T00:00:00Z" } }),
    token({ name: "NONE", expiresAt: "2026-11-30" }),
  ];

  it("removes exactly the retiring blocks past revokeAfter or expired, and touches nothing else", () => {
    assert.deepEqual(planCleanup(settingsOf(tokens), NOW), {
      changes: [
        {
          tokenIndex: 0,
          retiring: null,
          summary: "removed the retiring generation of PAST in xlink/xlink-k8s-gitops (expires 2026-12-20): it is past its revokeAfter 2026-11-25T09:30:00Z; the next pulumi up revokes it",
        },
        {
          tokenIndex: 2,
          retiring: null,
          summary: "removed the retiring generation of EXPIRED in xlink/xlink-k8s-gitops (expires 2026-11-25): it has expired; the next pulumi up revokes it",
        },
      ],
      refusals: [],
    });
  });

  it("has nothing to do before any revokeAfter", () => {
    assert.deepEqual(planCleanup(settingsOf(tokens), new Date("2026-11-24T23:59:59Z")), { changes: [], refusals: [] });
  });

  it("leaves a token that has expired to rotate, saying to run it first, and cleans up the others", () => {
    const now = new Date("2026-12-01T00:00:00Z");
    const plan = planCleanup(settingsOf([token({ name: "DEAD", expiresAt: "2026-11-30", retiring: { expiresAt: "2026-11-20", revokeAfter: "2026-11-10T00:00:00Z" } }), tokens[0]], {}, "2026-12-01"), now, { stack: "dev" });
    assert.deepEqual(plan.refusals, [
      "not cleaned up: DEAD in xlink/xlink-k8s-gitops expired on 2026-11-30, and its pipelines hold a dead token. Fix: run npm run rotate -- --stack dev first: it gives the token a new expiresAt and drops its retiring generation",
    ]);
    assert.deepEqual(
      plan.changes.map((change) => change.tokenIndex),
      [1],
    );
  });
});

describe("planRotation: a lifetime no longer than the window", () => {
  it("refuses the whole run, since every new token would be due at once, and says what to pass", () => {
    assert.deepEqual(rotate([token({ expiresAt: "2026-12-10" })], { lifetimeDays: 30 }), {
      changes: [],
      refusals: [],
      blocked: "cannot rotate: a lifetime of 30 days is not longer than the 30 days window in which a token is due, so every new token would be due at once. Fix: pass --lifetime above 30",
    });
    assert.match(rotate([token({ expiresAt: "2026-12-10" })], { withinDays: 95 }).blocked!, /^cannot rotate: a lifetime of 90 days \(the default\) is not longer than the 95 days window/);
    assert.match(rotate([token({ expiresAt: "2026-12-10" })], { withinDays: 20 }, { gitlab: { maxTokenLifetimeDays: 20 }, expiryWarningDays: 5 }).blocked!, /^cannot rotate: gitlab\.maxTokenLifetimeDays \(20\) is not longer than the 20 days window in which a token is due, so every new token would be due at once\. Fix: pass --within below 20, or lower expiryWarningDays$/);
    assert.equal(rotate([token({ expiresAt: "2027-06-01" })], { lifetimeDays: 30 }).blocked, undefined, "nothing due: nothing to refuse");
  });
});

describe("applyTokenChanges", () => {
  const original = [
    token({ name: "A", retiring: { expiresAt: "2026-12-01", revokeAfter: "2026-11-20T00:00:00Z", tokenId: 7, scopes: ["api"], note: "kept" } }),
    token({ name: "B", retiring: { expiresAt: "2026-12-01", revokeAfter: "2026-11-20T00:00:00Z", tokenId: 8 } }),
    token({ name: "C", extra: { anything: true } }),
  ];

  it("sets and removes exactly what the changes name, carrying every other field along, and leaves its input alone", () => {
    const before = structuredClone(original);
    const result = applyTokenChanges(original, [
      { tokenIndex: 0, expiresAt: "2027-03-01", retiring: { expiresAt: "2027-02-15", revokeAfter: "2026-11-26T00:00:00Z" }, summary: "" },
      { tokenIndex: 2, retiring: null, summary: "" },
    ]);
    assert.deepEqual(original, before);
    assert.deepEqual(result, [
      { ...original[0], expiresAt: "2027-03-01", retiring: { expiresAt: "2027-02-15", revokeAfter: "2026-11-26T00:00:00Z" } },
      original[1],
      original[2],
    ]);
    assert.deepEqual(applyTokenChanges(original, [{ tokenIndex: 1, retiring: null, summary: "" }])[1], token({ name: "B" }));
    assert.deepEqual(applyTokenChanges(original, [{ tokenIndex: 1, expiresAt: "2027-01-01", summary: "" }])[1], { ...original[1], expiresAt: "2027-01-01" });
  });
});

// --- properties ----------------------------------------------------------------------------

const BASE_DAY = TODAY;
const DAY = 86_400_000;

/** A stack config valid on BASE_DAY: tokens with unique names and variables, optional retiring generations. */
const stackArb = fc
  .record({
    maxTokenLifetimeDays: fc.integer({ min: 1, max: 400 }),
    expiryWarningDays: fc.integer({ min: 1, max: 400 }),
    tokens: fc.array(
      fc.record({
        lifetimeShare: fc.double({ min: 0, max: 1, noNaN: true }),
        project: fc.constantFrom("xlink/a", "xlink/b", "42"),
        accessLevel: fc.constantFrom(undefined, "developer", "maintainer"),
        retiring: fc.option(fc.record({ before: fc.integer({ min: 1, max: 500 }), revokeOffsetMs: fc.integer({ min: -200 * DAY, max: 200 * DAY }) }), { nil: undefined }),
      }),
      { maxLength: 5 },
    ),
  })
  .map(({ maxTokenLifetimeDays, expiryWarningDays, tokens }): RawStackConfig => ({
    gitlab: { maxTokenLifetimeDays },
    // Shorter than the longest lifetime, as validation demands (unless tokens live a single day).
    expiryWarningDays: Math.max(1, Math.min(expiryWarningDays, maxTokenLifetimeDays - 1)),
    pushTokens: tokens.map((spec, index) => {
      const expiresAt = addDays(BASE_DAY, 1 + Math.floor(spec.lifetimeShare * (maxTokenLifetimeDays - 1)));
      return {
        name: `TOKEN_${index}`,
        project: spec.project,
        ...(spec.accessLevel && { accessLevel: spec.accessLevel }),
        expiresAt,
        consumers: [{ project: "xlink/app", key: `KEY_${index}` }],
        ...(spec.retiring && {
          retiring: { expiresAt: addDays(expiresAt, -spec.retiring.before), revokeAfter: formatInstant(new Date(Date.parse(`${BASE_DAY}T00:00:00Z`) + spec.retiring.revokeOffsetMs)) },
        }),
      };
    }),
  }));

/** Any instant from BASE_DAY to 420 days later, when some tokens may have expired. */
const nowArb = fc.integer({ min: 0, max: 420 * DAY }).map((offset) => new Date(Date.parse(`${BASE_DAY}T00:00:00Z`) + offset));

const requestArb = fc.record({
  withinDays: fc.option(fc.integer({ min: 0, max: 400 }), { nil: undefined }),
  lifetimeDays: fc.option(fc.integer({ min: 1, max: 400 }), { nil: undefined }),
  graceMs: fc.option(fc.integer({ min: 60_000, max: 30 * DAY }), { nil: undefined }),
});

describe("properties", () => {
  it("generated stacks are valid on their base day (the generator is sound)", () => {
    fc.assert(
      fc.property(stackArb, (raw) => {
        validateStackConfig(raw, { today: BASE_DAY });
      }),
    );
  });

  it("a rotation without refusals always yields a config the program's validation accepts, on any later day", () => {
    fc.assert(
      fc.property(stackArb, nowArb, requestArb, (raw, now, request) => {
        const today = utcDate(now);
        const plan = planRotation(validateStackConfig(raw, { today }), { now, ...request });
        for (const refusal of plan.refusals) assert.match(refusal, /^cannot rotate TOKEN_\d /);
        if (plan.refusals.length > 0 || plan.blocked) return;
        validateStackConfig({ ...raw, pushTokens: applyTokenChanges(raw.pushTokens as unknown[], plan.changes) }, { today });
      }),
      { numRuns: 200 },
    );
  });

  it("touches only due tokens, gives each the same new expiry, and keeps the old one as retiring unless it had expired", () => {
    fc.assert(
      fc.property(stackArb, nowArb, requestArb, (raw, now, request) => {
        const today = utcDate(now);
        const settings = validateStackConfig(raw, { today });
        const plan = planRotation(settings, { now, ...request });
        if (plan.blocked) return;
        const due = dueTokens(settings, now, request.withinDays ?? settings.expiryWarningDays);
        const lifetime = Math.min(request.lifetimeDays ?? DEFAULT_LIFETIME_DAYS, settings.gitlab.maxTokenLifetimeDays);
        for (const change of plan.changes) {
          const spec = settings.pushTokens[change.tokenIndex];
          assert.equal(due[change.tokenIndex].expiring, true);
          assert.equal(change.expiresAt, addDays(today, lifetime));
          if (spec.expiresAt > today) assert.deepEqual(change.retiring, { expiresAt: spec.expiresAt, revokeAfter: formatInstant(new Date(now.getTime() + (request.graceMs ?? 24 * HOUR))) });
          else assert.equal(change.retiring, spec.retiring ? null : undefined);
        }
        const handled = plan.changes.length + plan.refusals.length;
        assert.equal(handled, due.filter((status) => status.expiring).length);
      }),
      { numRuns: 200 },
    );
  });

  it("a rotated stack has nothing due again on the same day while the lifetime exceeds the window", () => {
    const windowBelowLifetimeArb = fc.record({ lifetimeDays: fc.integer({ min: 2, max: 400 }), windowShare: fc.double({ min: 0, max: 1, noNaN: true }) });
    fc.assert(
      fc.property(stackArb, nowArb, windowBelowLifetimeArb, (raw, now, { lifetimeDays, windowShare }) => {
        const today = utcDate(now);
        const settings = validateStackConfig(raw, { today });
        const lifetime = Math.min(lifetimeDays, settings.gitlab.maxTokenLifetimeDays);
        const request = { now, lifetimeDays, withinDays: Math.floor(windowShare * (lifetime - 1)) };
        const plan = planRotation(settings, request);
        if (plan.refusals.length > 0) return;
        const rotated = validateStackConfig({ ...raw, pushTokens: applyTokenChanges(raw.pushTokens as unknown[], plan.changes) }, { today });
        assert.deepEqual(planRotation(rotated, request), { changes: [], refusals: [] });
      }),
      { numRuns: 150 },
    );
  });

  it("cleanup removes every revocable retiring generation and nothing else, and is idempotent", () => {
    fc.assert(
      fc.property(stackArb, nowArb, (raw, now) => {
        const today = utcDate(now);
        const settings = validateStackConfig(raw, { today });
        const plan = planCleanup(settings, now);
        const cleaned = applyTokenChanges(raw.pushTokens as unknown[], plan.changes);
        const after = validateStackConfig({ ...raw, pushTokens: cleaned }, { today });
        // What stays revocable belongs to a token that has itself expired: rotate's, said in a refusal.
        const expired = after.pushTokens.map((spec) => spec.expiresAt <= today);
        assert.ok(dueTokens(after, now, 1).every((status, index) => !status.revocable || expired[index]));
        assert.equal(plan.refusals.length, expired.filter(Boolean).length);
        assert.deepEqual(
          after.pushTokens.map((spec) => spec.expiresAt),
          settings.pushTokens.map((spec) => spec.expiresAt),
        );
        assert.equal(after.pushTokens.filter((spec) => spec.retiring).length, settings.pushTokens.filter((spec) => spec.retiring).length - plan.changes.length);
        assert.deepEqual(planCleanup(after, now), { changes: [], refusals: plan.refusals });
      }),
      { numRuns: 200 },
    );
  });
});
