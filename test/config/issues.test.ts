// Paths, safe value rendering, key suggestions and the ConfigError message (config/issues.ts).

import assert from "node:assert/strict";
import { describe, it } from "node:test";

import fc from "fast-check";

import {
  ConfigError,
  describeValue,
  formatConfigIssues,
  formatPath,
  LISTED_PROBLEMS,
  looksLikeToken,
  MIN_SECRET_LENGTH,
  printablePath,
  redactSecrets,
  redactTokens,
  suggestKey,
  type ConfigIssue,
} from "../../config/issues";

const REDACTED = "a value that looks like a GitLab token (not shown)";

describe("formatPath", () => {
  it("joins names with dots and puts indexes in brackets", () => {
    assert.equal(formatPath(["pushTokens", 1, "consumers", 0, "key"]), "pushTokens[1].consumers[0].key");
    assert.equal(formatPath(["gitlab", "baseUrl"]), "gitlab.baseUrl");
    assert.equal(formatPath(["pushTokens", 0, "scopes", 2]), "pushTokens[0].scopes[2]");
  });

  it("handles an empty path, a lone name and a leading index", () => {
    assert.equal(formatPath([]), "");
    assert.equal(formatPath(["pushTokens"]), "pushTokens");
    assert.equal(formatPath([0, "key"]), "[0].key");
  });
});

describe("describeValue", () => {
  it("names missing values, null, lists and objects without showing their content", () => {
    assert.equal(describeValue(undefined), "nothing");
    assert.equal(describeValue(null), "null");
    assert.equal(describeValue([]), "a list of 0");
    assert.equal(describeValue(["a", "b", "c"]), "a list of 3");
    assert.equal(describeValue({ token: "secret" }), "an object");
  });

  it("shows numbers and booleans with their type", () => {
    assert.equal(describeValue(5), "number 5");
    assert.equal(describeValue(1.5), "number 1.5");
    assert.equal(describeValue(true), "boolean true");
  });

  it("quotes short strings as JSON", () => {
    assert.equal(describeValue("xlink/app"), '"xlink/app"');
    assert.equal(describeValue(""), '""');
    assert.equal(describeValue('say "hi"'), '"say \\"hi\\""');
  });

  it("shows a 60-character string whole and truncates a longer one to 60 characters and an ellipsis", () => {
    const sixty = "a".repeat(60);
    assert.equal(describeValue(sixty), JSON.stringify(sixty));
    assert.equal(describeValue("c".repeat(61)), JSON.stringify(`${"c".repeat(60)}…`));
    const long = `${"b".repeat(60)}TAIL-NOT-SHOWN`;
    assert.equal(describeValue(long), JSON.stringify(`${"b".repeat(60)}…`));
    assert.ok(!describeValue(long).includes("TAIL"));
  });

  it("redacts glpat-, gldt- and glrt- shaped tokens", () => {
    for (const token of ["glpat-AAAAAAAAAAAAAAAAAAAA", "gldt-abcdEFGH1234ijkl", "glrt-t1_AbCdEfGhIjKlMnOp", "glpat-xYz_0123.4567-89"]) {
      assert.equal(describeValue(token), REDACTED, token);
    }
  });

  it("redacts a token inside a longer value, even one too long to show whole", () => {
    assert.equal(describeValue("GITLAB_TOKEN=glpat-AAAAAAAAAAAAAAAAAAAA"), REDACTED);
    assert.equal(describeValue("Bearer gldt-abcdEFGH1234ijkl"), REDACTED);
    const long = `glpat-${"Z".repeat(80)}`;
    assert.equal(describeValue(long), REDACTED);
    assert.ok(!describeValue(long).includes("ZZZZ"));
  });

  it("does not redact values that only resemble the prefix", () => {
    assert.equal(describeValue("glpat-short"), '"glpat-short"');
    assert.equal(describeValue("gitlab-ci-pusher"), '"gitlab-ci-pusher"');
    assert.equal(describeValue("global-infrastructure/gitops"), '"global-infrastructure/gitops"');
  });

  it("redacts a token glued to a word", () => {
    assert.equal(describeValue("MY_glpat-AAAAAAAAAAAAAAAAAAAA"), REDACTED);
  });
});

describe("redactTokens", () => {
  it("replaces every token-shaped run in a text and leaves the rest", () => {
    assert.equal(
      redactTokens("key glpat-AAAAAAAAAAAAAAAAAAAA and gldt-abcdEFGH1234ijkl in global-infra/x"),
      "key [redacted token-like value] and [redacted token-like value] in global-infra/x",
    );
  });
});

