// The benchmark's two sides under the same harness: the baseline registers exactly what the program
// does (so the comparison is fair), under the same recording evaluateStack uses
// (lib/evaluation/evaluate.ts evaluateProgram), which also counts every lookup.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { fixedClock } from "../../../config/clock";
import { registrationDigest } from "../../../lib/bench/digest";
import { BENCH_TODAY, benchStackConfig, expectedRegistrations } from "../../../lib/bench/generate";
import { BENCH_PROJECT, BENCH_STACK, benchRunOptions, programFor, runUnderMocks } from "../../../lib/bench/sides";
import { evaluateStack, isSecretValue, plainValue, type Registration } from "../../../lib/evaluation/evaluate";
import { registrationsOf } from "../../../lib/evaluation/registrations";
import { withoutApiToken } from "../../support/scenarios";

const byUrn = (registrations: readonly Registration[]) => [...registrations].sort((a, b) => a.urn.localeCompare(b.urn));
const COMPONENT_TYPE = "gitlab-push-tokens:index:PushToken";

describe("the baseline against the program, under the same harness", async () => {
  const options = benchRunOptions(12);
  const { program, baseline, evaluated } = await withoutApiToken(async () => ({
    program: await runUnderMocks(options, programFor("program", options)),
    baseline: await runUnderMocks(options, programFor("baseline", options)),
    evaluated: await evaluateStack({ config: options.config, project: BENCH_PROJECT, stack: BENCH_STACK, clock: fixedClock(BENCH_TODAY), tokenValue: options.tokenValue, root: options.root }),
  }));

  it("registers exactly the same resources: type, name, inputs and their secretness, provider, parent, options", () => {
    assert.equal(baseline.registrations.length, expectedRegistrations(benchStackConfig(12)));
    assert.deepEqual(byUrn(baseline.registrations), byUrn(program.registrations));
    assert.equal(registrationDigest(baseline.registrations), registrationDigest(program.registrations));
  });

  it("registers the provider, 12 components, 14 generations and 36 variables, each variable holding a secret", () => {
    const registrations = baseline.registrations;
    assert.equal(registrationsOf({ registrations }, "provider").length, 1);
    assert.equal(registrations.filter((r) => r.type === COMPONENT_TYPE).length, 12);
    assert.equal(registrationsOf({ registrations }, "projectAccessToken").length, 14);
    const variables = registrationsOf({ registrations }, "projectVariable");
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
