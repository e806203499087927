// config/declaration.ts: the push tokens declared in a file of the repository, read for the program and
// every command alike, and validated (config/validate.ts) with the stack config's schema, each
// problem naming the file and the line the YAML parser gives it.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseDeclaration, readDeclaration, type ReadProjectFile } from "../../config/declaration";
import { ConfigError } from "../../config/issues";
import { rawStackConfigOf } from "../../config/rawConfig";
import { validateStackConfig } from "../../config/validate";

const PROJECT = "gitlab-push-tokens";
const TODAY = "2026-11-25";
const GOOD = ["pushTokens:", "  - name: GITLAB_CI_PUSHER", "    project: xlink/xlink-k8s-gitops", '    expiresAt: "2027-02-15"', "    consumers:", "      - project: xlink/xlink-app", "        key: GITLAB_PUSHER_TOKEN", ""].join("\n");

/** A reader over these files; any other is missing. */
const filesOf =
  (files: Record<string, string>): ReadProjectFile =>
  (file) =>
    Object.hasOwn(files, file) ? { text: files[file] } : { error: "ENOENT" };

/** The ConfigError message for a stack config (full keys, CLI strings) with these project files. */
function refusal(config: Record<string, string>, files: Record<string, string>): string {
  try {
    validateStackConfig(rawStackConfigOf(PROJECT, config, () => false, filesOf(files)), { today: TODAY, configFile: "Pulumi.dev.yaml" });
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  assert.fail("expected a ConfigError");
}

const withFile = (file = "push-tokens/dev.yaml") => ({ [`${PROJECT}:pushTokensFile`]: file });

describe("a declaration file, read and validated as the stack config is", () => {
  it("gives the program the file's tokens, exactly as pushTokens in the stack config would", () => {
    const fromFile = validateStackConfig(rawStackConfigOf(PROJECT, withFile(), () => false, filesOf({ "push-tokens/dev.yaml": GOOD })), { today: TODAY });
    const inline = validateStackConfig(rawStackConfigOf(PROJECT, { [`${PROJECT}:pushTokens`]: JSON.stringify([{ name: "GITLAB_CI_PUSHER", project: "xlink/xlink-k8s-gitops", expiresAt: "2027-02-15", consumers: [{ project: "xlink/xlink-app", key: "GITLAB_PUSHER_TOKEN" }] }]) }, () => false), { today: TODAY });
    assert.deepEqual(fromFile, inline);
    assert.equal(fromFile.pushTokens.length, 1);
  });

  it("reports every problem at once, each with its path, the file and its line", () => {
    const text = [
      "# the platform team's tokens",
      "pushTokens:",
      "  - name: GITLAB_CI_PUSHER",
      "    project: xlink/xlink-k8s-gitops",
      "    scopes: [api]",
      '    expiresAt: "2027-02-15"',
      "    consumers:",
      "      - project: xlink/xlink-app",
      "        key: CI_PUSH",
      "      - project: xlink/xlink-worker",
      "",
    ].join("\n");
    assert.equal(
      refusal(withFile(), { "push-tokens/dev.yaml": text }),
      [
        "Invalid gitlab-push-tokens config in Pulumi.dev.yaml and push-tokens/dev.yaml (3 problems); no GitLab resource was registered:",
        '  - pushTokens[0].scopes[0] (push-tokens/dev.yaml line 5): scope "api" is refused: a push token needs only write_repository, and anything broader lets a leaked token do more than push (least privilege). Fix: use [write_repository], which also grants read (pull) access, so the job can clone with the same token.',
        '  - pushTokens[0].consumers[0].key (push-tokens/dev.yaml line 9): variable key "CI_PUSH" starts with CI_, which GitLab reserves for its predefined variables. Fix: choose a key such as GITLAB_PUSHER_TOKEN.',
        "  - pushTokens[0].consumers[1].key (push-tokens/dev.yaml line 10): key is required. Fix: write the CI/CD variable key, e.g. key: GITLAB_PUSHER_TOKEN.",
      ].join("\n"),
    );
  });

  it("refuses pushTokens in the stack config beside a declaration file: one of them would be ignored", () => {
    const message = refusal({ ...withFile(), [`${PROJECT}:pushTokens`]: "[]" }, { "push-tokens/dev.yaml": GOOD });
    assert.equal(
      message,
      [
        "Invalid gitlab-push-tokens config in Pulumi.dev.yaml and push-tokens/dev.yaml (1 problem); no GitLab resource was registered:",
        '  - pushTokensFile: pushTokens is set in the stack config and pushTokensFile names "push-tokens/dev.yaml" too: one of them would be ignored. Fix: keep one: move pushTokens into the file (npm run move-push-tokens -- --stack <stack> does it, keeping comments) or remove pushTokensFile.',
      ].join("\n"),
    );
  });

  it("says what is wrong with the file itself, beside the stack config's own problems", () => {
    const message = refusal({ ...withFile("push-tokens/prod.yaml"), [`${PROJECT}:expiryWarningDays`]: "0" }, {});
    assert.match(message, /\(2 problems\)/);
    assert.match(message, /\n {2}- pushTokensFile: "push-tokens\/prod\.yaml" does not exist\. Fix: correct the path \(relative to the folder of Pulumi\.yaml\), or create the file with `npm run move-push-tokens -- --stack <stack>`, which moves pushTokens there from the stack config\.(\n|$)/);
    assert.match(message, /\n {2}- expiryWarningDays: /);
    assert.doesNotMatch(message, /no tokens are declared/);
  });

  const fileProblems = (value: unknown, files: Record<string, string> = {}) => readDeclaration(value, filesOf(files)).issues.map((issue) => `${issue.path}: ${issue.problem}. Fix: ${issue.fix}`);

  it("refuses a path a clone could not find the same way, or that is not a YAML file", () => {
    const fix = "Fix: name a YAML file of the repository, relative to the folder of Pulumi.yaml, e.g. pushTokensFile: push-tokens/dev.yaml";
    assert.deepEqual(fileProblems("/etc/tokens.yaml"), [`pushTokensFile: "/etc/tokens.yaml" is outside the project's folder: every clone of the repository must find it. ${fix}`]);
    assert.deepEqual(fileProblems("../other/dev.yaml"), [`pushTokensFile: "../other/dev.yaml" is outside the project's folder: every clone of the repository must find it. ${fix}`]);
    assert.deepEqual(fileProblems("push-tokens/dev.json"), [`pushTokensFile: "push-tokens/dev.json" is not a .yaml file. ${fix}`]);
    assert.deepEqual(fileProblems(["a.yaml"]), [`pushTokensFile: expected a file's path, got a list of 1. ${fix}`]);
    assert.deepEqual(fileProblems(""), [`pushTokensFile: expected a file's path, got "". ${fix}`]);
  });

  it("names the reason a file cannot be read", () => {
    const unreadable = readDeclaration("push-tokens/dev.yaml", () => ({ error: "EACCES" }));
    assert.equal(unreadable.issues[0].problem, '"push-tokens/dev.yaml" cannot be read (EACCES)');
    assert.equal(unreadable.pushTokens, undefined);
  });

  it("refuses a file that is not YAML, naming the line, and one of another shape", () => {
    const problems = (text: string) => parseDeclaration("d.yaml", text).issues.map((issue) => `${issue.problem}. Fix: ${issue.fix}`);
    assert.equal(problems("pushTokens:\n  - name: a\n   bad: [\n")[0], "d.yaml is not valid YAML at line 3, column 1: Sequence item without - indicator. Fix: correct the YAML of d.yaml");
    // An alias without its anchor parses; it is caught here, named by line, before the values are read.
    assert.equal(problems("pushTokens:\n  - name: a\n    consumers: *all\n")[0], "d.yaml is not valid YAML at line 3, column 16: the alias *all names no anchor defined before it. Fix: define &all on an earlier value, or write the value out");
    assert.deepEqual(problems(""), ["d.yaml holds nothing, not a map with pushTokens. Fix: write the tokens under one key, pushTokens:, as a list, each item starting with '- name:'"]);
    assert.deepEqual(problems("- name: a\n"), ["d.yaml holds a list, not a map with pushTokens. Fix: write the tokens under one key, pushTokens:, as a list, each item starting with '- name:'"]);
    assert.deepEqual(problems("pushToken:\n  - name: a\n"), [
      'd.yaml line 1 has an unknown key "pushToken". Fix: rename it to pushTokens',
      "d.yaml declares no pushTokens. Fix: write the tokens under pushTokens:, as a list, each item starting with '- name:'",
    ]);
    assert.deepEqual(problems(`${GOOD}gitlab:\n  baseUrl: https://a/api/v4\n`), ['d.yaml line 8 has an unknown key "gitlab". Fix: remove it; a declaration file holds pushTokens only (the other settings stay in the stack config)']);
  });

  it("locates paths at their key's line, and a missing key at its parent's", () => {
    const declaration = parseDeclaration("d.yaml", GOOD);
    assert.equal(declaration.lineOf("pushTokens"), 1);
    assert.equal(declaration.lineOf("pushTokens[0]"), 2);
    assert.equal(declaration.lineOf("pushTokens[0].expiresAt"), 4);
    assert.equal(declaration.lineOf("pushTokens[0].consumers"), 5);
    assert.equal(declaration.lineOf("pushTokens[0].consumers[0].key"), 7);
    assert.equal(declaration.lineOf("pushTokens[0].retiring.revokeAfter"), 2);
    assert.equal(declaration.lineOf("pushTokens[7].name"), 1);
  });
});
