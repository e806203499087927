// `npm run bench`'s parts, none of them timed: the config generator, the statistics, the report and its
// JSON, the command line, and above all that the baseline registers exactly what the program does (so
// the comparison is fair) under the same recording evaluateStack uses (lib/evaluation/evaluate.ts evaluateProgram).

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { fixedClock } from "../config/clock";
import { stackNotices } from "../config/notices";
import { validateStackConfig } from "../config/validate";
import { GITLAB_TYPES } from "../infra/gitlab/wire";
import { canonicalJson, registrationDigest } from "../lib/bench/digest";
import { BENCH_TODAY, benchStackConfig, expectedRegistrations } from "../lib/bench/generate";
import { defaultRuns, parseBenchArgs, USAGE } from "../lib/bench/options";
import { buildReport, renderTable, reportJson, type SizeMeasurements } from "../lib/bench/report";
import { pairOrder } from "../lib/bench/runner";
import type { Sample, Side } from "../lib/bench/sample";
import { BENCH_PROJECT, BENCH_STACK, benchRunOptions, programFor, runUnderMocks } from "../lib/bench/sides";
import { median, round } from "../lib/bench/stats";
import { evaluateStack, isSecretValue, plainValue, type Registration } from "../lib/evaluation/evaluate";
import { PROJECT_ROOT } from "./support/sharedData";

const byUrn = (registrations: readonly Registration[]) => [...registrations].sort((a, b) => a.urn.localeCompare(b.urn));
const ofType = (registrations: readonly Registration[], type: string) => registrations.filter((r) => r.type === type);
const COMPONENT_TYPE = "gitlab-push-tokens:index:PushToken";

