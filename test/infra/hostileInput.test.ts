// A catalogue of hostile and surprising stack configs, fed through the real program (JSON-encoded, as
// the Pulumi CLI passes config): wrong types everywhere, YAML-ish surprises, empty objects, huge
// arrays, very long strings, look-alike and invisible characters in keys, prototype-pollution keys and
// token-shaped values. Each is refused with one ConfigError listing exactly the expected problems,
// before anything (not even the provider) is registered, without a stack trace or an echoed token.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { LISTED_PROBLEMS } from "../../config/issues";
import { evaluate, seedToken, type ScenarioOptions } from "../support/scenarios";
import type { Evaluation } from "../../lib/evaluation/evaluate";

type Fields = Record<string, unknown>;

interface HostileCase {
  readonly title: string;
  readonly pushTokens: unknown;
  readonly options?: ScenarioOptions;
  /** Every problem the message lists, in order: the exact `path: problem` text, or a pattern for it. */
  readonly problems: readonly (string | RegExp)[];
}

const TOKEN_SHAPED = "glpat-Zq8xY7wV6uT5sR4qP3oN";
const RETIRING = { expiresAt: "2026-12-20", revokeAfter: "2026-11-27T12:00:00Z" };
const withConsumer = (fields: Fields) => seedToken({ consumers: [{ project: "xlink/xlink-app", key: "GITLAB_PUSHER_TOKEN", ...fields }] });
const withRetiring = (fields: Fields) => seedToken({ retiring: { ...RETIRING, ...fields } });
/** Parses JSON text: the only way to get an own `__proto__` key, which is what a YAML or JSON parser yields. */
const parsed = (json: string): Fields => JSON.parse(json) as Fields;
/** `base` without `key` and with the extra keys of `added` (own keys, `__proto__` included). */
function replacingKey(base: Fields, key: string, added: Fields): Fields {
  const copy: Fields = { ...base };
  delete copy[key];
  for (const [name, value] of Object.entries(added)) Object.defineProperty(copy, name, { value, enumerable: true, writable: true, configurable: true });
  return copy;
}

/** Asserts the common contract of a refusal and returns the listed problem lines. */
function refusal(evaluation: Evaluation): string[] {
  assert.deepEqual(evaluation.registrations, [], "nothing may be registered, not even the provider");
  const message = evaluation.error;
  assert.ok(message, "the program must fail with a config error");
  const [headline, ...lines] = message.split("\n");
  const count = lines.length === 1 ? "1 problem" : `${lines.length} problems`;
  assert.equal(headline, `Invalid gitlab-push-tokens config in Pulumi.dev.yaml (${count}); no GitLab resource was registered:`);
  // cmd/run prints a RunError's message and never a stack; the stack is the headline alone.
  assert.equal(evaluation.thrown?.stack, `RunError: ${headline}`);
  for (const line of lines) assert.match(line, /^ {2}- \S.*: .+\. Fix: .+\.$/, "one line per problem, each with its fix");
  assert.doesNotMatch(message, /gl(?:pat|dt|rt)-[A-Za-z0-9_.-]{8}/, "no token-shaped value is echoed");
  return lines;
}

function assertProblems(lines: readonly string[], problems: readonly (string | RegExp)[]): void {
  const shown = lines.map((line) => line.slice(4, line.lastIndexOf(". Fix: ")));
  assert.equal(shown.length, problems.length, `expected ${problems.length} problems, got:\n${shown.join("\n")}`);
  problems.forEach((problem, index) => {
    if (typeof problem === "string") assert.equal(shown[index], problem);
    else assert.match(shown[index], problem);
  });
}

async function assertRefused(testCase: HostileCase): Promise<string[]> {
  const lines = refusal(await evaluate(testCase.pushTokens, testCase.options));
  assertProblems(lines, testCase.problems);
  return lines;
}

function catalogue(title: string, cases: readonly HostileCase[]): void {
  describe(title, () => {
    for (const testCase of cases) {
      it(testCase.title, async () => {
        await assertRefused(testCase);
      });
    }
  });
}

// --- wrong types -----------------------------------------------------------------------------

