// The command line of `npm run bench`, parsed into options or a one-line error, by the convention every
// command follows (lib/command/commandLine.ts). Pure.

import { parseCommandLine, type CommandSpec, type Environment } from "../command/commandLine";

const DEFAULT_SIZES = [10, 100, 1000, 5000] as const;
/** The engine mode's sizes: the README's figures; 10,000 is run once, on its own (--sizes 10000 --runs 1). */
const DEFAULT_ENGINE_SIZES = [1000, 5000] as const;
const DEFAULT_ENGINE_RUNS = 3;

export const BENCH: CommandSpec = {
  name: "bench",
  usage: ["-- [--sizes 10,100,1000,5000] [--runs N] [--warmup N] [--json]", "-- --engine [--sizes 1000,5000] [--runs N] [--warmup N] [--json]"],
  summary: [
    "Times the whole evaluation of the program (config read, validation, every registration) under the Pulumi",
    "SDK's mock runtime against a bare baseline registering the same resources, at several stack sizes, and",
    "reports medians, peak RSS, the targets and the checks (docs/performance.md). Each run's timing is logged",
    "on stderr as it is taken. With --engine, runs pulumi preview through the real CLI, the stand-in GitLab plugin",
    "and the emulator instead (the e2e harness), program against bare, with the stack's tokens in a declaration file.",
  ].join("\n"),
  options: {
    sizes: { type: "string", value: "<counts>", description: "token counts to measure, comma-separated (default 10,100,1000,5000)", example: "--sizes 10,100" },
    runs: { type: "string", value: "<N>", description: "measured runs per side and size (default 5 up to 100 tokens, 3 up to 1,000, 2 above)", example: "--runs 3" },
    warmup: { type: "string", value: "<N>", description: "discarded program/baseline pairs at 10 tokens before measuring (default 1)", example: "--warmup 1" },
    json: { type: "boolean", description: "print one JSON object instead of the table (the run log still goes to stderr)" },
    engine: { type: "boolean", description: "pulumi preview through the real CLI (npm run engine builds it) instead of the mocks (default sizes 1000,5000, 3 runs)" },
  },
  examples: ["npm run bench", "npm run bench -- --sizes 10,100 --runs 3", "npm run bench -- --json > bench.json", "npm run bench -- --engine", "npm run bench -- --engine --sizes 10000 --runs 1"],
  exitCodes: "0 every check passes (a missed target is reported, not fatal); 1 a check fails, a measurement cannot be taken, or a usage error.",
};

export interface BenchOptions {
  /** Token counts, ascending, without duplicates. */
  readonly sizes: readonly number[];
  /** Measured runs per side at each size; undefined means defaultRuns(size). */
  readonly runs?: number;
  /** Discarded warm-up pairs. */
  readonly warmup: number;
  readonly json: boolean;
  /** Through the real CLI (engineMode.ts) rather than the mocks. */
  readonly engine: boolean;
}

export type ParsedOptions =
  | { readonly ok: true; readonly options: BenchOptions }
  | { readonly ok: true; readonly help: string }
  | { readonly ok: false; readonly error: string };

/** Runs per side at a size when --runs is not given: enough for a median, within ~10 minutes for the defaults. */
export function defaultRuns(tokens: number): number {
  if (tokens <= 100) return 5;
  if (tokens <= 1000) return 3;
  return 2;
}

export function parseBenchArgs(argv: readonly string[], env: Environment = {}): ParsedOptions {
  const line = parseCommandLine(BENCH, argv, env);
  if (line.kind === "help") return { ok: true, help: line.text };
  if (line.kind === "error") return { ok: false, error: line.message };
  const values = line.values as { sizes?: string; runs?: string; warmup?: string; json?: boolean; engine?: boolean };
  const engine = values.engine ?? false;

  let sizes: number[] = [...(engine ? DEFAULT_ENGINE_SIZES : DEFAULT_SIZES)];
  if (values.sizes !== undefined) {
    const parts = values.sizes.split(",").map((part) => part.trim());
    if (parts.some((part) => !isWholeNumber(part, 1))) {
      return { ok: false, error: `--sizes must be token counts of at least 1 separated by commas, got ${JSON.stringify(values.sizes)}. Fix: write e.g. --sizes 10,100` };
    }
    sizes = [...new Set(parts.map(Number))].sort((a, b) => a - b);
  }
  if (values.runs !== undefined && !isWholeNumber(values.runs, 1)) {
    return { ok: false, error: `--runs must be a whole number of at least 1, got ${JSON.stringify(values.runs)}. Fix: write e.g. --runs 3` };
  }
  if (values.warmup !== undefined && !isWholeNumber(values.warmup, 0)) {
    return { ok: false, error: `--warmup must be a whole number of at least 0, got ${JSON.stringify(values.warmup)}. Fix: write e.g. --warmup 1` };
  }
  return {
    ok: true,
    options: {
      sizes,
      runs: values.runs === undefined ? (engine ? DEFAULT_ENGINE_RUNS : undefined) : Number(values.runs),
      warmup: values.warmup === undefined ? 1 : Number(values.warmup),
      json: values.json ?? false,
      engine,
    },
  };
}

function isWholeNumber(text: string, minimum: number): boolean {
  return /^\d+$/.test(text) && Number(text) >= minimum && Number.isSafeInteger(Number(text));
}
