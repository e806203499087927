// Project CI/CD variables through the emulator's HTTPS API: create, get, list (paginated), update,
// delete; environment scopes and `filter[environment_scope]`; hidden variables; who may manage them.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ACCESS } from "./state";
import { emulatorHarness, type TestProject } from "./testing";

const gitlab = emulatorHarness();

const CANARY_VALUE = "glpat-CANARYvariableVALUE0";

const createVariable = (project: TestProject, json: Record<string, unknown>, token?: string) => gitlab.call("POST", `/projects/${project.encoded}/variables`, { json, ...(token ? { token } : {}) });

async function created(project: TestProject, json: Record<string, unknown>) {
  const response = await createVariable(project, json);
  assert.equal(response.status, 201, response.text);
  return response.json as Record<string, unknown>;
}

describe("creating a variable", () => {
  it("answers 201 with GitLab's fields and defaults", async () => {
    const project = gitlab.project();
    assert.deepEqual(await created(project, { key: "PLAIN", value: "hello world" }), {
      variable_type: "env_var",
      key: "PLAIN",
      value: "hello world",
      hidden: false,
      protected: false,
      masked: false,
      raw: false,
      environment_scope: "*",
      description: null,
    });
  });

  it("stores every attribute it is given", async () => {
    const project = gitlab.project();
    const body = await created(project, { key: "PUSH_TOKEN", value: CANARY_VALUE, protected: true, masked: true, raw: true, variable_type: "file", environment_scope: "production", description: "push token for docs" });
    assert.deepEqual(body, { variable_type: "file", key: "PUSH_TOKEN", value: CANARY_VALUE, hidden: false, protected: true, masked: true, raw: true, environment_scope: "production", description: "push token for docs" });
    assert.deepEqual(gitlab.emulator.state.variable(project.id, "PUSH_TOKEN", "production"), {
      projectId: project.id,
      key: "PUSH_TOKEN",
      value: CANARY_VALUE,
      variableType: "file",
      protected: true,
      masked: true,
      hidden: false,
      raw: true,
      environmentScope: "production",
      description: "push token for docs",
    });
  });

  it("reads booleans as a form sends them", async () => {
    const project = gitlab.project();
    const response = await gitlab.call("POST", `/projects/${project.id}/variables`, { form: { key: "FORM", value: "x", protected: "true", raw: "1" } });
    assert.equal(response.status, 201);
    assert.equal((response.json as { protected: boolean }).protected, true);
    assert.equal((response.json as { raw: boolean }).raw, true);
  });

  it("reads a multipart body, as `curl --form` sends it", async () => {
    const project = gitlab.project();
    const boundary = "----emulator-test";
    const body = [`--${boundary}`, 'Content-Disposition: form-data; name="key"', "", "MULTI", `--${boundary}`, 'Content-Disposition: form-data; name="value"', "", "new value", `--${boundary}--`, ""].join("\r\n");
    const response = await gitlab.call("POST", `/projects/${project.id}/variables`, { body, headers: { "content-type": `multipart/form-data; boundary=${boundary}` } });
    assert.equal(response.status, 201, response.text);
    assert.equal((response.json as { value: string }).value, "new value");
  });
});

describe("hidden variables (masked_and_hidden, from 17.4)", () => {
  it("makes the variable masked and hidden and never answers its value", async () => {
    const project = gitlab.project();
    const body = await created(project, { key: "SECRET", value: CANARY_VALUE, masked_and_hidden: true, protected: true });
    assert.deepEqual(body, { variable_type: "env_var", key: "SECRET", value: null, hidden: true, protected: true, masked: true, raw: false, environment_scope: "*", description: null });
    const got = await gitlab.call("GET", `/projects/${project.id}/variables/SECRET`);
    assert.equal((got.json as { value: unknown }).value, null);
    const listed = await gitlab.call("GET", `/projects/${project.id}/variables`);
    assert.equal((listed.json as { value: unknown }[])[0].value, null);
    assert.equal(gitlab.emulator.state.variable(project.id, "SECRET")!.value, CANARY_VALUE);
  });

  it("masks a hidden variable even when masked is false, as the provider sends it", async () => {
    const project = gitlab.project();
    const body = await created(project, { key: "SECRET", value: CANARY_VALUE, masked: false, masked_and_hidden: true });
    assert.equal(body.masked, true);
    assert.equal(body.hidden, true);
  });

  it("updates a hidden variable's value without ever answering it", async () => {
    const project = gitlab.project();
    await created(project, { key: "SECRET", value: CANARY_VALUE, masked_and_hidden: true });
    const response = await gitlab.call("PUT", `/projects/${project.id}/variables/SECRET`, { json: { value: "glpat-CANARYsecondVALUE00" } });
    assert.equal(response.status, 200);
    assert.equal((response.json as { value: unknown }).value, null);
    assert.equal(gitlab.emulator.state.variable(project.id, "SECRET")!.value, "glpat-CANARYsecondVALUE00");
  });

  it("refuses to unmask a hidden variable", async () => {
    const project = gitlab.project();
    await created(project, { key: "SECRET", value: CANARY_VALUE, masked_and_hidden: true });
    const response = await gitlab.call("PUT", `/projects/${project.id}/variables/SECRET`, { json: { masked: false } });
    assert.equal(response.status, 400);
    assert.deepEqual(response.json, { message: { base: ["Updating masked attribute is not allowed on updates for hidden variables."] } });
  });

  it("ignores masked_and_hidden on update: only creation can hide a variable", async () => {
    const project = gitlab.project();
    await created(project, { key: "VISIBLE", value: CANARY_VALUE, masked: true });
    const response = await gitlab.call("PUT", `/projects/${project.id}/variables/VISIBLE`, { json: { masked_and_hidden: true } });
    assert.equal(response.status, 200);
    assert.equal((response.json as { hidden: boolean }).hidden, false);
    assert.equal((response.json as { value: string }).value, CANARY_VALUE);
  });
});

