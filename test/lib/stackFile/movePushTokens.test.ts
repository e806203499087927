// lib/stackFile/movePushTokens.ts (`npm run move-push-tokens`): pushTokens moved out of the stack file
// into a declaration file with their comments and layout, checked before anything is written.

import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { movePushTokensCli } from "../../../cli/move-push-tokens";
import { UsageError } from "../../../config/expiry";
import { planMove } from "../../../lib/stackFile/movePushTokens";
import { lines, stackFolder } from "../../support/stackFolders";
import { PROJECT_ROOT } from "../../support/sharedData";

const STACK = lines(
  "# the ops stack",
  "config:",
  "  gitlab-push-tokens:gitlab:",
  "    baseUrl: https://gitlab.example.com/api/v4",
  "  # The tokens, one per gitops repository.",
  "  gitlab-push-tokens:pushTokens:",
  "    # the pusher",
  "    - name: GITLAB_CI_PUSHER",
  "      project: xlink/xlink-k8s-gitops",
  "      expiresAt: '2027-02-15'   # quoted as written",
  "      consumers:",
  "        - {project: xlink/xlink-app, key: GITLAB_PUSHER_TOKEN}",
  "",
  "    - name: RELEASE_TAGGER",
  "      project: xlink/xlink-charts",
  '      expiresAt: "2027-05-01"',
  "      consumers:",
  "        - project: xlink/xlink-release",
  "          key: CHARTS_PUSH_TOKEN",
  "        # the last consumer",
  "  gitlab-push-tokens:expiryWarningDays: 14",
);

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  assert.fail("expected a UsageError");
}

describe("move-push-tokens", () => {
  it("moves the list with its comments, quoting and blank lines, shifted left, and names the file in its place", () => {
    const { dir, file } = stackFolder("ops", STACK);
    const out: string[] = [];
    const err: string[] = [];
    assert.equal(movePushTokensCli(["--stack", "ops", "--dir", dir], { out: (text) => out.push(text), err: (text) => err.push(text) }), 0);
    assert.deepEqual(err, []);
    assert.deepEqual(out, [
      "Moved 2 push tokens from Pulumi.ops.yaml to push-tokens/ops.yaml, comments and layout kept; Pulumi.ops.yaml now names it (pushTokensFile).",
      "Commit both files: the program, npm run plan, expiry and rotate read the tokens from push-tokens/ops.yaml from now on.",
    ]);
    assert.equal(
      readFileSync(file, "utf8"),
      lines("# the ops stack", "config:", "  gitlab-push-tokens:gitlab:", "    baseUrl: https://gitlab.example.com/api/v4", "  gitlab-push-tokens:pushTokensFile: push-tokens/ops.yaml", "  gitlab-push-tokens:expiryWarningDays: 14"),
    );
    assert.equal(
      readFileSync(path.join(dir, "push-tokens/ops.yaml"), "utf8"),
      lines(
        "# The tokens, one per gitops repository.",
        "pushTokens:",
        "  # the pusher",
        "  - name: GITLAB_CI_PUSHER",
        "    project: xlink/xlink-k8s-gitops",
        "    expiresAt: '2027-02-15'   # quoted as written",
        "    consumers:",
        "      - {project: xlink/xlink-app, key: GITLAB_PUSHER_TOKEN}",
        "",
        "  - name: RELEASE_TAGGER",
        "    project: xlink/xlink-charts",
        '    expiresAt: "2027-05-01"',
        "    consumers:",
        "      - project: xlink/xlink-release",
        "        key: CHARTS_PUSH_TOKEN",
        "      # the last consumer",
      ),
    );
    // Once moved, there is nothing left to move.
    assert.equal(refusal(() => planMove({ dir, stack: "ops" })), "Pulumi.ops.yaml already names a declaration file (pushTokensFile: push-tokens/ops.yaml): its tokens are there. Fix: nothing to move; edit that file");
  });

  it("moved the committed examples: what their declaration files hold is what their stack files held", () => {
    for (const stack of ["dev", "migration"]) {
      const text = readFileSync(path.join(PROJECT_ROOT, `push-tokens/${stack}.yaml`), "utf8");
      assert.match(text, /^# The push tokens of the \w+ stack: Pulumi\.\w+\.yaml names this file/);
      assert.match(readFileSync(path.join(PROJECT_ROOT, `Pulumi.${stack}.yaml`), "utf8"), new RegExp(`\\n  gitlab-push-tokens:pushTokensFile: push-tokens/${stack}\\.yaml\\n`));
    }
  });

  it("writes a list on the key's own line as YAML, and a bare key as a bare key", () => {
    const { dir, file } = stackFolder("flow", lines("config:", "  pushTokens: [{name: A, project: p/q, expiresAt: '2027-01-01', consumers: [{project: p/r, key: K}]}]"));
    const move = planMove({ dir, stack: "flow", file: "tokens/flow.yml" });
    assert.equal(move.stackText, lines("config:", "  pushTokensFile: tokens/flow.yml"));
    assert.equal(move.declarationText, lines("pushTokens:", "  - name: A", "    project: p/q", '    expiresAt: "2027-01-01"', "    consumers:", "      - project: p/r", "        key: K"));
    assert.equal(readFileSync(file, "utf8").includes("pushTokensFile"), false, "planning writes nothing");
  });

  it("refuses, writing nothing, when the file exists, the path leaves the folder, or there is nothing to move", () => {
    const { dir, file } = stackFolder("ops", STACK);
    mkdirSync(path.join(dir, "push-tokens"));
    writeFileSync(path.join(dir, "push-tokens/ops.yaml"), "pushTokens: []\n");
    assert.equal(refusal(() => planMove({ dir, stack: "ops" })), "push-tokens/ops.yaml exists already; nothing was written. Fix: remove it, or pass --file with another path");
    assert.equal(refusal(() => planMove({ dir, stack: "ops", file: "../elsewhere.yaml" })), '--file "../elsewhere.yaml" must be a .yaml file inside the project\'s folder, relative to it. Fix: e.g. --file push-tokens/ops.yaml');
    assert.equal(refusal(() => planMove({ dir, stack: "ops", file: "tokens.json" })), '--file "tokens.json" must be a .yaml file inside the project\'s folder, relative to it. Fix: e.g. --file push-tokens/ops.yaml');
    assert.equal(readFileSync(file, "utf8"), STACK);
    const empty = stackFolder("empty", lines("config:", "  gitlab-push-tokens:gitlab: {baseUrl: https://a.example/api/v4}"));
    assert.equal(refusal(() => planMove({ dir: empty.dir, stack: "empty" })), "Pulumi.empty.yaml declares no gitlab-push-tokens:pushTokens: there is nothing to move");
    const scalar = stackFolder("scalar", lines("config:", "  gitlab-push-tokens:pushTokens: none"));
    assert.equal(refusal(() => planMove({ dir: scalar.dir, stack: "scalar" })), "Pulumi.scalar.yaml: gitlab-push-tokens:pushTokens is not a list; nothing was written. Fix: write pushTokens as a YAML list, then run it again");
    assert.equal(existsSync(path.join(scalar.dir, "push-tokens")), false);
  });

  it("answers a missing --stack with the usage error every command gives", () => {
    const err: string[] = [];
    assert.equal(movePushTokensCli([], { out: () => undefined, err: (text) => err.push(text) }), 1);
    assert.match(err.join("\n"), /^move-push-tokens: --stack is required \(.*\)\. Fix: name the stack, e\.g\. npm run move-push-tokens -- --stack dev\.\nusage: npm run move-push-tokens -- --stack <name> \[--file <path>\] \[--dir <folder>\]$/);
  });
});