catalogue("wrong types, anywhere", [
  { title: "pushTokens as a plain string", pushTokens: "GITLAB_CI_PUSHER", problems: ['pushTokens: expected a list of tokens, got "GITLAB_CI_PUSHER"'] },
  { title: "pushTokens as a number", pushTokens: 42, problems: ["pushTokens: expected a list of tokens, got number 42"] },
  { title: "pushTokens as a map", pushTokens: { GITLAB_CI_PUSHER: seedToken() }, problems: ["pushTokens: expected a list of tokens, got an object"] },
  { title: "pushTokens as null (pushTokens: ~)", pushTokens: null, problems: ["pushTokens: expected a list of tokens, got null"] },
  { title: "pushTokens as a boolean", pushTokens: true, problems: ["pushTokens: expected a list of tokens, got boolean true"] },
  { title: "a token as a number", pushTokens: [5], problems: ["pushTokens[0]: expected a map, got number 5"] },
  { title: "a token as a list", pushTokens: [[seedToken()]], problems: ["pushTokens[0]: expected a map, got a list of 1"] },
  { title: "consumers as a map", pushTokens: [seedToken({ consumers: { "xlink/xlink-app": "GITLAB_PUSHER_TOKEN" } })], problems: ["pushTokens[0].consumers: expected a list, got an object"] },
  { title: "scopes as a string", pushTokens: [seedToken({ scopes: "write_repository" })], problems: ['pushTokens[0].scopes: expected a list, got "write_repository"'] },
  { title: 'protected: "yes"', pushTokens: [withConsumer({ protected: "yes" })], problems: ['pushTokens[0].consumers[0].protected: expected true or false, got "yes"'] },
  {
    title: "every token field of the wrong type at once, in the order of the reference",
    pushTokens: [{ name: 5, project: true, accessLevel: 3, scopes: {}, expiresAt: [], consumers: "x", retiring: 7 }],
    problems: [
      "pushTokens[0].name: expected a string, got number 5",
      "pushTokens[0].project: expected a project path or numeric ID, got boolean true",
      "pushTokens[0].accessLevel: expected a string, got number 3",
      "pushTokens[0].scopes: expected a list, got an object",
      "pushTokens[0].expiresAt: expected a string, got a list of 0",
      'pushTokens[0].consumers: expected a list, got "x"',
      "pushTokens[0].retiring: expected a map, got number 7",
    ],
  },
  {
    title: "every consumer field of the wrong type at once",
    pushTokens: [seedToken({ consumers: [{ project: ["a/b"], key: { k: 1 }, protected: 1, masked: "false", hidden: null, environmentScope: [], adopt: "yes" }] })],
    problems: [
      "pushTokens[0].consumers[0].project: expected a project path or numeric ID, got a list of 1",
      "pushTokens[0].consumers[0].key: expected a string, got an object",
      "pushTokens[0].consumers[0].protected: expected true or false, got number 1",
      'pushTokens[0].consumers[0].masked: expected true or false, got "false"',
      "pushTokens[0].consumers[0].hidden: expected true or false, got null",
      "pushTokens[0].consumers[0].environmentScope: expected a string, got a list of 0",
      'pushTokens[0].consumers[0].adopt: expected true or false, got "yes"',
    ],
  },
  { title: "gitlab as a list", pushTokens: [seedToken()], options: { extra: { gitlab: ["https://gitlab.example.com/api/v4"] } }, problems: ["gitlab: expected a map, got a list of 1"] },
  { title: "expiryWarningDays as a map", pushTokens: [seedToken()], options: { extra: { expiryWarningDays: { days: 30 } } }, problems: ["expiryWarningDays: expected a number, got an object"] },
  { title: "tokenId as a list", pushTokens: [withRetiring({ tokenId: [8812] })], problems: ["pushTokens[0].retiring.tokenId: expected the token's ID, a positive whole number, got a list of 1"] },
]);

// --- YAML-ish surprises ----------------------------------------------------------------------

