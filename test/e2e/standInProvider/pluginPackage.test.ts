// The package the harness installs: a tarball whose root holds the executable, which execs the given
// Node.js on the stand-in's entry with tsx, by absolute paths; bad arguments fail naming the fix.

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { promisify } from "node:util";
import { buildStandInProviderPackage, launcherScript, STAND_IN_EXECUTABLE } from "./pluginPackage";

const dirs: string[] = [];
after(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));
const tempDir = async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), "standin-package-"));
  dirs.push(dir);
  return dir;
};

describe("buildStandInProviderPackage", () => {
  it("writes an executable pulumi-resource-gitlab and a tarball holding only it, at its root", async () => {
    const dir = await tempDir();
    const tarball = await buildStandInProviderPackage(dir, { nodePath: process.execPath });
    assert.equal(path.dirname(tarball), dir);
    assert.match(path.basename(tarball), /^pulumi-resource-gitlab-v10\.1\.1-.*\.tar\.gz$/);
    const { stdout } = await promisify(execFile)("tar", ["-tzf", tarball]);
    assert.deepEqual(stdout.trim().split("\n"), [STAND_IN_EXECUTABLE]);
    const executable = path.join(dir, STAND_IN_EXECUTABLE);
    assert.equal((await stat(executable)).mode & 0o777, 0o755);
    assert.equal(await readFile(executable, "utf8"), launcherScript(process.execPath));
  });

  it("execs the given Node.js with tsx on main.ts, all by absolute path, passing the engine's arguments", () => {
    const script = launcherScript("/opt/node's/bin/node");
    const lines = script.split("\n");
    assert.equal(lines[0], "#!/bin/sh");
    assert.equal(lines[2], `exec '/opt/node'\\''s/bin/node' --import '${"file://" + require.resolve("tsx")}' '${path.join(__dirname, "main.ts")}' "$@"`);
  });

  it("refuses a relative or missing Node.js path, saying what it wants", async () => {
    const dir = await tempDir();
    await assert.rejects(buildStandInProviderPackage(dir, { nodePath: "node" }), /nodePath must be an absolute path \(e\.g\. process\.execPath\), got "node"/);
    await assert.rejects(buildStandInProviderPackage(dir, { nodePath: "/no/such/node" }), /no Node\.js binary at \/no\/such\/node/);
  });
});
