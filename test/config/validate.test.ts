// Every rule of the stack config (config/schema.ts + config/validate.ts), one `describe` per rule.
// Each refusal asserts the exact path, a non-empty fix and the reason in the problem text.

import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { ConfigError, type ConfigIssue } from "../../config/issues";
import { validateStackConfig, type RawStackConfig, type StackSettings } from "../../config/validate";

const TODAY = "2026-11-25";
const YESTERDAY = "2026-11-24";
/** TODAY + 365 days, the latest expiry GitLab's default lifetime allows. */
const TODAY_PLUS_365 = "2027-11-25";
const TODAY_PLUS_366 = "2027-11-26";
const TODAY_PLUS_400 = "2027-12-30";
const TODAY_PLUS_401 = "2027-12-31";

type Fields = Record<string, unknown>;

// --- factories -------------------------------------------------------------------------------

function validConsumer(overrides: Fields = {}): Fields {
  return { project: "xlink/xlink-app", key: "GITLAB_PUSHER_TOKEN", ...overrides };
}

function validToken(overrides: Fields = {}): Fields {
  return { name: "GITLAB_CI_PUSHER", project: "xlink/xlink-k8s-gitops", expiresAt: "2027-02-15", consumers: [validConsumer()], ...overrides };
}

/** One valid token with `overrides`, plus whatever top-level fields `raw` sets. */
function config(tokenOverrides: Fields = {}, raw: RawStackConfig = {}): RawStackConfig {
  return { pushTokens: [validToken(tokenOverrides)], ...raw };
}

/** A config whose only token has one consumer with `overrides`. */
function withConsumer(overrides: Fields): RawStackConfig {
  return config({ consumers: [validConsumer(overrides)] });
}

function without(fields: Fields, key: string): Fields {
  const copy = { ...fields };
  delete copy[key];
  return copy;
}

// --- assertions ------------------------------------------------------------------------------

function validate(raw: RawStackConfig, today = TODAY): StackSettings {
  return validateStackConfig(raw, { today });
}

/** The ConfigError `raw` must raise. */
function configError(raw: RawStackConfig, today = TODAY, configFile?: string): ConfigError {
  let caught: unknown;
  try {
    validateStackConfig(raw, { today, configFile });
  } catch (error) {
    caught = error;
  }
  if (!(caught instanceof ConfigError)) assert.fail(`expected a ConfigError, got ${caught === undefined ? "no error" : String(caught)}`);
  return caught;
}

const listIssues = (issues: readonly ConfigIssue[]) => issues.map((issue) => `${issue.path}: ${issue.problem}`).join("\n");

/** Asserts `raw` is refused with an issue at exactly `path` whose problem matches `problem`; returns it. */
function expectIssue(raw: RawStackConfig, path: string, problem: RegExp, today = TODAY): ConfigIssue {
  const { issues } = configError(raw, today);
  const atPath = issues.filter((issue) => issue.path === path);
  assert.ok(atPath.length > 0, `no issue at ${path}; got:\n${listIssues(issues)}`);
  const issue = atPath.find((candidate) => problem.test(candidate.problem));
  assert.ok(issue, `no issue at ${path} matches ${problem}; got:\n${listIssues(atPath)}`);
  assert.ok(issue.fix.trim().length > 0, `empty fix for ${path}`);
  return issue;
}

/** Asserts `raw` is accepted; returns the settings. */
function expectValid(raw: RawStackConfig, today = TODAY): StackSettings {
  try {
    return validate(raw, today);
  } catch (error) {
    if (error instanceof ConfigError) assert.fail(`expected a valid config, got:\n${listIssues(error.issues)}`);
    throw error;
  }
}

// --- the passing baseline --------------------------------------------------------------------

describe("a valid config", () => {
  it("returns the normalized settings, with every default applied", () => {
    const settings = validate(
      {
        gitlab: { baseUrl: "https://gitlab.example.com/api/v4" },
        gitlabToken: "absent",
        presentKeys: ["gitlab", "pushTokens"],
        pushTokens: [
          {
            name: "GITLAB_CI_PUSHER",
            project: "xlink/xlink-k8s-gitops",
            expiresAt: "2027-02-15",
            consumers: [
              { project: "xlink/xlink-app", key: "GITLAB_PUSHER_TOKEN" },
              { project: 1234, key: "GITLAB_PUSHER_TOKEN", environmentScope: "production", protected: false, hidden: true },
            ],
            retiring: { expiresAt: "2026-12-20", revokeAfter: "2026-11-27T12:00:00Z" },
          },
          {
            name: "RELEASE_TAGGER",
            project: 1234,
            accessLevel: "maintainer",
            scopes: ["write_repository", "read_repository"],
            expiresAt: TODAY_PLUS_365,
            consumers: [{ project: "xlink/xlink-release", key: "CHARTS_PUSH_TOKEN", masked: true }],
          },
        ],
      },
      TODAY,
    );
    const defaults = { protected: true, masked: true, hidden: false, environmentScope: "*", adopt: false };
    assert.deepStrictEqual(settings, {
      gitlab: { baseUrl: "https://gitlab.example.com/api/v4/", maxTokenLifetimeDays: 365, version: "17.7" },
      expiryWarningDays: 30,
      pushTokens: [
        {
          name: "GITLAB_CI_PUSHER",
          project: "xlink/xlink-k8s-gitops",
          accessLevel: "developer",
          scopes: ["write_repository"],
          expiresAt: "2027-02-15",
          consumers: [
            { project: "xlink/xlink-app", key: "GITLAB_PUSHER_TOKEN", ...defaults },
            { project: "1234", key: "GITLAB_PUSHER_TOKEN", protected: false, masked: true, hidden: true, environmentScope: "production", adopt: false },
          ],
          retiring: { expiresAt: "2026-12-20", revokeAfter: "2026-11-27T12:00:00Z", accessLevel: "developer", scopes: ["write_repository"], name: "GITLAB_CI_PUSHER" },
        },
        {
          name: "RELEASE_TAGGER",
          project: "1234",
          accessLevel: "maintainer",
          scopes: ["read_repository", "write_repository"],
          expiresAt: TODAY_PLUS_365,
          consumers: [{ project: "xlink/xlink-release", key: "CHARTS_PUSH_TOKEN", ...defaults }],
        },
      ],
    });
  });

  it("defaults the GitLab instance to gitlab.com when gitlab is absent", () => {
    assert.deepStrictEqual(validate(config()).gitlab, { baseUrl: "https://gitlab.com/api/v4/", maxTokenLifetimeDays: 365, version: "17.7" });
  });

  it("keeps a baseUrl that already ends with a slash", () => {
    assert.equal(validate(config({}, { gitlab: { baseUrl: "https://gitlab.example.com/api/v4/" } })).gitlab.baseUrl, "https://gitlab.example.com/api/v4/");
  });
});

// --- expiresAt ---------------------------------------------------------------------------------

describe("rule: expiresAt is a quoted YYYY-MM-DD date", () => {
  it('refuses "2027/02/15"', () => {
    expectIssue(config({ expiresAt: "2027/02/15" }), "pushTokens[0].expiresAt", /not a date in YYYY-MM-DD form/);
  });

  it("refuses the number 20270215, asking for a YYYY-MM-DD date (quoting it is optional)", () => {
    const issue = expectIssue(config({ expiresAt: 20270215 }), "pushTokens[0].expiresAt", /expected a string, got number 20270215/);
    assert.equal(issue.fix, "write a date, e.g. expiresAt: 2027-02-15");
  });

  it('refuses a date that does not exist, "2027-02-30"', () => {
    expectIssue(config({ expiresAt: "2027-02-30" }), "pushTokens[0].expiresAt", /"2027-02-30" is not a date in YYYY-MM-DD form/);
  });

  it("refuses a token without expiresAt", () => {
    expectIssue({ pushTokens: [without(validToken(), "expiresAt")] }, "pushTokens[0].expiresAt", /expiresAt is required/);
  });
});

