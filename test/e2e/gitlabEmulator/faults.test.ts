// Fault injection: error statuses with bodies, 429 with Retry-After, connection resets (before the
// request does anything, or after it has), latency; matched by method and path, for N requests.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { emulatorHarness, TEST_NOW } from "./testing";

const gitlab = emulatorHarness();

describe("error statuses", () => {
  it("answers the next matching request with the status and body, changes nothing, then behaves again", async () => {
    const project = gitlab.project();
    const token = await gitlab.createToken(project);
    const fault = gitlab.emulator.control.injectFault({ method: "POST", path: "/projects/:id/access_tokens/:token_id/rotate", fault: { kind: "status", status: 500, body: { message: "500 Internal Server Error" } } });
    const failed = await gitlab.call("POST", `/projects/${project.id}/access_tokens/${token.id}/rotate`);
    assert.equal(failed.status, 500);
    assert.deepEqual(failed.json, { message: "500 Internal Server Error" });
    assert.equal(gitlab.emulator.state.token(token.id as number)!.revoked, false);
    assert.equal(fault.hits, 1);
    assert.equal(fault.remaining, 0);
    assert.equal((await gitlab.call("POST", `/projects/${project.id}/access_tokens/${token.id}/rotate`)).status, 200);
  });

  it("fires `times` times", async () => {
    const project = gitlab.project();
    gitlab.emulator.control.injectFault({ path: `/projects/${project.id}/variables`, times: 2, fault: { kind: "status", status: 503 } });
    const statuses = [];
    for (let index = 0; index < 3; index++) statuses.push((await gitlab.call("GET", `/projects/${project.id}/variables`)).status);
    assert.deepEqual(statuses, [503, 503, 200]);
  });

  it("answers a default JSON body, or a text body given as a string", async () => {
    const project = gitlab.project();
    gitlab.emulator.control.injectFault({ path: `/projects/${project.id}`, fault: { kind: "status", status: 502 } });
    gitlab.emulator.control.injectFault({ path: `/projects/${project.id}`, fault: { kind: "status", status: 502, body: "<html>Bad Gateway</html>" } });
    const first = await gitlab.call("GET", `/projects/${project.id}`);
    assert.deepEqual([first.status, first.json], [502, { message: "502 Bad Gateway" }]);
    const second = await gitlab.call("GET", `/projects/${project.id}`);
    assert.deepEqual([second.status, second.text, second.headers["content-type"]], [502, "<html>Bad Gateway</html>", "text/html"]);
  });

  it("matches only the method given", async () => {
    const project = gitlab.project();
    gitlab.emulator.control.injectFault({ method: "POST", path: `/projects/${project.id}/variables`, fault: { kind: "status", status: 500 } });
    assert.equal((await gitlab.call("GET", `/projects/${project.id}/variables`)).status, 200);
    assert.equal((await gitlab.call("POST", `/projects/${project.id}/variables`, { json: { key: "K", value: "v" } })).status, 500);
    assert.equal(gitlab.emulator.state.variables(project.id).length, 0);
  });

  it("matches a RegExp and `*` patterns on the path as sent", async () => {
    const project = gitlab.project();
    gitlab.emulator.control.injectFault({ path: /\/variables\/SECOND$/, fault: { kind: "status", status: 500 } });
    gitlab.emulator.control.injectFault({ path: `/projects/${encodeURIComponent(project.path)}/*`, fault: { kind: "status", status: 504 } });
    assert.equal((await gitlab.call("GET", `/projects/${project.id}/variables/SECOND`)).status, 500);
    assert.equal((await gitlab.call("GET", `/projects/${project.encoded}/variables`)).status, 504);
  });

  it("lets a fault be cancelled, and lists the ones that have not fired", async () => {
    const project = gitlab.project();
    const fault = gitlab.emulator.control.injectFault({ path: `/projects/${project.id}/never`, fault: { kind: "status", status: 500 }, label: "never hit" });
    assert.deepEqual(gitlab.emulator.control.pendingFaults(), [{ label: "never hit", remaining: 1 }]);
    fault.cancel();
    assert.deepEqual(gitlab.emulator.control.pendingFaults(), []);
  });

  it("refuses times below 1", () => {
    assert.throws(() => gitlab.emulator.control.injectFault({ path: "/user", times: 0, fault: { kind: "reset" } }), { message: "GitLab emulator: a fault's times is 0. Fix: pass 1 or more (Infinity for every request)." });
  });
});

describe("rate limiting", () => {
  it("answers 429 Retry later with Retry-After and GitLab's RateLimit headers", async () => {
    gitlab.emulator.control.injectFault({ path: "/user", fault: { kind: "rateLimit", retryAfterSeconds: 30 } });
    const response = await gitlab.call("GET", "/user");
    assert.equal(response.status, 429);
    assert.equal(response.text, "Retry later\n");
    assert.equal(response.headers["retry-after"], "30");
    assert.equal(response.headers["ratelimit-remaining"], "0");
    assert.equal(response.headers["ratelimit-reset"], "30");
    assert.equal(response.headers["ratelimit-resettime"], new Date(Date.parse(TEST_NOW) + 30_000).toUTCString());
  });
});

describe("connection resets", () => {
  it("drops the connection before the request does anything", async () => {
    const project = gitlab.project();
    gitlab.emulator.control.injectFault({ method: "POST", path: "/projects/:id/access_tokens", fault: { kind: "reset" } });
    await assert.rejects(gitlab.createToken(project), { code: "ECONNRESET" });
    assert.equal(gitlab.emulator.state.tokens(project.id).length, 0);
    const logged = gitlab.emulator.log.requests({ method: "POST", route: "/projects/:id/access_tokens" }).at(-1)!;
    assert.equal(logged.status, "reset");
    assert.equal(logged.fault, "connection reset");
  });

  it("drops the connection after the request took effect, when asked: the outcome a client cannot know", async () => {
    const project = gitlab.project();
    gitlab.emulator.control.injectFault({ method: "POST", path: "/projects/:id/access_tokens", when: "after", fault: { kind: "reset" } });
    await assert.rejects(gitlab.createToken(project), { code: "ECONNRESET" });
    assert.equal(gitlab.emulator.state.tokens(project.id).length, 1);
  });

  it("replaces the answer of a request that took effect with an error status", async () => {
    const project = gitlab.project();
    gitlab.emulator.control.injectFault({ method: "POST", path: "/projects/:id/variables", when: "after", fault: { kind: "status", status: 502 } });
    const response = await gitlab.call("POST", `/projects/${project.id}/variables`, { json: { key: "K", value: "v" } });
    assert.equal(response.status, 502);
    assert.equal(gitlab.emulator.state.variables(project.id).length, 1);
  });
});

describe("latency", () => {
  it("delays the answer, then handles the request normally", async () => {
    gitlab.emulator.control.injectFault({ path: "/version", fault: { kind: "latency", ms: 150 } });
    const started = performance.now();
    const response = await gitlab.call("GET", "/version");
    assert.equal(response.status, 200);
    assert.ok(performance.now() - started >= 140, "answered too soon");
    assert.equal(gitlab.emulator.log.requests({ route: "/version" }).at(-1)!.fault, "latency 150ms");
  });
});
