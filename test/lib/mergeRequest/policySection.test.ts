// The policy packs' verdict as a note's section, word for word: a passing pack in one line, every
// violation with its level, rule, resource and message, mandatory ones before advisory ones, and the
// policy's description (the first line of a CrossGuard message) left out since the rule is named.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fitBlocks } from "../../../lib/mergeRequest/fit";
import { PolicyResultsBuilder, type PolicyViolation } from "../../../lib/mergeRequest/policyResults";
import { policySection, reportedText } from "../../../lib/mergeRequest/policySection";

const PACK = "gitlab-push-token-guardrails";
const render = (build: (results: PolicyResultsBuilder) => void, maxLength = 100_000) => {
  const results = new PolicyResultsBuilder();
  build(results);
  return fitBlocks(policySection(results.build(), { heading: "#### Policy packs", resourceName: (urn) => `\`${urn.split("::").pop()}\``, whenNone: "No pack ran.", cutOrder: 0 }), maxLength);
};
const violation = (policy: string, message: string, extra: Partial<PolicyViolation> = {}): PolicyViolation => ({ pack: PACK, packVersion: "0.1.0", policy, enforcementLevel: "mandatory", urn: `urn:pulumi:dev::p::t::${policy}-resource`, message: `Description of ${policy}.\n${message}\n`, exceptions: [], ...extra });

describe("policySection", () => {
  it("a pack with nothing to report: one line", () => {
    assert.equal(render((results) => results.pack(PACK, "0.1.0", ["a", "b", "c"])), "#### Policy packs\n\n✅ Policy pack `gitlab-push-token-guardrails` `0.1.0`: 3 policies, no violation.\n");
    assert.equal(render((results) => results.pack(PACK)), "#### Policy packs\n\n✅ Policy pack `gitlab-push-token-guardrails`: no violation.\n");
  });

  it("no pack: says what it was given to say", () => {
    assert.equal(render(() => undefined), "#### Policy packs\n\nNo pack ran.\n");
  });

  it("violations: mandatory first, then advisory, then excepted and other levels; each with rule, resource and the pack's own words", () => {
    const note = render((results) => {
      results.pack(PACK, "0.1.0", ["a", "b", "c", "d"]);
      results.violation(violation("d", "advisory words", { enforcementLevel: "advisory" }));
      results.violation(violation("c", "excepted words", { exceptions: [{ id: "EXC-1", reason: "why" }] }));
      results.violation(violation("b", "line one\nline two"));
      results.violation(violation("a", "has scope \"api\" <b>*now*</b>. Fix: set scopes to [write_repository]."));
      results.violation(violation("e", "remediated", { enforcementLevel: "remediate", urn: undefined }));
    });
    assert.equal(
      note,
      [
        "#### Policy packs",
        "",
        "❌ Policy pack `gitlab-push-token-guardrails` `0.1.0`: 2 mandatory violations (`pulumi up` refuses them), 1 advisory violation (reported, not enforced), 2 other findings; 0 of 5 policies passed.",
        "",
        "- ❌ **mandatory** `a` on `a-resource`:",
        '  > has scope "api" \\<b\\>\\*now\\*\\</b\\>. Fix: set scopes to \\[write_repository\\].',
        "- ❌ **mandatory** `b` on `b-resource`:",
        "  ```text",
        "  line one",
        "  line two",
        "  ```",
        "- ⚠️ **advisory** `d` on `d-resource`:",
        "  > advisory words",
        "- **`remediate`** `e` on the stack:",
        "  > remediated",
        "- ℹ️ **mandatory, excepted** (`EXC-1`) `c` on `c-resource`:",
        "  > excepted words",
        "",
      ].join("\n"),
    );
  });

  it("only advisory violations: a warning, not a refusal", () => {
    assert.match(render((results) => results.violation(violation("d", "w", { enforcementLevel: "advisory" }))), /^#### Policy packs\n\n⚠️ Policy pack `gitlab-push-token-guardrails` `0\.1\.0`: 1 advisory violation \(reported, not enforced\); 0 of 1 policy passed\.\n/);
  });

  it("is cut from its last violations, saying how many, when the note would be too long", () => {
    const note = render((results) => Array.from({ length: 50 }, (_, i) => results.violation(violation(`p${String(i).padStart(2, "0")}`, "x".repeat(100)))), 3000);
    assert.ok(note.length <= 3000, String(note.length));
    assert.match(note, /_\d+ more items not shown: the note would exceed GitLab's limit \(3000 characters here\)\._\n$/);
    assert.match(note, /- ❌ \*\*mandatory\*\* `p00` on/);
  });
});

describe("reportedText", () => {
  it("drops the policy's description, the first of several lines; keeps a message of one line", () => {
    assert.equal(reportedText("Description.\nwhat is wrong\n"), "what is wrong");
    assert.equal(reportedText("Description.\nline one\nline two"), "line one\nline two");
    assert.equal(reportedText("Description only.\n"), "Description only.");
    assert.equal(reportedText("a\r\nb"), "b");
  });
});
