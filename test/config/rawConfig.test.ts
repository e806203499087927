// config/rawConfig.ts: the CLI's config strings decoded into what validation reads, the same way for
// the program at `pulumi up` and for the offline tools.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { rawStackConfigOf } from "../../config/rawConfig";

describe("rawStackConfigOf", () => {
  const config = {
    "gitlab-push-tokens:pushTokens": '[{"name":"T"}]',
    "gitlab-push-tokens:expiryWarningDays": "14",
    "gitlab-push-tokens:gitlab": '{"baseUrl":"https://gitlab.example.com/api/v4"}',
    "gitlab-push-tokens:gitlabToken": "[secret]",
    "gitlab-push-tokens:typo": "plain text, not JSON",
    "gitlab:token": "x",
    "other-project:pushTokens": "[]",
  };

  it("decodes JSON values, keeps plain strings, and lists the keys of both namespaces", () => {
    assert.deepEqual(rawStackConfigOf("gitlab-push-tokens", config, () => true), {
      gitlab: { baseUrl: "https://gitlab.example.com/api/v4" },
      pushTokens: [{ name: "T" }],
      expiryWarningDays: 14,
      gitlabToken: "secret",
      presentKeys: ["pushTokens", "expiryWarningDays", "gitlab", "gitlabToken", "typo"],
      defaultProviderKeys: ["token"],
    });
  });

  it("tells a plain-text API token from a secret one, and an absent one", () => {
    assert.equal(rawStackConfigOf("gitlab-push-tokens", config, (key) => key !== "gitlab-push-tokens:gitlabToken").gitlabToken, "plaintext");
    assert.equal(rawStackConfigOf("gitlab-push-tokens", {}, () => true).gitlabToken, "absent");
  });

  it("reads only the given project's namespace", () => {
    assert.deepEqual(rawStackConfigOf("other-project", config, () => false).pushTokens, []);
  });
});