catalogue("YAML-ish surprises: quoted booleans and numbers, unquoted dates, null and ~", [
  { title: 'protected: "no"', pushTokens: [withConsumer({ protected: "no" })], problems: ['pushTokens[0].consumers[0].protected: expected true or false, got "no"'] },
  { title: 'hidden: "off"', pushTokens: [withConsumer({ hidden: "off" })], problems: ['pushTokens[0].consumers[0].hidden: expected true or false, got "off"'] },
  { title: 'adopt: "yes"', pushTokens: [withConsumer({ adopt: "yes" })], problems: ['pushTokens[0].consumers[0].adopt: expected true or false, got "yes"'] },
  { title: 'masked: "true" (a string, even a harmless one)', pushTokens: [withConsumer({ masked: "true" })], problems: ['pushTokens[0].consumers[0].masked: expected true or false, got "true"'] },
  { title: 'maxTokenLifetimeDays: "365"', pushTokens: [seedToken()], options: { extra: { gitlab: { maxTokenLifetimeDays: "365" } } }, problems: ['gitlab.maxTokenLifetimeDays: expected a number, got "365"'] },
  { title: 'tokenId: "8812" (quoted)', pushTokens: [withRetiring({ tokenId: "8812" })], problems: ["pushTokens[0].retiring.tokenId: expected the token's ID, a positive whole number, got \"8812\""] },
  { title: "expiresAt as the number 20270215", pushTokens: [seedToken({ expiresAt: 20270215 })], problems: ["pushTokens[0].expiresAt: expected a string, got number 20270215"] },
  { title: "expiresAt with a time, 2027-02-15T00:00:00Z", pushTokens: [seedToken({ expiresAt: "2027-02-15T00:00:00Z" })], problems: ['pushTokens[0].expiresAt: "2027-02-15T00:00:00Z" is not a date in YYYY-MM-DD form'] },
  { title: "expiresAt as YAML prints a timestamp, 2027-02-15 00:00:00", pushTokens: [seedToken({ expiresAt: "2027-02-15 00:00:00" })], problems: ['pushTokens[0].expiresAt: "2027-02-15 00:00:00" is not a date in YYYY-MM-DD form'] },
  { title: "revokeAfter as a date without a time", pushTokens: [withRetiring({ revokeAfter: "2026-11-27" })], problems: ['pushTokens[0].retiring.revokeAfter: "2026-11-27" is not an ISO date-time with a time zone'] },
  { title: "name: null", pushTokens: [seedToken({ name: null })], problems: ["pushTokens[0].name: expected a string, got null"] },
  { title: "accessLevel: ~ does not mean the default", pushTokens: [seedToken({ accessLevel: null })], problems: ["pushTokens[0].accessLevel: expected a string, got null"] },
  { title: "retiring: ~", pushTokens: [seedToken({ retiring: null })], problems: ["pushTokens[0].retiring: expected a map, got null"] },
  { title: "expiryWarningDays: ~", pushTokens: [seedToken()], options: { extra: { expiryWarningDays: null } }, problems: ["expiryWarningDays: expected a number, got null"] },
]);

describe("YAML-ish surprises that are accepted, as the CLI hands them over", () => {
  it('a quoted number at the top level (expiryWarningDays: "30") arrives as the text 30, which the CLI also sends for 30', async () => {
    const evaluation = await evaluate([seedToken({ expiresAt: "2026-12-20" })], { extra: { expiryWarningDays: "30" } });
    assert.equal(evaluation.error, undefined);
    assert.deepEqual(evaluation.warnings, [
      "token GITLAB_CI_PUSHER in xlink/xlink-k8s-gitops expires on 2026-12-20, in 25 days: rotate it now so that pipelines never hold an expired token: npm run rotate -- --stack dev, then merge the change (by hand: move expiresAt under retiring with a revokeAfter, and set a new expiresAt)",
    ]);
  });

  it("gitlab: ~ (and gitlab: {}) mean the defaults", async () => {
    for (const gitlab of [null, {}]) {
      const evaluation = await evaluate([seedToken()], { extra: { gitlab } });
      assert.equal(evaluation.error, undefined);
      assert.deepEqual(evaluation.registrations.find((r) => r.name === "gitlab")?.inputs, { baseUrl: "https://gitlab.com/api/v4/" });
    }
  });
});

// --- empty objects ---------------------------------------------------------------------------

catalogue("empty objects", [
  {
    title: "an empty token {}",
    pushTokens: [{}],
    problems: [
      "pushTokens[0].name: name is required",
      "pushTokens[0].project: expected a project path or numeric ID, got nothing",
      "pushTokens[0].expiresAt: expiresAt is required",
      "pushTokens[0].consumers: consumers is required",
    ],
  },
  {
    title: "an empty consumer {}",
    pushTokens: [seedToken({ consumers: [{}] })],
    problems: ["pushTokens[0].consumers[0].project: expected a project path or numeric ID, got nothing", "pushTokens[0].consumers[0].key: key is required"],
  },
  {
    title: "an empty retiring block {}",
    pushTokens: [seedToken({ retiring: {} })],
    problems: ["pushTokens[0].retiring.expiresAt: expiresAt is required", "pushTokens[0].retiring.revokeAfter: revokeAfter is required"],
  },
]);

