// Project access tokens through the emulator's HTTPS API: create, get, list (filters, pagination),
// revoke, with the exact bodies GitLab answers.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ACCESS } from "./state";
import { emulatorHarness, inDays, TEST_NOW, TEST_TODAY } from "./testing";

const gitlab = emulatorHarness();

describe("creating a project access token", () => {
  it("answers 201 with the token's fields, its bot user and the secret, once", async () => {
    const project = gitlab.project();
    const response = await gitlab.call("POST", `/projects/${project.encoded}/access_tokens`, {
      json: { name: "push-web", description: "pushes generated docs", scopes: ["write_repository"], access_level: 30, expires_at: inDays(90) },
    });
    assert.equal(response.status, 201);
    const body = response.json as Record<string, unknown>;
    const stored = gitlab.emulator.state.token(body.id as number)!;
    assert.deepEqual(body, {
      id: stored.id,
      name: "push-web",
      revoked: false,
      created_at: TEST_NOW,
      description: "pushes generated docs",
      scopes: ["write_repository"],
      user_id: stored.userId,
      last_used_at: null,
      active: true,
      expires_at: inDays(90),
      last_used_ips: [],
      access_level: 30,
      resource_type: "project",
      resource_id: project.id,
      token: stored.value,
    });
    assert.match(stored.value, /^glpat-[A-Za-z0-9_-]{20}$/);
    assert.equal(stored.projectId, project.id);
    assert.equal(stored.accessLevel, ACCESS.developer);
    const bot = gitlab.emulator.state.snapshot().users.find((user) => user.id === stored.userId)!;
    assert.match(bot.username, new RegExp(`^project_${project.id}_bot_[0-9a-f]{32}$`));
    assert.equal(bot.name, "push-web");
    assert.equal(bot.botOfProject, project.id);
  });

  it("gives each token its own bot user, id and value", async () => {
    const project = gitlab.project();
    const first = await gitlab.createToken(project);
    const second = await gitlab.createToken(project);
    assert.notEqual(first.id, second.id);
    assert.notEqual(first.user_id, second.user_id);
    assert.notEqual(first.token, second.token);
  });

  it("defaults the role to Maintainer (40) and the description to null", async () => {
    const project = gitlab.project();
    const response = await gitlab.call("POST", `/projects/${project.id}/access_tokens`, { json: { name: "t", scopes: ["read_api"], expires_at: inDays(10) } });
    assert.equal(response.status, 201);
    assert.equal((response.json as { access_level: number }).access_level, 40);
    assert.equal((response.json as { description: unknown }).description, null);
  });

  it("sets an omitted expiry to the longest allowed: 365 days from today", async () => {
    const project = gitlab.project();
    const response = await gitlab.call("POST", `/projects/${project.id}/access_tokens`, { json: { name: "t", scopes: ["read_api"] } });
    assert.equal(response.status, 201);
    assert.equal((response.json as { expires_at: string }).expires_at, inDays(365));
  });

  it("reads a form body with scopes[] as GitLab's documented curl examples send it", async () => {
    const project = gitlab.project();
    const body = new URLSearchParams([
      ["name", "form-token"],
      ["scopes[]", "read_repository"],
      ["scopes[]", "write_repository"],
      ["access_level", "30"],
      ["expires_at", inDays(5)],
    ]).toString();
    const response = await gitlab.call("POST", `/projects/${project.id}/access_tokens`, { body, headers: { "content-type": "application/x-www-form-urlencoded" } });
    assert.equal(response.status, 201);
    assert.deepEqual((response.json as { scopes: string[] }).scopes, ["read_repository", "write_repository"]);
    assert.equal((response.json as { access_level: number }).access_level, 30);
  });
});

describe("getting a project access token", () => {
  it("answers the token without its secret", async () => {
    const project = gitlab.project();
    const created = await gitlab.createToken(project, { description: "d" });
    const response = await gitlab.call("GET", `/projects/${project.encoded}/access_tokens/${created.id}`);
    assert.equal(response.status, 200);
    const { token: _secret, ...withoutSecret } = created;
    assert.deepEqual(response.json, withoutSecret);
  });

  it("answers 404 project Access Token Not Found for an unknown id, a non-numeric id, or another project's token", async () => {
    const project = gitlab.project();
    const other = gitlab.project();
    const foreign = await gitlab.createToken(other);
    for (const id of ["999999", "self", "abc", String(foreign.id)]) {
      const response = await gitlab.call("GET", `/projects/${project.id}/access_tokens/${id}`);
      assert.equal(response.status, 404, id);
      assert.deepEqual(response.json, { message: "404 project Access Token Not Found" }, id);
    }
  });
});

