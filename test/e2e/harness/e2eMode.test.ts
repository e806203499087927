// The switch between the emulator and a real GitLab (GITLAB_E2E_*), as far as it can be exercised
// without a real GitLab: every refusal and its message; `npm run e2e` being only the test runner over
// the scenario suites; and a scenario suite run in a process of its own with the switch on, pointed
// at an emulator standing in for the real instance: the emulator-only tests are not registered, and
// the world goes to GITLAB_E2E_URL with GITLAB_E2E_TOKEN and the CA of GITLAB_E2E_CA_FILE (it asks for
// the throwaway group first, which the emulator does not know, so the run stops there, loudly).

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { PROJECT_ROOT } from "../../../lib/engine";
import { startGitLabEmulator, type GitLabEmulator } from "../gitlabEmulator";
import { E2eModeError, e2eModeFrom, NEEDS_EMULATOR } from "./e2eMode";

const problems = (env: Record<string, string>) => {
  try {
    e2eModeFrom(env);
  } catch (error) {
    assert.ok(error instanceof E2eModeError, String(error));
    return error.message.split("\n").slice(1).map((line) => line.replace(/^ {2}- /, ""));
  }
  assert.fail("the switch was accepted");
};

describe("the GITLAB_E2E_* switch", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "e2e-mode-"));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const pem = path.join(dir, "ca.pem");
  writeFileSync(pem, "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
  const real = { GITLAB_E2E_URL: "https://gitlab.example.com/api/v4", GITLAB_E2E_TOKEN: "glpat-fakeE2eSwitchToken01", GITLAB_E2E_GROUP: "sandbox/pulumi-e2e" };

  it("is off without the variables, or with them empty: the emulator", () => {
    assert.deepEqual(e2eModeFrom({}), { kind: "emulator" });
    assert.deepEqual(e2eModeFrom({ GITLAB_E2E_URL: "", GITLAB_E2E_TOKEN: "", GITLAB_E2E_GROUP: "", GITLAB_E2E_CA_FILE: "" }), { kind: "emulator" });
  });

  it("is on with all three: a real GitLab, its URL without a trailing slash, the optional CA file and plugin", () => {
    assert.deepEqual(e2eModeFrom({ ...real, GITLAB_E2E_URL: "https://gitlab.example.com/gitlab/api/v4/" }), { kind: "gitlab", baseUrl: "https://gitlab.example.com/gitlab/api/v4", token: real.GITLAB_E2E_TOKEN, group: real.GITLAB_E2E_GROUP });
    assert.deepEqual(e2eModeFrom({ ...real, GITLAB_E2E_CA_FILE: pem, GITLAB_E2E_PLUGIN: pem }), { kind: "gitlab", baseUrl: real.GITLAB_E2E_URL, token: real.GITLAB_E2E_TOKEN, group: real.GITLAB_E2E_GROUP, caFile: pem, plugin: pem });
  });

  it("refuses a half-set switch, naming each missing variable and the fix", () => {
    const fix = "Fix: set all three of GITLAB_E2E_URL, GITLAB_E2E_TOKEN and GITLAB_E2E_GROUP to run against a real GitLab, or none to run against the emulator.";
    assert.deepEqual(problems({ GITLAB_E2E_URL: real.GITLAB_E2E_URL }), [`GITLAB_E2E_TOKEN is not set. ${fix}`, `GITLAB_E2E_GROUP is not set. ${fix}`]);
    assert.deepEqual(problems({ GITLAB_E2E_CA_FILE: pem }), [`GITLAB_E2E_CA_FILE is set, but it is used only against a real GitLab. ${fix}`]);
  });

  it("refuses values the suites cannot use, each with its fix, all at once", () => {
    assert.deepEqual(problems({ GITLAB_E2E_URL: "http://gitlab.example.com/api/v4", GITLAB_E2E_TOKEN: "glpat-fake token", GITLAB_E2E_GROUP: "/sandbox", GITLAB_E2E_CA_FILE: path.join(dir, "none.pem"), GITLAB_E2E_PLUGIN: path.join(dir, "none.tar.gz") }), [
      'GITLAB_E2E_URL is "http://gitlab.example.com/api/v4", not an https API base ending in /api/v4 (the program refuses anything else). Fix: e.g. https://gitlab.example.com/api/v4.',
      "GITLAB_E2E_TOKEN contains white space. Fix: set it to the token alone (an api token of a user who may create projects in the group).",
      'GITLAB_E2E_GROUP is "/sandbox", not a group\'s full path. Fix: e.g. sandbox/pulumi-e2e (a throwaway group: each run creates projects there and deletes them).',
      `GITLAB_E2E_CA_FILE is ${JSON.stringify(path.join(dir, "none.pem"))}, not a readable PEM certificate file. Fix: point it at the CA bundle of the instance, or unset it.`,
      `GITLAB_E2E_PLUGIN is ${JSON.stringify(path.join(dir, "none.tar.gz"))}, which does not exist. Fix: point it at pulumi-resource-gitlab-v10.1.1-<os>-<arch>.tar.gz, or unset it to let \`pulumi plugin install\` download it.`,
    ]);
    assert.deepEqual(problems({ ...real, GITLAB_E2E_URL: "https://gitlab.example.com" }), ['GITLAB_E2E_URL is "https://gitlab.example.com", not an https API base ending in /api/v4 (the program refuses anything else). Fix: e.g. https://gitlab.example.com/api/v4.']);
  });
});