describe("rule: an expiresAt that has passed is a due rotation, not a config error", () => {
  // The stack's own token running out is what rotate is for; refusing it would fail every command,
  // rotate included, on the day it happens (config/notices.ts warns, naming the command).
  it("accepts today, yesterday and long ago, keeping the date", () => {
    for (const expiresAt of [TODAY, YESTERDAY, "2020-01-01"]) assert.equal(expectValid(config({ expiresAt })).pushTokens[0].expiresAt, expiresAt);
  });

  it("accepts tomorrow", () => {
    expectValid(config({ expiresAt: "2026-11-26" }));
  });
});

describe("rule: expiresAt is within the instance's maximum token lifetime", () => {
  it("accepts today + 365 days and refuses today + 366 (default 365)", () => {
    expectValid(config({ expiresAt: TODAY_PLUS_365 }));
    const issue = expectIssue(config({ expiresAt: TODAY_PLUS_366 }), "pushTokens[0].expiresAt", /more than 365 days away/);
    assert.match(issue.fix, /2027-11-25/, "the fix names the latest allowed date");
  });

  it("with gitlab.maxTokenLifetimeDays: 400, accepts today + 400 and refuses today + 401", () => {
    const gitlab = { maxTokenLifetimeDays: 400 };
    expectValid(config({ expiresAt: TODAY_PLUS_400 }, { gitlab }));
    expectIssue(config({ expiresAt: TODAY_PLUS_401 }, { gitlab }), "pushTokens[0].expiresAt", /more than 400 days away/);
  });

  it("with a shorter maxTokenLifetimeDays, refuses what the default would allow", () => {
    expectIssue(config({ expiresAt: "2026-12-26" }, { gitlab: { maxTokenLifetimeDays: 30 } }), "pushTokens[0].expiresAt", /more than 30 days away/);
  });
});

describe("rule: gitlab.maxTokenLifetimeDays is a whole number from 1 to 400", () => {
  const path = "gitlab.maxTokenLifetimeDays";

  it("refuses 401", () => {
    expectIssue(config({}, { gitlab: { maxTokenLifetimeDays: 401 } }), path, /never allows more than 400 days/);
  });

  it("refuses 0", () => {
    expectIssue(config({}, { gitlab: { maxTokenLifetimeDays: 0 } }), path, /at least 1 day/);
  });

  it("refuses 1.5", () => {
    // Today's text is "expected a int, got number 1.5" (see the report); either wording names the reason.
    expectIssue(config({}, { gitlab: { maxTokenLifetimeDays: 1.5 } }), path, /must be a whole number of days/);
  });

  it('refuses the string "400"', () => {
    expectIssue(config({}, { gitlab: { maxTokenLifetimeDays: "400" } }), path, /expected a number/);
  });
});

describe("rule: expiryWarningDays is a whole number from 1 to 400", () => {
  it("accepts 7 and returns it", () => {
    assert.equal(expectValid(config({}, { expiryWarningDays: 7 })).expiryWarningDays, 7);
  });

  it("refuses 0, 401 and a string", () => {
    expectIssue(config({}, { expiryWarningDays: 0 }), "expiryWarningDays", /at least 1 day/);
    expectIssue(config({}, { expiryWarningDays: 401 }), "expiryWarningDays", /at most 400 days/);
    expectIssue(config({}, { expiryWarningDays: "30" }), "expiryWarningDays", /expected a number/);
  });
});

describe("rule: expiryWarningDays is shorter than gitlab.maxTokenLifetimeDays", () => {
  // A window as long as the longest lifetime makes a freshly rotated token due at once: expiry fails
  // every schedule and rotate refuses, with nothing wrong in GitLab.
  const shortLived = (expiryWarningDays?: number) => config({ expiresAt: "2026-12-10" }, { gitlab: { maxTokenLifetimeDays: 30 }, ...(expiryWarningDays !== undefined && { expiryWarningDays }) });

  it("refuses a window as long as the longest lifetime, or longer, naming both and a window that works", () => {
    for (const days of [30, 31]) {
      const issue = expectIssue(shortLived(days), "expiryWarningDays", new RegExp(`^${days} days is not shorter than gitlab\\.maxTokenLifetimeDays \\(30\\): a token given the longest lifetime would be due to rotate the day it is created`));
      assert.equal(issue.fix, "lower it below 30, e.g. expiryWarningDays: 10, or leave it out (the default is then 10)");
    }
    assert.equal(expectValid(shortLived(29)).expiryWarningDays, 29);
  });

  it("scales the default window to a third of a short lifetime, and keeps 30 days otherwise", () => {
    assert.deepEqual(
      [30, 7, 2, 1].map((maxTokenLifetimeDays) => expectValid(config({ expiresAt: "2026-11-26" }, { gitlab: { maxTokenLifetimeDays } })).expiryWarningDays),
      [10, 2, 1, 1],
    );
    assert.equal(expectValid(config({}, { gitlab: { maxTokenLifetimeDays: 90 } })).expiryWarningDays, 30);
    assert.equal(expectValid(config({})).expiryWarningDays, 30);
  });

  it("accepts any window on an instance whose tokens live a single day (each is always due)", () => {
    expectValid(config({ expiresAt: "2026-11-26" }, { gitlab: { maxTokenLifetimeDays: 1 }, expiryWarningDays: 1 }));
  });
});

// --- retiring ----------------------------------------------------------------------------------

describe("rule: retiring.expiresAt is a date before expiresAt", () => {
  const retiring = (expiresAt: unknown) => config({ expiresAt: "2027-02-15", retiring: { expiresAt, revokeAfter: "2026-11-27T12:00:00Z" } });
  const path = "pushTokens[0].retiring.expiresAt";

  it("refuses a retiring expiresAt that is not a date", () => {
    expectIssue(retiring("2026-12-32"), path, /not a date in YYYY-MM-DD form/);
    expectIssue(retiring(20261220), path, /expected a string/);
  });

  it("refuses a retiring expiresAt equal to expiresAt", () => {
    expectIssue(retiring("2027-02-15"), path, /not before the current one \(2027-02-15\)/);
  });

  it("refuses a retiring expiresAt later than expiresAt", () => {
    expectIssue(retiring("2027-03-01"), path, /expires 2027-03-01, not before the current one/);
  });

  it("accepts one day before expiresAt", () => {
    expectValid(retiring("2027-02-14"));
  });
});

describe("rule: retiring.revokeAfter is an ISO date-time with an offset", () => {
  const revokeAfter = (value: unknown) => config({ retiring: { expiresAt: "2026-12-20", revokeAfter: value } });
  const path = "pushTokens[0].retiring.revokeAfter";

  for (const value of ["2026-11-27", "2026-11-27T12:00:00", "tomorrow"]) {
    it(`refuses ${JSON.stringify(value)}`, () => {
      expectIssue(revokeAfter(value), path, /not an ISO date-time with a time zone/);
    });
  }

  it("refuses a missing revokeAfter", () => {
    expectIssue(config({ retiring: { expiresAt: "2026-12-20" } }), path, /revokeAfter is required/);
  });

  it("accepts Z and ±hh:mm offsets", () => {
    expectValid(revokeAfter("2026-11-27T12:00:00Z"));
    expectValid(revokeAfter("2026-11-27T14:00:00+02:00"));
  });
});

// --- least privilege ---------------------------------------------------------------------------

describe("rule: scopes are repository scopes only, each listed once", () => {
  for (const scope of ["api", "read_api", "write_registry"]) {
    it(`refuses ${scope} for least privilege`, () => {
      const issue = expectIssue(config({ scopes: ["write_repository", scope] }), "pushTokens[0].scopes[1]", /least privilege/);
      assert.ok(issue.problem.includes(`"${scope}"`), issue.problem);
    });
  }

  it("refuses an empty list", () => {
    expectIssue(config({ scopes: [] }), "pushTokens[0].scopes", /empty/);
  });

  it("refuses a scope listed twice, at the second occurrence", () => {
    expectIssue(config({ scopes: ["write_repository", "read_repository", "write_repository"] }), "pushTokens[0].scopes[2]", /listed twice/);
  });

  it("refuses scopes that are not a list", () => {
    expectIssue(config({ scopes: "write_repository" }), "pushTokens[0].scopes", /expected a list/);
  });

  it("accepts read_repository with write_repository and registers them sorted", () => {
    assert.deepEqual(expectValid(config({ scopes: ["write_repository", "read_repository"] })).pushTokens[0].scopes, ["read_repository", "write_repository"]);
  });
});

