// Turns the benchmark's samples into its report: medians per size, the targets, the checks that make
// the comparison valid, and their rendering as a table or as JSON. Pure.

import type { Sample } from "./sample";
import { median, round } from "./stats";

/** Every sample taken at one size. */
export interface SizeMeasurements {
  readonly tokens: number;
  /** How many resources the generated stack must register (see expectedRegistrations). */
  readonly expectedRegistrations: number;
  readonly program: readonly Sample[];
  readonly baseline: readonly Sample[];
}

/** Where the numbers come from. */
export interface Machine {
  readonly cpus: number;
  readonly cpuModel: string;
  readonly node: string;
  /** One-minute load average when the benchmark started and ended: above the CPU count, wall times are noisy. */
  readonly loadAverage: { readonly start: number; readonly end: number };
}

export interface SizeResult {
  readonly tokens: number;
  /** Resources registered by each side. */
  readonly resources: number;
  /** Measured runs per side. */
  readonly runs: number;
  /** Median evaluation time of the program, ms. */
  readonly programMs: number;
  /** Median evaluation time of the baseline, ms. */
  readonly baselineMs: number;
  /** programMs / baselineMs. */
  readonly ratio: number;
  /** Median CPU time of each side over the same interval, ms; on a busy machine, steadier than wall time. */
  readonly programCpuMs: number;
  readonly baselineCpuMs: number;
  /** programCpuMs / baselineCpuMs. */
  readonly cpuRatio: number;
  /** Median peak RSS of the program's process, MiB. */
  readonly programRssMb: number;
  /** Median peak RSS of the baseline's process, MiB. */
  readonly baselineRssMb: number;
  /** programRssMb / baselineRssMb. */
  readonly rssRatio: number;
  /** Median RSS before the evaluation (modules loaded, config generated), both sides, MiB. */
  readonly loadedRssMb: number;
  /** Lookups made, summed over every run of the side. */
  readonly programInvokes: number;
  readonly baselineInvokes: number;
  /** Each run's time, in the order taken, ms. */
  readonly programRunsMs: readonly number[];
  readonly baselineRunsMs: readonly number[];
}

export interface Target {
  readonly description: string;
  readonly limit: number;
  /** The measured value; null when the sizes it needs were not measured. */
  readonly value: number | null;
  /** null when not measured. */
  readonly met: boolean | null;
  /** Where the value comes from, when it is the worst of several. */
  readonly detail?: string;
}

export interface Check {
  readonly description: string;
  readonly passed: boolean;
  /** What went wrong, when it did not pass. */
  readonly problem?: string;
}

export interface BenchReport {
  readonly sizes: readonly SizeResult[];
  /** programMs(1000) / programMs(100); null unless both were measured. */
  readonly scaling: number | null;
  readonly targets: readonly Target[];
  /** Conditions without which the numbers mean nothing; a failed one makes the benchmark exit 1. */
  readonly checks: readonly Check[];
  readonly warmupPairs: number;
  readonly machine: Machine;
}

const TARGETS = { ratio: 1.1, ratioAt: [1000, 5000], scaling: 12, scalingFrom: 100, scalingTo: 1000, rssRatio: 1.2 } as const;

const KIB_PER_MIB = 1024;

function summarizeSize(measured: SizeMeasurements): SizeResult {
  const { program, baseline } = measured;
  if (program.length === 0 || baseline.length === 0) throw new RangeError(`no samples at ${measured.tokens} tokens`);
  const programMs = median(program.map((sample) => sample.elapsedMs));
  const baselineMs = median(baseline.map((sample) => sample.elapsedMs));
  const programCpuMs = median(program.map((sample) => sample.cpuMs));
  const baselineCpuMs = median(baseline.map((sample) => sample.cpuMs));
  const programRssMb = median(program.map((sample) => sample.peakRssKb)) / KIB_PER_MIB;
  const baselineRssMb = median(baseline.map((sample) => sample.peakRssKb)) / KIB_PER_MIB;
  return {
    tokens: measured.tokens,
    resources: program[0].registrations,
    runs: Math.min(program.length, baseline.length),
    programMs: round(programMs, 1),
    baselineMs: round(baselineMs, 1),
    ratio: round(programMs / baselineMs, 3),
    programCpuMs: round(programCpuMs, 1),
    baselineCpuMs: round(baselineCpuMs, 1),
    cpuRatio: round(programCpuMs / baselineCpuMs, 3),
    programRssMb: round(programRssMb, 1),
    baselineRssMb: round(baselineRssMb, 1),
    rssRatio: round(programRssMb / baselineRssMb, 3),
    loadedRssMb: round(median([...program, ...baseline].map((sample) => sample.startRssKb)) / KIB_PER_MIB, 1),
    programInvokes: program.reduce((sum, sample) => sum + sample.invokes.length, 0),
    baselineInvokes: baseline.reduce((sum, sample) => sum + sample.invokes.length, 0),
    programRunsMs: program.map((sample) => round(sample.elapsedMs, 1)),
    baselineRunsMs: baseline.map((sample) => round(sample.elapsedMs, 1)),
  };
}

