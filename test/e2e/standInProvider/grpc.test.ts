// The packaged plugin as the engine runs it, called over gRPC, talking HTTP to a scripted GitLab on
// loopback: the exact REST calls and bodies it sends, the properties it returns (secrets wrapped),
// import and refresh reads, a revoked token, rotation on a new expiry, and GitLab's errors turned into
// messages that name what failed and never a token.

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import * as rpc from "@pulumi/pulumi/proto/provider_pb";
import { API_PREFIX, startRecordingServer, type RecordedRequest, type RecordingServer, type ScriptedReply } from "../../support/recordingServer";
import { TYPES } from "./model";
import { configureRequest, empty, plain, startPlugin, struct, urnOf, type RunningPlugin } from "./pluginProcess";
import { secret, SIGNATURE_KEY, UNKNOWN, type WireMap } from "./propertyValues";

const FAKE_API_TOKEN = "glpat-FAKEapiCanary0123456";
const FAKE_TOKEN_VALUE = "glpat-FAKEnewCanary0123456";
const FAKE_ROTATED_VALUE = "glpat-FAKErotCanary0123456";
const TOKEN_URN = urnOf(TYPES.projectAccessToken, "pusher");
const VARIABLE_URN = urnOf(TYPES.projectVariable, "pusher-var");

let plugin: RunningPlugin;
before(async () => {
  plugin = await startPlugin();
});
after(() => plugin.stop());

const servers: RecordingServer[] = [];
after(() => Promise.all(servers.map((server) => server.close())));

/** A scripted GitLab, with the plugin configured against it (no early auth check, so every request is the test's). */
async function gitlab(script: readonly ScriptedReply[]): Promise<RecordingServer> {
  const server = await startRecordingServer(script);
  servers.push(server);
  await plugin.rpc.configure(configureRequest({ baseUrl: server.apiUrl, token: secret(FAKE_API_TOKEN), earlyAuthCheck: "false" }));
  return server;
}

const calls = (server: RecordingServer) => server.requests.map((r) => `${r.method} ${r.path.slice(API_PREFIX.length)}`);
const bodyOf = (request: RecordedRequest) => JSON.parse(request.body) as unknown;

/** The gRPC error of a call that must fail, checked to name no secret. */
async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    const details = (error as { details: string }).details;
    for (const canary of [FAKE_API_TOKEN, FAKE_TOKEN_VALUE, FAKE_ROTATED_VALUE]) assert.ok(!details.includes(canary), `the error shows a secret: ${details}`);
    assert.doesNotMatch(details, /glpat-/);
    return details;
  }
  assert.fail("expected the call to fail");
}

const check = (urn: string, news: WireMap, olds: WireMap = {}) =>
  plugin.rpc.check(new rpc.CheckRequest().setUrn(urn).setType(urn.split("::")[2]).setName(urn.split("::")[3]).setNews(struct(news)).setOlds(struct(olds)).setRandomseed(new Uint8Array([7])));
const create = (urn: string, properties: WireMap, preview = false) =>
  plugin.rpc.create(new rpc.CreateRequest().setUrn(urn).setType(urn.split("::")[2]).setName(urn.split("::")[3]).setProperties(struct(properties)).setPreview(preview));
const read = (urn: string, id: string, properties: WireMap = {}, inputs?: WireMap) => {
  const request = new rpc.ReadRequest().setUrn(urn).setType(urn.split("::")[2]).setName(urn.split("::")[3]).setId(id).setProperties(struct(properties));
  if (inputs) request.setInputs(struct(inputs));
  return plugin.rpc.read(request);
};
const diff = (urn: string, id: string, olds: WireMap, news: WireMap) =>
  plugin.rpc.diff(new rpc.DiffRequest().setUrn(urn).setType(urn.split("::")[2]).setName(urn.split("::")[3]).setId(id).setOlds(struct(olds)).setNews(struct(news)).setOldInputs(struct(news)));
const update = (urn: string, id: string, olds: WireMap, news: WireMap, preview = false) =>
  plugin.rpc.update(new rpc.UpdateRequest().setUrn(urn).setType(urn.split("::")[2]).setName(urn.split("::")[3]).setId(id).setOlds(struct(olds)).setNews(struct(news)).setOldInputs(struct(news)).setPreview(preview));
const remove = (urn: string, id: string, properties: WireMap) =>
  plugin.rpc.delete(new rpc.DeleteRequest().setUrn(urn).setType(urn.split("::")[2]).setName(urn.split("::")[3]).setId(id).setProperties(struct(properties)));