describe("rule: accessLevel is developer or maintainer", () => {
  const path = "pushTokens[0].accessLevel";

  for (const role of ["guest", "reporter"]) {
    it(`refuses ${role}: it cannot push`, () => {
      expectIssue(config({ accessLevel: role }), path, /cannot push/);
    });
  }

  it("refuses owner: far broader than pushing needs", () => {
    expectIssue(config({ accessLevel: "owner" }), path, /broader than pushing needs \(least privilege\)/);
  });

  it('refuses "admin": not a GitLab role', () => {
    expectIssue(config({ accessLevel: "admin" }), path, /not a GitLab role/);
  });

  it("accepts maintainer", () => {
    assert.equal(expectValid(config({ accessLevel: "maintainer" })).pushTokens[0].accessLevel, "maintainer");
  });
});

// --- consumers ---------------------------------------------------------------------------------

describe("rule: variables holding tokens are masked", () => {
  it("refuses masked: false", () => {
    expectIssue(withConsumer({ masked: false }), "pushTokens[0].consumers[0].masked", /unmasked variable prints the token/);
  });

  it("reports both masked and hidden when hidden: true comes with masked: false", () => {
    const { issues } = configError(withConsumer({ hidden: true, masked: false }));
    assert.deepEqual(
      issues.map((issue) => issue.path),
      ["pushTokens[0].consumers[0].masked", "pushTokens[0].consumers[0].hidden"],
    );
    expectIssue(withConsumer({ hidden: true, masked: false }), "pushTokens[0].consumers[0].hidden", /hidden requires masked/);
  });

  it("accepts hidden: true with the default masking", () => {
    const [consumer] = expectValid(withConsumer({ hidden: true })).pushTokens[0].consumers;
    assert.equal(consumer.hidden, true);
    assert.equal(consumer.masked, true);
  });
});

describe("rule: a variable key is 1 to 255 letters, digits and '_', not starting with CI_", () => {
  const path = "pushTokens[0].consumers[0].key";

  for (const [label, key] of [
    ["GITLAB-TOKEN", "GITLAB-TOKEN"],
    ["an empty key", ""],
    ["a 256-character key", "K".repeat(256)],
  ] as const) {
    it(`refuses ${label}`, () => {
      expectIssue(withConsumer({ key }), path, /variable key .* is not allowed/);
    });
  }

  it("refuses a key starting with CI_", () => {
    expectIssue(withConsumer({ key: "CI_PUSH_TOKEN" }), path, /starts with CI_.*reserves/);
  });

  it("accepts a 255-character key", () => {
    assert.equal(expectValid(withConsumer({ key: "K".repeat(255) })).pushTokens[0].consumers[0].key, "K".repeat(255));
  });
});

describe("rule: environmentScope is a non-empty scope without whitespace", () => {
  const path = "pushTokens[0].consumers[0].environmentScope";

  it('refuses "" and "prod env"', () => {
    expectIssue(withConsumer({ environmentScope: "" }), path, /environment scope .* is not valid/);
    expectIssue(withConsumer({ environmentScope: "prod env" }), path, /environment scope .* is not valid/);
  });

  it('accepts "review/*"', () => {
    expectValid(withConsumer({ environmentScope: "review/*" }));
  });
});

describe("rule: a token has at least one consumer", () => {
  it("refuses consumers: []", () => {
    expectIssue(config({ consumers: [] }), "pushTokens[0].consumers", /at least one consumer/);
  });

  it("refuses a token without consumers", () => {
    expectIssue({ pushTokens: [without(validToken(), "consumers")] }, "pushTokens[0].consumers", /consumers is required/);
  });
});

// --- duplicates --------------------------------------------------------------------------------

describe("rule: a token name is declared once per project", () => {
  it("refuses a second token with the same project and name, at the second token's name", () => {
    const issue = expectIssue(
      { pushTokens: [validToken(), validToken({ consumers: [validConsumer({ key: "OTHER_KEY" })] })] },
      "pushTokens[1].name",
      /pushTokens\[0\] already declares token "GITLAB_CI_PUSHER"/,
    );
    assert.match(issue.fix, /another name/);
  });

  it("treats projects differing only in letter case as one project", () => {
    expectIssue(
      { pushTokens: [validToken({ project: "xlink/xlink-k8s-gitops" }), validToken({ project: "XLink/Xlink-K8s-Gitops", consumers: [validConsumer({ key: "OTHER_KEY" })] })] },
      "pushTokens[1].name",
      /already declares token/,
    );
  });

  it("treats a numeric project ID and the same ID as a string as one project", () => {
    expectIssue(
      { pushTokens: [validToken({ project: 1234 }), validToken({ project: "1234", consumers: [validConsumer({ key: "OTHER_KEY" })] })] },
      "pushTokens[1].name",
      /already declares token/,
    );
  });

  it("accepts the same name in two projects", () => {
    expectValid({ pushTokens: [validToken(), validToken({ project: "xlink/xlink-charts", consumers: [validConsumer({ key: "OTHER_KEY" })] })] });
  });
});

describe("rule: one variable (project, key, environmentScope) is fed by one token", () => {
  const secondToken = (consumers: Fields[]) => validToken({ name: "RELEASE_TAGGER", project: "xlink/xlink-charts", consumers });

  it("refuses the same variable fed by two tokens, at the second consumer's key", () => {
    const issue = expectIssue(
      { pushTokens: [validToken(), secondToken([validConsumer({ key: "CHARTS_PUSH_TOKEN" }), validConsumer()])] },
      "pushTokens[1].consumers[1].key",
      /pushTokens\[0\]\.consumers\[0\] already writes variable "GITLAB_PUSHER_TOKEN"/,
    );
    assert.match(issue.fix, /another key or environmentScope/);
  });

  it('treats an explicit environmentScope "*" as the default, and project paths case-insensitively', () => {
    expectIssue(
      { pushTokens: [validToken(), secondToken([validConsumer({ project: "XLINK/xlink-app", environmentScope: "*" })])] },
      "pushTokens[1].consumers[0].key",
      /already writes variable/,
    );
  });

  it("refuses the same variable twice within one token", () => {
    expectIssue(config({ consumers: [validConsumer(), validConsumer()] }), "pushTokens[0].consumers[1].key", /already writes variable/);
  });

  it("accepts the same key with a different environmentScope", () => {
    expectValid({ pushTokens: [validToken(), secondToken([validConsumer({ environmentScope: "production" })])] });
  });
});

// --- keys and types ----------------------------------------------------------------------------

describe("rule: unknown keys are refused with a suggestion", () => {
  it("expires_at → expiresAt", () => {
    const issue = expectIssue({ pushTokens: [{ ...without(validToken(), "expiresAt"), expires_at: "2027-02-15" }] }, "pushTokens[0].expires_at", /unknown key "expires_at"/);
    assert.match(issue.fix, /expiresAt/);
  });

  it("enviromentScope in a consumer → environmentScope", () => {
    const issue = expectIssue(withConsumer({ enviromentScope: "production" }), "pushTokens[0].consumers[0].enviromentScope", /unknown key/);
    assert.match(issue.fix, /rename it to environmentScope/);
  });

  it("an unknown key in gitlab", () => {
    const issue = expectIssue(config({}, { gitlab: { baseURL: "https://gitlab.example.com/api/v4" } }), "gitlab.baseURL", /unknown key "baseURL"/);
    assert.match(issue.fix, /baseUrl/);
  });

  it("an unknown key in retiring, with no close match, lists the keys", () => {
    const issue = expectIssue(
      config({ retiring: { expiresAt: "2026-12-20", revokeAfter: "2026-11-27T12:00:00Z", notes: "old" } }),
      "pushTokens[0].retiring.notes",
      /unknown key "notes"/,
    );
    assert.match(issue.fix, /expiresAt, revokeAfter/);
  });

  it("an unknown top-level key (presentKeys)", () => {
    const issue = expectIssue(config({}, { presentKeys: ["pushToken"] }), "pushToken", /unknown config key "gitlab-push-tokens:pushToken"/);
    assert.match(issue.fix, /gitlab-push-tokens:pushTokens/);
  });

  it("accepts every known top-level key in presentKeys", () => {
    expectValid(config({}, { presentKeys: ["gitlab", "pushTokens", "expiryWarningDays"] }));
  });
});

