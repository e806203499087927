// Routing: unknown routes answer GitLab's 404 and are recorded so that a test fails on them;
// projects by id or URL-encoded path (case-insensitive); GET /user and GET /version; bodies as JSON,
// form or multipart, and what a malformed body answers.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { startGitLabEmulator } from "./emulator";
import { gitlabRequest } from "./testClient";
import { emulatorHarness, TestClock } from "./testing";

const gitlab = emulatorHarness();

describe("unknown routes", () => {
  it("answers 404 {error: 404 Not Found}, records it, and assertNoUnknownRoutes lists it with secrets redacted", async () => {
    const emulator = await startGitLabEmulator({ clock: new TestClock() });
    try {
      const paths: [string, string][] = [
        ["GET", "/projects/1001/merge_requests/7/notes"],
        ["PATCH", "/user"],
        ["GET", "/projects/group/project"],
        ["GET", "/user/?value=glpat-CANARYinQUERYvalue00"],
      ];
      for (const [method, path] of paths) {
        const response = await gitlabRequest(emulator, method, path, { token: emulator.apiToken });
        assert.equal(response.status, 404, `${method} ${path}`);
        assert.deepEqual(response.json, { error: "404 Not Found" });
      }
      assert.deepEqual(
        emulator.log.unknownRoutes().map((entry) => [entry.method, entry.path, entry.route, entry.status]),
        [
          ["GET", "/api/v4/projects/1001/merge_requests/7/notes", null, 404],
          ["PATCH", "/api/v4/user", null, 404],
          ["GET", "/api/v4/projects/group/project", null, 404],
          ["GET", "/api/v4/user/", null, 404],
        ],
      );
      assert.throws(() => emulator.assertNoUnknownRoutes(), {
        message: [
          "4 request(s) to routes the GitLab emulator does not know:",
          "  GET /api/v4/projects/1001/merge_requests/7/notes (answered 404)",
          "  PATCH /api/v4/user (answered 404)",
          "  GET /api/v4/projects/group/project (answered 404)",
          "  GET /api/v4/user/?value=[redacted] (answered 404)",
          "Fix: correct the client's path or method, or add the route to test/e2e/gitlabEmulator/routes/ if GitLab has it.",
        ].join("\n"),
      });
      emulator.log.clear();
      emulator.assertNoUnknownRoutes();
    } finally {
      await emulator.close();
    }
  });

  it("answers a path outside /api/v4 404 and records it", async () => {
    const emulator = await startGitLabEmulator({ clock: new TestClock() });
    try {
      const { request } = await import("node:https");
      const status = await new Promise<number>((resolve, reject) => {
        request(new URL("/api/v3/user", emulator.origin), { ca: emulator.caPem }, (response) => {
          response.resume();
          resolve(response.statusCode!);
        })
          .on("error", reject)
          .end();
      });
      assert.equal(status, 404);
      assert.deepEqual(emulator.log.unknownRoutes().map((entry) => entry.path), ["/api/v3/user"]);
      assert.throws(() => emulator.assertNoUnknownRoutes(), /GET \/api\/v3\/user \(answered 404\)/);
    } finally {
      await emulator.close();
    }
  });

  it("answers unknown routes 404 before authenticating, as GitLab's catch-all route does", async () => {
    const emulator = await startGitLabEmulator({ clock: new TestClock() });
    try {
      const response = await gitlabRequest(emulator, "GET", "/nowhere");
      assert.equal(response.status, 404);
      emulator.log.clear();
    } finally {
      await emulator.close();
    }
  });
});

