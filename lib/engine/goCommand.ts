// Runs one `go` command of the build: its output goes to the build log (kept for a failed build) and
// its latest line to the progress heartbeat; a missing `go` is reported as such, not as a spawn error.

import { spawn } from "node:child_process";
import { appendFileSync } from "node:fs";
import type { Environment } from "./cachePath";
import { EngineError } from "./errors";

export interface GoRun {
  readonly code: number;
  readonly stdout: string;
  /** The last lines go printed on stderr, for an error message. */
  readonly stderrTail: string;
}

export interface GoRunOptions {
  readonly cwd: string;
  readonly env: Environment;
  /** Receives every output line (for the heartbeat). */
  readonly onLine?: (line: string) => void;
  /** Appends the command and its output here. */
  readonly logFile?: string;
}

export const GO_MISSING_FIX = "install Go (https://go.dev/doc/install) and put it on PATH, or put the pulumi CLI of the SDK's release on PATH, or set PULUMI_CLI to one";

export function runGo(args: readonly string[], options: GoRunOptions): Promise<GoRun> {
  const log = (text: string) => options.logFile && appendFileSync(options.logFile, text);
  log(`\n$ go ${args.join(" ")}\n`);
  return new Promise((resolve, reject) => {
    const child = spawn("go", [...args], { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderrLines: string[] = [];
    const lines = (chunk: string) => chunk.split("\n").filter((line) => line.trim() !== "");
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
      log(chunk);
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      log(chunk);
      for (const line of lines(chunk)) options.onLine?.(line);
      stderrLines = [...stderrLines, ...lines(chunk)].slice(-12);
    });
    child.on("error", (error: NodeJS.ErrnoException) =>
      reject(error.code === "ENOENT" ? new EngineError(`\`go\` is not on PATH, and building the pulumi CLI needs it: ${GO_MISSING_FIX}`) : error),
    );
    child.on("close", (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout, stderrTail: stderrLines.join("\n") }));
  });
}
