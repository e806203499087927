// The stand-in through the real engine: the pulumi CLI (v3.276.0) installs it as gitlab 10.1.1 in a
// private PULUMI_HOME, and a tiny inline Automation API program registers a ProjectAccessToken and the
// hidden, masked ProjectVariable that carries its value, through an explicit provider pinned to
// 10.1.1, against a small stateful GitLab fake on loopback. `up`, a `preview` that must show no change,
// then `destroy`, with the exact REST calls of each, and no token value in plaintext in the state file
// or in anything the CLI printed. Minimal on purpose: the scenario suites use the shared harness and
// the GitLab emulator instead.

import assert from "node:assert/strict";
import { mkdir, mkdtemp, readdir, readFile, rm, symlink } from "node:fs/promises";
import { execFile } from "node:child_process";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import * as pulumi from "@pulumi/pulumi";
import { LocalWorkspace, PulumiCommand, type Stack } from "@pulumi/pulumi/automation";
import { API_PREFIX, startRecordingServer, type RecordedRequest, type RecordingServer, type ScriptedReply } from "../../support/recordingServer";
import { locatePulumiCli } from "../../../lib/engine";
import { buildStandInProviderPackage } from "./pluginPackage";

const FAKE_API_TOKEN = "glpat-FAKEcliApiCanary01234";
const FAKE_TOKEN_VALUE = "glpat-FAKEcliNewCanary01234";
const FAKE_ROTATED_VALUE = "glpat-FAKEcliRotCanary01234";
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
const EXPIRES_AT = inDays(90);
const ROTATED_EXPIRES_AT = inDays(120);

/** A GitLab that remembers tokens (revoked ones too) and variables, enough for create and destroy. */
function statefulGitLab(): (request: RecordedRequest) => ScriptedReply {
  const tokens = new Map<number, Record<string, unknown>>();
  const variables = new Map<string, Record<string, unknown>>();
  let nextId = 500;
  return (request) => {
    const url = new URL(request.path, "http://gitlab.invalid");
    const route = url.pathname.slice(API_PREFIX.length);
    const scope = url.searchParams.get("filter[environment_scope]") ?? "*";
    if (request.method === "GET" && route === "/user") return { json: { id: 1, username: "root" } };
    let match = /^\/projects\/([^/]+)\/access_tokens$/.exec(route);
    if (match && request.method === "POST") {
      const body = JSON.parse(request.body);
      const token = { id: nextId++, name: body.name, description: body.description ?? "", scopes: body.scopes, access_level: body.access_level, expires_at: body.expires_at, created_at: "2026-12-01T10:00:00.000Z", active: true, revoked: false, user_id: 900 };
      tokens.set(token.id, token);
      return { status: 201, json: { ...token, token: FAKE_TOKEN_VALUE } };
    }
    match = /^\/projects\/([^/]+)\/access_tokens\/(\d+)$/.exec(route);
    if (match) {
      const token = tokens.get(Number(match[2]));
      if (!token) return { status: 404, json: { message: "404 Not Found" } };
      if (request.method === "GET") return { json: token };
      if (request.method === "DELETE") {
        Object.assign(token, { revoked: true, active: false });
        return { status: 204 };
      }
    }
    match = /^\/projects\/([^/]+)\/access_tokens\/(\d+)\/rotate$/.exec(route);
    if (match && request.method === "POST") {
      // GitLab revokes the old token at once and answers a new one.
      const old = tokens.get(Number(match[2]));
      if (!old || old.revoked) return { status: 401, json: { message: "401 Unauthorized" } };
      Object.assign(old, { revoked: true, active: false });
      const token = { ...old, id: nextId++, revoked: false, active: true, expires_at: JSON.parse(request.body).expires_at };
      tokens.set(token.id, token);
      return { json: { ...token, token: FAKE_ROTATED_VALUE } };
    }
    match = /^\/projects\/([^/]+)\/variables$/.exec(route);
    if (match && request.method === "POST") {
      const body = JSON.parse(request.body);
      const hidden = body.masked_and_hidden === true;
      const variable = { key: body.key, value: body.value, variable_type: body.variable_type ?? "env_var", protected: body.protected ?? false, masked: hidden || body.masked, hidden, raw: body.raw ?? false, environment_scope: body.environment_scope ?? "*", description: body.description || null };
      variables.set(`${match[1]}/${body.key}/${variable.environment_scope}`, variable);
      return { status: 201, json: { ...variable, value: hidden ? null : variable.value } };
    }
    match = /^\/projects\/([^/]+)\/variables\/([^/]+)$/.exec(route);
    const stored = match ? variables.get(`${match[1]}/${match[2]}/${scope}`) : undefined;
    if (match && request.method === "GET") return stored ? { json: { ...stored, value: stored.hidden ? null : stored.value } } : { status: 404, json: { message: "404 Variable Not Found" } };
    if (match && request.method === "PUT" && stored) {
      Object.assign(stored, { value: JSON.parse(request.body).value });
      return { json: { ...stored, value: stored.hidden ? null : stored.value } };
    }
    if (match && request.method === "DELETE") return variables.delete(`${match[1]}/${match[2]}/${scope}`) ? { status: 204 } : { status: 404, json: { message: "404 Variable Not Found" } };
    // A 4xx, which the plugin does not retry (it retries 5xx, as go-gitlab does): a wrong call fails at once.
    return { status: 418, json: { message: `the CLI test's GitLab has no route for ${request.method} ${request.path}` } };
  };
}

