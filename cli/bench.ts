// `npm run bench -- [--sizes 10,100,1000,5000] [--runs N] [--warmup N] [--json]`
// `npm run bench -- --engine [--sizes 1000,5000] [--runs N] [--warmup N] [--json]`: through the real CLI
// (lib/bench/engineMode.ts), see docs/performance.md.
//
// Times the whole evaluation of the program (config read, validation, every registration) under the
// Pulumi SDK's mock runtime against a bare baseline that registers the same resources, at several
// stack sizes, and reports medians, peak RSS, the targets and the checks. Not a test: CI does not run it.
// Exit 0 when every check passes (a missed target is reported, not fatal); 1 when a check fails (a
// provider invoke, a baseline that no longer matches the program), a measurement cannot be taken, or
// the command line is wrong.

import { usageError } from "../lib/command/commandLine";
import { BENCH, parseBenchArgs } from "../lib/bench/options";
import { runEngineBenchmark } from "../lib/bench/engineMode";
import { renderEngineTable } from "../lib/bench/engineReport";
import { renderTable, reportJson } from "../lib/bench/report";
import { MeasurementError, runBenchmark } from "../lib/bench/runner";

function main(argv: readonly string[]): number {
  const parsed = parseBenchArgs(argv, process.env);
  if (!parsed.ok) return usageError(BENCH, parsed.error, { err: (text) => console.error(text) });
  if ("help" in parsed) {
    console.log(parsed.help);
    return 0;
  }
  const { options } = parsed;
  if (options.engine) {
    const report = runEngineBenchmark({ sizes: options.sizes.map((tokens) => ({ tokens, runs: options.runs ?? 3 })), sides: ["program", "baseline"], warmup: options.warmup });
    console.log(options.json ? JSON.stringify(report, null, 2) : renderEngineTable(report));
    return report.checks.every((check) => check.passed) ? 0 : 1;
  }
  const report = runBenchmark(options, (message) => console.error(`bench: ${message}`));
  console.log(options.json ? reportJson(report) : renderTable(report));
  return report.checks.every((check) => check.passed) ? 0 : 1;
}

if (require.main === module) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (error) {
    console.error(error instanceof MeasurementError ? `bench: ${error.message}` : `bench failed unexpectedly: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
    process.exitCode = 1;
  }
}
