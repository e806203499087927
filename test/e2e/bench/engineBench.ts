// The engine benchmark (`npm run bench -- --engine`): `pulumi preview` of generated stacks through the
// real CLI, the stand-in GitLab plugin and the emulator (the e2e harness's world), the program against
// a bare program registering the same resources. Both sides preview the same stack (same config, same
// empty state, same CLI and plugin, in the same run), alternated in pairs whose order swaps every other
// pair, each served from a fresh process of its own (benchHost.ts) whose peak RSS (VmHWM) and CPU time
// are read from /proc before it is stopped.
//
// The stack config names a declaration file (pushTokensFile): the tokens never pass through
// PULUMI_CONFIG, which the Node.js host could not hand over past 128 KiB (config/configSize.ts).
//
// Run as `node --import tsx test/e2e/bench/engineBench.ts '<json options>'` by lib/bench/engineMode.ts,
// which lives in lib/ and so may not import test/: it prints progress on stderr and one JSON line
// (EngineSamples) on stdout.

import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { createInterface } from "node:readline";
import { stringify } from "yaml";
import { benchStackConfig, expectedRegistrations } from "../../../lib/bench/generate";
import type { EngineSample, EngineSamples, EngineRunOptions } from "../../../lib/bench/engineSample";
import type { Side } from "../../../lib/bench/sample";
import { startGitLabWorld, type GitLabWorld } from "../harness";
import { tsxLoaderUrl } from "../harness/shellScripts";

const PROJECT = "gitlab-push-tokens";
const HOST = path.join(__dirname, "benchHost.ts");
/** Clock ticks per second of /proc/<pid>/stat (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;
const PREVIEW_TIMEOUT_MS = 60 * 60_000;

function pairOrder(pair: number): readonly Side[] {
  return pair % 2 === 1 ? ["program", "baseline"] : ["baseline", "program"];
}

/** Writes the stack file and its declaration file for `tokens` tokens, and creates the stack. */
async function prepareStack(world: GitLabWorld, tokens: number): Promise<string> {
  const stack = `bench-${tokens}`;
  const { gitlab, expiryWarningDays, pushTokens } = benchStackConfig(tokens);
  // Not under push-tokens/: the work dir links the repository's folders (engineEnv.ts), and a file
  // written there would land in the repository itself.
  const declaration = `bench-declarations/${stack}.yaml`;
  mkdirSync(path.join(world.env.workDir, "bench-declarations"), { recursive: true });
  writeFileSync(path.join(world.env.workDir, declaration), stringify({ pushTokens }));
  const config = {
    [`${PROJECT}:gitlab`]: { ...gitlab, baseUrl: world.target.baseUrl },
    [`${PROJECT}:expiryWarningDays`]: expiryWarningDays,
    [`${PROJECT}:pushTokensFile`]: declaration,
  };
  writeFileSync(path.join(world.env.workDir, `Pulumi.${stack}.yaml`), stringify({ config }, { version: "1.1" }));
  const init = await world.env.pulumi(["stack", "init", stack, "--non-interactive"]);
  if (init.code !== 0) throw new Error(`pulumi stack init ${stack} failed: ${init.stderr.trim()}`);
  return stack;
}

async function startHost(world: GitLabWorld, side: Side, tokens: number): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ["--import", tsxLoaderUrl(), HOST, side, String(tokens)], { cwd: world.env.workDir, stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise<number>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once("line", (line) => (/^\d+$/.test(line) ? resolve(Number(line)) : reject(new Error(`the bench host printed ${JSON.stringify(line)}`))));
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`the bench host exited (${code}) before serving`)));
  });
  return { child, port };
}

/** Peak RSS (KiB) and CPU time (ms) of a running process, from /proc. */
function processUsage(pid: number): { peakRssKb: number; cpuMs: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const peakRssKb = Number(/^VmHWM:\s+(\d+) kB$/m.exec(status)?.[1]);
  // Fields after the command's closing parenthesis; utime and stime are the 14th and 15th of the line.
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  const cpuMs = ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  return { peakRssKb, cpuMs };
}

