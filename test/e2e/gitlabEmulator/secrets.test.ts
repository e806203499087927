// No secret leaves the emulator except where GitLab itself answers one (a new token, a visible
// variable's value): not in the request log, not in assertNoUnknownRoutes' message, not when the
// handle is printed or serialised, not in pagination links.

import assert from "node:assert/strict";
import { inspect } from "node:util";
import { describe, it } from "node:test";
import { REDACTED } from "./requestLog";
import { emulatorHarness } from "./testing";

const gitlab = emulatorHarness();

describe("secrets", () => {
  it("redacts every token and value field of every logged request, at any depth, and private_token in queries", async () => {
    gitlab.emulator.log.clear();
    const project = gitlab.project();
    const created = await gitlab.createToken(project, { scopes: ["api"], access_level: 40 });
    const token = created.token as string;
    await gitlab.call("POST", `/projects/${project.id}/variables`, { json: { key: "PUSH_TOKEN", value: token, masked: true } });
    await gitlab.call("PUT", `/projects/${project.id}/variables/PUSH_TOKEN?value=${token}`);
    await gitlab.call("POST", `/projects/${project.id}/variables`, { json: { key: "NESTED", value: "v", extra: { token, list: [{ value: token }] } } });
    await gitlab.call("GET", `/user?private_token=${token}`, { token: undefined });
    await gitlab.call("POST", `/projects/${project.id}/access_tokens/${created.id}/rotate`);

    const logged = JSON.stringify(gitlab.emulator.log.requests());
    assert.equal(logged.includes(token), false);
    assert.equal(logged.includes(gitlab.emulator.apiToken), false);
    for (const secret of gitlab.emulator.state.snapshot().tokens.map((candidate) => candidate.value)) assert.equal(logged.includes(secret), false);
    const entries = gitlab.emulator.log.requests();
    assert.deepEqual(entries[1].body, { key: "PUSH_TOKEN", value: REDACTED, masked: true });
    assert.deepEqual(entries[2].query, { value: REDACTED });
    assert.deepEqual(entries[3].body, { key: "NESTED", value: REDACTED, extra: { token: REDACTED, list: [{ value: REDACTED }] } });
    assert.deepEqual(entries[4].query, { private_token: REDACTED });
  });

  it("keeps secrets out of assertNoUnknownRoutes' message", async () => {
    const value = "glpat-CANARYunknownROUTE00";
    await gitlab.call("GET", `/projects/1/nowhere?value=${value}&private_token=${value}`);
    assert.throws(
      () => gitlab.emulator.assertNoUnknownRoutes(),
      (error: Error) => !error.message.includes(value) && error.message.includes("value=[redacted]&private_token=[redacted]"),
    );
    gitlab.emulator.log.clear();
  });

  it("never echoes private_token into pagination links", async () => {
    const project = gitlab.project();
    const response = await gitlab.call("GET", `/projects/${project.id}/variables?private_token=${gitlab.emulator.apiToken}`, { token: undefined });
    assert.equal(response.status, 200);
    assert.equal(String(response.headers.link).includes(gitlab.emulator.apiToken), false);
  });

  it("shows no token when the handle is printed or serialised", () => {
    const printed = [inspect(gitlab.emulator, { depth: 5 }), JSON.stringify(gitlab.emulator), String(gitlab.emulator)].join("\n");
    assert.equal(printed.includes(gitlab.emulator.apiToken), false);
    assert.equal(printed.includes(gitlab.emulator.readApiToken), false);
  });
});