describe("redactSecrets", () => {
  const MESSAGE = "CI_MERGE_REQUEST_IID is not set. Fix: run this job in merge-request pipelines only (rules: - if: $CI_PIPELINE_SOURCE == \"merge_request_event\").";

  it("leaves a short placeholder alone: `e` as the token must not mangle every message", () => {
    for (const placeholder of ["e", "x", "test", "token", "1234567"]) assert.equal(redactSecrets(MESSAGE, [placeholder]), MESSAGE, placeholder);
    assert.equal(MIN_SECRET_LENGTH, 8);
  });

  it("replaces a real secret wherever it stands as a whole word, every time it is repeated", () => {
    const secret = "s3cr3t-note-token-0001";
    assert.equal(
      redactSecrets(`sent ${secret} to https://gitlab-ci-token:${secret}@host; header "${secret}" (${secret})`, [secret]),
      'sent [redacted token] to https://gitlab-ci-token:[redacted token]@host; header "[redacted token]" ([redacted token])',
    );
    assert.equal(redactSecrets("abcdefgh", ["abcdefgh"]), "[redacted token]");
  });

  it("does not cut a secret out of a longer word, so that ordinary words survive a dictionary-like secret", () => {
    assert.equal(redactSecrets("the passwords and mypassword stay", ["password"]), "the passwords and mypassword stay");
    assert.equal(redactSecrets("the password goes", ["password"]), "the [redacted token] goes");
  });

  it("replaces several secrets in one pass, the longer first, never redacting its own placeholder", () => {
    assert.equal(redactSecrets("a redacted-token-value and redacted-token", ["redacted-token", "redacted-token-value"]), "a [redacted token] and [redacted token]");
    // The placeholder each secret becomes is not searched again, even when it holds another secret.
    assert.equal(redactSecrets("one-secret-value two-secret-value", ["one-secret-value", "redacted"]), "[redacted token] two-secret-value");
    assert.equal(redactSecrets("x", [undefined, ""]), "x");
  });

  it("never leaves a secret of 8 or more characters in the text (property)", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9_-]{8,40}$/), fc.array(fc.constantFrom(" ", ":", "@", '"', "/", "\n"), { minLength: 1, maxLength: 5 }), (secret, separators) => {
        const text = separators.map((separator) => `${separator}${secret}`).join("") + separators[0];
        assert.ok(!redactSecrets(text, [secret]).includes(secret));
      }),
    );
  });
});

describe("suggestKey", () => {
  const tokenKeys = ["name", "project", "accessLevel", "scopes", "expiresAt", "consumers", "retiring"];

  it("matches a key written in another case or with separators", () => {
    assert.equal(suggestKey("expires_at", tokenKeys), "expiresAt");
    assert.equal(suggestKey("EXPIRESAT", tokenKeys), "expiresAt");
    assert.equal(suggestKey("access-level", tokenKeys), "accessLevel");
  });

  it("matches a key within two edits", () => {
    assert.equal(suggestKey("enviromentScope", ["project", "key", "environmentScope"]), "environmentScope");
    assert.equal(suggestKey("pushToken", ["gitlab", "pushTokens", "expiryWarningDays", "gitlabToken"]), "pushTokens");
    assert.equal(suggestKey("scope", tokenKeys), "scopes");
  });

  it("prefers an exact match after folding to a closer-in-the-list near match", () => {
    assert.equal(suggestKey("Key", ["keys", "key"]), "key");
  });

  it("suggests nothing when no key is close", () => {
    assert.equal(suggestKey("expiry", tokenKeys), undefined);
    assert.equal(suggestKey("zzzzzzzz", tokenKeys), undefined);
    assert.equal(suggestKey("anything", []), undefined);
  });
});