/** GitLab's answer for a project access token (doc/api/project_access_tokens.md). */
const gitlabToken = (fields: Record<string, unknown> = {}) => ({
  id: 42,
  name: "pusher",
  description: "push token",
  scopes: ["write_repository"],
  access_level: 30,
  expires_at: "2031-01-31",
  created_at: "2026-12-01T10:00:00.500Z",
  active: true,
  revoked: false,
  user_id: 77,
  last_used_at: null,
  ...fields,
});
const tokenInputs: WireMap = { project: "xlink/app", name: "pusher", description: "push token", scopes: ["write_repository"], accessLevel: "developer", expiresAt: "2031-01-31" };
const tokenState: WireMap = {
  ...tokenInputs,
  id: "xlink/app:42",
  token: secret(FAKE_TOKEN_VALUE),
  active: true,
  revoked: false,
  userId: 77,
  createdAt: "2026-12-01 10:00:00.5 +0000 UTC",
  validatePastExpirationDate: false,
};

describe("the plugin as the engine starts it", () => {
  it("answers GetPluginInfo with 10.1.1 and Handshake with secrets, resources and autonaming support", async () => {
    assert.equal((await plugin.rpc.getPluginInfo(empty())).getVersion(), "10.1.1");
    const handshake = await plugin.rpc.handshake(new rpc.ProviderHandshakeRequest().setEngineAddress("127.0.0.1:1"));
    assert.deepEqual(
      [handshake.getAcceptSecrets(), handshake.getAcceptResources(), handshake.getAcceptOutputs(), handshake.getSupportsAutonamingConfiguration()],
      [true, true, false, true],
    );
  });

  it("serves a schema with both resources, the token output and the provider token secret", async () => {
    const schema = JSON.parse((await plugin.rpc.getSchema(new rpc.GetSchemaRequest())).getSchema());
    assert.equal(schema.name, "gitlab");
    assert.equal(schema.version, "10.1.1");
    assert.deepEqual(Object.keys(schema.resources).sort(), [TYPES.projectAccessToken, TYPES.projectVariable]);
    assert.equal(schema.resources[TYPES.projectAccessToken].properties.token.secret, true);
    assert.equal(schema.config.variables.token.secret, true);
  });

  it("answers UNIMPLEMENTED for Invoke (no function is served)", async () => {
    await assert.rejects(plugin.rpc.invoke(new rpc.InvokeRequest().setTok("gitlab:index/getProject:getProject")), (error: { code: number }) => error.code === 12);
  });
});

describe("the provider's configuration", () => {
  it("CheckConfig returns the API token wrapped as a secret, even when it came in plain, and names an unknown key", async () => {
    const response = await plugin.rpc.checkConfig(new rpc.CheckRequest().setUrn(urnOf(TYPES.provider, "gitlab")).setNews(struct({ baseUrl: "https://gitlab.example.com/api/v4", token: FAKE_API_TOKEN, version: "10.1.1", baseURL: "x" })));
    assert.deepEqual(plain(response.getInputs()), { baseUrl: "https://gitlab.example.com/api/v4", token: secret(FAKE_API_TOKEN), version: "10.1.1", baseURL: "x" });
    assert.deepEqual(
      response.getFailuresList().map((f) => f.getProperty()),
      ["baseURL"],
    );
    assert.match(response.getFailuresList()[0].getReason(), /"baseURL" is not a configuration key of the gitlab provider; the keys are baseUrl, /);
  });

  it("Configure checks the token early with GET /user, as a bearer token, from ConfigureRequest.args", async () => {
    const server = await startRecordingServer([{ json: { id: 1, username: "root" } }]);
    servers.push(server);
    await plugin.rpc.configure(configureRequest({ baseUrl: server.apiUrl, token: secret(FAKE_API_TOKEN) }));
    assert.deepEqual(calls(server), ["GET /user"]);
    assert.equal(server.requests[0].headers.authorization, `Bearer ${FAKE_API_TOKEN}`);
  });

  it("Configure fails on a refused token with GitLab's answer and the fix, never the token", async () => {
    const server = await startRecordingServer([{ status: 401, json: { message: "401 Unauthorized" } }]);
    servers.push(server);
    const details = await failure(plugin.rpc.configure(configureRequest({ baseUrl: server.apiUrl, token: secret(FAKE_API_TOKEN) })));
    const port = new URL(server.apiUrl).port;
    assert.equal(
      details,
      `Failed to configure the GitLab provider: the early authentication check (GET /user) failed: GET http://127.0.0.1:${port}/api/v4/user: 401 {message: 401 Unauthorized}. Check gitlab:token (or GITLAB_TOKEN) and gitlab:baseUrl (or GITLAB_BASE_URL), or set gitlab:earlyAuthCheck to false`,
    );
    // Every later call reports the same failure.
    assert.equal(await failure(read(TOKEN_URN, "xlink/app:42", tokenState)), details);
  });

  it("falls back to GITLAB_BASE_URL and GITLAB_TOKEN when the provider has no baseUrl or token", async () => {
    const server = await startRecordingServer([{ json: { id: 1 } }, { json: gitlabToken() }]);
    servers.push(server);
    const fromEnvironment = await startPlugin({ GITLAB_BASE_URL: server.apiUrl, GITLAB_TOKEN: FAKE_API_TOKEN });
    try {
      await fromEnvironment.rpc.configure(configureRequest({}));
      await fromEnvironment.rpc.read(new rpc.ReadRequest().setUrn(TOKEN_URN).setType(TYPES.projectAccessToken).setName("pusher").setId("xlink/app:42").setProperties(struct({})));
      assert.deepEqual(calls(server), ["GET /user", "GET /projects/xlink%2Fapp/access_tokens/42"]);
      assert.ok(server.requests.every((r) => r.headers.authorization === `Bearer ${FAKE_API_TOKEN}`));
    } finally {
      await fromEnvironment.stop();
    }
  });
});

