// What the build needs from Go, checked before minutes are spent: a `go` on PATH, new enough for the
// pulumi release (its pkg/go.mod's `go` line), and a module proxy that answers.

import type { Environment } from "./cachePath";
import { EngineError } from "./errors";
import { GO_MISSING_FIX, runGo } from "./goCommand";

export interface GoToolchain {
  /** "1.26.8" (from GOVERSION "go1.26.8"); undefined for a development build. */
  readonly version: string | undefined;
  /** GOTOOLCHAIN: "local" forbids go from fetching a newer toolchain itself. */
  readonly toolchain: string;
  readonly proxy: string;
}

export async function inspectGo(cwd: string, env: Environment): Promise<GoToolchain> {
  const run = await runGo(["env", "-json", "GOVERSION", "GOTOOLCHAIN", "GOPROXY"], { cwd, env });
  if (run.code !== 0) throw new EngineError(`\`go env\` failed (${run.stderrTail || `exit ${run.code}`}): ${GO_MISSING_FIX}`);
  const values = JSON.parse(run.stdout) as Record<string, string>;
  const release = /^go(\d+\.\d+(?:\.\d+)?)$/.exec(values.GOVERSION ?? "");
  return { version: release?.[1], toolchain: values.GOTOOLCHAIN ?? "", proxy: values.GOPROXY ?? "" };
}

/** Throws when this Go cannot build a module that declares `go <required>` and will not fetch one that can. */
export function checkGoVersion(go: GoToolchain, required: string, what: string): void {
  if (go.version === undefined || compareGoVersions(go.version, required) >= 0) return;
  // With GOTOOLCHAIN=auto (Go's default), go downloads the newer toolchain from the module proxy itself;
  // "local" forbids that, and "path" only looks on PATH.
  if (!["local", "path"].includes(go.toolchain.replace(/\+.*$/, ""))) return;
  throw new EngineError(
    `go ${go.version} is older than the go ${required} that ${what} requires (and GOTOOLCHAIN=${go.toolchain} forbids fetching a newer one): install Go ${required} or newer (https://go.dev/doc/install), or set GOTOOLCHAIN=auto so go fetches it from the module proxy`,
  );
}

/** Compares Go release numbers ("1.25.11" vs "1.26"), missing parts counting as 0. */
export function compareGoVersions(a: string, b: string): number {
  const parts = (version: string) => version.split(".").map(Number);
  const [left, right] = [parts(a), parts(b)];
  for (let index = 0; index < Math.max(left.length, right.length); index++) {
    const difference = (left[index] ?? 0) - (right[index] ?? 0);
    if (difference !== 0) return Math.sign(difference);
  }
  return 0;
}

/** The `go` directive of a go.mod file's text. */
export function goDirective(goMod: string): string | undefined {
  return /^go\s+(\d+\.\d+(?:\.\d+)?)\s*$/m.exec(goMod)?.[1];
}

/** Rewrites a failed go command's output as the cause the user can act on, when it is a known one. */
export function explainGoFailure(output: string, proxy: string, step: string): EngineError {
  const firstError = output.split("\n").find((line) => line.trim() !== "")?.trim() ?? "";
  if (/dial tcp|no such host|connection refused|i\/o timeout|TLS handshake timeout|proxyconnect|network is unreachable|GOPROXY=off|disabled by GOPROXY|Forbidden|403|404 Not Found|410 Gone/.test(output)) {
    return new EngineError(
      `${step} could not fetch modules from the Go module proxy (GOPROXY=${proxy}): ${firstError}. Fix: reach the proxy (network, or GOPROXY set to a proxy this machine reaches), or put the pulumi CLI of the SDK's release on PATH, or set PULUMI_CLI`,
    );
  }
  const tooOld = /requires go >= ?(\S+) \(running go (\S+)/.exec(output);
  if (tooOld) return new EngineError(`${step} failed: go ${tooOld[2]} is too old, the pulumi modules require go ${tooOld[1]}: install a newer Go (https://go.dev/doc/install) or set GOTOOLCHAIN=auto`);
  return new EngineError(`${step} failed: ${output.trim().split("\n").slice(-6).join(" | ") || "no output"}`);
}
