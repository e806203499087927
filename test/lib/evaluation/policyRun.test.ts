// The policy pack run offline on what the program registers: the same policies, called as the policy
// SDK calls them, with the pack's config; what they report collected as the engine reports it.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Policies } from "@pulumi/policy";
import { runPolicies, runPolicyPack } from "../../../lib/evaluation/policyRun";
import { parsePolicyConfig } from "../../../lib/evaluation/policyConfig";
import { POLICY_NAMES, policies as packPolicies } from "../../../policy/policies";
import { evaluate, seedToken, TODAY, variables } from "../../support/scenarios";

const clock = { today: () => TODAY };
const description = (name: string) => packPolicies.find((policy) => policy.name === name)!.description;

describe("runPolicyPack", () => {
  it("every policy passes on a least-privilege stack", async () => {
    const evaluation = await evaluate([seedToken()]);
    const results = await runPolicyPack(evaluation.registrations, { config: {}, clock });
    assert.deepEqual(results, { packs: [{ name: "gitlab-push-token-guardrails", version: "0.1.0", passed: Object.values(POLICY_NAMES).sort(), failed: [] }], violations: [] });
  });

  it("reports what the engine would: the policy, its level, the resource, the description then the message", async () => {
    const evaluation = await evaluate([seedToken({ consumers: [{ project: "xlink/xlink-app", key: "GITLAB_PUSHER_TOKEN", protected: false }] })]);
    const [variable] = variables(evaluation);
    const results = await runPolicyPack(evaluation.registrations, { config: {}, clock });
    assert.deepEqual(
      results.violations.map(({ policy, enforcementLevel, urn, message }) => ({ policy, enforcementLevel, urn, firstLine: message.split("\n")[0] })),
      [
        { policy: POLICY_NAMES.credentialVariable, enforcementLevel: "mandatory", urn: variable.urn, firstLine: description(POLICY_NAMES.credentialVariable) },
        { policy: POLICY_NAMES.tokenVariable, enforcementLevel: "mandatory", urn: variable.urn, firstLine: description(POLICY_NAMES.tokenVariable) },
      ],
    );
    assert.equal(
      results.violations[1].message,
      `${description(POLICY_NAMES.tokenVariable)}\nproject variable "xlink/xlink-app:GITLAB_PUSHER_TOKEN" carries a credential (its value holds project access token "xlink/xlink-k8s-gitops:GITLAB_CI_PUSHER@2027-02-15") but is not protected, so pipelines of unprotected branches and merge requests can read it. Fix: set protected: true, or list "xlink/xlink-app:GITLAB_PUSHER_TOKEN" in exceptions of policy gitlab-token-variable-masked-protected.`,
    );
    assert.deepEqual(results.packs[0].failed, [POLICY_NAMES.credentialVariable, POLICY_NAMES.tokenVariable]);
  });

  it("takes levels and knobs from the pack's config: advisory, disabled, a policy's own settings", async () => {
    const evaluation = await evaluate([seedToken({ consumers: [{ project: "xlink/xlink-app", key: "GITLAB_PUSHER_TOKEN", protected: false }] })]);
    const config = parsePolicyConfig(
      { [POLICY_NAMES.credentialVariable]: { enforcementLevel: "advisory" }, [POLICY_NAMES.tokenVariable]: { exceptions: ["xlink/xlink-app:GITLAB_PUSHER_TOKEN"] }, [POLICY_NAMES.tokenConsumed]: "disabled" },
      "policy-config.json",
    );
    const results = await runPolicyPack(evaluation.registrations, { config, clock });
    assert.deepEqual(results.violations.map(({ policy, enforcementLevel }) => `${enforcementLevel} ${policy}`), [`advisory ${POLICY_NAMES.credentialVariable}`]);
    assert.ok(!results.packs[0].passed.includes(POLICY_NAMES.tokenConsumed), "a disabled policy does not run");
  });

  it("a policy that calls notApplicable() reports nothing; one that throws fails the run", async () => {
    const evaluation = await evaluate([seedToken()]);
    const policies: Policies = [
      { name: "not-here", description: "d", enforcementLevel: "mandatory", validateResource: (args) => args.notApplicable("no") },
      { name: "stack-wide", description: "Stack rule.", enforcementLevel: "advisory", validateStack: (_args, report) => report("one finding") },
    ];
    const results = await runPolicies(policies, evaluation.registrations, { config: {}, clock, pack: "test-pack" });
    assert.deepEqual(results, {
      packs: [{ name: "test-pack", passed: ["not-here"], failed: ["stack-wide"] }],
      violations: [{ pack: "test-pack", policy: "stack-wide", enforcementLevel: "advisory", message: "Stack rule.\none finding", exceptions: [] }],
    });
    const throwing: Policies = [{ name: "bug", description: "d", enforcementLevel: "mandatory", validateResource: () => { throw new Error("policy bug"); } }];
    await assert.rejects(runPolicies(throwing, evaluation.registrations, { config: {}, clock, pack: "p" }), /policy bug/);
  });
});
