// Every validation rule, seen from the program: the error names the config path, and not a single
// resource (not even the provider) is registered.

import assert from "node:assert/strict";
import { inspect } from "node:util";
import { describe, it } from "node:test";
import { evaluate, seedToken, type ScenarioOptions } from "../support/scenarios";

interface Case {
  readonly rule: string;
  readonly pushTokens: unknown;
  readonly options?: ScenarioOptions;
  /** The path the message must name, as it appears in the message. */
  readonly path: string;
  readonly reason: RegExp;
}

const consumer = { project: "xlink/xlink-app", key: "GITLAB_PUSHER_TOKEN" };
const withConsumer = (fields: Record<string, unknown>) => seedToken({ consumers: [{ ...consumer, ...fields }] });
const second = seedToken({ name: "OTHER_PUSHER", project: "xlink/other", consumers: [{ project: "xlink/xlink-ops", key: "OPS_TOKEN" }] });

const cases: Case[] = [
  { rule: "expiresAt is a YYYY-MM-DD date", pushTokens: [seedToken({ expiresAt: "15/02/2027" })], path: "pushTokens[0].expiresAt", reason: /not a date in YYYY-MM-DD form/ },
  { rule: "expiresAt is a real date", pushTokens: [seedToken({ expiresAt: "2027-02-30" })], path: "pushTokens[0].expiresAt", reason: /not a date/ },
  { rule: "expiresAt is a string, not a YAML number", pushTokens: [seedToken({ expiresAt: 20270215 })], path: "pushTokens[0].expiresAt", reason: /expected a string, got number 20270215/ },
  { rule: "expiresAt is within the maximum lifetime", pushTokens: [seedToken({ expiresAt: "2027-11-26" })], path: "pushTokens[0].expiresAt", reason: /more than 365 days away/ },
  { rule: "the maximum lifetime is configurable up to 400 days", pushTokens: [seedToken()], options: { extra: { gitlab: { maxTokenLifetimeDays: 401 } } }, path: "gitlab.maxTokenLifetimeDays", reason: /400 days/ },
  { rule: "retiring.expiresAt is a date", pushTokens: [seedToken({ retiring: { expiresAt: "soon", revokeAfter: "2026-11-27T12:00:00Z" } })], path: "pushTokens[0].retiring.expiresAt", reason: /not a date/ },
  { rule: "retiring.expiresAt is before expiresAt", pushTokens: [seedToken({ retiring: { expiresAt: "2027-02-15", revokeAfter: "2026-11-27T12:00:00Z" } })], path: "pushTokens[0].retiring.expiresAt", reason: /not before the current one/ },
  { rule: "revokeAfter is an ISO date-time", pushTokens: [seedToken({ retiring: { expiresAt: "2026-12-20", revokeAfter: "2026-11-27" } })], path: "pushTokens[0].retiring.revokeAfter", reason: /not an ISO date-time/ },
  { rule: "scopes are repository scopes only", pushTokens: [seedToken({ scopes: ["write_repository", "api"] })], path: "pushTokens[0].scopes[1]", reason: /least privilege/ },
  { rule: "scopes are not empty", pushTokens: [seedToken({ scopes: [] })], path: "pushTokens[0].scopes", reason: /empty/ },
  { rule: "accessLevel below developer cannot push", pushTokens: [seedToken({ accessLevel: "reporter" })], path: "pushTokens[0].accessLevel", reason: /cannot push/ },
  { rule: "accessLevel owner is too broad", pushTokens: [seedToken({ accessLevel: "owner" })], path: "pushTokens[0].accessLevel", reason: /broader/ },
  { rule: "masked: false is refused", pushTokens: [withConsumer({ masked: false })], path: "pushTokens[0].consumers[0].masked", reason: /unmasked/ },
  { rule: "hidden requires masked", pushTokens: [withConsumer({ hidden: true, masked: false })], path: "pushTokens[0].consumers[0].hidden", reason: /hidden requires masked/ },
  { rule: "keys match ^[A-Za-z0-9_]+$", pushTokens: [withConsumer({ key: "GITLAB-PUSHER" })], path: "pushTokens[0].consumers[0].key", reason: /not allowed/ },
  { rule: "keys are at most 255 characters", pushTokens: [withConsumer({ key: "K".repeat(256) })], path: "pushTokens[0].consumers[0].key", reason: /not allowed/ },
  { rule: "keys do not start with CI_", pushTokens: [withConsumer({ key: "CI_PUSH_TOKEN" })], path: "pushTokens[0].consumers[0].key", reason: /reserves/ },
  { rule: "no two tokens with the same project and name", pushTokens: [seedToken(), seedToken({ consumers: [{ project: "xlink/other", key: "OTHER" }] })], path: "pushTokens[1].name", reason: /already declares token/ },
  { rule: "no two variables with the same project, key and scope", pushTokens: [seedToken(), { ...second, consumers: [consumer] }], path: "pushTokens[1].consumers[0].key", reason: /already writes variable "GITLAB_PUSHER_TOKEN"/ },
  { rule: "at least one consumer", pushTokens: [seedToken({ consumers: [] })], path: "pushTokens[0].consumers", reason: /at least one consumer/ },
  { rule: "unknown keys are refused", pushTokens: [seedToken({ expires_at: "2027-02-15" })], path: "pushTokens[0].expires_at", reason: /unknown key/ },
  { rule: "unknown consumer keys are refused", pushTokens: [withConsumer({ enviromentScope: "production" })], path: "pushTokens[0].consumers[0].enviromentScope", reason: /unknown key/ },
  { rule: "unknown top-level keys are refused", pushTokens: [seedToken()], options: { extra: { pushToken: [] } }, path: "pushToken", reason: /unknown config key "gitlab-push-tokens:pushToken"/ },
  { rule: "wrong types are refused", pushTokens: [withConsumer({ protected: "yes" })], path: "pushTokens[0].consumers[0].protected", reason: /expected true or false, got "yes"/ },
  { rule: "pushTokens is a list", pushTokens: { name: "GITLAB_CI_PUSHER" }, path: "pushTokens", reason: /expected a list of tokens/ },
  { rule: "the default provider's config is refused, not silently ignored", pushTokens: [seedToken()], options: { extra: { "gitlab:baseUrl": "https://gitlab.example.com/api/v4/" } }, path: "gitlab:baseUrl", reason: /configures the default GitLab provider/ },
  { rule: "projects are full paths or numeric IDs", pushTokens: [seedToken({ project: "xlink-k8s-gitops" })], path: "pushTokens[0].project", reason: /not a GitLab project path or ID/ },
  { rule: "consumer projects are full paths or numeric IDs", pushTokens: [withConsumer({ project: 0 })], path: "pushTokens[0].consumers[0].project", reason: /not a GitLab project path or ID/ },
  { rule: "token names keep to characters that read well in resource names", pushTokens: [seedToken({ name: "ci:pusher" })], path: "pushTokens[0].name", reason: /token name "ci:pusher" is not allowed/ },
  { rule: "scopes are listed once", pushTokens: [seedToken({ scopes: ["write_repository", "write_repository"] })], path: "pushTokens[0].scopes[1]", reason: /listed twice/ },
  { rule: "environment scopes have no spaces", pushTokens: [withConsumer({ environmentScope: "prod env" })], path: "pushTokens[0].consumers[0].environmentScope", reason: /not valid/ },
  { rule: "expiryWarningDays is a whole number of days", pushTokens: [seedToken()], options: { extra: { expiryWarningDays: 0 } }, path: "expiryWarningDays", reason: /at least 1 day/ },
  { rule: "pushTokens is declared", pushTokens: undefined, path: "pushTokens", reason: /no tokens are declared/ },
  { rule: "baseUrl is https", pushTokens: [seedToken()], options: { extra: { gitlab: { baseUrl: "http://gitlab.example.com/api/v4" } } }, path: "gitlab.baseUrl", reason: /not https/ },
];

