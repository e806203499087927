// `npm run bench -- --engine`: runs the engine benchmark, which needs the e2e harness (the real CLI,
// the stand-in GitLab plugin, the emulator: test/e2e/), as a child process by path: lib/ may not
// import test/ (test/layout.test.ts), and the harness ships with the tests, not with the tools. The
// child prints its samples as one JSON line; the report is built and rendered here (engineReport.ts).

import { spawnSync } from "node:child_process";
import * as os from "node:os";
import * as path from "node:path";
import type { EngineRunOptions, EngineSamples } from "./engineSample";
import { buildEngineReport, type EngineReport } from "./engineReport";
import { MeasurementError } from "./runner";
import { round } from "./stats";

const PROJECT_ROOT = path.resolve(__dirname, "..", "..");
const ENGINE_BENCH = path.join(PROJECT_ROOT, "test", "e2e", "bench", "engineBench.ts");
/** The 10,000-token preview pair takes minutes; a run this long has hung. */
const TIMEOUT_MS = 4 * 60 * 60_000;

export function runEngineBenchmark(options: EngineRunOptions): EngineReport {
  const loadAtStart = os.loadavg()[0];
  const result = spawnSync(process.execPath, ["--import", "tsx", ENGINE_BENCH, JSON.stringify(options)], {
    cwd: PROJECT_ROOT,
    encoding: "utf8",
    timeout: TIMEOUT_MS,
    maxBuffer: 64 * 1024 * 1024,
    // Its progress goes straight to the terminal.
    stdio: ["ignore", "pipe", "inherit"],
  });
  if (result.error) throw new MeasurementError(`could not run the engine benchmark: ${result.error.message}`);
  const lastLine = result.stdout.trim().split("\n").pop() ?? "";
  if (result.status !== 0 || !lastLine.startsWith("{")) throw new MeasurementError(`the engine benchmark failed (exit ${result.status ?? result.signal}); its error is above`);
  const samples = JSON.parse(lastLine) as EngineSamples;
  return buildEngineReport(samples, {
    cpus: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model.trim() ?? "unknown",
    node: process.version,
    loadAverage: { start: round(loadAtStart, 2), end: round(os.loadavg()[0], 2) },
  });
}
