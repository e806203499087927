// The two sides of the benchmark and how one measurement of a side is taken, identically for both:
// the same generated config, project, stack and mocks; only the program differs.

import { fixedClock } from "../../config/clock";
import pushTokenStack = require("../../infra/index");
import { toPulumiConfig } from "../stackFile/offlineConfig";
import { baselineProgram } from "./baseline";
import { registrationDigest } from "./digest";
import { BENCH_TODAY, benchStackConfig } from "./generate";
import { evaluateProgram, type ProgramRun, type ProgramRunOptions } from "../evaluation/evaluate";
import type { Sample, Side } from "./sample";

export const BENCH_PROJECT = "gitlab-push-tokens";
export const BENCH_STACK = "bench";

/** What the mock runtime is given for a generated stack of `tokens` tokens. */
export function benchRunOptions(tokens: number): ProgramRunOptions {
  const { config } = toPulumiConfig(BENCH_PROJECT, { ...benchStackConfig(tokens, BENCH_TODAY) });
  return { config, project: BENCH_PROJECT, stack: BENCH_STACK, tokenValue: (name) => `fake-token-of(${name})` };
}

export function programFor(side: Side): () => unknown {
  return side === "program" ? () => pushTokenStack(fixedClock(BENCH_TODAY)) : baselineProgram;
}

/**
 * Evaluates one side once and describes it. Peak RSS is the process's: meaningful in a fresh child
 * process that does nothing else (lib/bench/child.ts), not inside a test.
 */
export async function measureSide(side: Side, tokens: number): Promise<Sample> {
  const options = benchRunOptions(tokens);
  const program = programFor(side);
  const startRssKb = process.resourceUsage().maxRSS;
  const run = await runUnderMocks(options, program);
  // Read before hashing, so the digest's own allocations do not count.
  const peakRssKb = process.resourceUsage().maxRSS;
  return {
    side,
    tokens,
    elapsedMs: run.elapsedMs,
    cpuMs: run.cpuMs,
    peakRssKb,
    startRssKb,
    registrations: run.registrations.length,
    invokes: run.invokes,
    warnings: run.warnings.length,
    digest: registrationDigest(run.registrations),
  };
}

/** Runs one side under the mocks; a side that throws is a broken benchmark, not a result. */
export async function runUnderMocks(options: ProgramRunOptions, program: () => unknown): Promise<ProgramRun> {
  const run = await evaluateProgram(options, program);
  if (run.thrown !== undefined) throw run.thrown;
  return run;
}
