// `npm run adopt`: the import file written and the next steps printed, --state, and refusals.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { stringify } from "yaml";
import { adoptCommand } from "../../cli/adopt";
import { adoptionsOf, importFileOf } from "../../lib/adoption/importFile";
import { component, PROVIDER_URN, RICH } from "../support/adoption";
import { runInProcess } from "../support/inProcess";
import { evaluate, PROJECT } from "../support/scenarios";
import { PROJECT_ROOT } from "../support/sharedData";

describe("npm run adopt", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "adopt-"));
  after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(path.join(dir, "Pulumi.yaml"), `name: ${PROJECT}\nruntime: nodejs\n`);
  const stackFile = (stack: string, pushTokens: unknown) => writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), stringify({ config: { [`${PROJECT}:pushTokens`]: pushTokens } }));
  // In this process; the last test spawns the real CLI on the committed example.
  const adopt = (args: string[]) => runInProcess(adoptCommand, ["--dir", dir, "--today", "2026-11-25", ...args]);

  it("writes the import file and says what to run next", async () => {
    stackFile("dev", RICH);
    const out = path.join(dir, "adopt.json");
    const result = await adopt(["--stack", "dev", "--out", out]);
    assert.equal(result.stderr, "");
    assert.equal(result.status, 0);
    const evaluation = await evaluate(RICH);
    assert.deepEqual(JSON.parse(readFileSync(out, "utf8")), importFileOf(evaluation, adoptionsOf(evaluation)));
    assert.match(result.stdout, /^Wrote .*adopt\.json: 5 resources to import into stack dev\.\n/);
    assert.match(result.stdout, /\n {4}import id xlink\/xlink-release:CHARTS_PUSH_TOKEN:review\/\*\n/);
    assert.ok(result.stdout.includes(`1. pulumi up --stack dev --target '${PROVIDER_URN}' --target '${component("xlink/xlink-k8s-gitops:GITLAB_CI_PUSHER")}' --target '${component("1234:RELEASE_TAGGER")}'\n`));
    assert.ok(result.stdout.includes(`2. pulumi import --stack dev --file ${out} --protect=false --generate-code=false\n`));
    // Hand-made tokens are imported from the state the file gives: the refresh reads them back.
    const tokenUrn = (name: string) => `urn:pulumi:dev::${PROJECT}::gitlab-push-tokens:index:PushToken$gitlab:index/projectAccessToken:ProjectAccessToken::${name}`;
    const refresh = `3. pulumi refresh --stack dev --target '${tokenUrn("xlink/xlink-k8s-gitops:GITLAB_CI_PUSHER@2026-12-31")}' --target '${tokenUrn("1234:RELEASE_TAGGER@2026-12-10")}': reads the imported tokens back from GitLab; a delete means GitLab has no such tokenId: answer no and fix it\n`;
    assert.ok(result.stdout.includes(`\n  ${refresh}  4. pulumi preview --stack dev: `), result.stdout);
    assert.match(result.stdout, /\n {2}5\. remove every adopt: true, then merge and let the pipeline run pulumi up\n$/);
  });

  it("prints no refresh when only variables are adopted (the import reads them from GitLab)", async () => {
    stackFile("variables", [{ ...RICH[0], retiring: { expiresAt: "2026-12-31", revokeAfter: "2026-12-02T12:00:00Z" } }]);
    const result = await adopt(["--stack", "variables", "--out", path.join(dir, "variables.json")]);
    assert.equal(result.status, 0, result.stderr);
    assert.doesNotMatch(result.stdout, /pulumi refresh/);
    assert.match(result.stdout, /\n {2}3\. pulumi preview --stack variables: .*\n {2}4\. remove every adopt: true, then merge and let the pipeline run pulumi up\n$/);
  });

  it("with --state, leaves out what the stack holds and warns about adoption markers left in place", async () => {
    stackFile("dev", RICH);
    const out = path.join(dir, "after.json");
    const state = path.join(dir, "state.json");
    const held = [PROVIDER_URN, component("xlink/xlink-k8s-gitops:GITLAB_CI_PUSHER"), `urn:pulumi:dev::${PROJECT}::gitlab-push-tokens:index:PushToken$gitlab:index/projectVariable:ProjectVariable::xlink/xlink-app:GITLAB_PUSHER_TOKEN`];
    writeFileSync(state, JSON.stringify({ version: 3, deployment: { resources: held.map((urn) => ({ urn })) } }));
    const result = await adopt(["--stack", "dev", "--out", out, "--state", state]);
    assert.equal(result.status, 0);
    assert.equal(result.stderr, "warning: variable GITLAB_PUSHER_TOKEN in xlink/xlink-app (environment scope *) is already in the stack: remove its adopt: true marker\n");
    const written = JSON.parse(readFileSync(out, "utf8")) as { resources: { name: string }[] };
    assert.deepEqual(written.resources.map((entry) => entry.name), [
      "xlink/xlink-k8s-gitops:GITLAB_CI_PUSHER@2026-12-31",
      "4711:GITLAB_PUSHER_TOKEN[production]",
      "1234:RELEASE_TAGGER@2026-12-10",
      "xlink/xlink-release:CHARTS_PUSH_TOKEN[review/*]",
    ]);
    // Only the component that is not in the stack yet needs the targeted `pulumi up`.
    assert.ok(result.stdout.includes(`1. pulumi up --stack dev --target '${component("1234:RELEASE_TAGGER")}'\n`));
  });

  it("writes nothing when nothing is to be adopted", async () => {
    stackFile("plain", [RICH[2]]);
    const out = path.join(dir, "plain.json");
    const result = await adopt(["--stack", "plain", "--out", out]);
    assert.deepEqual([result.status, result.stderr], [0, ""]);
    assert.match(result.stdout, /^Nothing to adopt in stack plain/);
    assert.equal(existsSync(out), false);
  });

  it("refuses bad config with the program's own message, and writes nothing", async () => {
    stackFile("bad", [{ ...RICH[0], retiring: { ...RICH[0].retiring, tokenId: "8812" } }]);
    const out = path.join(dir, "bad.json");
    const result = await adopt(["--stack", "bad", "--out", out]);
    assert.equal(result.status, 1);
    assert.equal(result.stdout, "");
    assert.match(result.stderr, /pushTokens\[0\]\.retiring\.tokenId: expected the token's ID, a positive whole number, got "8812"\. Fix: write it without quotes: tokenId: 8812\./);
    assert.equal(existsSync(out), false);
  });

  it("refuses a --state file that is not a stack export, and a missing --stack", async () => {
    stackFile("dev", RICH);
    const state = path.join(dir, "garbage.json");
    writeFileSync(state, "{ not json");
    const garbage = await adopt(["--stack", "dev", "--out", path.join(dir, "g.json"), "--state", state]);
    assert.equal(garbage.status, 1);
    assert.match(garbage.stderr, /^--state .*garbage\.json is not readable JSON \(.*\): pass the output of `pulumi stack export`\n$/);
    const missing = await adopt([]);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /^adopt: --stack is required \(the stacks in [^:]+: bad, dev, plain, variables\)\. Fix: name the stack, e\.g\. npm run adopt -- --stack migration --out adopt\.json\.\nusage: npm run adopt -- /);
  });

  it("runs on the committed migration example", () => {
    const out = path.join(dir, "migration.json");
    const result = spawnSync(process.execPath, ["--import", "tsx", "cli/adopt.ts", "--stack", "migration", "--today", "2026-11-25", "--out", out], { cwd: PROJECT_ROOT, encoding: "utf8", timeout: 60_000 });
    assert.equal(result.status, 0, result.stderr);
    const written = JSON.parse(readFileSync(out, "utf8")) as { resources: { id: string }[] };
    assert.deepEqual(written.resources.map((entry) => entry.id), ["xlink/xlink-k8s-gitops:8812", "xlink/xlink-app:GITLAB_PUSHER_TOKEN:*", "4711:GITLAB_PUSHER_TOKEN:production"]);
  });
});
