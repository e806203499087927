// Takes the benchmark's measurements: each one a fresh child process (lib/bench/child.ts) timing one
// side once, the two sides alternated at every size, and their order swapped on every other pair
// (program first, then baseline first) so that a drift in machine load falls on both alike.

import { spawnSync } from "node:child_process";
import * as os from "node:os";
import * as path from "node:path";
import { benchStackConfig, expectedRegistrations } from "./generate";
import { defaultRuns, type BenchOptions } from "./options";
import { buildReport, type BenchReport, type SizeMeasurements } from "./report";
import type { Sample, Side } from "./sample";
import { round } from "./stats";

const CHILD = path.join(__dirname, "child.ts");
const PROJECT_ROOT = path.resolve(__dirname, "..", "..");
/** Token count of the discarded warm-up pairs: enough to load and run every module once. */
const WARMUP_TOKENS = 10;
/** A child that runs longer than this has hung (the default 5,000-token run takes about 1.5 minutes). */
const CHILD_TIMEOUT_MS = 15 * 60_000;

/** Thrown when a child fails; its message is one line, fit for the user. */
export class MeasurementError extends Error {}

function measureOnce(side: Side, tokens: number): Sample {
  const result = spawnSync(process.execPath, ["--import", "tsx", CHILD, side, String(tokens)], {
    cwd: PROJECT_ROOT,
    encoding: "utf8",
    timeout: CHILD_TIMEOUT_MS,
    maxBuffer: 16 * 1024 * 1024,
  });
  if (result.error) throw new MeasurementError(`could not run the ${side} at ${tokens} tokens: ${result.error.message}`);
  const lastLine = result.stdout.trim().split("\n").pop() ?? "";
  if (result.status !== 0 || !lastLine.startsWith("{")) {
    const reason = result.stderr.trim().split("\n")[0] || `exit status ${result.status ?? result.signal}`;
    throw new MeasurementError(`the ${side} at ${tokens} tokens failed: ${reason}`);
  }
  return JSON.parse(lastLine) as Sample;
}

export interface RunPlan {
  readonly sizes: readonly number[];
  readonly runsAt: (tokens: number) => number;
  readonly warmup: number;
  /** Called after every child with a one-line progress message. */
  readonly progress: (message: string) => void;
}

export function measureAll(plan: RunPlan): SizeMeasurements[] {
  for (let pair = 1; pair <= plan.warmup; pair++) {
    for (const side of pairOrder(pair)) measureOnce(side, WARMUP_TOKENS);
    plan.progress(`warm-up pair ${pair}/${plan.warmup} done`);
  }
  return plan.sizes.map((tokens) => {
    const runs = plan.runsAt(tokens);
    const samples: Record<Side, Sample[]> = { program: [], baseline: [] };
    for (let run = 1; run <= runs; run++) {
      for (const side of pairOrder(run)) {
        const sample = measureOnce(side, tokens);
        samples[side].push(sample);
        plan.progress(`${tokens} tokens, run ${run}/${runs}, ${side}: ${sample.elapsedMs.toFixed(0)} ms, peak RSS ${(sample.peakRssKb / 1024).toFixed(0)} MiB`);
      }
    }
    return { tokens, expectedRegistrations: expectedRegistrations(benchStackConfig(tokens)), program: samples.program, baseline: samples.baseline };
  });
}

/** Program first on odd pairs, baseline first on even ones. */
export function pairOrder(pair: number): readonly Side[] {
  return pair % 2 === 1 ? ["program", "baseline"] : ["baseline", "program"];
}

/** The whole benchmark for these options: every measurement, and the report with the machine it ran on. */
export function runBenchmark(options: BenchOptions, progress: (message: string) => void): BenchReport {
  const loadAtStart = os.loadavg()[0];
  const measurements = measureAll({ sizes: options.sizes, runsAt: (tokens) => options.runs ?? defaultRuns(tokens), warmup: options.warmup, progress });
  const machine = {
    cpus: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model.trim() ?? "unknown",
    node: process.version,
    loadAverage: { start: round(loadAtStart, 2), end: round(os.loadavg()[0], 2) },
  };
  return buildReport(measurements, machine, options.warmup);
}