describe("rule: values have the right type", () => {
  it("name: 5", () => {
    expectIssue(config({ name: 5 }), "pushTokens[0].name", /expected a string, got number 5/);
  });

  it('consumers: "x"', () => {
    expectIssue(config({ consumers: "x" }), "pushTokens[0].consumers", /expected a list, got "x"/);
  });

  it('protected: "yes"', () => {
    expectIssue(withConsumer({ protected: "yes" }), "pushTokens[0].consumers[0].protected", /expected true or false, got "yes"/);
  });

  it("pushTokens: {}", () => {
    expectIssue({ pushTokens: {} }, "pushTokens", /expected a list of tokens, got an object/);
  });

  it('gitlab: "x"', () => {
    expectIssue(config({}, { gitlab: "x" }), "gitlab", /expected a map, got "x"/);
  });

  it('a token that is not a map: pushTokens: ["x"]', () => {
    expectIssue({ pushTokens: ["x"] }, "pushTokens[0]", /expected a map, got "x"/);
  });
});

describe("rule: pushTokens is declared", () => {
  it("refuses a config without pushTokens", () => {
    expectIssue({}, "pushTokens", /no tokens are declared/);
  });
});

describe("rule: the GitLab API token is never in the stack config, encrypted or not", () => {
  const FIX =
    "remove it (`pulumi config rm gitlabToken`) and give `pulumi up` the token as GITLAB_TOKEN, a protected CI/CD variable scoped to the apply job's environment (README: Who can read what); then rotate the token, since it was readable";

  it("refuses a gitlabToken in plain text, naming the key and the fix", () => {
    const issue = expectIssue(config({}, { gitlabToken: "plaintext", presentKeys: ["pushTokens", "gitlabToken"] }), "gitlabToken", /./);
    assert.equal(issue.problem, "the GitLab API token is in the stack config in plain text, readable by anyone who can read the repository");
    assert.equal(issue.fix, FIX);
  });

  it("refuses a secret gitlabToken too: whoever can decrypt the state or config could read it", () => {
    const { issues } = configError(config({}, { gitlabToken: "secret", presentKeys: ["pushTokens", "gitlabToken"] }));
    assert.deepEqual(issues, [
      {
        path: "gitlabToken",
        problem: "the GitLab API token is in the stack config: encrypted, but whoever can decrypt the stack's config or state (every preview can) reads it",
        fix: FIX,
      },
    ]);
  });

  it("accepts a config without it", () => {
    expectValid(config({}, { gitlabToken: "absent" }));
  });
});

describe("rule: the default GitLab provider's config is refused, not ignored", () => {
  it("points gitlab:token to GITLAB_TOKEN and gitlab:baseUrl to gitlab.baseUrl", () => {
    const token = expectIssue(config({}, { defaultProviderKeys: ["token"] }), "gitlab:token", /configures the default GitLab provider/);
    assert.match(token.fix, /^remove it, and give `pulumi up` the API token as GITLAB_TOKEN, a protected CI\/CD variable/);
    const baseUrl = expectIssue(config({}, { defaultProviderKeys: ["baseUrl"] }), "gitlab:baseUrl", /does not use/);
    assert.match(baseUrl.fix, /gitlab-push-tokens:gitlab\.baseUrl/);
    expectIssue(config({}, { defaultProviderKeys: ["insecure"] }), "gitlab:insecure", /does not use/);
  });
});