export function buildReport(measurements: readonly SizeMeasurements[], machine: Machine, warmupPairs: number): BenchReport {
  const sizes = measurements.map(summarizeSize);
  const at = (tokens: number) => sizes.find((size) => size.tokens === tokens);
  const from = at(TARGETS.scalingFrom);
  const to = at(TARGETS.scalingTo);
  const scaling = from && to ? round(to.programMs / from.programMs, 2) : null;

  const targets: Target[] = TARGETS.ratioAt.map((tokens) => {
    const ratio = at(tokens)?.ratio ?? null;
    return { description: `time ratio program/baseline at ${formatCount(tokens)} tokens <= ${TARGETS.ratio.toFixed(2)}`, limit: TARGETS.ratio, value: ratio, met: ratio === null ? null : ratio <= TARGETS.ratio };
  });
  targets.push({
    description: `scaling ${formatCount(TARGETS.scalingFrom)} -> ${formatCount(TARGETS.scalingTo)} tokens, programMs(${TARGETS.scalingTo}) / programMs(${TARGETS.scalingFrom}) <= ${TARGETS.scaling}`,
    limit: TARGETS.scaling,
    value: scaling,
    met: scaling === null ? null : scaling <= TARGETS.scaling,
  });
  const worstRss = sizes.reduce<SizeResult | undefined>((worst, size) => (!worst || size.rssRatio > worst.rssRatio ? size : worst), undefined);
  targets.push({
    description: `peak RSS program/baseline at every size <= ${TARGETS.rssRatio.toFixed(2)}`,
    limit: TARGETS.rssRatio,
    value: worstRss?.rssRatio ?? null,
    met: worstRss ? worstRss.rssRatio <= TARGETS.rssRatio : null,
    ...(worstRss && { detail: `worst at ${formatCount(worstRss.tokens)} tokens` }),
  });

  return { sizes, scaling, targets, checks: checksOf(measurements), warmupPairs, machine };
}

function checksOf(measurements: readonly SizeMeasurements[]): Check[] {
  const samples = measurements.flatMap((measured) => [...measured.program, ...measured.baseline]);
  const invoked = samples.filter((sample) => sample.invokes.length > 0);
  const mismatched = measurements.filter(
    (measured) =>
      new Set([...measured.program, ...measured.baseline].map((sample) => sample.digest)).size !== 1 ||
      [...measured.program, ...measured.baseline].some((sample) => sample.registrations !== measured.expectedRegistrations),
  );
  const warned = samples.filter((sample) => sample.warnings > 0);
  return [
    {
      description: "no provider invokes (lookups) on either side",
      passed: invoked.length === 0,
      ...(invoked.length > 0 && {
        problem: invoked.map((sample) => `${sample.side} at ${sample.tokens} tokens called ${[...new Set(sample.invokes)].join(", ")}`).join("; "),
      }),
    },
    {
      description: "program and baseline registered the same resources (type, name, inputs, secrets, provider, parent, options) in every run",
      passed: mismatched.length === 0,
      ...(mismatched.length > 0 && {
        problem: `they differ at ${mismatched.map((measured) => `${formatCount(measured.tokens)} tokens`).join(", ")}: the baseline (lib/bench/baseline.ts) no longer matches the program`,
      }),
    },
    {
      description: "no warnings logged (the generated stacks are healthy, so the program does no work the baseline skips)",
      passed: warned.length === 0,
      ...(warned.length > 0 && { problem: `${warned[0].side} logged ${warned[0].warnings} warning(s) at ${warned[0].tokens} tokens: fix lib/bench/generate.ts` }),
    },
  ];
}

export function reportJson(report: BenchReport): string {
  return JSON.stringify(report, null, 2);
}

export function renderTable(report: BenchReport): string {
  const { machine } = report;
  const lines = [
    "Program evaluation vs bare baseline under the Pulumi SDK's mock runtime (medians; each run in a fresh process, sides alternated)",
    `machine: ${machine.cpus} CPUs, ${machine.cpuModel}, Node ${machine.node}; load average ${machine.loadAverage.start.toFixed(2)} at start, ${machine.loadAverage.end.toFixed(2)} at end; ${report.warmupPairs} warm-up pair(s) discarded`,
    "",
  ];
  const header = ["TOKENS", "RESOURCES", "RUNS", "PROGRAM ms", "BASELINE ms", "RATIO", "CPU RATIO", "PROGRAM RSS MiB", "BASELINE RSS MiB", "RSS RATIO", "INVOKES"];
  const rows = report.sizes.map((size) => [
    formatCount(size.tokens),
    formatCount(size.resources),
    String(size.runs),
    size.programMs.toFixed(1),
    size.baselineMs.toFixed(1),
    size.ratio.toFixed(2),
    size.cpuRatio.toFixed(2),
    size.programRssMb.toFixed(1),
    size.baselineRssMb.toFixed(1),
    size.rssRatio.toFixed(2),
    String(size.programInvokes + size.baselineInvokes),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  for (const row of [header, ...rows]) lines.push(`  ${row.map((cell, column) => cell.padStart(widths[column])).join("  ")}`.trimEnd());
  const scaling = report.scaling === null ? "not measured" : report.scaling.toFixed(2);
  lines.push(
    "  RATIO: program/baseline wall time; CPU RATIO: the same for CPU time, steadier when other processes share the cores",
    "",
    `scaling ${formatCount(TARGETS.scalingFrom)} -> ${formatCount(TARGETS.scalingTo)} tokens: ${scaling}`,
    "",
    "Targets",
  );
  for (const target of report.targets) {
    const verdict = target.met === null ? "n/a   " : target.met ? "met   " : "MISSED";
    const value = target.value === null ? "not measured" : `${target.value.toFixed(2)}${target.detail ? `, ${target.detail}` : ""}`;
    lines.push(`  ${verdict}  ${target.description} (${value})`);
  }
  lines.push("", "Checks");
  for (const check of report.checks) {
    lines.push(`  ${check.passed ? "ok    " : "FAILED"}  ${check.description}${check.problem ? `: ${check.problem}` : ""}`);
  }
  return `${lines.join("\n")}\n`;
}

/** 5000 as "5,000". */
function formatCount(count: number): string {
  return count.toLocaleString("en-US");
}