describe("bad config is refused before any resource is registered", () => {
  for (const testCase of cases) {
    it(testCase.rule, async () => {
      const evaluation = await evaluate(testCase.pushTokens, testCase.options);
      assert.deepEqual(evaluation.registrations, [], "nothing may be registered");
      const message = evaluation.error ?? "";
      const line = message.split("\n").find((text) => text.startsWith(`  - ${testCase.path}: `));
      assert.ok(line, `the message names ${testCase.path}:\n${message}`);
      assert.match(line, testCase.reason);
      assert.match(line, /\. Fix: .+\.$/, "each problem comes with a fix");
    });
  }

  it("reports every problem at once, in the order of the file", async () => {
    const evaluation = await evaluate([
      seedToken({ scopes: ["api"], expiresAt: "2026-01-01", retiring: { expiresAt: "2026-02-01", revokeAfter: "2026-01-01T00:00:00Z" } }),
      { ...second, accessLevel: "guest", consumers: [{ project: "xlink/xlink-ops", key: "CI_TOKEN", masked: false }] },
    ]);
    assert.deepEqual(evaluation.registrations, []);
    const paths = (evaluation.error ?? "").split("\n").slice(1).map((line) => line.slice(4, line.indexOf(": ")));
    assert.deepEqual(paths, [
      "pushTokens[0].scopes[0]",
      "pushTokens[0].retiring.expiresAt",
      "pushTokens[1].accessLevel",
      "pushTokens[1].consumers[0].key",
      "pushTokens[1].consumers[0].masked",
    ]);
    assert.match(evaluation.error ?? "", /^Invalid gitlab-push-tokens config in Pulumi\.dev\.yaml \(5 problems\); no GitLab resource was registered:/);
  });

  it("throws a RunError that cmd/run can inspect: its stack holds no node_modules path", async () => {
    // Node 20's util.inspect never returns on a stack line such as "node_modules/@pulumi/resource.ts:1:2".
    const evaluation = await evaluate([seedToken({ scopes: ["api"] })]);
    const thrown = evaluation.thrown;
    assert.ok(thrown);
    assert.equal(thrown.stack, "RunError: Invalid gitlab-push-tokens config in Pulumi.dev.yaml (1 problem); no GitLab resource was registered:");
    assert.match(thrown.message, /pushTokens\[0\]\.scopes\[0\]/);
    assert.match(inspect(thrown, { colors: true }), /RunError: Invalid gitlab-push-tokens config/);
  });
});