describe("npm run e2e", () => {
  it("is the test runner over the scenario suites and nothing else, so the switch alone decides where they run", () => {
    const { scripts } = JSON.parse(readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> };
    assert.equal(scripts.e2e, 'node --import tsx --test --test-concurrency=2 "test/e2e/*.test.ts"');
  });
});

describe("a scenario suite with the switch on, in a process of its own", () => {
  let emulator: GitLabEmulator;
  before(async () => {
    emulator = await startGitLabEmulator();
  });
  after(() => emulator?.close());

  /** `node --test <suite>` with the switch pointing at the emulator as if it were the real instance. */
  const runSuite = (suite: string, extra: Record<string, string> = {}) => {
    // Without NODE_TEST_CONTEXT: with it, the child would take itself for part of this run and skip its files.
    const { NODE_TEST_CONTEXT: _context, ...env } = process.env;
    const switchOn = { GITLAB_E2E_URL: emulator.baseUrl, GITLAB_E2E_TOKEN: emulator.apiToken, GITLAB_E2E_GROUP: "sandbox/pulumi-e2e", GITLAB_E2E_CA_FILE: emulator.caPath, ...extra };
    return new Promise<{ code: number | null; output: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ["--import", "tsx", "--test", "--test-reporter=spec", suite], { cwd: PROJECT_ROOT, env: { ...env, ...switchOn }, stdio: ["ignore", "pipe", "pipe"] });
      let output = "";
      child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
      child.stderr.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, output }));
    });
  };

  it("registers no emulator-only test: a suite made only of them runs nothing (the runner counts the empty file as one passing test)", async () => {
    const run = await runSuite("test/e2e/killedUp.test.ts");
    assert.equal(run.code, 0, run.output);
    assert.match(run.output, /^✔ test\/e2e\/killedUp\.test\.ts \([\d.]+ms\)\nℹ tests 1\nℹ suites 0\nℹ pass 1\n/);
    assert.ok(!run.output.includes(NEEDS_EMULATOR), run.output);
  });

  it("sends the world to GITLAB_E2E_URL, trusting GITLAB_E2E_CA_FILE, and fails there loudly when the group is not found", async () => {
    emulator.log.clear();
    const run = await runSuite("test/e2e/rotation.test.ts");
    assert.equal(run.code, 1, run.output);
    assert.match(run.output, /GitLabRestError\]: GET groups\/sandbox%2Fpulumi-e2e: GitLab answered 404 \{"error":"404 Not Found"\}/);
    // No emulator of its own was started: the one request the emulator got is the world's (once per
    // describe block, whose before hook starts it). The emulator answers an unknown route before it
    // authenticates, so the token is not checked here; the same REST client sends it in every other suite.
    const requests = emulator.log.requests();
    assert.ok(requests.length > 0 && requests.every((request) => request.method === "GET" && request.path === "/api/v4/groups/sandbox%2Fpulumi-e2e" && request.status === 404), JSON.stringify(requests));
    assert.ok(!run.output.includes(emulator.apiToken), "the API token was printed");
  });

  it("fails at registration, before any test, on a malformed switch", async () => {
    const run = await runSuite("test/e2e/rotation.test.ts", { GITLAB_E2E_URL: "http://gitlab.example.com/api/v4" });
    assert.equal(run.code, 1);
    assert.match(run.output, /E2eModeError\]: The end-to-end suites cannot tell which GitLab to run against \(1 problem\):\n\s+- GITLAB_E2E_URL is "http:\/\/gitlab\.example\.com\/api\/v4", not an https API base/);
  });
});