describe("projects", () => {
  it("answers GET /projects/:id by numeric id and by URL-encoded path, matching the path case-insensitively", async () => {
    const project = gitlab.project();
    const byId = await gitlab.call("GET", `/projects/${project.id}`);
    assert.equal(byId.status, 200);
    const body = byId.json as Record<string, unknown>;
    assert.equal(body.id, project.id);
    assert.equal(body.path_with_namespace, project.path);
    assert.equal(body.web_url, `${gitlab.emulator.origin}/${project.path}`);
    assert.deepEqual((await gitlab.call("GET", `/projects/${project.encoded}`)).json, body);
    assert.deepEqual((await gitlab.call("GET", `/projects/${encodeURIComponent(project.path.toUpperCase())}`)).json, body);
  });

  it("answers 404 Project Not Found for a project that does not exist", async () => {
    for (const id of ["999999", encodeURIComponent("no/such")]) {
      const response = await gitlab.call("GET", `/projects/${id}`);
      assert.equal(response.status, 404);
      assert.deepEqual(response.json, { message: "404 Project Not Found" });
    }
  });

  it("seeds the projects given as options", async () => {
    const emulator = await startGitLabEmulator({ clock: new TestClock(), projects: [{ path: "xlink/infra", defaultBranch: "trunk" }] });
    try {
      const response = await gitlabRequest(emulator, "GET", `/projects/${encodeURIComponent("xlink/infra")}`, { token: emulator.apiToken });
      assert.equal(response.status, 200);
      assert.equal((response.json as { default_branch: string }).default_branch, "trunk");
      assert.equal((response.json as { id: number }).id, emulator.state.project("xlink/infra")!.id);
    } finally {
      await emulator.close();
    }
  });

  it("refuses to seed a path without a namespace, naming the fix", () => {
    assert.throws(() => gitlab.emulator.control.addProject({ path: "lonely" }), { message: 'GitLab emulator: project path "lonely" is not namespace/project. Fix: pass a full path such as "xlink/infra".' });
  });
});

describe("the instance", () => {
  it("answers GET /user for the administrator with is_admin", async () => {
    const response = await gitlab.call("GET", "/user");
    const user = response.json as Record<string, unknown>;
    assert.equal(user.id, 1);
    assert.equal(user.id, gitlab.emulator.adminUserId);
    assert.equal(user.username, "root");
    assert.equal(user.is_admin, true);
    assert.equal(user.bot, false);
  });

  it("answers GET /version with the emulated release", async () => {
    const response = await gitlab.call("GET", "/version", { token: gitlab.emulator.readApiToken });
    assert.equal(response.status, 200);
    assert.deepEqual(response.json, { version: "19.6.0", revision: "emulator", kas: { enabled: false, externalUrl: null, externalK8sProxyUrl: null, version: null }, enterprise: false });
  });
});

describe("request bodies", () => {
  it("answers a body that is not JSON 400", async () => {
    const project = gitlab.project();
    const response = await gitlab.call("POST", `/projects/${project.id}/variables`, { body: "{not json", headers: { "content-type": "application/json" } });
    assert.equal(response.status, 400);
    assert.deepEqual(response.json, { error: "the request body is not valid JSON" });
  });

  it("answers a content type GitLab's API does not read 400", async () => {
    const project = gitlab.project();
    const response = await gitlab.call("POST", `/projects/${project.id}/variables`, { body: "<x/>", headers: { "content-type": "application/xml" } });
    assert.equal(response.status, 400);
    assert.deepEqual(response.json, { error: "the content type application/xml is not one GitLab's API reads" });
  });
});

describe("the request log", () => {
  it("counts requests per route, and lists the writes", async () => {
    const emulator = await startGitLabEmulator({ clock: new TestClock(), projects: [{ path: "a/b" }] });
    try {
      const call = (method: string, path: string, json?: unknown) => gitlabRequest(emulator, method, path, { token: emulator.apiToken, ...(json ? { json } : {}) });
      await call("GET", "/user");
      await call("GET", "/user");
      await call("POST", "/projects/1001/variables", { key: "K", value: "v" });
      await call("GET", "/projects/1001/variables/K");
      await call("DELETE", "/projects/1001/variables/K");
      assert.deepEqual(emulator.log.countsByRoute(), { "GET /user": 2, "POST /projects/:id/variables": 1, "GET /projects/:id/variables/:key": 1, "DELETE /projects/:id/variables/:key": 1 });
      assert.deepEqual(
        emulator.log.writes().map((entry) => `${entry.method} ${entry.route} ${entry.status}`),
        ["POST /projects/:id/variables 201", "DELETE /projects/:id/variables/:key 204"],
      );
      assert.deepEqual(
        emulator.log.requests({ method: "GET", route: "/user" }).map((entry) => entry.seq),
        [1, 2],
      );
    } finally {
      await emulator.close();
    }
  });
});
