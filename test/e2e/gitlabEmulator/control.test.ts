// Out-of-band controls (drift, hand-made tokens and variables, seeding) and state inspection, each
// checked through what the HTTPS API then answers.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ACCESS } from "./state";
import { emulatorHarness, inDays, TEST_NOW } from "./testing";

const gitlab = emulatorHarness();

describe("drift on tokens", () => {
  it("revokes a token out of band: the API reports it revoked and it stops authenticating", async () => {
    const project = gitlab.project();
    const created = await gitlab.createToken(project, { scopes: ["read_api"] });
    gitlab.emulator.control.revokeToken(created.id as number);
    const read = await gitlab.call("GET", `/projects/${project.id}/access_tokens/${created.id}`);
    assert.deepEqual([(read.json as { revoked: boolean }).revoked, (read.json as { active: boolean }).active], [true, false]);
    assert.equal((await gitlab.call("GET", "/user", { token: created.token as string })).status, 401);
    assert.equal(gitlab.emulator.log.writes().filter((entry) => entry.route === "/projects/:id/access_tokens/:token_id").length, 0);
  });

  it("expires a token: its expiry becomes yesterday, it is inactive and answers 'Token is expired'", async () => {
    const project = gitlab.project();
    const created = await gitlab.createToken(project, { scopes: ["read_api"] });
    gitlab.emulator.control.expireToken(created.id as number);
    const read = (await gitlab.call("GET", `/projects/${project.id}/access_tokens/${created.id}`)).json as { expires_at: string; active: boolean; revoked: boolean };
    assert.deepEqual([read.expires_at, read.active, read.revoked], [inDays(-1), false, false]);
    const used = await gitlab.call("GET", "/user", { token: created.token as string });
    assert.equal((used.json as { error_description: string }).error_description, "Token is expired. You can either do re-authorization or token refresh.");
  });

  it("expires a token and deletes its bot user: the token is then gone, and revoking it answers 404", async () => {
    const project = gitlab.project();
    const created = await gitlab.createToken(project, { scopes: ["read_api"] });
    gitlab.emulator.control.expireToken(created.id as number, { deleteBotUser: true });
    assert.equal((await gitlab.call("GET", `/projects/${project.id}/access_tokens/${created.id}`)).status, 404);
    const revoke = await gitlab.call("DELETE", `/projects/${project.id}/access_tokens/${created.id}`);
    assert.equal(revoke.status, 404);
    assert.deepEqual(revoke.json, { message: "404 project Access Token Not Found" });
    assert.deepEqual((await gitlab.call("GET", `/projects/${project.id}/access_tokens`)).json, []);
    const used = await gitlab.call("GET", "/user", { token: created.token as string });
    assert.deepEqual([used.status, used.json], [401, { message: "401 Unauthorized" }]);
    assert.equal(gitlab.emulator.state.project(project.id)!.members[created.user_id as number], undefined);
  });

  it("refuses to delete the bot user of a personal access token, and names unknown tokens", () => {
    const made = gitlab.emulator.control.createPersonalAccessToken(gitlab.emulator.adminUserId, { scopes: ["api"] });
    assert.throws(() => gitlab.emulator.control.deleteBotUser(made.id), { message: `GitLab emulator: token ${made.id} is a personal access token, which has no bot user.` });
    assert.throws(() => gitlab.emulator.control.revokeToken(1), { message: "GitLab emulator: no token with id 1 (revoked tokens stay; a deleted bot user takes its token with it)." });
  });
});

