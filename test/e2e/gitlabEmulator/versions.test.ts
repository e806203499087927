// Older GitLab releases, where they differ in ways the project meets: no token descriptions before
// 17.7, no hidden variables before 17.4, revoking deleted the bot user (and the token) before 17.9,
// and a few newer roles, scopes and fields.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { emulatorHarness, inDays } from "./testing";

describe("GitLab 17.6", () => {
  const gitlab = emulatorHarness({ version: "17.6.3" });

  it("answers tokens without description or last_used_ips, ignoring a description sent", async () => {
    const project = gitlab.project();
    const response = await gitlab.call("POST", `/projects/${project.id}/access_tokens`, { json: { name: "t", description: "ignored", scopes: ["write_repository"], access_level: 30, expires_at: inDays(30) } });
    assert.equal(response.status, 201);
    const body = response.json as Record<string, unknown>;
    assert.deepEqual(Object.keys(body), ["id", "name", "revoked", "created_at", "scopes", "user_id", "last_used_at", "active", "expires_at", "access_level", "resource_type", "resource_id", "token"]);
    assert.equal(gitlab.emulator.state.token(body.id as number)!.description, null);
  });

  it("refuses the Planner role (15) and the self_rotate scope, which came in 17.7 and 17.9", async () => {
    const project = gitlab.project();
    const post = (json: Record<string, unknown>) => gitlab.call("POST", `/projects/${project.id}/access_tokens`, { json: { name: "t", scopes: ["read_api"], expires_at: inDays(30), ...json } });
    assert.deepEqual((await post({ access_level: 15 })).json, { error: "access_level does not have a valid value" });
    assert.deepEqual((await post({ scopes: ["self_rotate"] })).json, { error: "scopes does not have a valid value" });
  });

  it("answers GET /version with that release", async () => {
    assert.equal(((await gitlab.call("GET", "/version")).json as { version: string }).version, "17.6.3");
  });
});

describe("GitLab 17.8: revoking deletes the bot user", () => {
  const gitlab = emulatorHarness({ version: "17.8.0" });

  it("takes the token with the bot user: it is no longer listed, read or revoked", async () => {
    const project = gitlab.project();
    const created = await gitlab.createToken(project);
    const kept = await gitlab.createToken(project, { name: "kept" });
    assert.equal((await gitlab.call("DELETE", `/projects/${project.id}/access_tokens/${created.id}`)).status, 204);
    const listed = (await gitlab.call("GET", `/projects/${project.id}/access_tokens`)).json as { id: number }[];
    assert.deepEqual(listed.map((token) => token.id), [kept.id]);
    const read = await gitlab.call("GET", `/projects/${project.id}/access_tokens/${created.id}`);
    assert.equal(read.status, 404);
    assert.deepEqual(read.json, { message: "404 project Access Token Not Found" });
    assert.equal((await gitlab.call("DELETE", `/projects/${project.id}/access_tokens/${created.id}`)).status, 404);
    assert.equal(gitlab.emulator.state.token(created.id as number), undefined);
  });
});

describe("GitLab 17.3: no hidden variables", () => {
  const gitlab = emulatorHarness({ version: "17.3.0" });

  it("ignores masked_and_hidden and answers variables without `hidden`", async () => {
    const project = gitlab.project();
    const response = await gitlab.call("POST", `/projects/${project.id}/variables`, { json: { key: "K", value: "glpat-CANARYoldGITLAB00000", masked: true, masked_and_hidden: true } });
    assert.equal(response.status, 201);
    assert.deepEqual(response.json, { variable_type: "env_var", key: "K", value: "glpat-CANARYoldGITLAB00000", protected: false, masked: true, raw: false, environment_scope: "*", description: null });
    assert.equal(gitlab.emulator.state.variable(project.id, "K")!.hidden, false);
  });
});

describe("GitLab 17.1: no state filter on the token list", () => {
  const gitlab = emulatorHarness({ version: "17.1.0" });

  it("ignores state, even a value 17.2 would refuse", async () => {
    const project = gitlab.project();
    const created = await gitlab.createToken(project);
    for (const state of ["inactive", "whatever"]) {
      const response = await gitlab.call("GET", `/projects/${project.id}/access_tokens?state=${state}`);
      assert.equal(response.status, 200);
      assert.deepEqual((response.json as { id: number }[]).map((token) => token.id), [created.id]);
    }
  });
});

describe("the default release", () => {
  const gitlab = emulatorHarness();

  it("is 19.6.0, with descriptions, last_used_ips and hidden variables", async () => {
    assert.equal(gitlab.emulator.version, "19.6.0");
    const project = gitlab.project();
    const token = await gitlab.createToken(project, { description: "kept" });
    assert.equal(token.description, "kept");
    assert.deepEqual(token.last_used_ips, []);
    const variable = await gitlab.call("POST", `/projects/${project.id}/variables`, { json: { key: "K", value: "glpat-CANARYnewGITLAB00000", masked_and_hidden: true } });
    assert.equal((variable.json as { hidden: boolean }).hidden, true);
  });
});

describe("an upgrade in place (control.upgradeTo)", () => {
  const gitlab = emulatorHarness({ version: "17.6.0" });

  it("keeps what the instance holds, a token made before 17.7 with no description, and behaves as the new release from then on", async () => {
    const project = gitlab.project();
    const before = await gitlab.createToken(project, { name: "before" });
    gitlab.emulator.control.upgradeTo("17.7.0");
    assert.equal(gitlab.emulator.version, "17.7.0");
    assert.equal(((await gitlab.call("GET", "/version")).json as { version: string }).version, "17.7.0");
    const read = (await gitlab.call("GET", `/projects/${project.id}/access_tokens/${before.id}`)).json as Record<string, unknown>;
    assert.equal(read.description, null);
    const after = await gitlab.call("POST", `/projects/${project.id}/access_tokens`, { json: { name: "after", description: "kept now", scopes: ["write_repository"], access_level: 30, expires_at: inDays(30) } });
    assert.equal((after.json as { description: string }).description, "kept now");
  });

  it("refuses a downgrade, naming the fix", () => {
    assert.throws(() => gitlab.emulator.control.upgradeTo("17.5.0"), { message: /cannot go from 17\.[67]\.0 down to 17\.5\.0\. Fix: start another emulator at that release\./ });
  });
});