class GitLabProvider extends pulumi.ProviderResource {
  constructor(name: string, args: { baseUrl: string; token: pulumi.Input<string> }) {
    super("gitlab", name, args, { version: "10.1.1" });
  }
}

class ProjectAccessToken extends pulumi.CustomResource {
  declare readonly token: pulumi.Output<string>;
  constructor(name: string, args: Record<string, pulumi.Input<unknown>>, opts: pulumi.CustomResourceOptions) {
    super("gitlab:index/projectAccessToken:ProjectAccessToken", name, { ...args, token: undefined }, { ...opts, additionalSecretOutputs: ["token"] });
  }
}

class ProjectVariable extends pulumi.CustomResource {
  constructor(name: string, args: Record<string, pulumi.Input<unknown>>, opts: pulumi.CustomResourceOptions) {
    super("gitlab:index/projectVariable:ProjectVariable", name, args, { ...opts, additionalSecretOutputs: ["value"] });
  }
}

describe("the stand-in through the real pulumi CLI", { timeout: 300_000 }, () => {
  let dir: string;
  let server: RecordingServer;
  let stack: Stack;
  let backend: string;
  const printed: string[] = [];
  let expiresAt = EXPIRES_AT;
  const callsSince = (start: number) => server.requests.slice(start).map((r) => `${r.method} ${r.path.slice(API_PREFIX.length)}`);

  before(async () => {
    // The CLI the whole suite runs (PULUMI_CLI, PATH or the cache `npm run engine` fills); none of
    // the SDK's release fails here, saying how to get it.
    const cli = await locatePulumiCli();
    dir = await mkdtemp(path.join(os.tmpdir(), "standin-cli-"));
    const home = path.join(dir, "pulumi-home");
    backend = path.join(dir, "state");
    const root = path.join(dir, "cli");
    await Promise.all([mkdir(home), mkdir(backend), mkdir(path.join(root, "bin"), { recursive: true })]);
    // PulumiCommand wants an installation root holding bin/pulumi.
    await symlink(cli.path, path.join(root, "bin", "pulumi"));
    const env = {
      PULUMI_HOME: home,
      PULUMI_BACKEND_URL: `file://${backend}`,
      PULUMI_CONFIG_PASSPHRASE: "stand-in test passphrase",
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    };
    const version = await promisify(execFile)(path.join(root, "bin", "pulumi"), ["version"], { env: { ...process.env, ...env } });
    assert.equal(version.stdout.trim(), `v${cli.version}`);
    const tarball = await buildStandInProviderPackage(path.join(dir, "plugin"), { nodePath: process.execPath });
    await promisify(execFile)(path.join(root, "bin", "pulumi"), ["plugin", "install", "resource", "gitlab", "10.1.1", "--file", tarball], { env: { ...process.env, ...env } });

    server = await startRecordingServer(statefulGitLab());
    const program = async () => {
      const provider = new GitLabProvider("gitlab", { baseUrl: server.apiUrl, token: pulumi.secret(FAKE_API_TOKEN) });
      const token = new ProjectAccessToken("pusher", { project: "xlink/app", name: "pusher", scopes: ["write_repository"], accessLevel: "developer", expiresAt }, { provider });
      new ProjectVariable(
        "pusher-var",
        { project: "xlink/consumer", key: "PUSH_TOKEN", value: token.token, protected: true, masked: true, hidden: true, environmentScope: "*", variableType: "env_var", raw: true },
        { provider },
      );
    };
    const pulumiCommand = await PulumiCommand.get({ root, skipVersionCheck: true });
    stack = await LocalWorkspace.createOrSelectStack(
      { stackName: "dev", projectName: "standin", program },
      { projectSettings: { name: "standin", runtime: "nodejs", backend: { url: `file://${backend}` } }, pulumiHome: home, envVars: env, pulumiCommand },
    );
  });

  after(async () => {
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("up creates the token, then the hidden variable holding its value, through the plugin installed as gitlab 10.1.1", async () => {
    const result = await stack.up({ onOutput: (text) => printed.push(text) });
    assert.deepEqual(result.summary.resourceChanges, { create: 4 });
    assert.deepEqual(callsSince(0), ["GET /user", "POST /projects/xlink%2Fapp/access_tokens", "POST /projects/xlink%2Fconsumer/variables"]);
    assert.deepEqual(JSON.parse(server.requests[1].body), { name: "pusher", scopes: ["write_repository"], access_level: 30, expires_at: EXPIRES_AT });
    assert.deepEqual(JSON.parse(server.requests[2].body), {
      key: "PUSH_TOKEN",
      value: FAKE_TOKEN_VALUE,
      description: "",
      environment_scope: "*",
      masked: false,
      masked_and_hidden: true,
      protected: true,
      raw: true,
      variable_type: "env_var",
    });
  });

  it("writes no token value and no API token to the state file in plaintext, and keeps them as secrets", async () => {
    const stacks = path.join(backend, ".pulumi", "stacks", "standin");
    const files = (await readdir(stacks)).filter((name) => name.endsWith(".json"));
    assert.deepEqual(files, ["dev.json"]);
    const text = await readFile(path.join(stacks, "dev.json"), "utf8");
    for (const canary of [FAKE_TOKEN_VALUE, FAKE_ROTATED_VALUE, FAKE_API_TOKEN]) assert.ok(!text.includes(canary), "a secret is in the state file in plaintext");
    const resources = JSON.parse(text).checkpoint.latest.resources as { type: string; id?: string; inputs: Record<string, unknown>; outputs: Record<string, unknown> }[];
    const byType = (type: string) => resources.find((r) => r.type === type);
    const isCiphertext = (value: unknown) => typeof value === "object" && value !== null && "ciphertext" in value;
    const token = byType("gitlab:index/projectAccessToken:ProjectAccessToken");
    const variable = byType("gitlab:index/projectVariable:ProjectVariable");
    assert.equal(token?.id, "xlink/app:500");
    assert.ok(isCiphertext(token?.outputs.token));
    assert.equal(variable?.id, "xlink/consumer:PUSH_TOKEN:*");
    assert.ok(isCiphertext(variable?.inputs.value), "Check kept the value wrapped, so the inputs hold it encrypted");
    assert.ok(isCiphertext(variable?.outputs.value));
    assert.ok(isCiphertext(byType("pulumi:providers:gitlab")?.inputs.token));
  });

  it("a second preview expects no changes, and calls nothing but the early auth check", async () => {
    const start = server.requests.length;
    const result = await stack.preview({ expectNoChanges: true, onOutput: (text) => printed.push(text) });
    assert.deepEqual(result.changeSummary, { same: 4 });
    assert.deepEqual(callsSince(start), ["GET /user"]);
  });

  it("a new expiry rotates the token in place and moves the variable to the new value; a refresh then takes the new ID", async () => {
    expiresAt = ROTATED_EXPIRES_AT;
    let start = server.requests.length;
    const result = await stack.up({ onOutput: (text) => printed.push(text) });
    assert.deepEqual(result.summary.resourceChanges, { update: 2, same: 2 });
    assert.deepEqual(callsSince(start), ["GET /user", "POST /projects/xlink%2Fapp/access_tokens/500/rotate", "PUT /projects/xlink%2Fconsumer/variables/PUSH_TOKEN?filter%5Benvironment_scope%5D=%2A"]);
    assert.deepEqual(JSON.parse(server.requests[start + 1].body), { expires_at: ROTATED_EXPIRES_AT });
    assert.equal(JSON.parse(server.requests[start + 2].body).value, FAKE_ROTATED_VALUE);
    start = server.requests.length;
    await stack.refresh({ onOutput: (text) => printed.push(text) });
    // The engine refreshes the two in parallel: their order varies.
    const [configure, ...reads] = callsSince(start);
    assert.equal(configure, "GET /user");
    assert.deepEqual(reads.sort(), ["GET /projects/xlink%2Fapp/access_tokens/501", "GET /projects/xlink%2Fconsumer/variables/PUSH_TOKEN?filter%5Benvironment_scope%5D=%2A"]);
    const state = await stack.exportStack();
    const token = state.deployment.resources.find((r: { type: string }) => r.type === "gitlab:index/projectAccessToken:ProjectAccessToken");
    assert.equal(token.id, "xlink/app:501");
  });

  it("destroy deletes the variable of its scope, then revokes the token and waits to see it revoked", async () => {
    const start = server.requests.length;
    const result = await stack.destroy({ onOutput: (text) => printed.push(text) });
    assert.deepEqual(result.summary.resourceChanges, { delete: 4 });
    assert.deepEqual(callsSince(start), [
      "GET /user",
      "DELETE /projects/xlink%2Fconsumer/variables/PUSH_TOKEN?filter%5Benvironment_scope%5D=%2A",
      "DELETE /projects/xlink%2Fapp/access_tokens/501",
      "GET /projects/xlink%2Fapp/access_tokens/501",
    ]);
  });

  it("printed no secret anywhere", () => {
    const all = printed.join("");
    assert.match(all, /gitlab:index:ProjectAccessToken/);
    for (const canary of [FAKE_TOKEN_VALUE, FAKE_ROTATED_VALUE, FAKE_API_TOKEN]) assert.ok(!all.includes(canary), "the CLI printed a secret");
  });
});
