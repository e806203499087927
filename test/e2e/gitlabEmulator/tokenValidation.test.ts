// Each rule GitLab applies to a new project access token, one test each, with the exact status and
// body: Grape's parameter checks ({"error": …}), then the service's and the model's ({"message":
// "400 Bad request - …"}). And the emulator's own options, which fail at start.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { startGitLabEmulator } from "./emulator";
import { ACCESS } from "./state";
import { emulatorHarness, inDays, TEST_TODAY } from "./testing";

const gitlab = emulatorHarness();

/** POST a token with `fields` over sensible defaults; `undefined` removes a field. */
async function create(fields: Record<string, unknown>, options: { token?: string; project?: string } = {}) {
  const project = options.project ?? String(gitlab.project().id);
  const json = Object.fromEntries(Object.entries({ name: "t", scopes: ["write_repository"], access_level: 30, expires_at: inDays(30), ...fields }).filter(([, value]) => value !== undefined));
  return gitlab.call("POST", `/projects/${project}/access_tokens`, { json, ...(options.token ? { token: options.token } : {}) });
}

async function refused(fields: Record<string, unknown>, status: number, body: unknown) {
  const response = await create(fields);
  assert.equal(response.status, status, response.text);
  assert.deepEqual(response.json, body);
}

describe("parameters (Grape, before the endpoint runs)", () => {
  it("requires name", () => refused({ name: undefined }, 400, { error: "name is missing" }));
  it("requires scopes", () => refused({ scopes: undefined }, 400, { error: "scopes is missing" }));
  it("reports every missing parameter at once, in declaration order", () => refused({ name: undefined, scopes: undefined }, 400, { error: "name is missing, scopes is missing" }));
  it("refuses a scope project access tokens cannot have", () => refused({ scopes: ["write_repository", "sudo"] }, 400, { error: "scopes does not have a valid value" }));
  it("refuses scopes that are not a list", () => refused({ scopes: "write_repository" }, 400, { error: "scopes is invalid" }));
  it("refuses an access level that is not a role", () => refused({ access_level: 35 }, 400, { error: "access_level does not have a valid value" }));
  it("refuses the group-only Minimal Access level (5)", () => refused({ access_level: 5 }, 400, { error: "access_level does not have a valid value" }));
  it("refuses a role name where the number goes", () => refused({ access_level: "developer" }, 400, { error: "access_level is invalid" }));
  it("refuses an expiry that is not a date", () => refused({ expires_at: "next week" }, 400, { error: "expires_at is invalid" }));
  it("refuses an expiry that is no calendar date", () => refused({ expires_at: "2027-02-30" }, 400, { error: "expires_at is invalid" }));

  it("checks parameters before looking at the project", async () => {
    const response = await create({ scopes: ["nope"] }, { project: "999999" });
    assert.equal(response.status, 400);
    assert.deepEqual(response.json, { error: "scopes does not have a valid value" });
  });

  it("takes the access level as a number in a string, as a form sends it", async () => {
    const response = await create({ access_level: "20" });
    assert.equal(response.status, 201);
    assert.equal((response.json as { access_level: number }).access_level, ACCESS.reporter);
  });

  it("takes every role create documents: 10, 15, 20, 30, 40 and 50", async () => {
    for (const level of [10, 15, 20, 30, 40, 50]) {
      const response = await create({ access_level: level });
      assert.equal(response.status, 201, `${level}: ${response.text}`);
      assert.equal((response.json as { access_level: number }).access_level, level);
    }
  });

  it("takes every project bot scope, self_rotate included", async () => {
    const scopes = ["api", "read_api", "read_registry", "write_registry", "read_repository", "write_repository", "create_runner", "manage_runner", "ai_features", "k8s_proxy", "self_rotate"];
    const response = await create({ scopes });
    assert.equal(response.status, 201, response.text);
    assert.deepEqual((response.json as { scopes: string[] }).scopes, scopes);
  });

  it("cuts a date-time expiry to its date", async () => {
    const response = await create({ expires_at: `${inDays(3)}T15:00:00Z` });
    assert.equal(response.status, 201);
    assert.equal((response.json as { expires_at: string }).expires_at, inDays(3));
  });
});

