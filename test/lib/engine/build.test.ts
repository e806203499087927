// The build of the pulumi CLI, against a stand-in `go` (./fakeGo.ts): the exact go commands, the
// wrapper module, the atomic install, and a clear message for each way it can fail.

import assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { afterEach, describe, it } from "node:test";
import { cachedCliPath, cliCacheDir } from "../../../lib/engine/cachePath";
import { ensurePulumiCli } from "../../../lib/engine/ensure";
import { EngineError } from "../../../lib/engine/errors";
import { fakeGoMachine, type FakeGoMachine } from "./fakeGo";

const VERSION = "3.276.0";
const PKG = "github.com/pulumi/pulumi/pkg/v3";
let machine: FakeGoMachine | undefined;
afterEach(() => machine?.cleanup());

function quietly(options: { env: Record<string, string> }) {
  const lines: string[] = [];
  return { lines, run: () => ensurePulumiCli({ version: VERSION, env: options.env, print: (line) => lines.push(line), heartbeatMs: 50 }) };
}

async function engineError(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => assert.fail("expected the build to fail"),
    (caught: unknown) => caught,
  );
  assert.ok(error instanceof EngineError, String(error));
  return error.message;
}

describe("building pulumi when it is nowhere on the machine", () => {
  it("runs the wrapper-module build with the release flags and installs a binary that answers the SDK's version", async () => {
    machine = fakeGoMachine();
    const { run, lines } = quietly(machine);
    const cli = await run();

    const dir = cliCacheDir(VERSION, machine.env);
    const moduleDir = path.join(dir, "module");
    assert.deepEqual(cli, { path: path.join(machine.root, "cache/gitlab-push-tokens/pulumi/v3.276.0/pulumi"), version: VERSION, source: "cache", built: true });
    assert.deepEqual(
      machine.calls().map((call) => ({ cwd: call.cwd, args: call.args, cgo: call.cgo, gowork: call.gowork })),
      [
        { cwd: dir, args: ["env", "-json", "GOVERSION", "GOTOOLCHAIN", "GOPROXY"], cgo: "", gowork: "off" },
        { cwd: dir, args: ["mod", "download", "-json", `${PKG}@v${VERSION}`], cgo: "", gowork: "off" },
        { cwd: moduleDir, args: ["get", `${PKG}@v${VERSION}`, `github.com/pulumi/pulumi/sdk/v3@v${VERSION}`], cgo: "", gowork: "off" },
        { cwd: moduleDir, args: ["mod", "tidy"], cgo: "", gowork: "off" },
        {
          cwd: moduleDir,
          args: [
            "build", "-v", "-trimpath", "-tags", "osusergo,grpcnotrace",
            "-ldflags", `-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v${VERSION}`,
            "-o", path.join(dir, `pulumi.partial-${process.pid}`), `${PKG}/cmd/pulumi`,
          ],
          cgo: "0",
          gowork: "off",
        },
      ],
    );
    // The go line is pkg's own requirement, read from its go.mod; the replace is pkg's clipboard fork.
    assert.equal(
      readFileSync(path.join(moduleDir, "go.mod"), "utf8"),
      "module local.invalid/pulumi-cli\n\ngo 1.25.11\n\nreplace github.com/atotto/clipboard => github.com/tgummerer/clipboard v0.0.0-20241001131231-d02d263e614e\n",
    );
    assert.match(readFileSync(path.join(moduleDir, "tools.go"), "utf8"), /^\/\/go:build tools\n[^]*\nimport _ "github.com\/pulumi\/pulumi\/pkg\/v3\/cmd\/pulumi"\n$/);
    assert.deepEqual(readdirSync(dir).sort(), ["build.log", "module", "pulumi"]);
    assert.match(lines.join("\n"), /\[1\/6\] check go[^]*\[5\/6\] go build[^]*\[6\/6\] verify: done in [^]*built pulumi v3\.276\.0 in /);
  });

  it("takes no go command at all once the binary is cached, and says it uses the cached one", async () => {
    machine = fakeGoMachine();
    await quietly(machine).run();
    const callsAfterBuild = machine.calls().length;
    const again = quietly(machine);
    assert.deepEqual(await again.run(), { path: cachedCliPath(VERSION, machine.env), version: VERSION, source: "cache", built: false });
    assert.equal(machine.calls().length, callsAfterBuild);
    assert.deepEqual(again.lines, [`using pulumi v3.276.0 built earlier, cached: ${cachedCliPath(VERSION, machine.env)}`]);
  });

  it("rebuilds a cached binary that answers another version", async () => {
    machine = fakeGoMachine();
    machine.addPulumi(cliCacheDir(VERSION, machine.env), "v3.200.0");
    const { run, lines } = quietly(machine);
    assert.equal((await run()).built, true);
    assert.ok(lines.some((line) => line === `passing over the cached ${cachedCliPath(VERSION, machine!.env)} is v3.200.0, not v3.276.0`), lines.join("\n"));
    assert.equal(readFileSync(cachedCliPath(VERSION, machine.env), "utf8").trim().split("\n").at(-1), "echo v3.276.0");
  });

  it("leaves no binary and no partial file when go build fails, and quotes go's error with the log's path", async () => {
    machine = fakeGoMachine({ buildFails: true });
    const message = await engineError(quietly(machine).run());
    const dir = cliCacheDir(VERSION, machine.env);
    assert.match(message, /^go build failed: cmd\/pulumi\/main\.go:1: compile error \(build log: .*\/build\.log\)$/);
    assert.deepEqual(readdirSync(dir).sort(), ["build.log", "module"]);
    assert.match(readFileSync(path.join(dir, "build.log"), "utf8"), /\$ go build [^]*compile error/);
  });

  it("removes partial binaries a killed build left behind", async () => {
    machine = fakeGoMachine();
    const dir = cliCacheDir(VERSION, machine.env);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, "pulumi.partial-99999999"), "half");
    await quietly(machine).run();
    assert.deepEqual(readdirSync(dir).sort(), ["build.log", "module", "pulumi"]);
  });
});

