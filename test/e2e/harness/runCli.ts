// Runs the CLI directly, for what the Automation API does not offer or hides: `pulumi preview --json`,
// `pulumi import --file`, `pulumi stack export`, `pulumi cancel`, a run to kill mid-way, and any command
// a README or .gitlab-ci.yml prints verbatim. A command that runs the program gets it served behind
// `--client`, exactly as the Automation API serves it, either from this process (`program`) or from a
// process of its own (`programModule`, for a run the test kills).

import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { createInterface } from "node:readline";
import type { EngineEvent, PulumiFn } from "@pulumi/pulumi/automation";
import { serveProgram } from "./languageServer";
import { tsxLoaderUrl } from "./shellScripts";
import { atProcessEnd, makeTempRoot, removeTempRoot } from "./tempRoots";

export interface CliRunOptions {
  /** The folder to run in. */
  readonly cwd: string;
  /** The variables every run of this environment gets, over the process's own. */
  readonly env: Readonly<Record<string, string>>;
  /** Serve this inline program to the CLI from this process. */
  readonly program?: PulumiFn;
  /**
   * Serve the program a module exports (its `export =` function, or `exportName`) from a process of
   * its own, killed when the CLI ends: for a run the test kills, whose program must die with it.
   */
  readonly programModule?: { readonly path: string; readonly exportName?: string };
  /** Collect the engine events (`--event-log`) of a command that has them (preview, up, refresh, destroy). */
  readonly events?: boolean;
  readonly stdin?: string;
  /** Called with the CLI's process once it runs: to signal or kill it. */
  readonly onSpawn?: (child: ChildProcess) => void;
  /** Called with each chunk the CLI prints on stdout, as it prints it. */
  readonly onStdout?: (chunk: string) => void;
  /** Killed (SIGKILL) after this long; 10 minutes by default. */
  readonly timeoutMs?: number;
}

export interface CliRun {
  readonly args: readonly string[];
  /** Exit code, or null when a signal ended it. */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The engine events, when asked for (the same objects the Automation API's onEvent receives). */
  readonly events: EngineEvent[];
}

interface Served {
  readonly port: number;
  stop(hasError: boolean): void;
}

export async function runCli(pulumi: string, args: readonly string[], options: CliRunOptions): Promise<CliRun> {
  const extraArgs: string[] = [];
  const extraEnv: Record<string, string> = {};
  const served: Served | undefined = options.program ? await serveProgram(options.program) : options.programModule ? await hostProgram(options.programModule) : undefined;
  if (served) extraArgs.push(`--client=127.0.0.1:${served.port}`, "--exec-kind", "auto.inline");
  const eventDir = options.events ? makeTempRoot("pulumi-events-") : undefined;
  if (eventDir) {
    extraArgs.push("--event-log", path.join(eventDir, "events.jsonl"));
    extraEnv.PULUMI_DEBUG_COMMANDS = "true"; // --event-log is a debug flag
  }
  const fullArgs = [...args, ...extraArgs];
  let run: Omit<CliRun, "events"> | undefined;
  try {
    run = await new Promise<Omit<CliRun, "events">>((resolve, reject) => {
      const child = spawn(pulumi, fullArgs, { cwd: options.cwd, env: { ...process.env, ...options.env, ...extraEnv }, stdio: ["pipe", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
        stdout += chunk;
        options.onStdout?.(chunk);
      });
      child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
      const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 600_000);
      child.on("error", reject);
      child.on("close", (code, signal) => {
        clearTimeout(timer);
        resolve({ args: fullArgs, code, signal, stdout, stderr });
      });
      child.stdin.end(options.stdin ?? "");
      options.onSpawn?.(child);
    });
    return { ...run, events: eventDir ? readEvents(path.join(eventDir, "events.jsonl")) : [] };
  } finally {
    served?.stop(run?.code !== 0);
    if (eventDir) removeTempRoot(eventDir);
  }
}

/** Starts programHost.ts for `module` and waits for the port it serves on. */
async function hostProgram(module: { readonly path: string; readonly exportName?: string }): Promise<Served> {
  const host = spawn(process.execPath, ["--import", tsxLoaderUrl(), path.join(__dirname, "programHost.ts"), module.path, ...(module.exportName ? [module.exportName] : [])], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    createInterface({ input: host.stdout! }).once("line", (line) => (/^\d+$/.test(line) ? resolve(Number(line)) : reject(new Error(`the program host printed ${JSON.stringify(line)} instead of its port`))));
    host.once("error", reject);
    host.once("exit", (code) => reject(new Error(`the program host for ${module.path} exited (${code}) before serving`)));
  });
  host.stdout!.destroy(); // it prints nothing more
  host.unref();
  const withdraw = atProcessEnd(() => host.kill("SIGKILL"));
  return {
    port,
    stop: () => {
      host.kill("SIGKILL");
      withdraw();
    },
  };
}

function readEvents(file: string): EngineEvent[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return []; // the command failed before the engine started
  }
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as EngineEvent);
}