describe("ProjectAccessToken", () => {
  it("Check returns the inputs as sent, autonaming an omitted name", async () => {
    const { name: _name, ...unnamed } = tokenInputs;
    const response = await check(TOKEN_URN, unnamed);
    assert.deepEqual(response.getFailuresList(), []);
    const inputs = plain(response.getInputs());
    assert.match(inputs.name as string, /^pusher-[0-9a-f]{7}$/);
    assert.deepEqual({ ...inputs, name: "pusher" }, tokenInputs);
  });

  it("Create in a preview calls nothing and plans the defaults, with the token value unknown", async () => {
    const server = await gitlab([]);
    const { accessLevel: _role, ...withoutRole } = tokenInputs;
    const response = await create(TOKEN_URN, withoutRole, true);
    assert.deepEqual(calls(server), []);
    const planned = plain(response.getProperties());
    assert.equal(planned.accessLevel, "maintainer");
    assert.equal(planned.validatePastExpirationDate, false);
    assert.equal(planned.token, UNKNOWN);
  });

  it("Create posts the token as GitLab takes it (role as a number) and returns the value as a secret", async () => {
    const server = await gitlab([{ status: 201, json: gitlabToken({ token: FAKE_TOKEN_VALUE }) }]);
    const response = await create(TOKEN_URN, tokenInputs);
    assert.deepEqual(calls(server), ["POST /projects/xlink%2Fapp/access_tokens"]);
    assert.deepEqual(bodyOf(server.requests[0]), { name: "pusher", description: "push token", scopes: ["write_repository"], access_level: 30, expires_at: "2031-01-31" });
    assert.equal(server.requests[0].headers["content-type"], "application/json");
    assert.equal(response.getId(), "xlink/app:42");
    assert.deepEqual(plain(response.getProperties()), tokenState);
  });

  it("Read on a refresh keeps the token value from state and reports a revoked token revoked, not gone", async () => {
    const server = await gitlab([{ json: gitlabToken({ revoked: true, active: false }) }]);
    const response = await read(TOKEN_URN, "xlink/app:42", tokenState, tokenInputs);
    assert.deepEqual(calls(server), ["GET /projects/xlink%2Fapp/access_tokens/42"]);
    assert.equal(response.getId(), "xlink/app:42");
    assert.deepEqual(plain(response.getProperties()), { ...tokenState, revoked: true, active: false });
    assert.deepEqual(plain(response.getInputs()), tokenInputs);
  });

  it("Diff then replaces the revoked token (reason: revoked), without deleting first", async () => {
    await gitlab([]);
    const response = await diff(TOKEN_URN, "xlink/app:42", { ...tokenState, revoked: true, active: false }, tokenInputs);
    assert.equal(response.getChanges(), rpc.DiffResponse.DiffChanges.DIFF_SOME);
    assert.deepEqual(response.getReplacesList(), ["revoked"]);
    assert.equal(response.getDeletebeforereplace(), false);
    assert.equal(response.getDetaileddiffMap().get("revoked")?.getKind(), rpc.PropertyDiff.Kind.UPDATE_REPLACE);
  });

  it("Read drops a token GitLab no longer has (404) from state", async () => {
    const server = await gitlab([{ status: 404, json: { message: "404 Not Found" } }]);
    const response = await read(TOKEN_URN, "xlink/app:42", tokenState, tokenInputs);
    assert.deepEqual(calls(server), ["GET /projects/xlink%2Fapp/access_tokens/42"]);
    assert.equal(response.getId(), "");
  });

  it("Read for an import takes only `<project>:<token id>` and rebuilds the inputs from GitLab, without a value", async () => {
    const server = await gitlab([{ json: gitlabToken() }]);
    const response = await read(TOKEN_URN, "xlink/app:42");
    assert.deepEqual(calls(server), ["GET /projects/xlink%2Fapp/access_tokens/42"]);
    const outputs = plain(response.getProperties());
    assert.equal(outputs.token, undefined, "GitLab never returns a token's value again");
    assert.deepEqual(plain(response.getInputs()), tokenInputs);
  });

  it("Read refuses an import ID that is not `<project>:<token id>`, saying which form it wants", async () => {
    await gitlab([]);
    assert.match(await failure(read(TOKEN_URN, "xlink/app:pusher")), /Could not parse access token ID "pusher" to int: the import ID is '<project>:<token id>'/);
    assert.match(await failure(read(TOKEN_URN, "42")), /Invalid resource ID format: The resource ID "42" has an invalid format. It should be '<project>:<token id>'/);
  });

  it("Update of the expiry rotates the token: new value and new id, the old one revoked by GitLab", async () => {
    const server = await gitlab([{ json: gitlabToken({ id: 43, expires_at: "2031-06-30", token: FAKE_ROTATED_VALUE }) }]);
    const news = { ...tokenInputs, expiresAt: "2031-06-30" };
    const preview = await update(TOKEN_URN, "xlink/app:42", tokenState, news, true);
    assert.deepEqual(calls(server), [], "a preview calls nothing");
    assert.equal(plain(preview.getProperties()).token, UNKNOWN);
    const response = await update(TOKEN_URN, "xlink/app:42", tokenState, news);
    assert.deepEqual(calls(server), ["POST /projects/xlink%2Fapp/access_tokens/42/rotate"]);
    assert.deepEqual(bodyOf(server.requests[0]), { expires_at: "2031-06-30" });
    assert.deepEqual(plain(response.getProperties()), { ...tokenState, id: "xlink/app:43", expiresAt: "2031-06-30", token: secret(FAKE_ROTATED_VALUE) });
  });

  it("after a rotation, reads and deletes the new token through the `id` output (Pulumi keeps the old resource ID)", async () => {
    const rotated = { ...tokenState, id: "xlink/app:43" };
    const server = await gitlab([{ json: gitlabToken({ id: 43 }) }, { status: 204 }, { json: gitlabToken({ id: 43, revoked: true, active: false }) }]);
    const refreshed = await read(TOKEN_URN, "xlink/app:42", rotated, tokenInputs);
    assert.equal(refreshed.getId(), "xlink/app:43", "a refresh hands the engine the new ID");
    await remove(TOKEN_URN, "xlink/app:42", rotated);
    assert.deepEqual(calls(server), ["GET /projects/xlink%2Fapp/access_tokens/43", "DELETE /projects/xlink%2Fapp/access_tokens/43", "GET /projects/xlink%2Fapp/access_tokens/43"]);
  });

  it("Delete revokes the token, then waits until GitLab reports it revoked", async () => {
    const server = await gitlab([{ status: 204 }, { json: gitlabToken({ revoked: true, active: false }) }]);
    await remove(TOKEN_URN, "xlink/app:42", tokenState);
    assert.deepEqual(calls(server), ["DELETE /projects/xlink%2Fapp/access_tokens/42", "GET /projects/xlink%2Fapp/access_tokens/42"]);
    assert.equal(server.requests[0].body, "");
  });

  it("turns GitLab's refusal into the provider's error, GitLab's message included, no secret", async () => {
    const server = await gitlab([{ status: 400, json: { message: { expires_at: ["must be before 2027-12-01"] } } }]);
    const details = await failure(create(TOKEN_URN, tokenInputs));
    const port = new URL(server.apiUrl).port;
    assert.equal(
      details,
      `Error creating GitLab ProjectAccessToken: Could not create GitLab ProjectAccessToken, unexpected error: POST http://127.0.0.1:${port}/api/v4/projects/xlink/app/access_tokens: 400 {message: {expires_at: [must be before 2027-12-01]}}`,
    );
  });

  it("never repeats a secret GitLab echoes back in an error", async () => {
    await gitlab([{ status: 403, json: { message: `token ${FAKE_API_TOKEN} may not rotate ${FAKE_TOKEN_VALUE}` } }]);
    const details = await failure(update(TOKEN_URN, "xlink/app:42", tokenState, { ...tokenInputs, expiresAt: "2031-06-30" }));
    assert.match(details, /^Error rotating GitLab ProjectAccessToken: Could not rotate GitLab ProjectAccessToken, unexpected error: POST .*\/rotate: 403 \{message: token \[secret\] may not rotate \[secret\]\}$/);
  });

  it("retries a 5xx answer, then succeeds", async () => {
    const server = await gitlab([{ status: 502, text: "Bad Gateway" }, { status: 201, json: gitlabToken({ token: FAKE_TOKEN_VALUE }) }]);
    const response = await create(TOKEN_URN, tokenInputs);
    assert.deepEqual(calls(server), ["POST /projects/xlink%2Fapp/access_tokens", "POST /projects/xlink%2Fapp/access_tokens"]);
    assert.equal(response.getId(), "xlink/app:42");
  });
});