async function previewOnce(world: GitLabWorld, stack: string, side: Side, tokens: number): Promise<EngineSample> {
  const host = await startHost(world, side, tokens);
  try {
    const started = process.hrtime.bigint();
    const run = await world.env.pulumi(["preview", "--stack", stack, "--non-interactive", `--client=127.0.0.1:${host.port}`, "--exec-kind", "auto.inline"], {
      env: { PULUMI_SKIP_CHECKPOINTS: "true" },
      timeoutMs: PREVIEW_TIMEOUT_MS,
    });
    const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
    if (host.child.exitCode !== null || host.child.signalCode !== null) {
      // Its stderr (inherited) is above: at 10,000 tokens, Node's default heap limit ("JavaScript heap out of memory").
      throw new Error(`the ${side} program's process died during the preview of ${stack} (${host.child.exitCode ?? host.child.signalCode}); its error is above. For a heap out of memory, raise the limit: NODE_OPTIONS=--max-old-space-size=<MiB>`);
    }
    const usage = processUsage(host.child.pid!);
    const creates = Number(/\+ (\d+) to create/.exec(run.stdout)?.[1] ?? NaN);
    if (run.code !== 0) throw new Error(`pulumi preview of ${stack} (${side}) failed (exit ${run.code}): ${(run.stderr.trim() || run.stdout.trim().split("\n").slice(-5).join(" / ")).slice(0, 2000)}`);
    const warnings = (run.stdout.match(/^\s+warning: /gm) ?? []).length;
    return { side, tokens, elapsedMs, programCpuMs: usage.cpuMs, programPeakRssKb: usage.peakRssKb, creates, warnings };
  } finally {
    host.child.kill("SIGKILL");
  }
}

async function main(options: EngineRunOptions): Promise<EngineSamples> {
  const progress = (message: string) => process.stderr.write(`bench: ${message}\n`);
  const world = await startGitLabWorld({ projects: [] });
  try {
    const sizes: EngineSamples["sizes"][number][] = [];
    if (options.warmup > 0) {
      const stack = await prepareStack(world, 10);
      for (let pair = 1; pair <= options.warmup; pair++) for (const side of pairOrder(pair)) await previewOnce(world, stack, side, 10);
      progress(`engine warm-up done (${options.warmup} pair${options.warmup === 1 ? "" : "s"} at 10 tokens)`);
    }
    for (const { tokens, runs } of options.sizes) {
      const stack = await prepareStack(world, tokens);
      const samples: EngineSample[] = [];
      for (let run = 1; run <= runs; run++) {
        for (const side of options.sides.length === 2 ? pairOrder(run) : options.sides) {
          const sample = await previewOnce(world, stack, side, tokens);
          samples.push(sample);
          progress(`engine ${tokens} tokens, run ${run}/${runs}, ${side}: preview ${(sample.elapsedMs / 1000).toFixed(1)} s, program CPU ${(sample.programCpuMs / 1000).toFixed(1)} s, peak RSS ${(sample.programPeakRssKb / 1024).toFixed(0)} MiB, ${sample.creates} to create`);
        }
      }
      // The stack resource itself is the one create beyond the program's registrations.
      sizes.push({ tokens, expectedCreates: expectedRegistrations(benchStackConfig(tokens)) + 1, samples, stackConfigBytes: Buffer.byteLength(readFileSync(path.join(world.env.workDir, `Pulumi.${stack}.yaml`))) });
    }
    return { cli: world.env.cli.version, sizes };
  } finally {
    await world.close();
  }
}

main(JSON.parse(process.argv[2] ?? "{}") as EngineRunOptions).then(
  (samples) => process.stdout.write(`${JSON.stringify(samples)}\n`),
  (error: unknown) => {
    console.error(`engine benchmark failed: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
    process.exitCode = 1;
  },
);
