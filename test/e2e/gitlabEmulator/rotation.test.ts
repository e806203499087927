// Rotating a project access token: a new id and value for the same bot user, the old token revoked
// at once; self-rotation; who may rotate what; and automatic reuse detection, which revokes a whole
// token family when a revoked token is used to rotate.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ACCESS } from "./state";
import { emulatorHarness, inDays } from "./testing";

const gitlab = emulatorHarness();

const rotate = (projectId: number, tokenId: unknown, options: { token?: string; json?: unknown } = {}) => gitlab.call("POST", `/projects/${projectId}/access_tokens/${String(tokenId)}/rotate`, options);

describe("rotating a project access token", () => {
  it("answers 200 with a new token for the same bot user and revokes the old one at once", async () => {
    const project = gitlab.project();
    const old = await gitlab.createToken(project, { name: "push", description: "docs", scopes: ["read_api", "write_repository"], access_level: 30, expires_at: inDays(30) });
    const response = await rotate(project.id, old.id, { json: { expires_at: inDays(60) } });
    assert.equal(response.status, 200);
    const rotated = response.json as Record<string, unknown>;
    const stored = gitlab.emulator.state.token(rotated.id as number)!;
    assert.deepEqual(rotated, { ...old, id: stored.id, token: stored.value, expires_at: inDays(60) });
    assert.notEqual(rotated.id, old.id);
    assert.notEqual(rotated.token, old.token);
    assert.equal(stored.previousId, old.id);

    const oldNow = await gitlab.call("GET", `/projects/${project.id}/access_tokens/${old.id}`);
    assert.equal((oldNow.json as { revoked: boolean }).revoked, true);
    assert.equal((oldNow.json as { active: boolean }).active, false);
    assert.equal((await gitlab.call("GET", "/user", { token: old.token as string })).status, 401);
    const asNew = await gitlab.call("GET", "/user", { token: rotated.token as string });
    assert.equal(asNew.status, 200);
    assert.equal((asNew.json as { id: number }).id, old.user_id);
  });

  it("gives the new token a week when no expiry is sent", async () => {
    const project = gitlab.project();
    const old = await gitlab.createToken(project);
    const response = await rotate(project.id, old.id);
    assert.equal(response.status, 200);
    assert.equal((response.json as { expires_at: string }).expires_at, inDays(7));
  });

  it("refuses an expiry past the maximum lifetime and leaves the old token as it was", async () => {
    const project = gitlab.project();
    const old = await gitlab.createToken(project);
    const response = await rotate(project.id, old.id, { json: { expires_at: inDays(366) } });
    assert.equal(response.status, 400);
    assert.deepEqual(response.json, { message: `400 Bad request - Expires at must be before ${inDays(365)}` });
    assert.equal(gitlab.emulator.state.token(old.id as number)!.revoked, false);
    assert.equal(gitlab.emulator.state.tokens(project.id).length, 1);
  });

  it("refuses an expiry that is not a date", async () => {
    const project = gitlab.project();
    const old = await gitlab.createToken(project);
    const response = await rotate(project.id, old.id, { json: { expires_at: "soon" } });
    assert.equal(response.status, 400);
    assert.deepEqual(response.json, { error: "expires_at is invalid" });
  });

  it("answers 400 Token already revoked for a revoked token, and revokes nothing more", async () => {
    const project = gitlab.project();
    const old = await gitlab.createToken(project);
    const next = (await rotate(project.id, old.id)).json as { id: number };
    const response = await rotate(project.id, old.id);
    assert.equal(response.status, 400);
    assert.deepEqual(response.json, { message: "400 Bad request - Token already revoked" });
    assert.equal(gitlab.emulator.state.token(next.id)!.revoked, false);
  });

  it("keeps the whole chain listed: each rotation adds a token, each older one revoked", async () => {
    const project = gitlab.project();
    const first = await gitlab.createToken(project);
    const second = (await rotate(project.id, first.id)).json as { id: number };
    const third = (await rotate(project.id, second.id)).json as { id: number };
    const list = (await gitlab.call("GET", `/projects/${project.id}/access_tokens`)).json as { id: number; revoked: boolean }[];
    assert.deepEqual(
      list.map((token) => [token.id, token.revoked]),
      [
        [first.id, true],
        [second.id, true],
        [third.id, false],
      ],
    );
  });
});