/** Runs a tool with tsx, as npm would; started at once, so the slow process start-ups overlap. */
function runTool(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", ...args], { cwd: PROJECT_ROOT, env, timeout: 60_000 });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

const badOption = runTool(["cli/bench.ts", "--runs", "0"]);
const help = runTool(["cli/bench.ts", "--help"]);
const childSample = runTool(["lib/bench/child.ts", "baseline", "10"], { ...process.env, GITLAB_TOKEN: "glpat-CANARY-must-not-reach-the-child" });
const childBadSide = runTool(["lib/bench/child.ts", "both", "10"]);

/** Runs `body` with GITLAB_TOKEN unset, as the benchmark's children do. */
async function withoutApiToken<T>(body: () => Promise<T>): Promise<T> {
  const saved = process.env.GITLAB_TOKEN;
  delete process.env.GITLAB_TOKEN;
  try {
    return await body();
  } finally {
    if (saved !== undefined) process.env.GITLAB_TOKEN = saved;
  }
}

describe("the config generator", () => {
  it("writes tokens as a user would, defaults mostly left out, dates relative to today", () => {
    assert.deepEqual(benchStackConfig(3), {
      gitlab: { baseUrl: "https://gitlab.example.com/api/v4/", maxTokenLifetimeDays: 365 },
      expiryWarningDays: 30,
      pushTokens: [
        {
          name: "GITLAB_CI_PUSHER",
          project: "team-00000/gitops",
          accessLevel: "developer",
          scopes: ["write_repository"],
          expiresAt: "2027-01-24",
          consumers: [
            { project: "apps/web-00000", key: "GITLAB_CI_PUSHER_TOKEN", hidden: true },
            { project: "apps/worker-00000", key: "GITLAB_CI_PUSHER_TOKEN" },
            { project: "apps/worker-00000", key: "GITLAB_CI_PUSHER_TOKEN", environmentScope: "staging", protected: true },
          ],
        },
        {
          name: "RELEASE_TAGGER",
          project: "team-00000/gitops",
          expiresAt: "2027-01-25",
          consumers: [
            { project: "apps/web-00001", key: "RELEASE_TAGGER_TOKEN" },
            { project: "apps/worker-00001", key: "RELEASE_TAGGER_TOKEN", environmentScope: "production" },
            { project: "apps/release-00001", key: "RELEASE_TAGGER_TOKEN" },
          ],
        },
        {
          name: "GITLAB_CI_PUSHER",
          project: "team-00001/gitops",
          expiresAt: "2027-01-26",
          consumers: [
            { project: "apps/web-00002", key: "GITLAB_CI_PUSHER_TOKEN" },
            { project: "apps/worker-00002", key: "GITLAB_CI_PUSHER_TOKEN" },
            { project: "apps/release-00002", key: "GITLAB_CI_PUSHER_TOKEN" },
          ],
          retiring: { expiresAt: "2026-12-02", revokeAfter: "2026-11-27T12:00:00Z" },
        },
      ],
    });
  });

  const thousand = benchStackConfig(1000);
  const consumers = thousand.pushTokens.flatMap((token) => token.consumers);

  it("gives every token 3 consumers, with distinct tokens and variables, and a realistic mix", () => {
    assert.equal(thousand.pushTokens.length, 1000);
    assert.ok(thousand.pushTokens.every((token) => token.consumers.length === 3));
    assert.equal(new Set(thousand.pushTokens.map((token) => `${token.project.toLowerCase()} ${token.name}`)).size, 1000);
    assert.equal(new Set(consumers.map((c) => `${c.project.toLowerCase()} ${c.key} ${c.environmentScope ?? "*"}`)).size, 3000);
    const scopes = consumers.reduce<Record<string, number>>((count, c) => ({ ...count, [c.environmentScope ?? "*"]: (count[c.environmentScope ?? "*"] ?? 0) + 1 }), {});
    assert.deepEqual(scopes, { "*": 2525, staging: 100, production: 250, "review/*": 125 });
    assert.equal(thousand.pushTokens.filter((token) => token.retiring).length, 200);
    assert.equal(thousand.pushTokens.filter((token) => token.accessLevel === "maintainer").length, 143);
    assert.equal(thousand.pushTokens.filter((token) => token.scopes?.includes("read_repository")).length, 166);
    assert.equal(consumers.filter((c) => c.hidden).length, 334);
    assert.equal(new Set(thousand.pushTokens.map((token) => token.project)).size, 500);
  });

  it("is valid on the benchmark's day and warns about nothing", () => {
    const settings = validateStackConfig(
      { ...thousand, gitlabToken: "absent", presentKeys: ["gitlab", "expiryWarningDays", "pushTokens"], defaultProviderKeys: [] },
      { today: BENCH_TODAY },
    );
    assert.equal(settings.pushTokens.length, 1000);
    assert.deepEqual(stackNotices(settings, fixedClock(BENCH_TODAY).now()), []);
  });

  it("is deterministic, and counts what the program will register", () => {
    assert.deepEqual(benchStackConfig(1000), thousand);
    assert.equal(expectedRegistrations(benchStackConfig(10)), 1 + 10 + 12 + 30);
    assert.equal(expectedRegistrations(thousand), 1 + 1000 + 1200 + 3000);
  });

  it("refuses sizes that are not whole numbers of at least 1", () => {
    assert.throws(() => benchStackConfig(0), { message: "tokens must be a whole number >= 1, got 0" });
    assert.throws(() => benchStackConfig(2.5), { message: "tokens must be a whole number >= 1, got 2.5" });
  });
});

describe("the baseline against the program, under the same harness", async () => {
  const options = benchRunOptions(12);
  const { program, baseline, evaluated } = await withoutApiToken(async () => ({
    program: await runUnderMocks(options, programFor("program")),
    baseline: await runUnderMocks(options, programFor("baseline")),
    evaluated: await evaluateStack({ config: options.config, project: BENCH_PROJECT, stack: BENCH_STACK, clock: fixedClock(BENCH_TODAY), tokenValue: options.tokenValue }),
  }));

  it("registers exactly the same resources: type, name, inputs and their secretness, provider, parent, options", () => {
    assert.equal(baseline.registrations.length, expectedRegistrations(benchStackConfig(12)));
    assert.deepEqual(byUrn(baseline.registrations), byUrn(program.registrations));
    assert.equal(registrationDigest(baseline.registrations), registrationDigest(program.registrations));
  });

  it("registers the provider, 12 components, 14 generations and 36 variables, each variable holding a secret", () => {
    const registrations = baseline.registrations;
    assert.equal(ofType(registrations, GITLAB_TYPES.provider).length, 1);
    assert.equal(ofType(registrations, COMPONENT_TYPE).length, 12);
    assert.equal(ofType(registrations, GITLAB_TYPES.projectAccessToken).length, 14);
    const variables = ofType(registrations, GITLAB_TYPES.projectVariable);
    assert.equal(variables.length, 36);
    assert.ok(variables.every((variable) => isSecretValue(variable.inputs.value)));
    const staging = variables.find((variable) => variable.name === "apps/worker-00010:GITLAB_CI_PUSHER_TOKEN[staging]");
    assert.equal(plainValue(staging?.inputs.value), "fake-token-of(team-00005/gitops:GITLAB_CI_PUSHER@2027-02-03)");
    assert.equal(staging?.parent, `urn:pulumi:bench::gitlab-push-tokens::${COMPONENT_TYPE}::team-00005/gitops:GITLAB_CI_PUSHER`);
  });

  it("records through the harness exactly what evaluateStack records for the program", () => {
    assert.equal(evaluated.error, undefined);
    assert.deepEqual(byUrn(program.registrations), byUrn(evaluated.registrations));
    assert.deepEqual(program.warnings, evaluated.warnings);
    assert.deepEqual(program.outputs, evaluated.outputs);
  });

  it("makes no lookups and logs no warning on either side", () => {
    assert.deepEqual([program.invokes, baseline.invokes, evaluated.invokes], [[], [], []]);
    assert.deepEqual([program.warnings, baseline.warnings], [[], []]);
  });

  it("times the evaluation", () => {
    assert.ok(program.elapsedMs > 0 && baseline.elapsedMs > 0 && program.cpuMs > 0 && baseline.cpuMs > 0);
  });
});

describe("the harness's lookup counter", () => {
  it("counts a provider function call, and the mocks still answer it", async () => {
    const run = await runUnderMocks(benchRunOptions(1), () => {
      void pulumi.runtime.invoke("gitlab:index/getProject:getProject", { pathWithNamespace: "xlink/xlink-app" });
    });
    assert.deepEqual(run.invokes, ["gitlab:index/getProject:getProject"]);
    assert.deepEqual(run.registrations, []);
  });
});

describe("registrationDigest", () => {
  const registration = (urn: string, value: unknown) => ({ urn, inputs: { key: "K", value } }) as unknown as Registration;

  it("ignores registration order and key order", () => {
    const a = [registration("urn:b", "x"), registration("urn:a", "y")];
    const b = [registration("urn:a", "y"), { inputs: { value: "x", key: "K" }, urn: "urn:b" } as unknown as Registration];
    assert.equal(registrationDigest(a), registrationDigest(b));
  });

  it("tells a secret from the same plain value", () => {
    const secret = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: "x" };
    assert.notEqual(registrationDigest([registration("urn:a", secret)]), registrationDigest([registration("urn:a", "x")]));
  });

  it("writes canonical JSON", () => {
    assert.equal(canonicalJson({ b: [1, undefined, { d: null, c: "x" }], a: undefined, e: true }), '{"b":[1,null,{"c":"x","d":null}],"e":true}');
  });
});

