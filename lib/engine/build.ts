// Builds the pulumi CLI from the Go module proxy, as the official release is built. `go install
// pkg@version` refuses pulumi's pkg module (its go.mod carries `replace` directives), so the build goes
// through a small wrapper module that requires pkg and sdk at the release and repeats the one
// `replace` the build needs. The wrapper stays in the cache folder: it records what was built.

import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { cliCacheDir, type Environment } from "./cachePath";
import { EngineError } from "./errors";
import { runGo, type GoRun, type GoRunOptions } from "./goCommand";
import { checkGoVersion, explainGoFailure, goDirective, inspectGo } from "./goToolchain";
import { probeCliVersion } from "./probe";
import { formatDuration, progress, type Print, type StepTiming } from "./progress";
import { cliVersionString } from "./version";

const PKG = "github.com/pulumi/pulumi/pkg/v3";
const SDK = "github.com/pulumi/pulumi/sdk/v3";
const MAIN = `${PKG}/cmd/pulumi`;

/** pkg/go.mod's own `replace`: the upstream clipboard module's API changed under it. */
const CLIPBOARD_REPLACE = "github.com/atotto/clipboard => github.com/tgummerer/clipboard v0.0.0-20241001131231-d02d263e614e";

export interface BuildOptions {
  readonly version: string;
  readonly env: Environment;
  readonly print: Print;
  readonly heartbeatMs?: number;
}

export interface Build {
  readonly path: string;
  readonly timings: readonly StepTiming[];
}

/** Builds `pulumi` v<version> into its cache folder, replacing whatever binary was there, and returns its path. */
export async function buildPulumiCli(options: BuildOptions): Promise<Build> {
  const { version, print } = options;
  const tag = cliVersionString(version);
  const dir = cliCacheDir(version, options.env);
  const moduleDir = path.join(dir, "module");
  const logFile = path.join(dir, "build.log");
  const binary = path.join(dir, "pulumi");
  // The build writes to a name of its own and is renamed into place only once it answers `version`
  // correctly: an interrupted or failed build never leaves a binary the next run would trust.
  const partial = path.join(dir, `pulumi.partial-${process.pid}`);
  mkdirSync(moduleDir, { recursive: true });
  removeLeftovers(dir);
  writeFileSync(logFile, `building pulumi ${tag} (${new Date().toISOString()})\n`);

  // GOWORK=off: a go.work in a folder above the cache must not pull other modules into the build.
  const env: Environment = { ...options.env, GOWORK: "off" };
  const go = (args: readonly string[], cwd: string, onLine?: (line: string) => void, extraEnv: Environment = {}): Promise<GoRun> =>
    runGo(args, { cwd, env: { ...env, ...extraEnv }, onLine, logFile } satisfies GoRunOptions);
  const steps = progress(print, { totalSteps: 6, heartbeatMs: options.heartbeatMs });
  const started = Date.now();
  let proxy = "";

  try {
    const toolchain = await steps.step("check go", async () => {
      const found = await inspectGo(dir, env);
      proxy = found.proxy;
      print(`      go ${found.version ?? "(development build)"}, GOTOOLCHAIN=${found.toolchain}, GOPROXY=${found.proxy}`);
      return found;
    });

    await steps.step("resolve", async (latest) => {
      print(`      ${PKG}@${tag} from the module proxy`);
      // Outside the wrapper module: its go.mod may not exist yet, and must not constrain this download.
      const run = await go(["mod", "download", "-json", `${PKG}@${tag}`], dir, latest);
      const answer = parseDownload(run);
      if (answer.Error !== undefined || run.code !== 0) throw explainGoFailure(answer.Error ?? run.stderrTail, proxy, `resolving ${PKG}@${tag}`);
      const required = answer.GoMod ? goDirective(readFileSync(answer.GoMod, "utf8")) : undefined;
      if (required === undefined) throw new EngineError(`${PKG}@${tag} has no readable go.mod (${answer.GoMod ?? "none reported"}); delete ${dir} and retry`);
      checkGoVersion(toolchain, required, `${PKG}@${tag}`);
      writeWrapperModule(moduleDir, required);
    });

    await steps.step("go get", async (latest) => {
      print(`      go get ${PKG}@${tag} ${SDK}@${tag}`);
      const run = await go(["get", `${PKG}@${tag}`, `${SDK}@${tag}`], moduleDir, latest);
      if (run.code !== 0) throw explainGoFailure(run.stderrTail, proxy, "go get");
      // Written after `go get`: until pkg is required, this import would not resolve.
      writeFileSync(path.join(moduleDir, "tools.go"), `//go:build tools\n\n// Makes the pulumi command a dependency of this module, so go mod tidy keeps what it needs.\npackage tools\n\nimport _ "${MAIN}"\n`);
    });

    await steps.step("go mod tidy", async (latest) => {
      const run = await go(["mod", "tidy"], moduleDir, latest);
      if (run.code !== 0) throw explainGoFailure(run.stderrTail, proxy, "go mod tidy");
    });

    await steps.step("go build", async (latest) => {
      print(`      go build ${MAIN} (minutes on 2 cores; heartbeats follow)`);
      // The release build's flags: static, no cgo, and the version stamped in (else it says v0.0.0).
      const ldflags = `-s -w -X ${SDK}/go/common/version.Version=${tag}`;
      // -v names each package as it is compiled: the heartbeat shows how far the build has got.
      const args = ["build", "-v", "-trimpath", "-tags", "osusergo,grpcnotrace", "-ldflags", ldflags, "-o", partial, MAIN];
      let compiled = 0;
      const run = await go(args, moduleDir, (line) => latest(`${++compiled} packages, last ${line}`), { CGO_ENABLED: "0" });
      if (run.code !== 0) throw explainGoFailure(run.stderrTail, proxy, "go build");
    });

    await steps.step("verify", async () => {
      const probe = await probeCliVersion(partial, env);
      if (!probe.ok || probe.version !== tag) {
        throw new EngineError(`the freshly built ${partial} ${probe.ok ? `says it is ${probe.version}` : probe.reason}, not ${tag}; see ${logFile}`);
      }
      renameSync(partial, binary);
    });
  } catch (error) {
    rmSync(partial, { force: true });
    if (error instanceof EngineError) throw new EngineError(`${error.message} (build log: ${logFile})`);
    throw error;
  }
  print(`built pulumi ${tag} in ${formatDuration(Date.now() - started)} (${steps.timings.map((step) => `${step.title} ${formatDuration(step.ms)}`).join(", ")})`);
  return { path: binary, timings: steps.timings };
}

function writeWrapperModule(moduleDir: string, goVersion: string): void {
  rmSync(path.join(moduleDir, "tools.go"), { force: true });
  rmSync(path.join(moduleDir, "go.sum"), { force: true });
  writeFileSync(path.join(moduleDir, "go.mod"), `module local.invalid/pulumi-cli\n\ngo ${goVersion}\n\nreplace ${CLIPBOARD_REPLACE}\n`);
}

function parseDownload(run: GoRun): { Error?: string; GoMod?: string } {
  try {
    return JSON.parse(run.stdout) as { Error?: string; GoMod?: string };
  } catch {
    return { Error: run.stderrTail || run.stdout.trim() || `go mod download exited ${run.code}` };
  }
}

/** Partial binaries of builds that were killed: only the lock holder builds, so none is in use. */
function removeLeftovers(dir: string): void {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) if (name.startsWith("pulumi.partial-")) rmSync(path.join(dir, name), { force: true });
}
