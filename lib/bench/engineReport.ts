// The engine benchmark's report (`npm run bench -- --engine`): per size, the medians of each side's
// `pulumi preview` (wall time, the program process's CPU time and peak RSS), the program/bare ratios,
// the scaling from the smallest to the largest size, the targets, and the checks that make the
// comparison valid (every preview created exactly the expected resources, both sides alike). Pure.

import type { EngineSamples } from "./engineSample";
import type { Machine, Target, Check } from "./report";
import { median, round } from "./stats";

/** The program may cost at most this much more than the bare program, per preview. */
export const ENGINE_RATIO_TARGET = 1.05;
/** Linear scaling: the time per token at the largest size at most this much over the smallest's. */
export const ENGINE_LINEARITY_TARGET = 1.2;

export interface EngineSizeResult {
  readonly tokens: number;
  readonly creates: number;
  readonly runs: number;
  readonly stackConfigBytes: number;
  /** Medians, seconds / MiB. */
  readonly programPreviewS: number;
  readonly barePreviewS: number;
  readonly previewRatio: number;
  readonly programCpuS: number;
  readonly bareCpuS: number;
  readonly cpuRatio: number;
  readonly programRssMb: number;
  readonly bareRssMb: number;
  readonly programRunsS: readonly number[];
  readonly bareRunsS: readonly number[];
}

export interface EngineReport {
  readonly cli: string;
  readonly machine: Machine;
  readonly sizes: readonly EngineSizeResult[];
  /** Program preview time per token at the largest size over the smallest's; null with one size. */
  readonly linearity: number | null;
  readonly targets: readonly Target[];
  readonly checks: readonly Check[];
}

export function buildEngineReport(samples: EngineSamples, machine: Machine): EngineReport {
  const sizes = samples.sizes.map((size): EngineSizeResult => {
    const of = (side: "program" | "baseline") => size.samples.filter((sample) => sample.side === side);
    const [program, bare] = [of("program"), of("baseline")];
    const med = (list: typeof program, pick: (sample: (typeof program)[number]) => number) => median(list.map(pick));
    const programPreviewS = med(program, (s) => s.elapsedMs) / 1000;
    const barePreviewS = med(bare, (s) => s.elapsedMs) / 1000;
    const programCpuS = med(program, (s) => s.programCpuMs) / 1000;
    const bareCpuS = med(bare, (s) => s.programCpuMs) / 1000;
    return {
      tokens: size.tokens,
      creates: size.expectedCreates,
      runs: program.length,
      stackConfigBytes: size.stackConfigBytes,
      programPreviewS: round(programPreviewS, 1),
      barePreviewS: round(barePreviewS, 1),
      previewRatio: round(programPreviewS / barePreviewS, 3),
      programCpuS: round(programCpuS, 1),
      bareCpuS: round(bareCpuS, 1),
      cpuRatio: round(programCpuS / bareCpuS, 3),
      programRssMb: round(med(program, (s) => s.programPeakRssKb) / 1024, 0),
      bareRssMb: round(med(bare, (s) => s.programPeakRssKb) / 1024, 0),
      programRunsS: program.map((s) => round(s.elapsedMs / 1000, 1)),
      bareRunsS: bare.map((s) => round(s.elapsedMs / 1000, 1)),
    };
  });
  const [first, last] = [sizes[0], sizes[sizes.length - 1]];
  const linearity = sizes.length > 1 ? round(last.programPreviewS / last.tokens / (first.programPreviewS / first.tokens), 3) : null;
  const worst = sizes.reduce((a, b) => (b.previewRatio > a.previewRatio ? b : a), sizes[0]);
  const targets: Target[] = [
    { description: `program preview ≤ ${ENGINE_RATIO_TARGET}× bare at every size`, limit: ENGINE_RATIO_TARGET, value: worst.previewRatio, met: worst.previewRatio <= ENGINE_RATIO_TARGET, detail: `worst at ${worst.tokens} tokens` },
    {
      description: `linear: time per token at ${last.tokens} tokens ≤ ${ENGINE_LINEARITY_TARGET}× that at ${first.tokens}`,
      limit: ENGINE_LINEARITY_TARGET,
      value: linearity,
      met: linearity === null ? null : linearity <= ENGINE_LINEARITY_TARGET,
    },
  ];
  const wrong = samples.sizes.flatMap((size) => size.samples.filter((sample) => sample.creates !== size.expectedCreates).map((sample) => `${sample.side} at ${size.tokens} tokens: ${sample.creates} to create, not ${size.expectedCreates}`));
  const warned = samples.sizes.flatMap((size) => size.samples.filter((sample) => sample.warnings > 0).map((sample) => `${sample.side} at ${size.tokens} tokens printed ${sample.warnings} warnings`));
  const configs = new Set(samples.sizes.map((size) => size.stackConfigBytes));
  const checks: Check[] = [
    { description: "every preview creates exactly the stack's resources, program and bare alike", passed: wrong.length === 0, ...(wrong.length > 0 && { problem: wrong.join("; ") }) },
    { description: "no preview warns (the generated stacks are healthy)", passed: warned.length === 0, ...(warned.length > 0 && { problem: warned.join("; ") }) },
    { description: "the stack config is one size at every token count (the tokens are in the declaration file)", passed: configs.size === 1, ...(configs.size > 1 && { problem: `sizes ${[...configs].join(", ")} bytes` }) },
  ];
  return { cli: samples.cli, machine, sizes, linearity, targets, checks };
}

export function renderEngineTable(report: EngineReport): string {
  const header = ["tokens", "creates", "runs", "program s", "bare s", "ratio", "program CPU s", "bare CPU s", "CPU ratio", "program RSS MiB", "bare RSS MiB"];
  const rows = report.sizes.map((size) => [size.tokens, size.creates, size.runs, size.programPreviewS, size.barePreviewS, size.previewRatio, size.programCpuS, size.bareCpuS, size.cpuRatio, size.programRssMb, size.bareRssMb].map(String));
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (cells: readonly string[]) => cells.map((cell, column) => cell.padStart(widths[column])).join("  ");
  const mark = (met: boolean | null) => (met === null ? "not measured" : met ? "met" : "MISSED");
  return [
    `pulumi preview through the real CLI ${report.cli} (stand-in gitlab plugin, emulator, file backend), medians; program = infra/index.ts reading its declaration file, bare = the same registrations from tokens it is handed`,
    `machine: ${report.machine.cpus} CPUs (${report.machine.cpuModel}), Node ${report.machine.node}, load ${report.machine.loadAverage.start} → ${report.machine.loadAverage.end}`,
    "",
    line(header),
    ...rows.map(line),
    "",
    ...report.targets.map((target) => `target: ${target.description}: ${target.value ?? "–"} (${mark(target.met)}${target.detail ? `, ${target.detail}` : ""})`),
    ...report.checks.map((check) => `check: ${check.description}: ${check.passed ? "passed" : `FAILED: ${check.problem}`}`),
  ].join("\n");
}