describe("statistics", () => {
  it("takes the median of odd and even counts, whatever the order", () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.equal(median([7]), 7);
    assert.throws(() => median([]), { message: "median of no values" });
  });

  it("rounds to a number of decimals", () => {
    assert.equal(round(1.23456, 2), 1.23);
    assert.equal(round(11.3636, 2), 11.36);
    assert.equal(round(1.19047, 3), 1.19);
  });
});

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

describe("the command line", () => {
  it("defaults to the four sizes, one warm-up pair and runs by size", () => {
    assert.deepEqual(parseBenchArgs([]), { ok: true, options: { sizes: [10, 100, 1000, 5000], runs: undefined, warmup: 1, json: false, help: false } });
    assert.deepEqual([10, 100, 101, 1000, 5000].map(defaultRuns), [5, 5, 3, 3, 2]);
  });

  it("reads --sizes (sorted, once each), --runs, --warmup and --json", () => {
    assert.deepEqual(parseBenchArgs(["--sizes", "100, 10,100", "--runs", "2", "--warmup", "0", "--json"]), {
      ok: true,
      options: { sizes: [10, 100], runs: 2, warmup: 0, json: true, help: false },
    });
  });

  it("refuses bad values with one line naming the option and an example", () => {
    const errors = [["--sizes", "10,x"], ["--sizes", "0"], ["--runs", "0"], ["--warmup=-1"], ["--warmup", "-1"], ["--bogus"]].map((argv) => {
      const parsed = parseBenchArgs(argv);
      return parsed.ok ? "accepted" : parsed.error;
    });
    assert.deepEqual(errors, [
      '--sizes must be token counts of at least 1 separated by commas, e.g. --sizes 10,100; got "10,x"',
      '--sizes must be token counts of at least 1 separated by commas, e.g. --sizes 10,100; got "0"',
      '--runs must be a whole number of at least 1, e.g. --runs 3; got "0"',
      '--warmup must be a whole number of at least 0, e.g. --warmup 1; got "-1"',
      "Option '--warmup' argument is ambiguous: run with --help for the options",
      "Unknown option '--bogus': run with --help for the options",
    ]);
  });

  it("alternates which side goes first", () => {
    assert.deepEqual([1, 2, 3].map(pairOrder), [
      ["program", "baseline"],
      ["baseline", "program"],
      ["program", "baseline"],
    ]);
  });

  it("exits 2 with the error on stderr and nothing on stdout for a bad option", async () => {
    const result = await badOption;
    assert.deepEqual([result.status, result.stdout, result.stderr], [2, "", '--runs must be a whole number of at least 1, e.g. --runs 3; got "0"\n']);
  });

  it("prints its usage with --help", async () => {
    const result = await help;
    assert.deepEqual([result.status, result.stdout, result.stderr], [0, `${USAGE}\n`, ""]);
  });
});