describe("getting, updating and deleting a variable", () => {
  it("gets a variable by key, and answers 404 Variable Not Found for a key the project lacks", async () => {
    const project = gitlab.project();
    const body = await created(project, { key: "ONE", value: "1" });
    const response = await gitlab.call("GET", `/projects/${project.id}/variables/ONE`);
    assert.equal(response.status, 200);
    assert.deepEqual(response.json, body);
    const missing = await gitlab.call("GET", `/projects/${project.id}/variables/TWO`);
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.json, { message: "404 Variable Not Found" });
  });

  it("updates only what is sent", async () => {
    const project = gitlab.project();
    await created(project, { key: "ONE", value: "1", protected: true, description: "first" });
    const response = await gitlab.call("PUT", `/projects/${project.id}/variables/ONE`, { json: { value: "2", raw: true } });
    assert.equal(response.status, 200);
    assert.deepEqual(response.json, { variable_type: "env_var", key: "ONE", value: "2", hidden: false, protected: true, masked: false, raw: true, environment_scope: "*", description: "first" });
  });

  it("reads an update from the query string, as the documented PUT example sends it", async () => {
    const project = gitlab.project();
    await created(project, { key: "SCOPED", value: "a", environment_scope: "production" });
    const response = await gitlab.call("PUT", `/projects/${project.id}/variables/SCOPED?value=scoped-variable-updated-value&environment_scope=production&filter[environment_scope]=production`);
    assert.equal(response.status, 200);
    assert.equal((response.json as { value: string }).value, "scoped-variable-updated-value");
  });

  it("moves a variable to another environment scope", async () => {
    const project = gitlab.project();
    await created(project, { key: "MOVE", value: "a" });
    const response = await gitlab.call("PUT", `/projects/${project.id}/variables/MOVE`, { json: { environment_scope: "staging" } });
    assert.equal((response.json as { environment_scope: string }).environment_scope, "staging");
    assert.equal(gitlab.emulator.state.variable(project.id, "MOVE", "*"), undefined);
    assert.equal(gitlab.emulator.state.variable(project.id, "MOVE", "staging")!.value, "a");
  });

  it("deletes a variable: 204, then 404", async () => {
    const project = gitlab.project();
    await created(project, { key: "GONE", value: "a" });
    const response = await gitlab.call("DELETE", `/projects/${project.id}/variables/GONE`);
    assert.equal(response.status, 204);
    assert.equal(response.text, "");
    assert.equal((await gitlab.call("DELETE", `/projects/${project.id}/variables/GONE`)).status, 404);
  });
});

describe("one key in several environment scopes", () => {
  const MULTIPLE = { message: "There are multiple variables with provided parameters. Please use 'filter[environment_scope]'" };

  async function twoScopes() {
    const project = gitlab.project();
    await created(project, { key: "TOKEN", value: "for-production", environment_scope: "production" });
    await created(project, { key: "TOKEN", value: "for-staging", environment_scope: "staging" });
    return project;
  }

  it("answers 409 to a get, update or delete without filter[environment_scope]", async () => {
    const project = await twoScopes();
    for (const method of ["GET", "PUT", "DELETE"]) {
      const response = await gitlab.call(method, `/projects/${project.id}/variables/TOKEN`, method === "PUT" ? { json: { value: "x" } } : {});
      assert.equal(response.status, 409, method);
      assert.deepEqual(response.json, MULTIPLE, method);
    }
    assert.equal(gitlab.emulator.state.variables(project.id).length, 2);
  });

  it("reaches each one with filter[environment_scope]", async () => {
    const project = await twoScopes();
    const got = await gitlab.call("GET", `/projects/${project.id}/variables/TOKEN?filter[environment_scope]=staging`);
    assert.equal((got.json as { value: string }).value, "for-staging");
    const updated = await gitlab.call("PUT", `/projects/${project.id}/variables/TOKEN?filter%5Benvironment_scope%5D=production`, { json: { value: "new-production" } });
    assert.equal(updated.status, 200);
    assert.equal(gitlab.emulator.state.variable(project.id, "TOKEN", "production")!.value, "new-production");
    assert.equal(gitlab.emulator.state.variable(project.id, "TOKEN", "staging")!.value, "for-staging");
    assert.equal((await gitlab.call("DELETE", `/projects/${project.id}/variables/TOKEN?filter[environment_scope]=staging`)).status, 204);
    assert.deepEqual(
      gitlab.emulator.state.variables(project.id).map((variable) => variable.environmentScope),
      ["production"],
    );
  });

  it("answers 404 for a filter that matches no scope", async () => {
    const project = await twoScopes();
    const response = await gitlab.call("GET", `/projects/${project.id}/variables/TOKEN?filter[environment_scope]=review`);
    assert.equal(response.status, 404);
    assert.deepEqual(response.json, { message: "404 Variable Not Found" });
  });
});

