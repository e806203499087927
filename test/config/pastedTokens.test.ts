// A pasted token wherever it is (config/pastedTokens.ts): where it is found, and the advice to revoke it
// that every message about that spot begins with. What a whole config reports: test/config/validate.test.ts.

import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { REVOKE_PASTED_TOKEN, tokenShapedKeyIssue, tokenShapedPlaces, withRevocationAdvice } from "../../config/pastedTokens";

const TOKEN = "glpat-CANARYpasted012345";

describe("tokenShapedPlaces", () => {
  it("finds values and keys at any depth, keys as a place of their parent, and nothing else", () => {
    const raw = [{ name: "A", value: TOKEN, consumers: [{ key: "K" }, { note: `see ${TOKEN}` }] }, { [TOKEN]: { nested: TOKEN } }];
    assert.deepEqual(tokenShapedPlaces(raw, ["pushTokens"]), [
      { path: "pushTokens[0].value", key: false },
      { path: "pushTokens[0].consumers[1].note", key: false },
      { path: "pushTokens[1]", key: true },
    ]);
    assert.deepEqual(tokenShapedPlaces({ baseUrl: "https://gitlab.example.com/api/v4", maxTokenLifetimeDays: 365 }, ["gitlab"]), []);
    assert.deepEqual(tokenShapedPlaces(TOKEN, ["expiryWarningDays"]), [{ path: "expiryWarningDays", key: false }]);
    assert.deepEqual(tokenShapedPlaces(undefined, ["gitlab"]), []);
  });
});

describe("withRevocationAdvice", () => {
  const issue = (path: string, fix = "remove it") => ({ path, problem: "something", fix });

  it("puts the revocation first in the fix of an issue at the place or above it, once", () => {
    const places = [{ path: "pushTokens[0].retiring.tokenId", key: false }];
    assert.deepEqual(withRevocationAdvice([issue("pushTokens[0].retiring.tokenId"), issue("pushTokens[0].retiring"), issue("pushTokens[0].name")], places), [
      issue("pushTokens[0].retiring.tokenId", `${REVOKE_PASTED_TOKEN}, then remove it`),
      issue("pushTokens[0].retiring", `${REVOKE_PASTED_TOKEN}, then remove it`),
      issue("pushTokens[0].name"),
    ]);
    const said = issue("pushTokens[0].name", `never put a token in the config: ${REVOKE_PASTED_TOKEN} and write the intended value`);
    assert.deepEqual(withRevocationAdvice([said], [{ path: "pushTokens[0].name", key: false }]), [said]);
  });

  it("does not mistake a sibling path for a parent, nor cover values from the root", () => {
    const places = [{ path: "pushTokens[10].name", key: false }];
    const [advised, own] = withRevocationAdvice([issue("pushTokens[1]"), issue("")], places);
    assert.equal(advised.fix, "remove it");
    assert.equal(own.fix, "remove it");
  });

  it("gives a place no issue is about a problem of its own", () => {
    assert.deepEqual(withRevocationAdvice([], [{ path: "gitlab.baseUrl", key: false }]), [
      {
        path: "gitlab.baseUrl",
        problem: "holds a value that looks like a GitLab token (not shown)",
        fix: `${REVOKE_PASTED_TOKEN}, then remove it: a token never belongs in the config (the API token is the secret gitlabToken, or GITLAB_TOKEN)`,
      },
    ]);
  });

  it("counts a key as covered by the issue about its object, as tokenShapedKeyIssue writes it", () => {
    assert.deepEqual(withRevocationAdvice([tokenShapedKeyIssue("pushTokens[0]")], [{ path: "pushTokens[0]", key: true }]), [tokenShapedKeyIssue("pushTokens[0]")]);
    assert.deepEqual(tokenShapedKeyIssue(""), { path: "", problem: "a key that looks like a GitLab token (not shown) is not a config key", fix: `${REVOKE_PASTED_TOKEN}, then remove that key` });
  });
});