// --- look-alike and invisible characters -------------------------------------------------------

const CYRILLIC_I = "exp\u0456resAt"; // "і", U+0456
const FULL_WIDTH = "\uff45\uff58\uff50\uff49\uff52\uff45\uff53\uff21\uff54"; // ｅｘｐｉｒｅｓＡｔ
const ZERO_WIDTH = "expires\u200bAt";
const TOKEN_KEYS = "name, project, accessLevel, scopes, expiresAt, consumers, retiring, previousProject";

describe("look-alike and invisible characters in keys are unknown keys", () => {
  const lookAlike = (key: string) => [replacingKey(seedToken(), "expiresAt", { [key]: "2027-02-15" })];

  it("a Cyrillic і in expіresAt: refused, and suggestKey finds expiresAt", async () => {
    const lines = await assertRefused({ title: "", pushTokens: lookAlike(CYRILLIC_I), problems: ["pushTokens[0].expiresAt: expiresAt is required", `pushTokens[0].${CYRILLIC_I}: unknown key "${CYRILLIC_I}"`] });
    assert.match(lines[1], /\. Fix: rename it to expiresAt\.$/);
  });

  it("full-width letters: refused, no suggestion (every letter differs), the known keys listed", async () => {
    const lines = await assertRefused({ title: "", pushTokens: lookAlike(FULL_WIDTH), problems: ["pushTokens[0].expiresAt: expiresAt is required", `pushTokens[0].${FULL_WIDTH}: unknown key "${FULL_WIDTH}"`] });
    assert.match(lines[1], new RegExp(`\\. Fix: remove it; the keys here are ${TOKEN_KEYS}\\.$`));
  });

  it("a zero-width space in expiresAt: refused, and suggestKey finds expiresAt", async () => {
    const lines = await assertRefused({ title: "", pushTokens: lookAlike(ZERO_WIDTH), problems: ["pushTokens[0].expiresAt: expiresAt is required", `pushTokens[0].${ZERO_WIDTH}: unknown key "${ZERO_WIDTH}"`] });
    assert.match(lines[1], /\. Fix: rename it to expiresAt\.$/);
  });

  it("a Cyrillic е in a consumer's key: refused, suggesting key", async () => {
    const consumer = { project: "xlink/xlink-app", "k\u0435y": "GITLAB_PUSHER_TOKEN" };
    const lines = await assertRefused({ title: "", pushTokens: [seedToken({ consumers: [consumer] })], problems: ["pushTokens[0].consumers[0].key: key is required", 'pushTokens[0].consumers[0].k\u0435y: unknown key "k\u0435y"'] });
    assert.match(lines[1], /\. Fix: rename it to key\.$/);
  });

  it("look-alikes in values are refused too: roles, scopes and names must match exactly", async () => {
    await assertRefused({
      title: "",
      pushTokens: [seedToken({ name: "PUSH\u0415R", accessLevel: "d\u0435veloper", scopes: ["write_r\u0435pository"] })],
      problems: [
        'pushTokens[0].name: token name "PUSH\u0415R" is not allowed',
        'pushTokens[0].accessLevel: "d\u0435veloper" is not a GitLab role',
        /^pushTokens\[0\]\.scopes\[0\]: scope "write_r\u0435pository" is refused: a push token needs only write_repository/,
      ],
    });
  });
});

// --- prototype pollution -----------------------------------------------------------------------

const POLLUTING_KEYS = ["__proto__", "constructor", "prototype"] as const;
const POLLUTER = parsed('{"__proto__": {"polluted": "yes"}, "constructor": {"prototype": {"polluted": "yes"}}, "prototype": {"polluted": "yes"}}');
const polluting = (base: Fields = {}) => replacingKey(base, "", POLLUTER);

function assertUnpolluted(): void {
  assert.equal(({} as Fields).polluted, undefined);
  assert.equal(Object.hasOwn(Object.prototype, "polluted"), false);
  assert.equal((Object as unknown as Fields).polluted, undefined);
}

