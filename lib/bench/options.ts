// The command line of `npm run bench`, parsed into options or a one-line error. Pure.

import { parseArgs } from "node:util";

const DEFAULT_SIZES = [10, 100, 1000, 5000] as const;

export const USAGE =
  "usage: npm run bench -- [--sizes 10,100,1000,5000] [--runs N] [--warmup N] [--json]\n" +
  "  --sizes   token counts to measure, comma-separated (default 10,100,1000,5000)\n" +
  "  --runs    measured runs per side and size (default 5 up to 100 tokens, 3 up to 1,000, 2 above)\n" +
  "  --warmup  discarded program/baseline pairs at 10 tokens before measuring (default 1)\n" +
  "  --json    print one JSON object instead of the table (progress still goes to stderr)";

export interface BenchOptions {
  /** Token counts, ascending, without duplicates. */
  readonly sizes: readonly number[];
  /** Measured runs per side at each size; undefined means defaultRuns(size). */
  readonly runs?: number;
  /** Discarded warm-up pairs. */
  readonly warmup: number;
  readonly json: boolean;
  readonly help: boolean;
}

export type ParsedOptions = { readonly ok: true; readonly options: BenchOptions } | { readonly ok: false; readonly error: string };

/** Runs per side at a size when --runs is not given: enough for a median, within ~10 minutes for the defaults. */
export function defaultRuns(tokens: number): number {
  if (tokens <= 100) return 5;
  if (tokens <= 1000) return 3;
  return 2;
}

export function parseBenchArgs(argv: readonly string[]): ParsedOptions {
  let values: { sizes?: string; runs?: string; warmup?: string; json?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        sizes: { type: "string" },
        runs: { type: "string" },
        warmup: { type: "string" },
        json: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (error) {
    // parseArgs's own first line names the option; its trailing full stop would read badly before ours.
    return { ok: false, error: `${(error as Error).message.split("\n")[0].replace(/\.$/, "")}: run with --help for the options` };
  }

  let sizes: number[] = [...DEFAULT_SIZES];
  if (values.sizes !== undefined) {
    const parts = values.sizes.split(",").map((part) => part.trim());
    if (parts.some((part) => !isWholeNumber(part, 1))) {
      return { ok: false, error: `--sizes must be token counts of at least 1 separated by commas, e.g. --sizes 10,100; got ${JSON.stringify(values.sizes)}` };
    }
    sizes = [...new Set(parts.map(Number))].sort((a, b) => a - b);
  }
  if (values.runs !== undefined && !isWholeNumber(values.runs, 1)) {
    return { ok: false, error: `--runs must be a whole number of at least 1, e.g. --runs 3; got ${JSON.stringify(values.runs)}` };
  }
  if (values.warmup !== undefined && !isWholeNumber(values.warmup, 0)) {
    return { ok: false, error: `--warmup must be a whole number of at least 0, e.g. --warmup 1; got ${JSON.stringify(values.warmup)}` };
  }
  return {
    ok: true,
    options: {
      sizes,
      runs: values.runs === undefined ? undefined : Number(values.runs),
      warmup: values.warmup === undefined ? 1 : Number(values.warmup),
      json: values.json ?? false,
      help: values.help ?? false,
    },
  };
}

function isWholeNumber(text: string, minimum: number): boolean {
  return /^\d+$/.test(text) && Number(text) >= minimum && Number.isSafeInteger(Number(text));
}
