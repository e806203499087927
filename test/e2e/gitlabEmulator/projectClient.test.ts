// The project's own GitLab client (lib/gitlabApi/client.ts) against the emulator, in a child process that
// trusts the emulator's CA through NODE_EXTRA_CA_CERTS, as `npm run mr-note` would in a suite.

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as path from "node:path";
import { promisify } from "node:util";
import { describe, it } from "node:test";
import { emulatorHarness } from "./testing";

const gitlab = emulatorHarness();
const run = promisify(execFile);
const API_MODULE = path.resolve(__dirname, "..", "..", "..", "lib", "gitlabApi", "client.ts");

describe("the project's GitLab client", () => {
  it("reads the current user with PRIVATE-TOKEN over the emulator's TLS", async () => {
    const project = gitlab.project();
    const created = await gitlab.createToken(project, { name: "note-bot", scopes: ["api"] });
    const script = `const { createGitLabClient } = require(${JSON.stringify(API_MODULE)});
createGitLabClient({ apiUrl: process.env.API_URL, token: process.env.TOKEN, maxAttempts: 1 }).currentUser().then((user) => console.log(JSON.stringify(user)), (error) => { console.error(error.message); process.exit(1); });`;
    const { stdout } = await run(process.execPath, ["--import", "tsx", "-e", script], {
      env: { PATH: process.env.PATH, NODE_EXTRA_CA_CERTS: gitlab.emulator.caPath, API_URL: gitlab.emulator.baseUrl, TOKEN: created.token as string },
      cwd: path.resolve(__dirname, "..", "..", ".."),
      timeout: 30_000,
    });
    const bot = gitlab.emulator.state.snapshot().users.find((user) => user.id === created.user_id)!;
    assert.deepEqual(JSON.parse(stdout), { id: created.user_id, username: bot.username });
    const logged = gitlab.emulator.log.requests({ route: "/user" }).at(-1)!;
    assert.deepEqual([logged.method, logged.path, logged.status, logged.tokenId], ["GET", "/api/v4/user", 200, created.id]);
  });
});