describe("what the build needs, each refusal naming the fix", () => {
  it("names the module proxy, GOPROXY and the ways out when the proxy cannot be reached, before any go get", async () => {
    machine = fakeGoMachine({ proxyError: "github.com/pulumi/pulumi/pkg/v3@v3.276.0: Get https://proxy.example/github.com/pulumi/pulumi/pkg/v3/@v/v3.276.0.info: dial tcp: lookup proxy.example: no such host" });
    const message = await engineError(quietly(machine).run());
    assert.match(message, /^resolving github\.com\/pulumi\/pulumi\/pkg\/v3@v3\.276\.0 could not fetch modules from the Go module proxy \(GOPROXY=https:\/\/proxy\.example,direct\): .*no such host\. Fix: reach the proxy .*or put the pulumi CLI of the SDK's release on PATH, or set PULUMI_CLI/);
    assert.deepEqual(machine.calls().map((call) => call.args[0]), ["env", "mod"]);
    assert.equal(existsSync(cachedCliPath(VERSION, machine.env)), false);
  });

  it("refuses a Go older than pkg's go.mod asks for when GOTOOLCHAIN=local forbids fetching one", async () => {
    machine = fakeGoMachine({ goVersion: "go1.24.3", toolchain: "local", pkgGo: "1.25.11" });
    const message = await engineError(quietly(machine).run());
    assert.match(message, /^go 1\.24\.3 is older than the go 1\.25\.11 that github\.com\/pulumi\/pulumi\/pkg\/v3@v3\.276\.0 requires \(and GOTOOLCHAIN=local forbids fetching a newer one\): install Go 1\.25\.11 or newer \(https:\/\/go\.dev\/doc\/install\), or set GOTOOLCHAIN=auto/);
    assert.deepEqual(machine.calls().map((call) => call.args[0]), ["env", "mod"]);
  });

  it("lets an older Go with GOTOOLCHAIN=auto fetch the toolchain it needs itself", async () => {
    machine = fakeGoMachine({ goVersion: "go1.24.3", toolchain: "auto", pkgGo: "1.25.11" });
    assert.equal((await quietly(machine).run()).built, true);
  });

  it("says go is missing and how to do without it when PATH has no go", async () => {
    machine = fakeGoMachine();
    const message = await engineError(quietly({ env: { ...machine.env, PATH: "/nonexistent" } }).run());
    assert.match(message, /^`go` is not on PATH, and building the pulumi CLI needs it: install Go \(https:\/\/go\.dev\/doc\/install\) and put it on PATH, or put the pulumi CLI of the SDK's release on PATH, or set PULUMI_CLI to one/);
  });
});
