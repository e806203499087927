// Each rule GitLab applies to a project variable, one test each, with the exact status and body:
// Grape's parameter checks ({"error": …}) and the model's ({"message": {"<attribute>": [...]}}),
// after the project and role checks, which come first for variables.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ACCESS } from "./state";
import { emulatorHarness } from "./testing";

const gitlab = emulatorHarness();

async function post(json: Record<string, unknown>, project = gitlab.project()) {
  return gitlab.call("POST", `/projects/${project.id}/variables`, { json });
}

async function refused(json: Record<string, unknown>, body: unknown) {
  const response = await post(json);
  assert.equal(response.status, 400, response.text);
  assert.deepEqual(response.json, body);
}

async function accepted(json: Record<string, unknown>) {
  const response = await post(json);
  assert.equal(response.status, 201, response.text);
  return response.json as Record<string, unknown>;
}

describe("parameters", () => {
  it("requires key", () => refused({ value: "v" }, { error: "key is missing" }));
  it("requires value", () => refused({ key: "K" }, { error: "value is missing" }));
  it("refuses a variable type other than env_var and file", () => refused({ key: "K", value: "v", variable_type: "secret" }, { error: "variable_type does not have a valid value" }));
  it("refuses a boolean that is not one", () => refused({ key: "K", value: "v", protected: "maybe" }, { error: "protected is invalid" }));

  it("checks the role before the parameters", async () => {
    const project = gitlab.project();
    const developer = gitlab.member(project, ACCESS.developer);
    const response = await gitlab.call("POST", `/projects/${project.id}/variables`, { token: developer.token, json: { variable_type: "secret" } });
    assert.equal(response.status, 403);
    assert.deepEqual(response.json, { message: "403 Forbidden" });
  });
});

describe("keys", () => {
  it("allows only letters, digits and _", () => refused({ key: "PUSH-TOKEN", value: "v" }, { message: { key: ["can contain only letters, digits and '_'."] } }));
  it("refuses a blank key", () => refused({ key: "", value: "v" }, { message: { key: ["can't be blank", "can contain only letters, digits and '_'."] } }));
  it("refuses a key over 255 characters", () => refused({ key: "K".repeat(256), value: "v" }, { message: { key: ["is too long (maximum is 255 characters)"] } }));

  it("accepts a key of 255 characters", async () => {
    await accepted({ key: "K".repeat(255), value: "v" });
  });

  it("strips spaces around a key, as the model does", async () => {
    const body = await accepted({ key: "  PADDED  ", value: "v" });
    assert.equal(body.key, "PADDED");
  });
});

describe("one variable per key and environment scope", () => {
  it("refuses a second variable with the same key in the same scope", async () => {
    const project = gitlab.project();
    assert.equal((await post({ key: "PUSH_TOKEN", value: "a" }, project)).status, 201);
    const response = await post({ key: "PUSH_TOKEN", value: "b" }, project);
    assert.equal(response.status, 400);
    assert.deepEqual(response.json, { message: { key: ["(PUSH_TOKEN) has already been taken"] } });
  });

  it("accepts the same key in another scope", async () => {
    const project = gitlab.project();
    assert.equal((await post({ key: "PUSH_TOKEN", value: "a" }, project)).status, 201);
    assert.equal((await post({ key: "PUSH_TOKEN", value: "b", environment_scope: "production" }, project)).status, 201);
  });

  it("refuses an update that moves a variable onto a taken scope", async () => {
    const project = gitlab.project();
    await post({ key: "PUSH_TOKEN", value: "a" }, project);
    await post({ key: "PUSH_TOKEN", value: "b", environment_scope: "production" }, project);
    const response = await gitlab.call("PUT", `/projects/${project.id}/variables/PUSH_TOKEN?filter[environment_scope]=production`, { json: { environment_scope: "*" } });
    assert.equal(response.status, 400);
    assert.deepEqual(response.json, { message: { key: ["(PUSH_TOKEN) has already been taken"] } });
  });
});

describe("environment scopes", () => {
  it("refuses characters outside GitLab's environment scope set", () =>
    refused({ key: "K", value: "v", environment_scope: "prod#1" }, { message: { environment_scope: ["can contain only letters, digits, '-', '_', '/', '$', '{', '}', '.', '*' and spaces"] } }));

  it("refuses a blank scope", () =>
    refused({ key: "K", value: "v", environment_scope: "" }, { message: { environment_scope: ["can't be blank", "can contain only letters, digits, '-', '_', '/', '$', '{', '}', '.', '*' and spaces"] } }));

  it("accepts wildcards, slashes and spaces", async () => {
    const body = await accepted({ key: "K", value: "v", environment_scope: "review/* and ${CI_X}" });
    assert.equal(body.environment_scope, "review/* and ${CI_X}");
  });
});

describe("masking", () => {
  const invalidValue = { message: { value: ["is invalid"] } };

  it("refuses a masked value under 8 characters", () => refused({ key: "K", value: "1234567", masked: true }, invalidValue));
  it("refuses a masked value with a space", () => refused({ key: "K", value: "has a space", masked: true }, invalidValue));
  it("refuses a masked value over several lines", () => refused({ key: "K", value: "line-one\nline-two", masked: true }, invalidValue));
  it("refuses a masked value with $ when it is expanded (not raw)", () => refused({ key: "K", value: "abc$DEFGHIJ", masked: true }, invalidValue));
  it("refuses a masked value with characters outside Base64 plus @:.~ when expanded", () => refused({ key: "K", value: "abcdefgh!", masked: true }, invalidValue));

  it("accepts a masked value of 8 characters from the Base64 alphabet plus @ : . ~ - _", async () => {
    await accepted({ key: "K", value: "aZ09+/=@:.~-_", masked: true });
    await accepted({ key: "K2", value: "12345678", masked: true });
  });

  it("accepts a token-shaped value, masked", async () => {
    await accepted({ key: "K", value: "glpat-CANARYmaskedVALUE01", masked: true });
  });

  it("accepts any 8 non-space characters when the masked value is raw", async () => {
    await accepted({ key: "K", value: "abc$DEF!#", masked: true, raw: true });
  });

  it("still refuses spaces in a raw masked value", () => refused({ key: "K", value: "abc DEF!#", masked: true, raw: true }, invalidValue));

  it("applies the same rules to a hidden variable, which is masked", () => refused({ key: "K", value: "short", masked_and_hidden: true }, invalidValue));

  it("lets an unmasked value be anything, even empty", async () => {
    await accepted({ key: "K", value: "" });
    await accepted({ key: "K2", value: "a b\nc $D" });
  });

  it("refuses masking an existing variable whose value cannot be masked", async () => {
    const project = gitlab.project();
    await post({ key: "K", value: "short" }, project);
    const response = await gitlab.call("PUT", `/projects/${project.id}/variables/K`, { json: { masked: true } });
    assert.equal(response.status, 400);
    assert.deepEqual(response.json, invalidValue);
  });
});

describe("descriptions", () => {
  it("refuses a description over 255 characters", () => refused({ key: "K", value: "v", description: "d".repeat(256) }, { message: { description: ["is too long (maximum is 255 characters)"] } }));

  it("accepts a description of 255 characters", async () => {
    await accepted({ key: "K", value: "v", description: "d".repeat(255) });
  });
});

it("reports the errors of several attributes together", () =>
  refused({ key: "BAD-KEY", value: "short", masked: true, description: "d".repeat(300) }, {
    message: { key: ["can contain only letters, digits and '_'."], value: ["is invalid"], description: ["is too long (maximum is 255 characters)"] },
  }));
