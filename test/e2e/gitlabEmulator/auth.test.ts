// Authentication and authorisation as GitLab's API guard does them: where the token may travel,
// what an unknown, revoked or expired token answers (and when a token expires), scopes, and a
// project access token acting as its bot user.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ACCESS } from "./state";
import { emulatorHarness, inDays, TEST_NOW } from "./testing";

const gitlab = emulatorHarness();

const EXPIRED = { error: "invalid_token", error_description: "Token is expired. You can either do re-authorization or token refresh." };
const REVOKED = { error: "invalid_token", error_description: "Token was revoked. You have to re-authorize from the user." };

describe("where the token travels", () => {
  it("accepts the PRIVATE-TOKEN header", async () => {
    const response = await gitlab.call("GET", "/user");
    assert.equal(response.status, 200);
    assert.equal((response.json as { username: string }).username, "root");
  });

  it("accepts Authorization: Bearer", async () => {
    const response = await gitlab.call("GET", "/user", { auth: "bearer" });
    assert.equal(response.status, 200);
  });

  it("accepts the private_token parameter", async () => {
    const response = await gitlab.call("GET", `/user?private_token=${gitlab.emulator.apiToken}`, { token: undefined });
    assert.equal(response.status, 200);
  });

  it("answers 401 Unauthorized without a token", async () => {
    const response = await gitlab.call("GET", "/user", { token: undefined });
    assert.equal(response.status, 401);
    assert.deepEqual(response.json, { message: "401 Unauthorized" });
  });

  it("answers 401 Unauthorized to a token GitLab does not know", async () => {
    const response = await gitlab.call("GET", "/user", { token: "glpat-FAKEunknownTOKEN0000" });
    assert.equal(response.status, 401);
    assert.deepEqual(response.json, { message: "401 Unauthorized" });
  });
});

describe("revoked and expired tokens", () => {
  it("answers a revoked token 401 invalid_token with a WWW-Authenticate header", async () => {
    const project = gitlab.project();
    const made = gitlab.emulator.control.createProjectAccessToken(project.id, { name: "r", scopes: ["read_api"] });
    gitlab.emulator.control.revokeToken(made.id);
    const response = await gitlab.call("GET", "/user", { token: made.token });
    assert.equal(response.status, 401);
    assert.deepEqual(response.json, REVOKED);
    assert.equal(response.headers["www-authenticate"], `Bearer realm="The API", error="invalid_token", error_description="${REVOKED.error_description}"`);
  });

  it("answers an expired token 401 invalid_token 'Token is expired'", async () => {
    const project = gitlab.project();
    const made = gitlab.emulator.control.createProjectAccessToken(project.id, { name: "e", scopes: ["read_api"], expiresAt: inDays(-1) });
    const response = await gitlab.call("GET", "/user", { token: made.token });
    assert.equal(response.status, 401);
    assert.deepEqual(response.json, EXPIRED);
  });

  it("reports expiry before revocation for a token that is both", async () => {
    const project = gitlab.project();
    const made = gitlab.emulator.control.createProjectAccessToken(project.id, { name: "both", scopes: ["read_api"], expiresAt: inDays(-1), revoked: true });
    assert.deepEqual((await gitlab.call("GET", "/user", { token: made.token })).json, EXPIRED);
  });

  it("lets a token work until the last instant before its expiry date and stops it at 00:00 UTC that day", async () => {
    const project = gitlab.project();
    const made = gitlab.emulator.control.createProjectAccessToken(project.id, { name: "edge", scopes: ["read_api"], expiresAt: inDays(1) });
    try {
      gitlab.clock.set(`${inDays(0)}T23:59:59.999Z`);
      assert.equal((await gitlab.call("GET", "/user", { token: made.token })).status, 200);
      gitlab.clock.set(`${inDays(1)}T00:00:00.000Z`);
      const response = await gitlab.call("GET", "/user", { token: made.token });
      assert.equal(response.status, 401);
      assert.deepEqual(response.json, EXPIRED);
      assert.equal(gitlab.emulator.state.token(made.id)!.active, false);
    } finally {
      gitlab.clock.set(TEST_NOW);
    }
  });
});

