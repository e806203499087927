// lib/bench/engineReport.ts: the engine benchmark's samples turned into medians, ratios, the scaling,
// the targets and the checks. Pure, on hand-made samples.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildEngineReport, renderEngineTable } from "../../../lib/bench/engineReport";
import type { EngineSample, EngineSamples } from "../../../lib/bench/engineSample";

const MACHINE = { cpus: 2, cpuModel: "test CPU", node: "v24.22.3", loadAverage: { start: 1, end: 2 } };

const sample = (side: EngineSample["side"], tokens: number, seconds: number, extra: Partial<EngineSample> = {}): EngineSample => ({
  side,
  tokens,
  elapsedMs: seconds * 1000,
  programCpuMs: seconds * 500,
  programPeakRssKb: 1024 * (side === "program" ? 110 : 100),
  creates: tokens * 5 + 2,
  warnings: 0,
  ...extra,
});

function samples(overrides: { at1k?: EngineSample[]; at5k?: EngineSample[]; config5k?: number } = {}): EngineSamples {
  return {
    cli: "3.276.0",
    sizes: [
      { tokens: 1000, expectedCreates: 5002, stackConfigBytes: 300, samples: overrides.at1k ?? [sample("program", 1000, 60), sample("baseline", 1000, 50), sample("program", 1000, 62), sample("baseline", 1000, 61), sample("program", 1000, 90), sample("baseline", 1000, 59)] },
      { tokens: 5000, expectedCreates: 25002, stackConfigBytes: overrides.config5k ?? 300, samples: overrides.at5k ?? [sample("program", 5000, 310), sample("baseline", 5000, 300)] },
    ],
  };
}

describe("buildEngineReport", () => {
  it("takes medians per side, the ratios, and the time per token from the smallest size to the largest", () => {
    const report = buildEngineReport(samples(), MACHINE);
    assert.deepEqual(
      report.sizes.map((size) => [size.tokens, size.runs, size.programPreviewS, size.barePreviewS, size.previewRatio, size.programCpuS, size.cpuRatio, size.programRssMb, size.bareRssMb]),
      [
        [1000, 3, 62, 59, 1.051, 31, 1.051, 110, 100],
        [5000, 1, 310, 300, 1.033, 155, 1.033, 110, 100],
      ],
    );
    // (310 / 5000) / (62 / 1000) = 1.0
    assert.equal(report.linearity, 1);
    assert.deepEqual(
      report.targets.map((target) => [target.value, target.met, target.detail]),
      [
        [1.051, false, "worst at 1000 tokens"],
        [1, true, undefined],
      ],
    );
    assert.deepEqual(report.checks.map((check) => check.passed), [true, true, true]);
    const table = renderEngineTable(report);
    assert.match(table, /\n {2}1000 {5}5002 {5}3 {9}62 {6}59 {2}1\.051 {13}31 {8}29\.5 {6}1\.051 {14}110 {11}100\n/);
    assert.match(table, /\ntarget: program preview ≤ 1\.05× bare at every size: 1\.051 \(MISSED, worst at 1000 tokens\)\n/);
  });

  it("fails a check for a preview that created other resources, warned, or a stack config that grew with the tokens", () => {
    const report = buildEngineReport(samples({ at5k: [sample("program", 5000, 310), sample("baseline", 5000, 300, { creates: 25001, warnings: 2 })], config5k: 900 }), MACHINE);
    assert.deepEqual(
      report.checks.map((check) => [check.passed, check.problem]),
      [
        [false, "baseline at 5000 tokens: 25001 to create, not 25002"],
        [false, "baseline at 5000 tokens printed 2 warnings"],
        [false, "sizes 300, 900 bytes"],
      ],
    );
  });

  it("has no linearity with one size", () => {
    const report = buildEngineReport({ cli: "3.276.0", sizes: [samples().sizes[0]] }, MACHINE);
    assert.equal(report.linearity, null);
    assert.equal(report.targets[1].met, null);
  });
});
