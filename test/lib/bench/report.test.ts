// The benchmark's report, none of it timed: medians per size, the targets, the checks that make the
// comparison valid, the table and the JSON.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { benchStackConfig, expectedRegistrations } from "../../../lib/bench/generate";
import { buildReport, renderTable, reportJson, type SizeMeasurements } from "../../../lib/bench/report";
import type { Sample, Side } from "../../../lib/bench/sample";

const sample = (side: Side, tokens: number, elapsedMs: number, peakRssKb: number, changes: Partial<Sample> = {}): Sample => ({
  side,
  tokens,
  elapsedMs,
  cpuMs: elapsedMs - 100,
  peakRssKb,
  startRssKb: 153600,
  registrations: expectedRegistrations(benchStackConfig(tokens)),
  invokes: [],
  warnings: 0,
  digest: `digest-${tokens}`,
  ...changes,
});

const MEASURED: SizeMeasurements[] = [
  {
    tokens: 100,
    expectedRegistrations: 521,
    program: [sample("program", 100, 1000, 204800), sample("program", 100, 1200, 215040), sample("program", 100, 1100, 209920)],
    baseline: [sample("baseline", 100, 1000, 204800), sample("baseline", 100, 900, 204800), sample("baseline", 100, 1100, 204800)],
  },
  {
    tokens: 1000,
    expectedRegistrations: 5201,
    program: [sample("program", 1000, 13000, 1024000), sample("program", 1000, 12000, 1126400)],
    baseline: [sample("baseline", 1000, 10000, 1024000), sample("baseline", 1000, 11000, 1024000)],
  },
];
const MACHINE = { cpus: 2, cpuModel: "AMD EPYC", node: "v20.20.2", loadAverage: { start: 0.5, end: 1.25 } };

describe("the report", () => {
  const report = buildReport(MEASURED, MACHINE, 1);

  it("takes medians per size and their ratios", () => {
    assert.deepEqual(report.sizes[1], {
      tokens: 1000,
      resources: 5201,
      runs: 2,
      programMs: 12500,
      baselineMs: 10500,
      ratio: 1.19,
      programCpuMs: 12400,
      baselineCpuMs: 10400,
      cpuRatio: 1.192,
      programRssMb: 1050,
      baselineRssMb: 1000,
      rssRatio: 1.05,
      loadedRssMb: 150,
      programInvokes: 0,
      baselineInvokes: 0,
      programRunsMs: [13000, 12000],
      baselineRunsMs: [10000, 11000],
    });
    assert.equal(report.scaling, 11.36);
  });

  it("judges each target: met, missed, or not measured", () => {
    assert.deepEqual(
      report.targets.map((target) => [target.value, target.met]),
      [
        [1.19, false],
        [null, null],
        [11.36, true],
        [1.05, true],
      ],
    );
  });

  it("prints the table", () => {
    assert.equal(
      renderTable(report),
      `Program evaluation vs bare baseline under the Pulumi SDK's mock runtime (medians; each run in a fresh process, sides alternated)
machine: 2 CPUs, AMD EPYC, Node v20.20.2; load average 0.50 at start, 1.25 at end; 1 warm-up pair(s) discarded

  TOKENS  RESOURCES  RUNS  PROGRAM ms  BASELINE ms  RATIO  CPU RATIO  PROGRAM RSS MiB  BASELINE RSS MiB  RSS RATIO  INVOKES
     100        521     3      1100.0       1000.0   1.10       1.11            205.0             200.0       1.02        0
   1,000      5,201     2     12500.0      10500.0   1.19       1.19           1050.0            1000.0       1.05        0
  RATIO: program/baseline wall time; CPU RATIO: the same for CPU time, steadier when other processes share the cores

scaling 100 -> 1,000 tokens: 11.36

Targets
  MISSED  time ratio program/baseline at 1,000 tokens <= 1.10 (1.19)
  n/a     time ratio program/baseline at 5,000 tokens <= 1.10 (not measured)
  met     scaling 100 -> 1,000 tokens, programMs(1000) / programMs(100) <= 12 (11.36)
  met     peak RSS program/baseline at every size <= 1.20 (1.05, worst at 1,000 tokens)

Checks
  ok      no provider invokes (lookups) on either side
  ok      program and baseline registered the same resources (type, name, inputs, secrets, provider, parent, options) in every run
  ok      no warnings logged (the generated stacks are healthy, so the program does no work the baseline skips)
`,
    );
  });

  it("prints one JSON object with sizes and scaling", () => {
    const json = JSON.parse(reportJson(report)) as Record<string, unknown> & { sizes: Record<string, unknown>[] };
    assert.deepEqual(Object.keys(json), ["sizes", "scaling", "targets", "checks", "warmupPairs", "machine"]);
    assert.equal(json.scaling, 11.36);
    assert.deepEqual(
      json.sizes.map(({ tokens, programMs, baselineMs, ratio, programRssMb, baselineRssMb }) => ({ tokens, programMs, baselineMs, ratio, programRssMb, baselineRssMb })),
      [
        { tokens: 100, programMs: 1100, baselineMs: 1000, ratio: 1.1, programRssMb: 205, baselineRssMb: 200 },
        { tokens: 1000, programMs: 12500, baselineMs: 10500, ratio: 1.19, programRssMb: 1050, baselineRssMb: 1000 },
      ],
    );
    assert.equal(buildReport([MEASURED[1]], MACHINE, 0).scaling, null);
  });

  it("passes its checks only when nothing was invoked, both sides matched and nothing warned", () => {
    assert.deepEqual(report.checks.map((check) => check.passed), [true, true, true]);
    const failing = buildReport(
      [
        {
          ...MEASURED[0],
          program: [sample("program", 100, 1000, 1, { invokes: ["gitlab:index/getProject:getProject"], warnings: 2 })],
          baseline: [sample("baseline", 100, 1000, 1, { digest: "other" })],
        },
        { ...MEASURED[1], baseline: [sample("baseline", 1000, 1, 1, { registrations: 5200 })] },
      ],
      MACHINE,
      0,
    );
    assert.deepEqual(
      failing.checks.map((check) => check.problem),
      [
        "program at 100 tokens called gitlab:index/getProject:getProject",
        "they differ at 100 tokens, 1,000 tokens: the baseline (lib/bench/baseline.ts) no longer matches the program",
        "program logged 2 warning(s) at 100 tokens: fix lib/bench/generate.ts",
      ],
    );
    assert.equal(failing.sizes[0].programInvokes, 1);
  });
});