describe("listing project access tokens", () => {
  it("lists every token of the project, revoked ones included, oldest first, with pagination headers", async () => {
    const project = gitlab.project();
    const first = await gitlab.createToken(project, { name: "a" });
    const second = await gitlab.createToken(project, { name: "b" });
    await gitlab.createToken(gitlab.project(), { name: "elsewhere" });
    assert.equal((await gitlab.call("DELETE", `/projects/${project.id}/access_tokens/${first.id}`)).status, 204);
    const response = await gitlab.call("GET", `/projects/${project.id}/access_tokens`);
    assert.equal(response.status, 200);
    const list = response.json as Record<string, unknown>[];
    assert.deepEqual(
      list.map((token) => [token.id, token.name, token.revoked, token.active]),
      [
        [first.id, "a", true, false],
        [second.id, "b", false, true],
      ],
    );
    assert.equal(list.some((token) => "token" in token), false);
    assert.equal(response.headers["x-total"], "2");
    assert.equal(response.headers["x-page"], "1");
    assert.equal(response.headers["x-per-page"], "20");
  });

  it("pages with page and per_page", async () => {
    const project = gitlab.project();
    const ids: unknown[] = [];
    for (let index = 0; index < 3; index++) ids.push((await gitlab.createToken(project, { name: `t${index}` })).id);
    const page2 = await gitlab.call("GET", `/projects/${project.id}/access_tokens?per_page=2&page=2`);
    assert.deepEqual((page2.json as { id: unknown }[]).map((token) => token.id), [ids[2]]);
    assert.equal(page2.headers["x-total-pages"], "2");
    assert.equal(page2.headers["x-prev-page"], "1");
    assert.equal(page2.headers["x-next-page"], "");
  });

  it("filters by state (active, inactive), revoked and search", async () => {
    const project = gitlab.project();
    const live = await gitlab.createToken(project, { name: "live-push" });
    const revoked = await gitlab.createToken(project, { name: "old-push" });
    await gitlab.call("DELETE", `/projects/${project.id}/access_tokens/${revoked.id}`);
    const expired = gitlab.emulator.control.createProjectAccessToken(project.id, { name: "expired", scopes: ["read_api"], expiresAt: inDays(-3) });
    const ids = async (query: string) => ((await gitlab.call("GET", `/projects/${project.id}/access_tokens?${query}`)).json as { id: number }[]).map((token) => token.id);
    assert.deepEqual(await ids("state=active"), [live.id]);
    assert.deepEqual(await ids("state=inactive"), [revoked.id, expired.id]);
    assert.deepEqual(await ids("revoked=true"), [revoked.id]);
    assert.deepEqual(await ids("revoked=false"), [live.id, expired.id]);
    assert.deepEqual(await ids("search=PUSH"), [live.id, revoked.id]);
  });

  it("puts a token on its expiry day in neither state list, as GitLab's SQL scopes do", async () => {
    const project = gitlab.project();
    const today = gitlab.emulator.control.createProjectAccessToken(project.id, { name: "ends-today", scopes: ["read_api"], expiresAt: TEST_TODAY });
    const ids = async (state: string) => ((await gitlab.call("GET", `/projects/${project.id}/access_tokens?state=${state}`)).json as { id: number }[]).map((token) => token.id);
    assert.deepEqual(await ids("active"), []);
    assert.deepEqual(await ids("inactive"), []);
    const all = (await gitlab.call("GET", `/projects/${project.id}/access_tokens`)).json as { id: number; active: boolean }[];
    assert.deepEqual(all, [{ ...all[0], id: today.id, active: false }]);
  });

  it("refuses a state other than active or inactive", async () => {
    const project = gitlab.project();
    const response = await gitlab.call("GET", `/projects/${project.id}/access_tokens?state=revoked`);
    assert.equal(response.status, 400);
    assert.deepEqual(response.json, { error: "state does not have a valid value" });
  });

  it("sorts by name when asked", async () => {
    const project = gitlab.project();
    const b = await gitlab.createToken(project, { name: "b" });
    const a = await gitlab.createToken(project, { name: "a" });
    const response = await gitlab.call("GET", `/projects/${project.id}/access_tokens?sort=name_asc`);
    assert.deepEqual((response.json as { id: unknown }[]).map((token) => token.id), [a.id, b.id]);
  });
});

describe("revoking a project access token", () => {
  it("answers 204, keeps the token as revoked and inactive, and the token stops working", async () => {
    const project = gitlab.project();
    const created = await gitlab.createToken(project, { scopes: ["read_api"] });
    assert.equal((await gitlab.call("GET", "/user", { token: created.token as string })).status, 200);
    const response = await gitlab.call("DELETE", `/projects/${project.id}/access_tokens/${created.id}`);
    assert.equal(response.status, 204);
    assert.equal(response.text, "");
    const after = await gitlab.call("GET", `/projects/${project.id}/access_tokens/${created.id}`);
    assert.equal(after.status, 200);
    assert.equal((after.json as { revoked: boolean }).revoked, true);
    assert.equal((after.json as { active: boolean }).active, false);
    const used = await gitlab.call("GET", "/user", { token: created.token as string });
    assert.equal(used.status, 401);
    assert.deepEqual(used.json, { error: "invalid_token", error_description: "Token was revoked. You have to re-authorize from the user." });
  });

  it("answers 204 again for a token already revoked", async () => {
    const project = gitlab.project();
    const created = await gitlab.createToken(project);
    await gitlab.call("DELETE", `/projects/${project.id}/access_tokens/${created.id}`);
    assert.equal((await gitlab.call("DELETE", `/projects/${project.id}/access_tokens/${created.id}`)).status, 204);
  });

  it("answers 404 project Access Token Not Found for a token the project does not have", async () => {
    const project = gitlab.project();
    const response = await gitlab.call("DELETE", `/projects/${project.id}/access_tokens/424242`);
    assert.equal(response.status, 404);
    assert.deepEqual(response.json, { message: "404 project Access Token Not Found" });
  });

  it("answers 400 '<user> cannot delete <bot>' to a member below Maintainer", async () => {
    const project = gitlab.project();
    const created = await gitlab.createToken(project, { name: "ci-push" });
    const developer = gitlab.member(project, ACCESS.developer);
    const response = await gitlab.call("DELETE", `/projects/${project.id}/access_tokens/${created.id}`, { token: developer.token });
    assert.equal(response.status, 400);
    assert.deepEqual(response.json, { message: `400 Bad request - ${developer.name} cannot delete ci-push` });
    assert.equal(gitlab.emulator.state.token(created.id as number)!.revoked, false);
  });
});