describe("ConfigError", () => {
  const first: ConfigIssue = { path: "pushTokens[0].expiresAt", problem: "2026-11-24 is not in the future", fix: "set a new expiresAt" };
  const second: ConfigIssue = { path: "pushTokens[1].consumers[0].key", problem: "variable key \"CI_X\" is not allowed", fix: "choose another key" };

  it("names the file and the count on the first line, then one line per issue", () => {
    const error = new ConfigError([first, second], "Pulumi.dev.yaml");
    assert.equal(
      error.message,
      [
        "Invalid gitlab-push-tokens config in Pulumi.dev.yaml (2 problems); no GitLab resource was registered:",
        "  - pushTokens[0].expiresAt: 2026-11-24 is not in the future. Fix: set a new expiresAt.",
        '  - pushTokens[1].consumers[0].key: variable key "CI_X" is not allowed. Fix: choose another key.',
      ].join("\n"),
    );
  });

  it('says "1 problem" for a single issue', () => {
    const lines = new ConfigError([first], "Pulumi.prod.yaml").message.split("\n");
    assert.equal(lines.length, 2);
    assert.match(lines[0], /^Invalid gitlab-push-tokens config in Pulumi\.prod\.yaml \(1 problem\);/);
  });

  it("names a placeholder file when none is given, and (config) for an empty path", () => {
    const error = new ConfigError([{ path: "", problem: "something is wrong", fix: "fix it" }]);
    assert.match(error.message, /^Invalid gitlab-push-tokens config in Pulumi\.<stack>\.yaml \(1 problem\)/);
    assert.ok(error.message.split("\n").includes("  - (config): something is wrong. Fix: fix it."));
  });

  it("is an Error named ConfigError that keeps its issues and file", () => {
    const error = new ConfigError([first, second], "Pulumi.dev.yaml");
    assert.ok(error instanceof Error);
    assert.equal(error.name, "ConfigError");
    assert.deepEqual(error.issues, [first, second]);
    assert.equal(error.configFile, "Pulumi.dev.yaml");
  });

  it("formats its message with formatConfigIssues", () => {
    assert.equal(new ConfigError([first], "Pulumi.dev.yaml").message, formatConfigIssues([first], "Pulumi.dev.yaml"));
  });
});

describe("formatConfigIssues on very many problems", () => {
  const many = (count: number) => Array.from({ length: count }, (_, index) => ({ path: `pushTokens[${index}]`, problem: "broken", fix: "mend it" }));

  it("lists the first LISTED_PROBLEMS and counts the rest", () => {
    const lines = formatConfigIssues(many(LISTED_PROBLEMS + 2), "Pulumi.dev.yaml").split("\n");
    assert.equal(lines[0], `Invalid gitlab-push-tokens config in Pulumi.dev.yaml (${LISTED_PROBLEMS + 2} problems); no GitLab resource was registered:`);
    assert.equal(lines.length, LISTED_PROBLEMS + 2);
    assert.equal(lines[LISTED_PROBLEMS], `  - pushTokens[${LISTED_PROBLEMS - 1}]: broken. Fix: mend it.`);
    assert.equal(lines[LISTED_PROBLEMS + 1], "  … and 2 more problems, not listed: fix these first, then run again.");
  });

  it("lists exactly LISTED_PROBLEMS without a remainder line, and says 'problem' for one more", () => {
    assert.equal(formatConfigIssues(many(LISTED_PROBLEMS), "Pulumi.dev.yaml").split("\n").length, LISTED_PROBLEMS + 1);
    assert.match(formatConfigIssues(many(LISTED_PROBLEMS + 1), "Pulumi.dev.yaml"), /\n {2}… and 1 more problem, not listed/);
  });
});

describe("printablePath", () => {
  it("escapes line breaks and other control characters, so a key cannot forge a line", () => {
    assert.equal(printablePath("pushTokens[0].a\nb\r\u2028\u0007"), "pushTokens[0].a\\u000ab\\u000d\\u2028\\u0007");
  });

  it("keeps a path of 200 characters and cuts a longer one", () => {
    assert.equal(printablePath("p".repeat(200)), "p".repeat(200));
    assert.equal(printablePath("p".repeat(201)), `${"p".repeat(200)}…`);
  });

  it("is what a ConfigError shows", () => {
    assert.equal(new ConfigError([{ path: "a\nb", problem: "p", fix: "f" }]).issues[0].path, "a\\u000ab");
  });
});

describe("suggestKey at the edge of its reach", () => {
  it("suggests a key two edits away even when the lengths differ by two, and not three", () => {
    assert.equal(suggestKey("expires", ["expiresAt"]), "expiresAt");
    assert.equal(suggestKey("expire", ["expiresAt"]), undefined);
    // The last letter counts too: one substitution at the very end.
    assert.equal(suggestKey("expiresAx", ["expiresAt"]), "expiresAt");
    assert.equal(suggestKey("xxpiresAx", ["expiresAt"]), "expiresAt");
    assert.equal(suggestKey("xxpiresxx", ["expiresAt"]), undefined);
    // Three edits away only once the known key's last letter is counted.
    assert.equal(suggestKey("exxirxsa", ["expiresAt"]), undefined);
  });
});

describe("looksLikeToken", () => {
  it("recognises GitLab's token prefixes followed by at least 8 token characters", () => {
    assert.equal(looksLikeToken("x glpat-abcdefgh y"), true);
    assert.equal(looksLikeToken("gldt-abcdefg"), false);
    assert.equal(looksLikeToken("GITLAB_PUSHER_TOKEN"), false);
  });
});