describe("rule: gitlab.baseUrl is the https API endpoint", () => {
  const baseUrl = (value: unknown) => config({}, { gitlab: { baseUrl: value } });
  const path = "gitlab.baseUrl";

  it("refuses http://", () => {
    expectIssue(baseUrl("http://gitlab.example.com/api/v4"), path, /not https/);
  });

  it("refuses an address without /api/v4", () => {
    expectIssue(baseUrl("https://gitlab.example.com"), path, /not the instance's API endpoint/);
    expectIssue(baseUrl("https://gitlab.example.com/api/v3"), path, /not the instance's API endpoint/);
  });

  it("refuses credentials or a query in the address", () => {
    expectIssue(baseUrl("https://user:pass@gitlab.example.com/api/v4"), path, /not the instance's API endpoint/);
    expectIssue(baseUrl("https://gitlab.example.com/api/v4?private_token=x"), path, /not a plain URL/);
  });

  it("refuses text that is not a URL", () => {
    expectIssue(baseUrl("gitlab.example.com/api/v4"), path, /not a plain URL/);
    // Accepted by URL parsers, but not an address to hand the provider.
    expectIssue(baseUrl("https://gitlab.example.com/api/v4#"), path, /not a plain URL/);
    expectIssue(baseUrl(" https://gitlab.example.com/api/v4 "), path, /not a plain URL/);
    expectIssue(baseUrl(42), path, /expected a string/);
  });

  it("normalises case and the trailing slash from the parsed URL", () => {
    assert.equal(expectValid(baseUrl("HTTPS://GitLab.Example.com/api/v4/")).gitlab.baseUrl, "https://gitlab.example.com/api/v4/");
  });

  it("accepts an instance under a sub-path", () => {
    assert.equal(expectValid(baseUrl("https://example.com/gitlab/api/v4")).gitlab.baseUrl, "https://example.com/gitlab/api/v4/");
  });
});

describe("rule: a project is a namespaced path or a positive numeric ID", () => {
  const path = "pushTokens[0].project";

  for (const project of ["xlink", "xlink/app.git", "xlink/app.atom", "-xlink/app", "xlink//app", 0, -5]) {
    it(`refuses ${JSON.stringify(project)}`, () => {
      expectIssue(config({ project }), path, /is not a GitLab project path or ID/);
    });
  }

  it("refuses true", () => {
    expectIssue(config({ project: true }), path, /expected a project path or numeric ID, got boolean true/);
  });

  it("refuses a bad consumer project too", () => {
    expectIssue(withConsumer({ project: "xlink" }), "pushTokens[0].consumers[0].project", /is not a GitLab project path or ID/);
  });

  it('accepts "group/sub/app" and 42, returning the ID as a string', () => {
    assert.equal(expectValid(config({ project: "group/sub/app" })).pushTokens[0].project, "group/sub/app");
    assert.equal(expectValid(config({ project: 42 })).pushTokens[0].project, "42");
  });
});

describe("rule: a token name reads well in a resource name", () => {
  const path = "pushTokens[0].name";

  for (const name of ["ci/pusher", "ci:pusher", "-pusher", "", "N".repeat(256)]) {
    it(`refuses ${JSON.stringify(name.length > 20 ? `${name.slice(0, 10)}… (${name.length} chars)` : name)}`, () => {
      expectIssue(config({ name }), path, /token name .* is not allowed/);
    });
  }

  it("accepts letters, digits, spaces, '_', '-' and '.'", () => {
    expectValid(config({ name: "GitLab CI_pusher-2.0" }));
  });
});

// --- reporting ---------------------------------------------------------------------------------

describe("every problem is reported at once", () => {
  const broken: RawStackConfig = {
    pushTokens: [
      validToken({ name: "ci/pusher", scopes: ["api"], consumers: [validConsumer({ key: "CI_PUSH" })] }),
      validToken({ name: "RELEASE_TAGGER", expiresAt: "2027/02/15", consumers: [validConsumer({ key: "CHARTS_PUSH_TOKEN", masked: false })] }),
    ],
  };
  const expected: [string, RegExp][] = [
    ["pushTokens[0].name", /token name "ci\/pusher" is not allowed/],
    ["pushTokens[0].scopes[0]", /least privilege/],
    ["pushTokens[0].consumers[0].key", /starts with CI_/],
    ["pushTokens[1].expiresAt", /not a date in YYYY-MM-DD form/],
    ["pushTokens[1].consumers[0].masked", /unmasked/],
  ];

  it("lists all 5 issues, in file order", () => {
    const { issues } = configError(broken);
    assert.deepEqual(
      issues.map((issue) => issue.path),
      expected.map(([path]) => path),
    );
    issues.forEach((issue, index) => {
      assert.match(issue.problem, expected[index][1]);
      assert.ok(issue.fix.trim().length > 0);
    });
  });

  it("writes one `path: problem. Fix: fix.` line per issue under a header naming the file and count", () => {
    const error = configError(broken, TODAY, "Pulumi.dev.yaml");
    const lines = error.message.split("\n");
    assert.equal(lines[0], "Invalid gitlab-push-tokens config in Pulumi.dev.yaml (5 problems); no GitLab resource was registered:");
    assert.deepEqual(
      lines.slice(1),
      error.issues.map((issue) => `  - ${issue.path}: ${issue.problem}. Fix: ${issue.fix}.`),
    );
  });

  it("reports top-level problems with token problems", () => {
    const { issues } = configError({ ...broken, gitlabToken: "plaintext", gitlab: { baseUrl: "http://gitlab.example.com/api/v4" }, presentKeys: ["pushToken"] });
    const paths = issues.map((issue) => issue.path);
    for (const path of ["pushToken", "gitlabToken", "gitlab.baseUrl", ...expected.map(([tokenPath]) => tokenPath)]) {
      assert.ok(paths.includes(path), `missing ${path} in ${paths.join(", ")}`);
    }
    assert.equal(issues.length, 8);
  });
});

describe("secret hygiene", () => {
  const token = "glpat-AAAAAAAAAAAAAAAAAAAA";

  it("never echoes a token pasted into key, name or project", () => {
    const error = configError(config({ name: token, project: token, consumers: [validConsumer({ project: token, key: token })] }));
    const paths = error.issues.map((issue) => issue.path);
    for (const path of ["pushTokens[0].project", "pushTokens[0].consumers[0].project", "pushTokens[0].consumers[0].key"]) {
      assert.ok(paths.includes(path), `missing ${path} in ${paths.join(", ")}`);
    }
    assert.ok(!error.message.includes(token), error.message);
    assert.ok(!error.message.includes("AAAAAAAAAAAAAAAAAAAA"), error.message);
    assert.match(error.message, /looks like a GitLab token \(not shown\)/);
  });

  it("never echoes a token pasted into an otherwise refused name", () => {
    const error = configError(config({ name: `${token}/x` }));
    assert.ok(error.issues.some((issue) => issue.path === "pushTokens[0].name"));
    assert.ok(!error.message.includes(token), error.message);
  });

  it("never echoes a token through duplicate or unknown-key messages, nor their paths", () => {
    const twin = { name: token, project: token, consumers: [{ project: token, key: token }] };
    const duplicated = configError({ pushTokens: [twin, twin] });
    assert.ok(duplicated.issues.some((issue) => issue.path === "pushTokens[1].name"));
    assert.ok(!duplicated.message.includes("AAAAAAAAAAAAAAAAAAAA"), duplicated.message);
    const unknownKeys = configError({ ...config({ [token]: 1 }), presentKeys: ["pushTokens", token] });
    assert.equal(unknownKeys.issues.length, 2);
    assert.ok(!JSON.stringify(unknownKeys.issues).includes("AAAAAAAAAAAAAAAAAAAA"), JSON.stringify(unknownKeys.issues));
  });

  describe("a pasted token, wherever it is, is met with the advice to revoke it", () => {
    const REVOKE = "revoke that token now (it is in the repository's history)";
    const pasted = "glpat-CANARYpastedToken0123";
    const issueAt = (raw: RawStackConfig, path: string) => {
      const error = configError(raw);
      assert.ok(!error.message.includes("CANARYpastedToken"), error.message);
      const issue = error.issues.find((candidate) => candidate.path === path);
      assert.ok(issue, `no issue at ${path}; got:\n${listIssues(error.issues)}`);
      return issue;
    };

    it("under an unknown key: the key is named, and the fix begins with revoking the token", () => {
      const issue = issueAt(config({ value: pasted }), "pushTokens[0].value");
      assert.equal(issue.problem, 'unknown key "value"');
      assert.match(issue.fix, new RegExp(`^${REVOKE.replace(/[()]/g, "\\$&")}, then remove it; the keys here are name, project`));
    });

    it("as retiring.tokenId, and as a value of any other field a rule refuses", () => {
      const tokenId = issueAt(config({ retiring: { expiresAt: "2026-12-20", revokeAfter: "2026-11-27T12:00:00Z", tokenId: pasted } }), "pushTokens[0].retiring.tokenId");
      assert.equal(tokenId.problem, "expected the token's ID, a positive whole number, got a value that looks like a GitLab token (not shown)");
      assert.match(tokenId.fix, /^revoke that token now \(it is in the repository's history\), then write the hand-made token's numeric ID/);
      for (const [raw, path] of [
        [config({ scopes: [pasted] }), "pushTokens[0].scopes[0]"],
        [config({ expiresAt: pasted }), "pushTokens[0].expiresAt"],
        [withConsumer({ environmentScope: `${pasted} x` }), "pushTokens[0].consumers[0].environmentScope"],
        [config({}, { gitlab: { baseUrl: `https://${pasted}@gitlab.example.com/api/v4` } }), "gitlab.baseUrl"],
      ] as const) {
        assert.ok(issueAt(raw, path).fix.startsWith(`${REVOKE}, then `), path);
      }
    });

    it("in a field no rule refuses: a problem of its own", () => {
      const issue = issueAt(config({}, { gitlab: { baseUrl: `https://gitlab.example.com/${pasted}/api/v4` } }), "gitlab.baseUrl");
      assert.deepEqual(issue, {
        path: "gitlab.baseUrl",
        problem: "holds a value that looks like a GitLab token (not shown)",
        fix: `${REVOKE}, then remove it: a token never belongs in the config (the API token is the secret gitlabToken, or GITLAB_TOKEN)`,
      });
    });

    it("as a key: a sentence that names neither the key nor a placeholder in the path", () => {
      const nested = issueAt(config({ [pasted]: 1 }), "pushTokens[0]");
      assert.deepEqual(nested, { path: "pushTokens[0]", problem: "a key that looks like a GitLab token (not shown) is not a config key", fix: `${REVOKE}, then remove that key` });
      const root = issueAt({ ...config({}), presentKeys: ["pushTokens", pasted] }, "");
      assert.equal(root.problem, nested.problem);
      assert.match(configError({ ...config({}), presentKeys: ["pushTokens", pasted] }).message, /\n {2}- \(config\): a key that looks like a GitLab token \(not shown\) is not a config key\. Fix: revoke that token now/);
      assert.doesNotMatch(configError(config({ [pasted]: 1 })).message, /\[redacted|unknown key a value/);
    });

    it("says it once when a rule already did (a token pasted as a name)", () => {
      const issue = issueAt(config({ name: pasted }), "pushTokens[0].name");
      assert.equal(issue.fix.split("revoke that token now").length, 2, issue.fix);
    });
  });

  it("keeps project paths that merely start like a token prefix", () => {
    const error = configError(config({ project: "global-infrastructure/gitops-repo", scopes: ["api"] }));
    assert.doesNotMatch(error.message, /redacted/);
  });
});

describe("issue order follows the config reference", () => {
  it("orders a token's issues by field and consumers by index, duplicates included", () => {
    const { issues } = configError(
      config({
        consumers: [validConsumer(), validConsumer(), validConsumer({ key: "K3", masked: false })],
        retiring: { expiresAt: "2027-12-31", revokeAfter: "2026-11-27T12:00:00Z" },
      }),
    );
    assert.deepEqual(
      issues.map((issue) => issue.path),
      ["pushTokens[0].consumers[1].key", "pushTokens[0].consumers[2].masked", "pushTokens[0].retiring.expiresAt"],
    );
  });
});

describe("rule: the retiring generation keeps the role and scopes it was created with", () => {
  it("inherits the token's role and scopes by default", () => {
    const [token] = validate(config({ accessLevel: "maintainer", retiring: { expiresAt: "2026-12-20", revokeAfter: "2026-11-27T12:00:00Z" } })).pushTokens;
    assert.deepEqual(token.retiring, { expiresAt: "2026-12-20", revokeAfter: "2026-11-27T12:00:00Z", accessLevel: "maintainer", scopes: ["write_repository"], name: "GITLAB_CI_PUSHER" });
  });

  it("takes its own role and scopes when a rotation also changes the token's", () => {
    const [token] = validate(
      config({
        accessLevel: "maintainer",
        scopes: ["write_repository", "read_repository"],
        retiring: { expiresAt: "2026-12-20", revokeAfter: "2026-11-27T12:00:00Z", accessLevel: "developer", scopes: ["write_repository"] },
      }),
    ).pushTokens;
    assert.deepEqual(token.retiring, { expiresAt: "2026-12-20", revokeAfter: "2026-11-27T12:00:00Z", accessLevel: "developer", scopes: ["write_repository"], name: "GITLAB_CI_PUSHER" });
    assert.deepEqual(token.scopes, ["read_repository", "write_repository"]);
  });

  it("holds them to the same least-privilege rules", () => {
    const retiring = (fields: Fields) => config({ retiring: { expiresAt: "2026-12-20", revokeAfter: "2026-11-27T12:00:00Z", ...fields } });
    expectIssue(retiring({ scopes: ["api"] }), "pushTokens[0].retiring.scopes[0]", /least privilege/);
    expectIssue(retiring({ accessLevel: "owner" }), "pushTokens[0].retiring.accessLevel", /broader/);
  });
});


describe("rule: adoption of hand-made variables and tokens", () => {
  const handMade = (fields: Fields = {}) => ({ tokenId: 8812, expiresAt: "2026-12-20", revokeAfter: "2026-11-27T12:00:00Z", ...fields });

  it("accepts adopt: true on a consumer and defaults it to false", () => {
    const [token] = expectValid(config({ consumers: [validConsumer({ adopt: true }), validConsumer({ project: "xlink/xlink-worker" })] })).pushTokens;
    assert.deepEqual(token.consumers.map((consumer) => consumer.adopt), [true, false]);
  });

  it("refuses an adopt that is not a boolean", () => {
    expectIssue(withConsumer({ adopt: "yes" }), "pushTokens[0].consumers[0].adopt", /expected true or false, got "yes"/);
  });

  it("accepts a hand-made token with its own name, any GitLab role and broader scopes", () => {
    const [token] = expectValid(config({ retiring: handMade({ name: "gitops pusher", accessLevel: "owner", scopes: ["write_repository", "api", "read_registry"] }) })).pushTokens;
    assert.deepEqual(token.retiring, {
      expiresAt: "2026-12-20",
      revokeAfter: "2026-11-27T12:00:00Z",
      accessLevel: "owner",
      scopes: ["api", "read_registry", "write_repository"],
      name: "gitops pusher",
      tokenId: 8812,
    });
  });

  it("still refuses what GitLab does not know, even for a hand-made token", () => {
    expectIssue(config({ retiring: handMade({ scopes: ["sudo"] }) }), "pushTokens[0].retiring.scopes[0]", /"sudo" is not a project access token scope/);
    expectIssue(config({ retiring: handMade({ accessLevel: "admin" }) }), "pushTokens[0].retiring.accessLevel", /"admin" is not a GitLab role/);
    expectIssue(config({ retiring: handMade({ name: "bad/name" }) }), "pushTokens[0].retiring.name", /token name "bad\/name" is not allowed/);
  });

  it("refuses broader scopes, a broader role and another name on a generation this stack created", () => {
    const ours = (fields: Fields) => config({ retiring: { expiresAt: "2026-12-20", revokeAfter: "2026-11-27T12:00:00Z", ...fields } });
    const scope = expectIssue(ours({ scopes: ["api"] }), "pushTokens[0].retiring.scopes[0]", /least privilege/);
    assert.match(scope.fix, /if this is a hand-made token being adopted, give its tokenId$/);
    const role = expectIssue(ours({ accessLevel: "reporter" }), "pushTokens[0].retiring.accessLevel", /cannot push/);
    assert.match(role.fix, /give its tokenId$/);
    expectIssue(ours({ name: "old name" }), "pushTokens[0].retiring.name", /name is only for a hand-made token/);
  });

  for (const [value, problem, fix] of [
    ["8812", /a positive whole number, got "8812"/, /^write it without quotes: tokenId: 8812$/],
    [0, /a positive whole number, got number 0$/, /numeric ID, unquoted/],
    [-3, /got number -3$/, /numeric ID, unquoted/],
    [12.5, /got number 12\.5$/, /numeric ID, unquoted/],
    ["abc", /got "abc"$/, /numeric ID, unquoted/],
    [null, /got null$/, /numeric ID, unquoted/],
  ] as const) {
    it(`refuses tokenId ${JSON.stringify(value)}`, () => {
      const issue = expectIssue(config({ retiring: handMade({ tokenId: value }) }), "pushTokens[0].retiring.tokenId", problem);
      assert.match(issue.fix, fix);
    });
  }

  it("refuses one variable declared both adopted and new", () => {
    const raw: RawStackConfig = {
      pushTokens: [
        validToken({ consumers: [validConsumer({ adopt: true })] }),
        validToken({ name: "OTHER", consumers: [validConsumer()] }),
      ],
    };
    const issue = expectIssue(raw, "pushTokens[1].consumers[0].adopt", /declared twice, new here and adopted at pushTokens\[0\]\.consumers\[0\]/);
    assert.match(issue.fix, /declare it once/);
    // Declared twice with the same marker, it is the ordinary duplicate.
    expectIssue({ pushTokens: [validToken(), validToken({ name: "OTHER" })] }, "pushTokens[1].consumers[0].key", /already writes variable/);
  });

  it("refuses one hand-made token adopted by two declarations", () => {
    const raw: RawStackConfig = { pushTokens: [validToken({ retiring: handMade() }), validToken({ name: "OTHER", consumers: [validConsumer({ key: "OTHER_TOKEN" })], retiring: handMade() })] };
    expectIssue(raw, "pushTokens[1].retiring.tokenId", /pushTokens\[0\] already adopts hand-made token 8812/);
  });

  it("suggests the right key for a misspelt adoption field", () => {
    const issue = expectIssue(withConsumer({ adpot: true }), "pushTokens[0].consumers[0].adpot", /unknown key "adpot"/);
    assert.equal(issue.fix, "rename it to adopt");
    const tokenIdIssue = expectIssue(config({ retiring: handMade({ tokenID: 1 }) }), "pushTokens[0].retiring.tokenID", /unknown key/);
    assert.equal(tokenIdIssue.fix, "rename it to tokenId");
  });
});

// --- gaps found by mutation testing (npm run mutation) -----------------------------------------

describe("reporting order: problems are listed as a reader meets them in the config", () => {
  it("orders by path: known root keys in reference order, tokens by index (10 after 9), fields in reference order, retiring last, unknown keys after", () => {
    const tokens = Array.from({ length: 11 }, (_, index) => validToken({ name: `T${index}`, consumers: [validConsumer({ key: `K${index}` })] }));
    tokens[10] = { ...tokens[10], retiring: { expiresAt: "bad", revokeAfter: "bad" }, scopes: ["api"], zzz: 1, aaa: 2, expiresAt: "bad" };
    tokens[9] = { ...tokens[9], consumers: [validConsumer({ key: "CI_X", hidden: "no" })] };
    const { issues } = configError({ pushTokens: tokens, expiryWarningDays: 0, gitlab: { baseUrl: "http://x" }, presentKeys: ["pushTokens", "expiryWarningDays", "gitlab", "typo"] });
    assert.deepEqual(
      issues.map((issue) => issue.path),
      [
        "gitlab.baseUrl",
        "expiryWarningDays",
        "pushTokens[9].consumers[0].key",
        "pushTokens[9].consumers[0].hidden",
        "pushTokens[10].scopes[0]",
        "pushTokens[10].expiresAt",
        "pushTokens[10].retiring.expiresAt",
        "pushTokens[10].retiring.revokeAfter",
        "pushTokens[10].aaa",
        "pushTokens[10].zzz",
        "typo",
      ],
    );
  });

  it("keeps the order in which rules found problems at one path", () => {
    const { issues } = configError(config({ scopes: ["api", "api"] }));
    assert.deepEqual(
      issues.filter((issue) => issue.path === "pushTokens[0].scopes[1]").map((issue) => issue.problem.slice(0, 12)),
      ['scope "api" ', '"api" is lis'],
    );
  });
});

describe("the fix named for a wrong type in each field", () => {
  const cases: [string, RawStackConfig, string][] = [
    ["gitlab", { pushTokens: [validToken()], gitlab: 5 }, "write gitlab as a map, e.g. gitlab: {baseUrl: https://gitlab.example.com/api/v4}"],
    ["gitlab.baseUrl", { pushTokens: [validToken()], gitlab: { baseUrl: 5 } }, "write the API endpoint, e.g. https://gitlab.example.com/api/v4"],
    ["gitlab.maxTokenLifetimeDays", { pushTokens: [validToken()], gitlab: { maxTokenLifetimeDays: "x" } }, "use a whole number of days from 1 to 400 (GitLab's default is 365)"],
    ["expiryWarningDays", { pushTokens: [validToken()], expiryWarningDays: "x" }, "use a whole number of days, e.g. 30"],
    ["pushTokens[0].name", config({ name: 5 }), "name the token, e.g. name: GITLAB_CI_PUSHER"],
    ["pushTokens[0].project", config({ project: true }), "write the project's full path, e.g. xlink/xlink-app, or its numeric ID"],
    ["pushTokens[0].accessLevel", config({ accessLevel: 5 }), "use developer (the default) or maintainer"],
    ["pushTokens[0].scopes", config({ scopes: "write_repository" }), "use scopes: [write_repository]"],
    ["pushTokens[0].expiresAt", config({ expiresAt: 20270215 }), "write a date, e.g. expiresAt: 2027-02-15"],
    ["pushTokens[0].consumers", config({ consumers: {} }), "list the projects whose pipelines push, e.g. consumers: [{project: xlink/xlink-app, key: GITLAB_PUSHER_TOKEN}]"],
    ["pushTokens[0].consumers[0].key", withConsumer({ key: 5 }), "write the CI/CD variable key, e.g. key: GITLAB_PUSHER_TOKEN"],
    ["pushTokens[0].consumers[0].protected", withConsumer({ protected: "yes" }), "write true (the default) or false, unquoted"],
    ["pushTokens[0].consumers[0].masked", withConsumer({ masked: "yes" }), "remove the line: variables holding tokens are always masked"],
    ["pushTokens[0].consumers[0].hidden", withConsumer({ hidden: "yes" }), "write true or false, unquoted"],
    ["pushTokens[0].consumers[0].environmentScope", withConsumer({ environmentScope: 5 }), 'write "*" (the default) or an environment name'],
    ["pushTokens[0].consumers[0].adopt", withConsumer({ adopt: "yes" }), "write true (the variable already exists in GitLab and is imported) or remove the line"],
    ["pushTokens[0].retiring", config({ retiring: "2026-12-20" }), 'write retiring: {expiresAt: YYYY-MM-DD, revokeAfter: "YYYY-MM-DDTHH:MM:SSZ"}'],
    ["pushTokens[0].retiring.revokeAfter", config({ retiring: { expiresAt: "2026-12-20", revokeAfter: 5 } }), 'write it like "2026-11-27T12:00:00Z"'],
  ];
  for (const [path, raw, fix] of cases) {
    it(path, () => {
      const issue = configError(raw).issues.find((candidate) => candidate.path === path);
      assert.ok(issue, `no issue at ${path}`);
      assert.equal(issue.fix, fix);
    });
  }

  it("says a required field is required, and names a wrong type in a YAML author's words", () => {
    assert.equal(expectIssue(config({ expiresAt: undefined }), "pushTokens[0].expiresAt", /./).problem, "expiresAt is required");
    assert.equal(expectIssue(config({ name: ["a"] }), "pushTokens[0].name", /./).problem, "expected a string, got a list of 1");
    assert.equal(expectIssue(withConsumer({ protected: "no" }), "pushTokens[0].consumers[0].protected", /./).problem, 'expected true or false, got "no"');
  });

  it("suggests the namespaced key for a misspelt root key, and lists the keys otherwise", () => {
    assert.equal(expectIssue({ pushTokens: [validToken()], presentKeys: ["pushTokens", "pushToken"] }, "pushToken", /unknown config key/).fix, "rename it to gitlab-push-tokens:pushTokens");
    assert.equal(
      expectIssue({ pushTokens: [validToken()], presentKeys: ["pushTokens", "zzzzzz"] }, "zzzzzz", /unknown config key "gitlab-push-tokens:zzzzzz"/).fix,
      "remove it; the keys are gitlab, pushTokens, pushTokensFile, expiryWarningDays",
    );
  });
});

describe("boundaries and anchors of the single-field rules", () => {
  it("allows 255 characters in a project path, token name, key and environment scope, and refuses 256", () => {
    const path255 = `g/${"p".repeat(253)}`;
    expectValid(config({ project: path255, name: "n".repeat(255), consumers: [validConsumer({ key: "K".repeat(255), environmentScope: "e".repeat(255) })] }));
    expectIssue(config({ project: `${path255}p` }), "pushTokens[0].project", /is not a GitLab project path or ID/);
    expectIssue(config({ name: "n".repeat(256) }), "pushTokens[0].name", /is not allowed/);
    expectIssue(withConsumer({ key: "K".repeat(256) }), "pushTokens[0].consumers[0].key", /is not allowed/);
    expectIssue(withConsumer({ environmentScope: "e".repeat(256) }), "pushTokens[0].consumers[0].environmentScope", /is not valid/);
    expectIssue(withConsumer({ key: "" }), "pushTokens[0].consumers[0].key", /is not allowed/);
  });

  it("refuses .git and .atom only at the end of a path, and digits followed by letters as an ID", () => {
    expectValid(config({ project: "xlink/pages.github.io", consumers: [validConsumer({ project: "xlink/feed.atomic" })] }));
    expectIssue(config({ project: "xlink/app.git" }), "pushTokens[0].project", /not a GitLab project path or ID/);
    expectIssue(config({ project: "12ab" }), "pushTokens[0].project", /not a GitLab project path or ID/);
  });

  it("wants the API endpoint to end in /api/v4", () => {
    expectIssue({ pushTokens: [validToken()], gitlab: { baseUrl: "https://gitlab.example.com/api/v4/projects" } }, "gitlab.baseUrl", /is not the instance's API endpoint/);
  });

  it("tells a quoted tokenId to lose its quotes only when it is a number", () => {
    const fix = (tokenId: unknown) => expectIssue(config({ retiring: { tokenId, expiresAt: "2026-12-20", revokeAfter: "2026-11-27T12:00:00Z" } }), "pushTokens[0].retiring.tokenId", /positive whole number/).fix;
    assert.equal(fix("12"), "write it without quotes: tokenId: 12");
    for (const value of ["12ab", "x12", "012"]) assert.match(fix(value), /^write the hand-made token's numeric ID/, value);
  });

  it("refuses every role below developer as unable to push", () => {
    for (const role of ["no one", "minimal", "guest", "planner", "reporter", "security_manager"]) {
      expectIssue(config({ accessLevel: role }), "pushTokens[0].accessLevel", new RegExp(`^"${role}" cannot push$`));
    }
  });

  it("names the broken rule for a fractional lifetime", () => {
    expectIssue({ pushTokens: [validToken()], gitlab: { maxTokenLifetimeDays: 1.5 } }, "gitlab.maxTokenLifetimeDays", /^must be a whole number of days$/);
  });

  it("refuses a token pasted into a name, a project path or an environment scope, without showing it", () => {
    const token = "glpat-abcdefghijklmnopqrst";
    for (const [raw, path] of [
      [config({ name: token }), "pushTokens[0].name"],
      [config({ project: `xlink/${token}` }), "pushTokens[0].project"],
      [withConsumer({ environmentScope: token }), "pushTokens[0].consumers[0].environmentScope"],
    ] as const) {
      const issue = expectIssue(raw, path, /^a value that looks like a GitLab token \(not shown\) is not allowed here/);
      assert.match(issue.fix, /^never put a token in the config: revoke that token now/);
    }
  });

  it("does not report duplicates among tokens or variables whose identity is itself invalid", () => {
    const { issues } = configError({ pushTokens: [validToken({ project: true }), validToken({ project: true, consumers: [validConsumer({ project: true }), validConsumer({ project: true })] })] });
    assert.deepEqual(issues.filter((issue) => /already/.test(issue.problem)), []);
  });
});

describe("more gaps found by mutation testing", () => {
  it("names the field's fix for a wrong type inside a list, and a fractional warning window", () => {
    assert.equal(expectIssue(config({ scopes: [5] }), "pushTokens[0].scopes[0]", /expected a string, got number 5/).fix, "use scopes: [write_repository]");
    expectIssue({ pushTokens: [validToken()], expiryWarningDays: 1.5 }, "expiryWarningDays", /^must be a whole number of days$/);
  });

  it("tells a hand-made token's unknown role or scope what GitLab knows", () => {
    const handMade = (fields: Fields) => config({ retiring: { tokenId: 1, expiresAt: "2026-12-20", revokeAfter: "2026-11-27T12:00:00Z", ...fields } });
    assert.match(expectIssue(handMade({ accessLevel: "boss" }), "pushTokens[0].retiring.accessLevel", /not a GitLab role/).fix, /^use developer or maintainer; a hand-made token being adopted \(with tokenId\) states its role as GitLab shows it: one of no one, .*owner$/);
    assert.match(expectIssue(handMade({ scopes: ["push"] }), "pushTokens[0].retiring.scopes[0]", /not a project access token scope/).fix, /^use write_repository; a hand-made token being adopted \(with tokenId\) states its scopes as GitLab shows them: any of api, .*self_rotate$/);
  });

  it("does not call tokens with invalid names, or variables with invalid keys, duplicates", () => {
    const { issues } = configError({
      pushTokens: [validToken({ name: 5 }), validToken({ name: 5, consumers: [validConsumer({ key: 5 }), validConsumer({ key: 5 })] })],
    });
    assert.deepEqual(issues.filter((issue) => /already/.test(issue.problem)), []);
  });

  it("lists a token's retiring problems after its consumers' problems", () => {
    const { issues } = configError(config({ consumers: [validConsumer({ key: "CI_X" })], retiring: { expiresAt: "bad", revokeAfter: "2026-11-27T12:00:00Z" } }));
    assert.deepEqual(issues.map((issue) => issue.path), ["pushTokens[0].consumers[0].key", "pushTokens[0].retiring.expiresAt"]);
  });
});

describe("rule: gitlab.version, the release the program may rely on", () => {
  it("defaults to 17.7, the lowest release with every feature the program uses", () => {
    assert.equal(validate(config()).gitlab.version, "17.7");
  });

  it("keeps major.minor of a quoted release, a patch level dropped", () => {
    assert.equal(validate(config({}, { gitlab: { version: "17.6" } })).gitlab.version, "17.6");
    assert.equal(validate(config({}, { gitlab: { version: "18.10.2" } })).gitlab.version, "18.10");
  });

  it("refuses an unquoted number, which YAML may have misread (17.10 is 17.1)", () => {
    const issue = expectIssue(config({}, { gitlab: { version: 17.1 } }), "gitlab.version", /^number 17\.1 is a number, and YAML reads an unquoted release such as 17\.10 as 17\.1$/);
    assert.equal(issue.fix, 'write the instance\'s release quoted, as major.minor, e.g. version: "17.7" (Help > About GitLab, or GET /api/v4/version)');
  });

  it("refuses what is not a release, and releases older than 17.0", () => {
    expectIssue(config({}, { gitlab: { version: "latest" } }), "gitlab.version", /^expected GitLab's release as major\.minor, got "latest"$/);
    const old = expectIssue(config({}, { gitlab: { version: "16.11" } }), "gitlab.version", /^GitLab 16\.11 is older than 17\.0, the oldest release this program is tested against$/);
    assert.match(old.fix, /^upgrade the instance to 17\.0 or later/);
  });

  it("refuses hidden: true below 17.4 at the consumer's path, and accepts it from 17.4", () => {
    const raw = config({ consumers: [validConsumer(), validConsumer({ project: "xlink/other", hidden: true })] }, { gitlab: { version: "17.3" } });
    const issue = expectIssue(raw, "pushTokens[0].consumers[1].hidden", /^GitLab 17\.3 \(gitlab\.version\) has no hidden variables; they came in 17\.4/);
    assert.equal(issue.fix, "remove hidden: true, or raise gitlab.version if the instance runs 17.4 or later");
    assert.equal(configError(raw).issues.length, 1);
    expectValid(config({ consumers: [validConsumer({ hidden: true })] }, { gitlab: { version: "17.4" } }));
  });

  it("refuses a lifetime beyond 365 days below 17.6, where 400 became possible", () => {
    const issue = expectIssue(config({}, { gitlab: { version: "17.5", maxTokenLifetimeDays: 400 } }), "gitlab.maxTokenLifetimeDays", /^400 days is longer than GitLab 17\.5 allows \(365; up to 400 from 17\.6\)$/);
    assert.match(issue.fix, /raise gitlab\.version if the instance runs 17\.6 or later/);
    expectValid(config({}, { gitlab: { version: "17.6", maxTokenLifetimeDays: 400 } }));
  });
});

describe("rule: previousProject states an earlier spelling of the same project", () => {
  it("accepts a path respelt as an ID, an ID as a path, or another letter case, on tokens and consumers", () => {
    for (const [project, previousProject] of [[1234, "xlink/xlink-k8s-gitops"], ["xlink/xlink-k8s-gitops", 1234], ["xlink/xlink-k8s-gitops", "XLink/Xlink-K8s-GitOps"]]) {
      const settings = expectValid(config({ project, previousProject, consumers: [validConsumer({ project, previousProject })] }));
      assert.equal(settings.pushTokens[0].previousProject, String(previousProject));
      assert.equal(settings.pushTokens[0].consumers[0].previousProject, String(previousProject));
    }
  });

  it("refuses two paths that differ beyond letter case: another project, or one GitLab renamed", () => {
    const issue = expectIssue(config({ previousProject: "xlink/old-gitops" }), "pushTokens[0].previousProject", /^paths "xlink\/old-gitops" and "xlink\/xlink-k8s-gitops" differ beyond letter case, so they name different projects$/);
    assert.match(issue.fix, /for a project GitLab renamed or moved, write its numeric ID as project and the old path as previousProject$/);
    expectIssue(withConsumer({ previousProject: "xlink/elsewhere" }), "pushTokens[0].consumers[0].previousProject", /differ beyond letter case/);
  });

  it("refuses two different IDs, and a spelling equal to project", () => {
    const ids = expectIssue(config({ project: 12, previousProject: 13 }), "pushTokens[0].previousProject", /^projects 13 and 12 are two different projects, not two spellings of one$/);
    assert.match(ids.fix, /^a token or variable moved to another project is a new one: remove previousProject/);
    const same = expectIssue(withConsumer({ previousProject: "xlink/xlink-app" }), "pushTokens[0].consumers[0].previousProject", /^previousProject is the same as project \("xlink\/xlink-app"\)$/);
    assert.equal(same.fix, "remove previousProject");
  });

  it("refuses what is not a project at all", () => {
    expectIssue(config({ previousProject: "no namespace" }), "pushTokens[0].previousProject", /is not a GitLab project path or ID/);
  });
});