describe("ProjectVariable", () => {
  const variableInputs: WireMap = { project: "xlink/consumer", key: "PUSH_TOKEN", value: secret(FAKE_TOKEN_VALUE), protected: true, masked: true, hidden: true, environmentScope: "production", variableType: "env_var", raw: true };
  const variableState: WireMap = { ...variableInputs, id: "xlink/consumer:PUSH_TOKEN:production", description: "" };
  /** GitLab's answer for a hidden variable: never its value. */
  const gitlabVariable = (fields: Record<string, unknown> = {}) => ({ key: "PUSH_TOKEN", value: null, variable_type: "env_var", protected: true, masked: true, hidden: true, raw: true, environment_scope: "production", description: null, ...fields });

  it("Check returns the secret value still wrapped (or the engine would write it to state in plaintext)", async () => {
    const response = await check(VARIABLE_URN, variableInputs);
    assert.deepEqual(response.getFailuresList(), []);
    const inputs = plain(response.getInputs());
    assert.deepEqual(inputs, variableInputs);
    assert.ok(typeof inputs.value === "object" && inputs.value !== null && SIGNATURE_KEY in inputs.value);
  });

  it("Check refuses a hidden variable that is not masked, naming hidden", async () => {
    const response = await check(VARIABLE_URN, { ...variableInputs, masked: false });
    assert.deepEqual(
      response.getFailuresList().map((f) => [f.getProperty(), f.getReason()]),
      [["hidden", "Invalid value for a masked variable: A variable cannot be hidden without being masked. Please set the masked attribute to true. Examine values at 'pusher-var.hidden'."]],
    );
  });

  it("Create makes a hidden variable with masked_and_hidden, and keeps the value GitLab does not return, secret", async () => {
    const server = await gitlab([{ status: 201, json: gitlabVariable() }]);
    const response = await create(VARIABLE_URN, variableInputs);
    assert.deepEqual(calls(server), ["POST /projects/xlink%2Fconsumer/variables"]);
    assert.deepEqual(bodyOf(server.requests[0]), {
      key: "PUSH_TOKEN",
      value: FAKE_TOKEN_VALUE,
      description: "",
      environment_scope: "production",
      masked: false,
      masked_and_hidden: true,
      protected: true,
      raw: true,
      variable_type: "env_var",
    });
    assert.equal(response.getId(), "xlink/consumer:PUSH_TOKEN:production");
    assert.deepEqual(plain(response.getProperties()), variableState);
  });

  it("Create of a plain variable sends what GitLab takes and returns GitLab's value as the secret it came in as", async () => {
    const plainVariable = { project: "4242", key: "GITOPS_TOKEN", value: secret(FAKE_TOKEN_VALUE) };
    const server = await gitlab([{ status: 201, json: gitlabVariable({ key: "GITOPS_TOKEN", value: FAKE_TOKEN_VALUE, hidden: false, masked: false, protected: false, raw: false, environment_scope: "*" }) }]);
    const response = await create(VARIABLE_URN, plainVariable);
    // Left out, masked and raw go as false and description as "" (upstream dereferences the unknown plan
    // value); protected and variable_type are not sent at all.
    assert.deepEqual(bodyOf(server.requests[0]), { key: "GITOPS_TOKEN", value: FAKE_TOKEN_VALUE, description: "", environment_scope: "*", masked: false, raw: false });
    assert.deepEqual(plain(response.getProperties()), {
      ...plainVariable,
      id: "4242:GITOPS_TOKEN:*",
      variableType: "env_var",
      protected: false,
      masked: false,
      hidden: false,
      environmentScope: "*",
      raw: false,
      description: "",
    });
  });

  it("Read on a refresh filters by environment scope and keeps the hidden value and its secretness", async () => {
    const server = await gitlab([{ json: gitlabVariable() }]);
    const response = await read(VARIABLE_URN, "xlink/consumer:PUSH_TOKEN:production", variableState, variableInputs);
    assert.deepEqual(calls(server), ["GET /projects/xlink%2Fconsumer/variables/PUSH_TOKEN?filter%5Benvironment_scope%5D=production"]);
    assert.deepEqual(plain(response.getProperties()), variableState);
    assert.deepEqual(plain(response.getInputs()), variableInputs);
  });

  it("Read for an import takes `<project>:<key>:<environment scope>` and rebuilds the inputs GitLab can tell", async () => {
    const server = await gitlab([{ json: gitlabVariable({ hidden: false, value: "visible-value-1", environment_scope: "*" }) }]);
    const response = await read(VARIABLE_URN, "xlink/consumer:PUSH_TOKEN:*");
    assert.deepEqual(calls(server), ["GET /projects/xlink%2Fconsumer/variables/PUSH_TOKEN?filter%5Benvironment_scope%5D=%2A"]);
    assert.deepEqual(plain(response.getInputs()), { project: "xlink/consumer", key: "PUSH_TOKEN", value: "visible-value-1", protected: true, masked: true, hidden: false, environmentScope: "*", variableType: "env_var", raw: true, description: "" });
  });

  it("Update puts the new value in place, filtered by environment scope", async () => {
    const server = await gitlab([{ json: gitlabVariable() }]);
    const news = { ...variableInputs, value: secret(FAKE_ROTATED_VALUE) };
    const response = await update(VARIABLE_URN, "xlink/consumer:PUSH_TOKEN:production", variableState, news);
    assert.deepEqual(calls(server), ["PUT /projects/xlink%2Fconsumer/variables/PUSH_TOKEN?filter%5Benvironment_scope%5D=production"]);
    assert.deepEqual(bodyOf(server.requests[0]), { value: FAKE_ROTATED_VALUE, description: "", environment_scope: "production", masked: true, protected: true, raw: true, variable_type: "env_var" });
    assert.deepEqual(plain(response.getProperties()), { ...variableState, value: secret(FAKE_ROTATED_VALUE) });
  });

  it("Delete removes exactly the variable of its environment scope, and counts a 404 as deleted", async () => {
    const server = await gitlab([{ status: 204 }, { status: 404, json: { message: "404 Variable Not Found" } }]);
    await remove(VARIABLE_URN, "xlink/consumer:PUSH_TOKEN:production", variableState);
    await remove(VARIABLE_URN, "xlink/consumer:PUSH_TOKEN:production", variableState);
    assert.deepEqual(calls(server), [
      "DELETE /projects/xlink%2Fconsumer/variables/PUSH_TOKEN?filter%5Benvironment_scope%5D=production",
      "DELETE /projects/xlink%2Fconsumer/variables/PUSH_TOKEN?filter%5Benvironment_scope%5D=production",
    ]);
  });

  it("explains GitLab's refusal of a masked value, without the value", async () => {
    const { hidden: _hidden, ...masked } = variableInputs;
    await gitlab([{ status: 400, json: { message: { value: ["is invalid"] } } }]);
    const details = await failure(create(VARIABLE_URN, masked));
    assert.match(details, /^Invalid value for a masked variable: POST http:\/\/127\.0\.0\.1:\d+\/api\/v4\/projects\/xlink\/consumer\/variables: 400 \{message: \{value: \[is invalid\]\}\}; a masked value must meet GitLab's masking requirements/);
  });
});
