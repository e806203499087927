// Which pulumi the tests run: PULUMI_CLI, else an exact-version pulumi on PATH, else the cache; never
// a wrong version, and never without saying where it came from or how to get the right one.

import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { afterEach, describe, it } from "node:test";
import fc from "fast-check";
import { cachedCliPath, cliCacheDir } from "../../../lib/engine/cachePath";
import { EngineError } from "../../../lib/engine/errors";
import { compareGoVersions, goDirective } from "../../../lib/engine/goToolchain";
import { executablesOnPath, locatePulumiCli, searchPulumiCli } from "../../../lib/engine/locate";
import { sdkVersion } from "../../../lib/engine/version";
import { fakeGoMachine, type FakeGoMachine } from "./fakeGo";

const VERSION = "3.276.0";
let machine: FakeGoMachine | undefined;
afterEach(() => machine?.cleanup());

describe("locating the pulumi CLI", () => {
  it("uses the installed SDK's version, the one package.json pins", () => {
    const manifest = JSON.parse(readFileSync(path.resolve(__dirname, "../../../package.json"), "utf8")) as { dependencies: Record<string, string> };
    assert.equal(sdkVersion(), manifest.dependencies["@pulumi/pulumi"]);
  });

  it("keeps its cache under XDG_CACHE_HOME, else ~/.cache, one folder per version", () => {
    assert.equal(cliCacheDir("3.276.0", { XDG_CACHE_HOME: "/x/cache", HOME: "/home/u" }), "/x/cache/gitlab-push-tokens/pulumi/v3.276.0");
    assert.equal(cachedCliPath("3.276.0", { XDG_CACHE_HOME: "", HOME: "/home/u" }), "/home/u/.cache/gitlab-push-tokens/pulumi/v3.276.0/pulumi");
  });

  it("prefers PULUMI_CLI over PATH and the cache", async () => {
    machine = fakeGoMachine();
    const named = machine.addPulumi(path.join(machine.root, "named"), "v3.276.0");
    machine.addPulumi(machine.binDir, "v3.276.0");
    machine.addPulumi(cliCacheDir(VERSION, machine.env), "v3.276.0");
    assert.deepEqual(await locatePulumiCli({ version: VERSION, env: { ...machine.env, PULUMI_CLI: named } }), { path: named, version: VERSION, source: "PULUMI_CLI" });
  });

  it("refuses a PULUMI_CLI of another version instead of quietly using another pulumi", async () => {
    machine = fakeGoMachine();
    const named = machine.addPulumi(path.join(machine.root, "named"), "v3.250.0");
    machine.addPulumi(machine.binDir, "v3.276.0");
    await assert.rejects(
      locatePulumiCli({ version: VERSION, env: { ...machine.env, PULUMI_CLI: named } }),
      (error: unknown) => error instanceof EngineError && error.message === `PULUMI_CLI=${named} answers v3.250.0, but the tests need pulumi v3.276.0 (the @pulumi/pulumi SDK's release): point PULUMI_CLI at pulumi v3.276.0, or unset it to use the one \`npm run engine\` builds`,
    );
  });

  it("takes the first pulumi of exactly the right version on PATH, passing over others and saying so", async () => {
    machine = fakeGoMachine();
    const older = machine.addPulumi(path.join(machine.root, "older"), "v3.248.0");
    const right = machine.addPulumi(path.join(machine.root, "right"), "v3.276.0");
    const env = { ...machine.env, PATH: `${path.dirname(older)}:relative/bin:${path.dirname(right)}:${machine.env.PATH}` };
    assert.deepEqual(await searchPulumiCli({ version: VERSION, env }), {
      cli: { path: right, version: VERSION, source: "PATH" },
      passedOver: [`${older} on PATH is v3.248.0, not v3.276.0`],
    });
  });

  it("falls back to the cached build", async () => {
    machine = fakeGoMachine();
    const cached = machine.addPulumi(cliCacheDir(VERSION, machine.env), "v3.276.0");
    assert.deepEqual(await locatePulumiCli({ version: VERSION, env: machine.env }), { path: cached, version: VERSION, source: "cache" });
  });

  it("fails with the command that builds it, the cache path, and what it passed over, when there is none", async () => {
    machine = fakeGoMachine();
    const older = machine.addPulumi(machine.binDir, "v3.248.0");
    await assert.rejects(
      locatePulumiCli({ version: VERSION, env: machine.env }),
      (error: unknown) =>
        error instanceof EngineError &&
        error.message ===
          `no pulumi v3.276.0 found (${older} on PATH is v3.248.0, not v3.276.0): run \`npm run engine\` to build it from the Go module proxy into ${cachedCliPath(VERSION, machine!.env)}, put pulumi v3.276.0 on PATH, or set PULUMI_CLI to one`,
    );
  });

  it("asks each candidate its version with a throwaway PULUMI_HOME, so ~/.pulumi/logs gets nothing", async () => {
    machine = fakeGoMachine();
    machine.addPulumi(machine.binDir, "v3.276.0");
    await locatePulumiCli({ version: VERSION, env: { ...machine.env, PULUMI_HOME: "/should/not/be/used" } });
    const homes = readFileSync(path.join(machine.root, "pulumi-homes"), "utf8").trim().split("\n");
    assert.equal(homes.length, 1);
    assert.match(homes[0], /\/pulumi-probe-[^/]+$/);
    assert.equal(existsSync(homes[0]), false);
  });

  it("lists only executable files of that name, each folder once", () => {
    machine = fakeGoMachine();
    const file = machine.addPulumi(machine.binDir, "v1.0.0");
    assert.deepEqual(executablesOnPath("pulumi", `${machine.binDir}:${machine.binDir}:${machine.root}:/nonexistent`), [file]);
    assert.deepEqual(executablesOnPath("calls.jsonl", machine.root), []); // a plain file is no command
  });
});

describe("Go release numbers", () => {
  const release = fc.tuple(fc.nat(3), fc.nat(40), fc.option(fc.nat(20), { nil: undefined }));
  const text = ([major, minor, patch]: [number, number, number | undefined]) => [major, minor, ...(patch === undefined ? [] : [patch])].join(".");

  it("order as their numbers do, a missing patch counting as 0", () => {
    fc.assert(
      fc.property(release, release, (a, b) => {
        const byNumbers = Math.sign(a[0] - b[0] || a[1] - b[1] || (a[2] ?? 0) - (b[2] ?? 0));
        assert.equal(compareGoVersions(text(a), text(b)), byNumbers);
        assert.equal(compareGoVersions(text(b), text(a)), 0 - byNumbers || 0);
      }),
    );
    assert.equal(compareGoVersions("1.9", "1.10"), -1); // numbers, not strings
  });

  it("are read from a go.mod's go line, not its toolchain line", () => {
    assert.equal(goDirective("module m\n\ngo 1.25.11\n\ntoolchain go1.26.0\n"), "1.25.11");
    assert.equal(goDirective("module m\n"), undefined);
  });
});
