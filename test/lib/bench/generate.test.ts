// The benchmark's config generator: N valid tokens as a user writes them, deterministic for a size and day.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fixedClock } from "../../../config/clock";
import { stackNotices } from "../../../config/notices";
import { validateStackConfig } from "../../../config/validate";
import { BENCH_TODAY, benchStackConfig, expectedRegistrations } from "../../../lib/bench/generate";

describe("the config generator", () => {
  it("writes tokens as a user would, defaults mostly left out, dates relative to today", () => {
    assert.deepEqual(benchStackConfig(3), {
      gitlab: { baseUrl: "https://gitlab.example.com/api/v4/", maxTokenLifetimeDays: 365 },
      expiryWarningDays: 30,
      pushTokens: [
        {
          name: "GITLAB_CI_PUSHER",
          project: "team-00000/gitops",
          accessLevel: "developer",
          scopes: ["write_repository"],
          expiresAt: "2027-01-24",
          consumers: [
            { project: "apps/web-00000", key: "GITLAB_CI_PUSHER_TOKEN", hidden: true },
            { project: "apps/worker-00000", key: "GITLAB_CI_PUSHER_TOKEN" },
            { project: "apps/worker-00000", key: "GITLAB_CI_PUSHER_TOKEN", environmentScope: "staging", protected: true },
          ],
        },
        {
          name: "RELEASE_TAGGER",
          project: "team-00000/gitops",
          expiresAt: "2027-01-25",
          consumers: [
            { project: "apps/web-00001", key: "RELEASE_TAGGER_TOKEN" },
            { project: "apps/worker-00001", key: "RELEASE_TAGGER_TOKEN", environmentScope: "production" },
            { project: "apps/release-00001", key: "RELEASE_TAGGER_TOKEN" },
          ],
        },
        {
          name: "GITLAB_CI_PUSHER",
          project: "team-00001/gitops",
          expiresAt: "2027-01-26",
          consumers: [
            { project: "apps/web-00002", key: "GITLAB_CI_PUSHER_TOKEN" },
            { project: "apps/worker-00002", key: "GITLAB_CI_PUSHER_TOKEN" },
            { project: "apps/release-00002", key: "GITLAB_CI_PUSHER_TOKEN" },
          ],
          retiring: { expiresAt: "2026-12-02", revokeAfter: "2026-11-27T12:00:00Z" },
        },
      ],
    });
  });

  const thousand = benchStackConfig(1000);
  const consumers = thousand.pushTokens.flatMap((token) => token.consumers);

  it("gives every token 3 consumers, with distinct tokens and variables, and a realistic mix", () => {
    assert.equal(thousand.pushTokens.length, 1000);
    assert.ok(thousand.pushTokens.every((token) => token.consumers.length === 3));
    assert.equal(new Set(thousand.pushTokens.map((token) => `${token.project.toLowerCase()} ${token.name}`)).size, 1000);
    assert.equal(new Set(consumers.map((c) => `${c.project.toLowerCase()} ${c.key} ${c.environmentScope ?? "*"}`)).size, 3000);
    const scopes = consumers.reduce<Record<string, number>>((count, c) => ({ ...count, [c.environmentScope ?? "*"]: (count[c.environmentScope ?? "*"] ?? 0) + 1 }), {});
    assert.deepEqual(scopes, { "*": 2525, staging: 100, production: 250, "review/*": 125 });
    assert.equal(thousand.pushTokens.filter((token) => token.retiring).length, 200);
    assert.equal(thousand.pushTokens.filter((token) => token.accessLevel === "maintainer").length, 143);
    assert.equal(thousand.pushTokens.filter((token) => token.scopes !== undefined).length, 416);
    assert.ok(thousand.pushTokens.every((token) => token.scopes === undefined || (token.scopes.length === 1 && token.scopes[0] === "write_repository")));
    assert.equal(consumers.filter((c) => c.hidden).length, 334);
    assert.equal(new Set(thousand.pushTokens.map((token) => token.project)).size, 500);
  });

  it("is valid on the benchmark's day and warns about nothing", () => {
    const settings = validateStackConfig(
      { ...thousand, gitlabToken: "absent", presentKeys: ["gitlab", "expiryWarningDays", "pushTokens"], defaultProviderKeys: [] },
      { today: BENCH_TODAY },
    );
    assert.equal(settings.pushTokens.length, 1000);
    assert.deepEqual(stackNotices(settings, fixedClock(BENCH_TODAY).now()), []);
  });

  it("is deterministic, and counts what the program will register", () => {
    assert.deepEqual(benchStackConfig(1000), thousand);
    assert.equal(expectedRegistrations(benchStackConfig(10)), 1 + 10 + 12 + 30);
    assert.equal(expectedRegistrations(thousand), 1 + 1000 + 1200 + 3000);
  });

  it("refuses sizes that are not whole numbers of at least 1", () => {
    assert.throws(() => benchStackConfig(0), { message: "tokens must be a whole number >= 1, got 0" });
    assert.throws(() => benchStackConfig(2.5), { message: "tokens must be a whole number >= 1, got 2.5" });
  });
});