describe("hand-made tokens and variables", () => {
  it("makes a token with any scope and role, as a person would by hand, and the API lists it", async () => {
    const project = gitlab.project();
    const made = gitlab.emulator.control.createProjectAccessToken(project.id, { name: "hand-made", scopes: ["api", "write_repository"], accessLevel: ACCESS.owner, expiresAt: inDays(500), description: "made in the UI" });
    const listed = (await gitlab.call("GET", `/projects/${project.id}/access_tokens`)).json as Record<string, unknown>[];
    assert.deepEqual(listed, [
      {
        id: made.id,
        name: "hand-made",
        revoked: false,
        created_at: TEST_NOW,
        description: "made in the UI",
        scopes: ["api", "write_repository"],
        user_id: made.userId,
        last_used_at: null,
        active: true,
        expires_at: inDays(500),
        last_used_ips: [],
        access_level: 50,
        resource_type: "project",
        resource_id: project.id,
      },
    ]);
    assert.equal((await gitlab.call("GET", `/projects/${project.id}/variables`, { token: made.token })).status, 200);
  });

  it("defaults a hand-made token to Maintainer and a year", () => {
    const project = gitlab.project();
    const made = gitlab.emulator.control.createProjectAccessToken(project.id, { name: "h", scopes: ["api"] });
    const stored = gitlab.emulator.state.token(made.id)!;
    assert.deepEqual([stored.accessLevel, stored.expiresAt], [ACCESS.maintainer, inDays(365)]);
  });

  it("makes a sloppy variable no API call could (unmaskable value marked masked, lowercase key with a dash)", async () => {
    const project = gitlab.project();
    gitlab.emulator.control.createVariable(project.id, { key: "push-token", value: "short", masked: true });
    const read = await gitlab.call("GET", `/projects/${project.id}/variables/push-token`);
    assert.deepEqual(read.json, { variable_type: "env_var", key: "push-token", value: "short", hidden: false, protected: false, masked: true, raw: false, environment_scope: "*", description: null });
  });

  it("changes and deletes a variable out of band", async () => {
    const project = gitlab.project();
    await gitlab.call("POST", `/projects/${project.id}/variables`, { json: { key: "K", value: "one", protected: true, environment_scope: "production" } });
    gitlab.emulator.control.updateVariable(project.id, "K", "production", { value: "drifted", protected: false });
    const read = (await gitlab.call("GET", `/projects/${project.id}/variables/K`)).json as { value: string; protected: boolean };
    assert.deepEqual([read.value, read.protected], ["drifted", false]);
    gitlab.emulator.control.deleteVariable(project.id, "K", "production");
    assert.equal((await gitlab.call("GET", `/projects/${project.id}/variables/K`)).status, 404);
    assert.throws(() => gitlab.emulator.control.deleteVariable(project.id, "K", "production"), { message: `GitLab emulator: project ${project.id} has no variable K in environment scope production.` });
  });
});

describe("seeding", () => {
  it("adds users and memberships, and names a project that does not exist", () => {
    const user = gitlab.emulator.control.addUser({ username: "alice", name: "Alice" });
    assert.throws(() => gitlab.emulator.control.addUser({ username: "alice" }), { message: "GitLab emulator: a user named alice exists already. Fix: choose another username." });
    assert.throws(() => gitlab.emulator.control.addMember("no/such", user.id, ACCESS.developer), { message: "GitLab emulator: no project no/such. Fix: add it first with control.addProject({ path })." });
    assert.throws(() => gitlab.emulator.control.addMember(gitlab.project().id, 9999, ACCESS.developer), { message: "GitLab emulator: no user with id 9999. Fix: add it first with control.addUser." });
  });
});

describe("state inspection", () => {
  it("shows everything, secrets included, as copies that do not change the instance", async () => {
    const project = gitlab.project();
    const created = await gitlab.createToken(project);
    await gitlab.call("POST", `/projects/${project.id}/variables`, { json: { key: "PUSH_TOKEN", value: created.token, masked_and_hidden: true } });
    const snapshot = gitlab.emulator.state.snapshot();
    const token = snapshot.tokens.find((candidate) => candidate.id === created.id)!;
    assert.equal(token.value, created.token);
    assert.equal(token.projectId, project.id);
    assert.equal(snapshot.variables.find((variable) => variable.projectId === project.id)!.value, created.token);
    assert.deepEqual(snapshot.projects.find((candidate) => candidate.id === project.id), { id: project.id, path: project.path, members: { [created.user_id as number]: 30 } });
    (token as { revoked: boolean }).revoked = true;
    assert.equal(gitlab.emulator.state.token(created.id as number)!.revoked, false);
  });

  it("finds a project's tokens and variables by path as well as by id", async () => {
    const project = gitlab.project();
    await gitlab.createToken(project);
    assert.deepEqual(gitlab.emulator.state.tokens(project.path), gitlab.emulator.state.tokens(project.id));
    assert.equal(gitlab.emulator.state.tokens(project.path).length, 1);
    assert.deepEqual(gitlab.emulator.state.tokens("no/such"), []);
  });

  it("knows today by its clock", () => {
    assert.equal(gitlab.emulator.today(), inDays(0));
  });
});