describe("a measurement in its own process", () => {
  it("prints one sample, registering what the program registers in this process", async () => {
    const child = await childSample;
    assert.equal(child.stderr, "");
    assert.equal(child.status, 0);
    assert.doesNotMatch(child.stdout, /glpat-|CANARY/);
    const measured = JSON.parse(child.stdout) as Sample;
    assert.deepEqual(Object.keys(measured), ["side", "tokens", "elapsedMs", "cpuMs", "peakRssKb", "startRssKb", "registrations", "invokes", "warnings", "digest"]);
    assert.deepEqual([measured.side, measured.tokens, measured.registrations, measured.invokes, measured.warnings], ["baseline", 10, 53, [], 0]);
    assert.ok(measured.elapsedMs > 0 && measured.cpuMs > 0 && measured.peakRssKb >= measured.startRssKb && measured.startRssKb > 0);
    const program = await withoutApiToken(() => runUnderMocks(benchRunOptions(10), programFor("program")));
    assert.equal(measured.digest, registrationDigest(program.registrations));
  });

  it("refuses a bad side with its usage and exit 2", async () => {
    const child = await childBadSide;
    assert.deepEqual([child.status, child.stdout, child.stderr], [2, "", "usage: node --import tsx lib/bench/child.ts <program|baseline> <tokens of at least 1>\n"]);
  });
});