describe("scopes", () => {
  const insufficient = (scope: string) => ({ error: "insufficient_scope", error_description: "The request requires higher privileges than provided by the access token.", scope });

  it("lets read_api read and answers 403 insufficient_scope (api) to its writes", async () => {
    const project = gitlab.project();
    const token = gitlab.emulator.readApiToken;
    assert.equal((await gitlab.call("GET", `/projects/${project.id}`, { token })).status, 200);
    const write = await gitlab.call("POST", `/projects/${project.id}/access_tokens`, { token, json: { name: "t", scopes: ["api"] } });
    assert.equal(write.status, 403);
    assert.deepEqual(write.json, insufficient("api"));
    assert.equal(write.headers["www-authenticate"], undefined);
  });

  it("answers a write_repository-only token 403 on the API: it is for git, not for the API", async () => {
    const project = gitlab.project();
    const push = (await gitlab.createToken(project, { scopes: ["write_repository"] })).token as string;
    assert.deepEqual((await gitlab.call("GET", `/projects/${project.id}/variables`, { token: push })).json, insufficient("api read_api"));
    assert.deepEqual((await gitlab.call("GET", "/user", { token: push })).json, insufficient("api read_api read_user"));
  });

  it("lets read_user read the current user", async () => {
    const user = gitlab.emulator.control.addUser({ username: "reader" });
    const made = gitlab.emulator.control.createPersonalAccessToken(user.id, { scopes: ["read_user"] });
    const response = await gitlab.call("GET", "/user", { token: made.token });
    assert.equal(response.status, 200);
    assert.equal((response.json as { username: string }).username, "reader");
  });
});

describe("a project access token is its bot user", () => {
  it("answers GET /user with the bot user: named after the token, bot true, no is_admin", async () => {
    const project = gitlab.project();
    const created = await gitlab.createToken(project, { name: "ci-bot-token", scopes: ["read_api"] });
    const response = await gitlab.call("GET", "/user", { token: created.token as string });
    assert.equal(response.status, 200);
    const user = response.json as Record<string, unknown>;
    assert.equal(user.id, created.user_id);
    assert.match(user.username as string, new RegExp(`^project_${project.id}_bot_[0-9a-f]{32}$`));
    assert.equal(user.name, "ci-bot-token");
    assert.equal(user.bot, true);
    assert.equal("is_admin" in user, false);
  });

  it("sees its own project and no other", async () => {
    const project = gitlab.project();
    const other = gitlab.project();
    const created = await gitlab.createToken(project, { scopes: ["read_api"] });
    assert.equal((await gitlab.call("GET", `/projects/${project.id}`, { token: created.token as string })).status, 200);
    const elsewhere = await gitlab.call("GET", `/projects/${other.id}`, { token: created.token as string });
    assert.equal(elsewhere.status, 404);
    assert.deepEqual(elsewhere.json, { message: "404 Project Not Found" });
  });

  it("answers a Developer bot 401 on the token list (reading tokens needs Maintainer)", async () => {
    const project = gitlab.project();
    const created = await gitlab.createToken(project, { scopes: ["api"], access_level: ACCESS.developer });
    const response = await gitlab.call("GET", `/projects/${project.id}/access_tokens`, { token: created.token as string });
    assert.equal(response.status, 401);
    assert.deepEqual(response.json, { message: "401 Unauthorized" });
  });
});

describe("last use", () => {
  it("records a token's last use, at most every 10 minutes", async () => {
    const project = gitlab.project();
    const created = await gitlab.createToken(project, { scopes: ["read_api"] });
    const token = created.token as string;
    try {
      await gitlab.call("GET", "/user", { token });
      assert.equal(gitlab.emulator.state.token(created.id as number)!.lastUsedAt, TEST_NOW);
      gitlab.clock.advanceMs(5 * 60 * 1000);
      await gitlab.call("GET", "/user", { token });
      assert.equal(gitlab.emulator.state.token(created.id as number)!.lastUsedAt, TEST_NOW);
      gitlab.clock.advanceMs(5 * 60 * 1000);
      await gitlab.call("GET", "/user", { token });
      assert.equal(gitlab.emulator.state.token(created.id as number)!.lastUsedAt, "2026-12-01T12:10:00.000Z");
      const shown = await gitlab.call("GET", `/projects/${project.id}/access_tokens/${created.id}`);
      assert.equal((shown.json as { last_used_at: string }).last_used_at, "2026-12-01T12:10:00.000Z");
      assert.deepEqual((shown.json as { last_used_ips: string[] }).last_used_ips, ["127.0.0.1"]);
    } finally {
      gitlab.clock.set(TEST_NOW);
    }
  });
});