describe("listing variables", () => {
  it("pages 20 at a time by default, oldest first, with GitLab's headers and Link", async () => {
    const project = gitlab.project();
    for (let index = 1; index <= 25; index++) gitlab.emulator.control.createVariable(project.id, { key: `V${String(index).padStart(2, "0")}`, value: String(index) });
    const first = await gitlab.call("GET", `/projects/${project.id}/variables`);
    assert.equal(first.status, 200);
    assert.deepEqual((first.json as { key: string }[]).map((variable) => variable.key), Array.from({ length: 20 }, (_, index) => `V${String(index + 1).padStart(2, "0")}`));
    assert.equal(first.headers["x-total"], "25");
    assert.equal(first.headers["x-total-pages"], "2");
    assert.equal(first.headers["x-next-page"], "2");
    assert.equal(first.headers["x-prev-page"], "");
    const base = `${gitlab.emulator.origin}/api/v4/projects/${project.id}/variables`;
    assert.equal(first.headers.link, `<${base}?page=2&per_page=20>; rel="next", <${base}?page=1&per_page=20>; rel="first", <${base}?page=2&per_page=20>; rel="last"`);
    const second = await gitlab.call("GET", `/projects/${project.id}/variables?page=2`);
    assert.deepEqual((second.json as { key: string }[]).map((variable) => variable.key), ["V21", "V22", "V23", "V24", "V25"]);
    assert.equal(second.headers["x-next-page"], "");
  });

  it("answers at most 100 a page", async () => {
    const project = gitlab.project();
    for (let index = 0; index < 101; index++) gitlab.emulator.control.createVariable(project.id, { key: `K${index}`, value: "v" });
    const response = await gitlab.call("GET", `/projects/${project.id}/variables?per_page=500`);
    assert.equal((response.json as unknown[]).length, 100);
    assert.equal(response.headers["x-per-page"], "100");
  });

  it("answers an empty page past the end", async () => {
    const project = gitlab.project();
    await created(project, { key: "ONLY", value: "v" });
    const response = await gitlab.call("GET", `/projects/${project.id}/variables?page=3`);
    assert.deepEqual(response.json, []);
  });
});

describe("who may manage variables", () => {
  it("answers 403 Forbidden to a Developer, for reads and writes", async () => {
    const project = gitlab.project();
    const developer = gitlab.member(project, ACCESS.developer);
    for (const [method, path] of [
      ["GET", `/projects/${project.id}/variables`],
      ["POST", `/projects/${project.id}/variables`],
    ]) {
      const response = await gitlab.call(method, path, { token: developer.token, json: { key: "K", value: "v" } });
      assert.equal(response.status, 403, method);
      assert.deepEqual(response.json, { message: "403 Forbidden" });
    }
  });

  it("lets a Maintainer's token manage them", async () => {
    const project = gitlab.project();
    const maintainer = gitlab.member(project, ACCESS.maintainer);
    const response = await createVariable(project, { key: "K", value: "v" }, maintainer.token);
    assert.equal(response.status, 201);
  });

  it("lets a Maintainer project access token manage its own project's variables", async () => {
    const project = gitlab.project();
    const bot = gitlab.emulator.control.createProjectAccessToken(project.id, { name: "ci", scopes: ["api"], accessLevel: ACCESS.maintainer });
    assert.equal((await createVariable(project, { key: "K", value: "v" }, bot.token)).status, 201);
  });

  it("answers 404 Project Not Found to a non-member", async () => {
    const project = gitlab.project();
    const outsider = gitlab.member(gitlab.project(), ACCESS.owner);
    const response = await gitlab.call("GET", `/projects/${project.id}/variables`, { token: outsider.token });
    assert.equal(response.status, 404);
    assert.deepEqual(response.json, { message: "404 Project Not Found" });
  });

  it("lets a read_api token read but not write", async () => {
    const project = gitlab.project();
    assert.equal((await gitlab.call("GET", `/projects/${project.id}/variables`, { token: gitlab.emulator.readApiToken })).status, 200);
    const write = await createVariable(project, { key: "K", value: "v" }, gitlab.emulator.readApiToken);
    assert.equal(write.status, 403);
    assert.deepEqual(write.json, { error: "insufficient_scope", error_description: "The request requires higher privileges than provided by the access token.", scope: "api" });
  });
});