describe("the service's and the model's rules", () => {
  it("refuses a blank name", () => refused({ name: " " }, 400, { message: "400 Bad request - Name can't be blank" }));
  it("refuses an empty scope list", () => refused({ scopes: [] }, 400, { message: "400 Bad request - Scopes can't be blank" }));

  it("refuses an expiry past the instance maximum of 365 days, naming the limit", () => refused({ expires_at: inDays(366) }, 400, { message: `400 Bad request - Expires at must be before ${inDays(365)}` }));

  it("accepts an expiry exactly 365 days away", async () => {
    const response = await create({ expires_at: inDays(365) });
    assert.equal(response.status, 201);
  });

  it("joins several model errors into one sentence", () => refused({ scopes: [], expires_at: inDays(400) }, 400, { message: `400 Bad request - Scopes can't be blank and Expires at must be before ${inDays(365)}` }));

  it("creates a token whose expiry has passed, already inactive, since GitLab's model does not check the past", async () => {
    const response = await create({ expires_at: inDays(-1) });
    assert.equal(response.status, 201);
    const body = response.json as { active: boolean; token: string };
    assert.equal(body.active, false);
    const used = await gitlab.call("GET", "/user", { token: body.token });
    assert.equal(used.status, 401);
    assert.deepEqual(used.json, { error: "invalid_token", error_description: "Token is expired. You can either do re-authorization or token refresh." });
  });

  it("creates a token expiring today as already expired: tokens expire at the start of their expiry date, UTC", async () => {
    const response = await create({ expires_at: TEST_TODAY });
    assert.equal(response.status, 201);
    assert.equal((response.json as { active: boolean }).active, false);
  });

  it("refuses a caller below Maintainer", async () => {
    const project = gitlab.project();
    const developer = gitlab.member(project, ACCESS.developer);
    const response = await create({}, { token: developer.token, project: String(project.id) });
    assert.equal(response.status, 400);
    assert.deepEqual(response.json, { message: "400 Bad request - User does not have permission to create project access token" });
  });

  it("refuses a role above the creator's: a Maintainer cannot make an Owner token", async () => {
    const project = gitlab.project();
    const maintainer = gitlab.member(project, ACCESS.maintainer);
    const response = await create({ access_level: ACCESS.owner }, { token: maintainer.token, project: String(project.id) });
    assert.equal(response.status, 400);
    assert.deepEqual(response.json, { message: "400 Bad request - Access level of the token contains permissions not held by the creating user" });
    const allowed = await create({ access_level: ACCESS.maintainer }, { token: maintainer.token, project: String(project.id) });
    assert.equal(allowed.status, 201);
  });

  it("lets an Owner make an Owner token", async () => {
    const project = gitlab.project();
    const owner = gitlab.member(project, ACCESS.owner);
    const response = await create({ access_level: ACCESS.owner }, { token: owner.token, project: String(project.id) });
    assert.equal(response.status, 201);
  });

  it("refuses a project access token as the creator, whatever its role", async () => {
    const project = gitlab.project();
    const made = gitlab.emulator.control.createProjectAccessToken(project.id, { name: "owner-bot", scopes: ["api"], accessLevel: ACCESS.owner });
    const response = await create({}, { token: made.token, project: String(project.id) });
    assert.equal(response.status, 400);
    assert.deepEqual(response.json, { message: "400 Bad request - User does not have permission to create project access token" });
  });

  it("answers 404 Project Not Found for a project the caller is not a member of", async () => {
    const project = gitlab.project();
    const elsewhere = gitlab.project();
    const outsider = gitlab.member(elsewhere, ACCESS.owner);
    const response = await create({}, { token: outsider.token, project: project.encoded });
    assert.equal(response.status, 404);
    assert.deepEqual(response.json, { message: "404 Project Not Found" });
  });
});

describe("an instance whose maximum lifetime is raised to 400 days", () => {
  const extended = emulatorHarness({ maxTokenLifetimeDays: 400 });

  it("accepts 400 days and refuses 401, and defaults an omitted expiry to 400 days", async () => {
    const project = extended.project();
    const post = (json: Record<string, unknown>) => extended.call("POST", `/projects/${project.id}/access_tokens`, { json: { name: "t", scopes: ["read_api"], ...json } });
    assert.equal((await post({ expires_at: inDays(400) })).status, 201);
    const tooLong = await post({ expires_at: inDays(401) });
    assert.equal(tooLong.status, 400);
    assert.deepEqual(tooLong.json, { message: `400 Bad request - Expires at must be before ${inDays(400)}` });
    assert.equal(((await post({})).json as { expires_at: string }).expires_at, inDays(400));
  });
});

describe("the emulator's options", () => {
  const fails = (options: Parameters<typeof startGitLabEmulator>[0], message: string) => assert.rejects(startGitLabEmulator(options), { name: "RangeError", message });

  it("refuses a maximum lifetime over 400 days", () =>
    fails({ maxTokenLifetimeDays: 401 }, "GitLab emulator: maxTokenLifetimeDays is 401, not a whole number of days from 1 to 400. Fix: pass a value in that range, or leave it out for 365."));

  it("refuses a lifetime over 365 days on a release before 17.6", () =>
    fails(
      { maxTokenLifetimeDays: 400, version: "17.5.0" },
      "GitLab emulator: maxTokenLifetimeDays is 400, not a whole number of days from 1 to 365 (GitLab 17.5.0 has no longer limit; 400 days came in 17.6). Fix: pass a value in that range, or leave it out for 365.",
    ));

  it("refuses a lifetime that is not a whole number of days", () =>
    fails({ maxTokenLifetimeDays: 30.5 }, "GitLab emulator: maxTokenLifetimeDays is 30.5, not a whole number of days from 1 to 400. Fix: pass a value in that range, or leave it out for 365."));

  it("refuses a version that is not a release number", () => fails({ version: "latest" }, 'GitLab emulator: version "latest" is not a release number. Fix: pass a version such as "19.6.0".'));

  it("refuses a release older than 17.0", () => fails({ version: "16.11.2" }, "GitLab emulator: version 16.11.2 is older than 17.0.0, which the emulator does not model. Fix: pass 17.0.0 or later."));
});