describe("who may rotate", () => {
  it("answers 401 to a Developer, and to a Maintainer naming a token that does not exist", async () => {
    const project = gitlab.project();
    const old = await gitlab.createToken(project);
    const developer = gitlab.member(project, ACCESS.developer);
    const maintainer = gitlab.member(project, ACCESS.maintainer);
    for (const [token, id] of [
      [developer.token, old.id],
      [maintainer.token, 777777],
    ] as const) {
      const response = await rotate(project.id, id, { token });
      assert.equal(response.status, 401);
      assert.deepEqual(response.json, { message: "401 Unauthorized" });
    }
    assert.equal(gitlab.emulator.state.token(old.id as number)!.revoked, false);
  });

  it("tells only an administrator that the token does not exist: 404 Not found", async () => {
    const project = gitlab.project();
    const response = await rotate(project.id, 777777);
    assert.equal(response.status, 404);
    assert.deepEqual(response.json, { message: "404 Not found" });
  });

  it("refuses a Maintainer rotating an Owner token", async () => {
    const project = gitlab.project();
    const ownerToken = await gitlab.createToken(project, { access_level: ACCESS.owner });
    const maintainer = gitlab.member(project, ACCESS.maintainer);
    const response = await rotate(project.id, ownerToken.id, { token: maintainer.token });
    assert.equal(response.status, 400);
    assert.deepEqual(response.json, { message: "400 Bad request - Not eligible to rotate tokens with permissions not held by the user" });
  });

  it("answers 401 to a project access token rotating another token of its project", async () => {
    const project = gitlab.project();
    const target = await gitlab.createToken(project);
    const bot = gitlab.emulator.control.createProjectAccessToken(project.id, { name: "rotator", scopes: ["api"], accessLevel: ACCESS.maintainer });
    const response = await rotate(project.id, target.id, { token: bot.token });
    assert.equal(response.status, 401);
    assert.deepEqual(response.json, { message: "401 Unauthorized" });
  });

  it("answers 403 insufficient_scope to a token without api", async () => {
    const project = gitlab.project();
    const target = await gitlab.createToken(project);
    const response = await rotate(project.id, target.id, { token: gitlab.emulator.readApiToken });
    assert.equal(response.status, 403);
    assert.deepEqual(response.json, { error: "insufficient_scope", error_description: "The request requires higher privileges than provided by the access token.", scope: "api" });
  });
});

describe("self-rotation", () => {
  it("rotates the calling project access token through the `self` keyword", async () => {
    const project = gitlab.project();
    const own = gitlab.emulator.control.createProjectAccessToken(project.id, { name: "self", scopes: ["api"], accessLevel: ACCESS.developer, expiresAt: inDays(10) });
    const response = await rotate(project.id, "self", { token: own.token, json: { expires_at: inDays(20) } });
    assert.equal(response.status, 200);
    const rotated = response.json as { id: number; user_id: number; expires_at: string; token: string };
    assert.equal(rotated.user_id, own.userId);
    assert.equal(rotated.expires_at, inDays(20));
    assert.equal(gitlab.emulator.state.token(own.id)!.revoked, true);
    assert.equal((await gitlab.call("GET", "/user", { token: rotated.token })).status, 200);
  });

  it("lets a token with only self_rotate rotate itself", async () => {
    const project = gitlab.project();
    const own = gitlab.emulator.control.createProjectAccessToken(project.id, { name: "self", scopes: ["self_rotate"], accessLevel: ACCESS.developer });
    const response = await rotate(project.id, "self", { token: own.token });
    assert.equal(response.status, 200);
  });

  it("answers 403 insufficient_scope (api or self_rotate) to a token with neither", async () => {
    const project = gitlab.project();
    const own = gitlab.emulator.control.createProjectAccessToken(project.id, { name: "self", scopes: ["read_api"], accessLevel: ACCESS.developer });
    const response = await rotate(project.id, "self", { token: own.token });
    assert.equal(response.status, 403);
    assert.deepEqual(response.json, { error: "insufficient_scope", error_description: "The request requires higher privileges than provided by the access token.", scope: "api self_rotate" });
  });

  it("answers 405 to a personal access token, which is no project access token", async () => {
    const project = gitlab.project();
    const response = await rotate(project.id, "self");
    assert.equal(response.status, 405);
    assert.deepEqual(response.json, { message: "405 Method Not Allowed" });
  });
});

describe("automatic reuse detection", () => {
  it("revokes the whole token family when a revoked token is used to rotate, and answers 401", async () => {
    const project = gitlab.project();
    const leaked = await gitlab.createToken(project, { scopes: ["api"], access_level: ACCESS.maintainer });
    const successor = (await rotate(project.id, leaked.id)).json as { id: number; token: string };
    const bystander = await gitlab.createToken(project, { name: "unrelated" });

    const reuse = await rotate(project.id, leaked.id, { token: leaked.token as string });
    assert.equal(reuse.status, 401);
    assert.deepEqual(reuse.json, { error: "invalid_token", error_description: "Token was revoked. You have to re-authorize from the user." });
    assert.equal(gitlab.emulator.state.token(successor.id)!.revoked, true);
    assert.equal(gitlab.emulator.state.token(bystander.id as number)!.revoked, false);
    assert.equal((await gitlab.call("GET", "/user", { token: successor.token })).status, 401);
  });

  it("fires on the `self` path too", async () => {
    const project = gitlab.project();
    const own = gitlab.emulator.control.createProjectAccessToken(project.id, { name: "self", scopes: ["api"], accessLevel: ACCESS.developer });
    const successor = (await rotate(project.id, "self", { token: own.token })).json as { id: number };
    assert.equal((await rotate(project.id, "self", { token: own.token })).status, 401);
    assert.equal(gitlab.emulator.state.token(successor.id)!.revoked, true);
  });

  it("does not fire when a revoked token is used elsewhere", async () => {
    const project = gitlab.project();
    const old = await gitlab.createToken(project, { scopes: ["api"], access_level: ACCESS.maintainer });
    const successor = (await rotate(project.id, old.id)).json as { id: number };
    assert.equal((await gitlab.call("GET", `/projects/${project.id}/access_tokens`, { token: old.token as string })).status, 401);
    assert.equal(gitlab.emulator.state.token(successor.id)!.revoked, false);
  });
});