describe("prototype-pollution keys are refused as unknown keys, and pollute nothing", () => {
  const unknown = (path: string) => POLLUTING_KEYS.map((key) => `${path}${key}: unknown key "${key}"`);
  const cases: HostileCase[] = [
    { title: "in a token", pushTokens: [polluting(seedToken())], problems: unknown("pushTokens[0].") },
    { title: "in a consumer", pushTokens: [seedToken({ consumers: [polluting({ project: "xlink/xlink-app", key: "GITLAB_PUSHER_TOKEN" })] })], problems: unknown("pushTokens[0].consumers[0].") },
    { title: "in a retiring block", pushTokens: [seedToken({ retiring: polluting(RETIRING) })], problems: unknown("pushTokens[0].retiring.") },
    { title: "in gitlab", pushTokens: [seedToken()], options: { extra: { gitlab: polluting() } }, problems: unknown("gitlab.") },
    {
      title: "at the top level of the stack config",
      pushTokens: [seedToken()],
      options: { extra: POLLUTER },
      problems: POLLUTING_KEYS.map((key) => `${key}: unknown config key "gitlab-push-tokens:${key}"`),
    },
  ];
  for (const testCase of cases) {
    it(testCase.title, async () => {
      await assertRefused(testCase);
      assertUnpolluted();
    });
  }

  it("a key named after an Object.prototype member under the gitlab: namespace is reported, not a crash", async () => {
    // DEFAULT_PROVIDER_FIXES[key] in validate.ts reads Object.prototype members for these keys.
    for (const key of ["constructor", "toString", "__proto__", "hasOwnProperty"]) {
      const options = { extra: replacingKey({}, "", { [`gitlab:${key}`]: "x" }) };
      await assertRefused({
        title: key,
        pushTokens: [seedToken()],
        options,
        problems: [`gitlab:${key}: "gitlab:${key}" configures the default GitLab provider, which this program does not use`],
      });
    }
    assertUnpolluted();
  });
});

// --- token-shaped values -----------------------------------------------------------------------

const NOT_SHOWN = "a value that looks like a GitLab token (not shown)";

catalogue("token-shaped values are refused and never echoed", [
  { title: "as a variable key", pushTokens: [withConsumer({ key: TOKEN_SHAPED })], problems: [`pushTokens[0].consumers[0].key: variable key ${NOT_SHOWN} is not allowed`] },
  { title: "as a project (no namespace)", pushTokens: [seedToken({ project: TOKEN_SHAPED })], problems: [`pushTokens[0].project: ${NOT_SHOWN} is not a GitLab project path or ID`] },
  { title: "as a consumer project", pushTokens: [withConsumer({ project: TOKEN_SHAPED })], problems: [`pushTokens[0].consumers[0].project: ${NOT_SHOWN} is not a GitLab project path or ID`] },
  { title: "as a tokenId", pushTokens: [withRetiring({ tokenId: TOKEN_SHAPED })], problems: [`pushTokens[0].retiring.tokenId: expected the token's ID, a positive whole number, got ${NOT_SHOWN}`] },
  { title: "as an unknown key of a token", pushTokens: [seedToken({ [TOKEN_SHAPED]: "x" })], problems: ["pushTokens[0]: a key that looks like a GitLab token (not shown) is not a config key"] },
  { title: "as a top-level config key", pushTokens: [seedToken()], options: { extra: { [TOKEN_SHAPED]: "x" } }, problems: ["(config): a key that looks like a GitLab token (not shown) is not a config key"] },
  { title: "as a token name", pushTokens: [seedToken({ name: TOKEN_SHAPED })], problems: [/^pushTokens\[0\]\.name: .*looks like a GitLab token/] },
  { title: "as a hand-made token's name", pushTokens: [withRetiring({ tokenId: 8812, name: TOKEN_SHAPED })], problems: [/^pushTokens\[0\]\.retiring\.name: .*looks like a GitLab token/] },
  { title: "as a segment of a project path", pushTokens: [seedToken({ project: `xlink/${TOKEN_SHAPED}` })], problems: [/^pushTokens\[0\]\.project: .*looks like a GitLab token/] },
  { title: "as an environment scope", pushTokens: [withConsumer({ environmentScope: TOKEN_SHAPED })], problems: [/^pushTokens\[0\]\.consumers\[0\]\.environmentScope: .*looks like a GitLab token/] },
]);

// --- size ----------------------------------------------------------------------------------------

const MEGABYTE = 1024 * 1024;

