// The two sides of the benchmark and how one measurement of a side is taken, identically for both:
// the same generated stack, project, stack name and mocks; only the program differs. The stack's
// tokens are in a declaration file (pushTokensFile), as a stack of this size must have them: inline,
// past about 250 tokens, the config would be too large for the Node.js host (config/configSize.ts),
// and the program would rightly warn. The program reads and validates that file; the baseline is
// handed the generated tokens as they are.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { stringify } from "yaml";
import { fixedClock } from "../../config/clock";
import pushTokenStack = require("../../infra/index");
import { toPulumiConfig } from "../stackFile/offlineConfig";
import { registerBare } from "./baseline";
import { registrationDigest } from "./digest";
import { BENCH_TODAY, benchStackConfig, type BenchPushToken } from "./generate";
import { evaluateProgram, type ProgramRun, type ProgramRunOptions } from "../evaluation/evaluate";
import type { Sample, Side } from "./sample";

export const BENCH_PROJECT = "gitlab-push-tokens";
export const BENCH_STACK = "bench";
const DECLARATION = "push-tokens/bench.yaml";

export interface BenchRunOptions extends ProgramRunOptions {
  /** The project folder holding the declaration file. */
  readonly root: string;
  /** The generated tokens, for the baseline. */
  readonly pushTokens: readonly BenchPushToken[];
  readonly baseUrl: string;
}

/** What the mock runtime is given for a generated stack of `tokens` tokens, its declaration file written to a temp folder (removed at exit). */
export function benchRunOptions(tokens: number): BenchRunOptions {
  const { gitlab, expiryWarningDays, pushTokens } = benchStackConfig(tokens, BENCH_TODAY);
  const root = mkdtempSync(path.join(tmpdir(), "bench-stack-"));
  process.once("exit", () => rmSync(root, { recursive: true, force: true }));
  mkdirSync(path.join(root, path.dirname(DECLARATION)));
  writeFileSync(path.join(root, DECLARATION), stringify({ pushTokens }));
  const { config } = toPulumiConfig(BENCH_PROJECT, { gitlab, expiryWarningDays, pushTokensFile: DECLARATION });
  return { config, project: BENCH_PROJECT, stack: BENCH_STACK, tokenValue: (name) => `fake-token-of(${name})`, root, pushTokens, baseUrl: gitlab.baseUrl };
}

export function programFor(side: Side, options: BenchRunOptions): () => unknown {
  return side === "program" ? () => pushTokenStack(fixedClock(BENCH_TODAY), options.root) : () => registerBare(options.pushTokens, options.baseUrl);
}

/**
 * Evaluates one side once and describes it. Peak RSS is the process's: meaningful in a fresh child
 * process that does nothing else (lib/bench/child.ts), not inside a test.
 */
export async function measureSide(side: Side, tokens: number): Promise<Sample> {
  const options = benchRunOptions(tokens);
  const program = programFor(side, options);
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