describe("an expiresAt that has passed is not bad config: the token is due, and the program says how to rotate it", () => {
  it("registers exactly what it registers on a day the token is live, and warns with the command to run", async () => {
    const stack = [seedToken({ retiring: { expiresAt: "2026-12-20", revokeAfter: "2026-11-27T12:00:00Z" } })];
    const live = await evaluate(stack, { today: "2026-11-25", stack: "acme" });
    const expired = await evaluate(stack, { today: "2029-12-01", stack: "acme" });
    assert.equal(expired.error, undefined);
    assert.deepEqual(expired.registrations, live.registrations);
    assert.deepEqual(expired.warnings, [
      "token GITLAB_CI_PUSHER in xlink/xlink-k8s-gitops expired on 2027-02-15, 1020 days ago: its variables hold a dead token and their pipelines cannot push. Rotate it now: npm run rotate -- --stack acme, then merge the change, and pulumi up creates the new token and updates the variables (until then pulumi up changes nothing and the token stays expired). If this token is new, not yet in GitLab, give it a future expiresAt instead: it would be created already expired",
      "the retiring generation of token GITLAB_CI_PUSHER in xlink/xlink-k8s-gitops (expires 2026-12-20) has expired: npm run rotate -- --stack acme drops it with the rotation of the token, which has expired too",
    ]);
  });
});