describe("huge inputs finish quickly, and the message stays bounded per problem", () => {
  it("20,000 consumers of garbage", async () => {
    const started = performance.now();
    const evaluation = await evaluate([seedToken({ consumers: Array.from({ length: 20_000 }, (_, index) => index) })]);
    const elapsed = performance.now() - started;
    assert.ok(elapsed < 5_000, `took ${Math.round(elapsed)} ms`);
    // The message counts every problem but lists only the first LISTED_PROBLEMS of them.
    const [headline, ...lines] = (evaluation.error ?? "").split("\n");
    assert.equal(headline, "Invalid gitlab-push-tokens config in Pulumi.dev.yaml (20000 problems); no GitLab resource was registered:");
    assert.deepEqual(evaluation.registrations, []);
    assert.equal(lines.length, LISTED_PROBLEMS + 1);
    assert.equal(lines[LISTED_PROBLEMS - 1].slice(0, lines[LISTED_PROBLEMS - 1].indexOf(". Fix: ")), `  - pushTokens[0].consumers[${LISTED_PROBLEMS - 1}]: expected a map, got number ${LISTED_PROBLEMS - 1}`);
    assert.equal(lines[LISTED_PROBLEMS], `  … and ${20_000 - LISTED_PROBLEMS} more problems, not listed: fix these first, then run again.`);
    assert.ok(lines.every((line) => line.length < 250), "each problem stays short");
  });

  const longCases: readonly { readonly title: string; readonly pushTokens: unknown; readonly problem: string }[] = [
    { title: "a 1 MB token name", pushTokens: [seedToken({ name: "n".repeat(MEGABYTE) })], problem: `pushTokens[0].name: token name "${"n".repeat(60)}…" is not allowed` },
    { title: "a 1 MB project path", pushTokens: [seedToken({ project: `a/${"p".repeat(MEGABYTE)}` })], problem: `pushTokens[0].project: "a/${"p".repeat(58)}…" is not a GitLab project path or ID` },
    { title: "a 1 MB path of 500,000 segments", pushTokens: [seedToken({ project: `${"a/".repeat(MEGABYTE / 2)}!` })], problem: `pushTokens[0].project: "${"a/".repeat(30)}…" is not a GitLab project path or ID` },
    { title: "a 1 MB environment scope", pushTokens: [withConsumer({ environmentScope: "e".repeat(MEGABYTE) })], problem: `pushTokens[0].consumers[0].environmentScope: environment scope "${"e".repeat(60)}…" is not valid` },
    { title: "a 1 MB revokeAfter", pushTokens: [withRetiring({ revokeAfter: "2".repeat(MEGABYTE) })], problem: `pushTokens[0].retiring.revokeAfter: "${"2".repeat(60)}…" is not an ISO date-time with a time zone` },
  ];
  for (const { title, pushTokens, problem } of longCases) {
    it(`${title}: refused in under a second, shown cut at 60 characters`, async () => {
      const started = performance.now();
      const evaluation = await evaluate(pushTokens);
      assert.ok(performance.now() - started < 1_000, `took ${Math.round(performance.now() - started)} ms`);
      assertProblems(refusal(evaluation), [problem]);
      assert.ok((evaluation.error ?? "").length < 1_000);
    });
  }

  it("a 1 MB unknown key: refused in under two seconds, the message not echoing it whole", async () => {
    const started = performance.now();
    const evaluation = await evaluate([seedToken({ ["k".repeat(MEGABYTE)]: "x" })]);
    const elapsed = performance.now() - started;
    const lines = refusal(evaluation);
    assert.equal(lines.length, 1);
    assert.ok((evaluation.error ?? "").length < 2_000, `the message is ${(evaluation.error ?? "").length} characters long`);
    assert.ok(elapsed < 2_000, `took ${Math.round(elapsed)} ms`);
  });
});

// --- injection into the message ----------------------------------------------------------------

describe("user-written keys cannot forge lines of the message", () => {
  it("an unknown key holding a line break stays on its problem's line", async () => {
    const forged = "x\n  - pushTokens[0].scopes[0]: forged problem. Fix: trust me.";
    const evaluation = await evaluate([seedToken({ [forged]: "x" })]);
    const lines = refusal(evaluation);
    assert.equal(lines.length, 1, `one problem, one line:\n${evaluation.error}`);
    assert.ok(!lines.some((line) => line.startsWith("  - pushTokens[0].scopes[0]")));
  });

  it("a top-level key holding a carriage return stays on its problem's line", async () => {
    const evaluation = await evaluate([seedToken()], { extra: { "pushToken\r\n  - gitlab.baseUrl forged problem": 1 } });
    assert.equal(refusal(evaluation).length, 1, `one problem, one line:\n${evaluation.error}`);
  });
});
