// A stand-in `go` for the engine library's tests: the real build takes minutes, and what these tests
// check is what the library asks of go (commands, folders, flags, environment) and what it does with
// go's answers (failures, an unreachable proxy, an old toolchain). Each call is logged as JSON; `go
// build` writes a fake `pulumi` that answers the version stamped in through -ldflags -X, so a lost
// flag shows as a wrong version.

import { execFileSync } from "node:child_process";
import { chmodSync, copyFileSync, symlinkSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export interface GoCall {
  readonly cwd: string;
  readonly args: string[];
  readonly cgo: string;
  readonly gowork: string;
}

export interface FakeGoMachine {
  /** A temp folder that plays the machine: bin/ (go, plus what a test adds), a cache home, a log. */
  readonly root: string;
  /** The environment to build with: PATH = bin/ and tools/, HOME and XDG_CACHE_HOME inside root. */
  readonly env: Record<string, string>;
  readonly binDir: string;
  calls(): GoCall[];
  /** Adds an executable `pulumi` (or other name) to bin/ that answers `version` with `answer`. */
  addPulumi(dir: string, answer: string): string;
  cleanup(): void;
}

export interface FakeGoBehaviour {
  readonly goVersion?: string;
  readonly toolchain?: string;
  /** The module proxy answers `go mod download` with this error. */
  readonly proxyError?: string;
  /** pkg's go.mod `go` line. */
  readonly pkgGo?: string;
  readonly buildFails?: boolean;
  readonly buildSeconds?: number;
}


export function fakeGoMachine(behaviour: FakeGoBehaviour = {}): FakeGoMachine {
  const root = mkdtempSync(path.join(os.tmpdir(), "engine-test-"));
  const binDir = path.join(root, "bin");
  mkdirSync(binDir);
  copyFileSync(path.join(__dirname, "fakeGo.sh"), path.join(binDir, "go"));
  chmodSync(path.join(binDir, "go"), 0o755);
  writeFileSync(path.join(root, "calls.jsonl"), "");
  // PATH holds only the fake go and the few tools its script uses: a pulumi installed on the machine
  // running the tests must not be found instead of the one under test.
  const toolsDir = path.join(root, "tools");
  mkdirSync(toolsDir);
  for (const tool of ["sed", "sleep", "chmod"]) symlinkSync(execFileSync("/bin/sh", ["-c", `command -v ${tool}`], { encoding: "utf8" }).trim(), path.join(toolsDir, tool));
  const env: Record<string, string> = {
    PATH: `${binDir}:${toolsDir}`,
    HOME: path.join(root, "home"),
    XDG_CACHE_HOME: path.join(root, "cache"),
    FAKE_GO_ROOT: root,
    FAKE_GO_VERSION: behaviour.goVersion ?? "go1.26.8",
    FAKE_GOTOOLCHAIN: behaviour.toolchain ?? "local",
    FAKE_GO_PKG_GO: behaviour.pkgGo ?? "1.25.11",
    FAKE_GO_PROXY_ERROR: behaviour.proxyError ?? "",
    FAKE_GO_BUILD_FAILS: behaviour.buildFails ? "1" : "",
    FAKE_GO_BUILD_SECONDS: String(behaviour.buildSeconds ?? 0),
  };
  return {
    root,
    env,
    binDir,
    calls: () =>
      readFileSync(path.join(root, "calls.jsonl"), "utf8")
        .split("\n")
        .filter(Boolean)
        .map((line) => JSON.parse(line) as GoCall),
    addPulumi(dir, answer) {
      mkdirSync(dir, { recursive: true });
      const file = path.join(dir, "pulumi");
      // Records the PULUMI_HOME it ran with, so a test can check the probe never used the user's.
      writeFileSync(file, `#!/bin/sh\necho "$PULUMI_HOME" >> "${root}/pulumi-homes"\necho ${answer}\n`);
      chmodSync(file, 0o755);
      return file;
    },
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}
