// Runs one of the cli/ entries as CI would (`node --import tsx cli/<script>.ts …`), asynchronously so
// that a recording server in the test process keeps answering, with an environment that holds only
// what the test gives it: nothing from a GitLab CI job the tests themselves may be running in.

import { spawn } from "node:child_process";
import { PROJECT_ROOT } from "./sharedData";

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Variables a CI job running these tests would pass down, and which must not reach the CLI under test. */
function isCiVariable(name: string): boolean {
  return /^(CI_|GITLAB_)/.test(name) || name === "PREVIEW_NOTE_TOKEN" || name === "ROTATION_MR_TOKEN";
}

/** Runs `cli/<script>` with `args`, the test's `env` over a CI-free environment, and `stdin` (empty by default). */
export function runCli(script: string, args: readonly string[], env: Readonly<Record<string, string>> = {}, cwd = PROJECT_ROOT, stdin = ""): Promise<CliResult> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([name]) => !isCiVariable(name)));
  return runProcess(process.execPath, ["--import", "tsx", `${PROJECT_ROOT}/cli/${script}`, ...args], { cwd, env: { ...base, ...env }, stdin });
}

/** Runs `command` with `args` to its end (killed after 30 s by default), collecting both streams. */
export function runProcess(
  command: string,
  args: readonly string[],
  options: { readonly cwd?: string; readonly env?: NodeJS.ProcessEnv; readonly stdin?: string; readonly timeoutMs?: number } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], { cwd: options.cwd ?? PROJECT_ROOT, env: options.env ?? process.env });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill(), options.timeoutMs ?? 30_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.stdin ?? "");
  });
}
