// The rule evaluator test/pipeline.test.ts reads .gitlab-ci.yml with (test/support/gitlabRules.ts),
// held to GitLab's documented semantics: every example of "CI/CD variable expressions" in gitlabhq
// doc/ci/jobs/job_rules.md, with its documented outcome, and the documented refusals.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { evaluateRuleIf, ExpressionSyntaxError, variablesIn } from "./support/gitlabRules";

describe("equality: a variable against a string, another variable, or null", () => {
  it("compares with a string in double or single quotes", () => {
    assert.equal(evaluateRuleIf('$VARIABLE == "some value"', { VARIABLE: "some value" }), true);
    assert.equal(evaluateRuleIf("$VARIABLE == 'some value'", { VARIABLE: "some value" }), true);
    assert.equal(evaluateRuleIf('$VARIABLE != "some value"', { VARIABLE: "some value" }), false);
    assert.equal(evaluateRuleIf('$VARIABLE == "some value"', { VARIABLE: "Some value" }), false);
  });

  it("compares two variables' values, an undefined one being null", () => {
    assert.equal(evaluateRuleIf("$VARIABLE_1 == $VARIABLE_2", { VARIABLE_1: "a", VARIABLE_2: "a" }), true);
    assert.equal(evaluateRuleIf("$VARIABLE_1 != $VARIABLE_2", { VARIABLE_1: "a", VARIABLE_2: "b" }), true);
    assert.equal(evaluateRuleIf("$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH", { CI_DEFAULT_BRANCH: "main" }), false);
    assert.equal(evaluateRuleIf("$UNSET_1 == $UNSET_2", {}), true);
  });

  it("tells defined from undefined with null, and defined-but-empty with an empty string", () => {
    assert.equal(evaluateRuleIf("$VARIABLE == null", {}), true);
    assert.equal(evaluateRuleIf("$VARIABLE == null", { VARIABLE: "" }), false);
    assert.equal(evaluateRuleIf("$VARIABLE != null", { VARIABLE: "" }), true);
    assert.equal(evaluateRuleIf('$VARIABLE == ""', { VARIABLE: "" }), true);
    assert.equal(evaluateRuleIf('$VARIABLE == ""', {}), false);
    assert.equal(evaluateRuleIf('$VARIABLE != ""', {}), true);
  });

  it("reads a bare variable as defined and not empty", () => {
    assert.equal(evaluateRuleIf("$VARIABLE", { VARIABLE: "x" }), true);
    assert.equal(evaluateRuleIf("$VARIABLE", { VARIABLE: "" }), false);
    assert.equal(evaluateRuleIf("$VARIABLE", {}), false);
    assert.equal(evaluateRuleIf("${VARIABLE}", { VARIABLE: "x" }), true);
  });
});

describe("pattern matching with =~ and !~ (RE2)", () => {
  it("matches case-sensitively, or with the i flag case-insensitively", () => {
    assert.equal(evaluateRuleIf("$VARIABLE =~ /^content.*/", { VARIABLE: "content-x" }), true);
    assert.equal(evaluateRuleIf("$VARIABLE !~ /^content.*/", { VARIABLE: "content-x" }), false);
    assert.equal(evaluateRuleIf("$VARIABLE =~ /^content.*/", { VARIABLE: "Content-x" }), false);
    assert.equal(evaluateRuleIf("$VARIABLE =~ /^content.*/i", { VARIABLE: "Content-x" }), true);
  });

  it("matches substrings unless anchored, as the page warns", () => {
    assert.equal(evaluateRuleIf("$CI_COMMIT_BRANCH =~ /issue/", { CI_COMMIT_BRANCH: "severe-issues" }), true);
    assert.equal(evaluateRuleIf("$CI_COMMIT_BRANCH =~ /^issue-/", { CI_COMMIT_BRANCH: "severe-issues" }), false);
  });

  it("never matches an undefined variable", () => {
    assert.equal(evaluateRuleIf("$UNSET =~ /^a.*/", {}), false);
    assert.equal(evaluateRuleIf("$UNSET !~ /^a.*/", {}), true);
  });

  it("reads a variable on the right as a pattern, its own variables unresolved", () => {
    assert.equal(evaluateRuleIf("$teststring =~ $pattern", { teststring: "abcde", pattern: "/^ab.*/" }), true);
    assert.equal(evaluateRuleIf("$teststring =~ $pattern", { teststring: "fghij", pattern: "/^ab.*/" }), false);
    assert.equal(evaluateRuleIf("$CI_JOB_NAME =~ $pattern", { CI_JOB_NAME: "regex-job2", string2: "regex-job2", pattern: "/$string2/" }), false);
  });

  it("refuses single-character patterns, as GitLab does ('invalid expression syntax')", () => {
    assert.throws(() => evaluateRuleIf("$VARIABLE =~ /./", { VARIABLE: "x" }), ExpressionSyntaxError);
  });

  it("refuses a right side that holds no pattern, whose substring behaviour the page says not to rely on", () => {
    assert.throws(() => evaluateRuleIf("$A =~ $B", { A: "23", B: "1234" }), /holds no \/pattern\//);
  });
});

describe("joining with && and ||, and parentheses", () => {
  const vars = (bits: number) => ({ V1: bits & 1 ? "content-1" : "other", V2: bits & 2 ? "something" : "nothing", V3: bits & 4 ? "x" : "" });

  it("evaluates && before ||, as Ruby does", () => {
    for (let bits = 0; bits < 8; bits++) {
      const [a, b, c] = [Boolean(bits & 1), Boolean(bits & 2), Boolean(bits & 4)];
      assert.equal(evaluateRuleIf('$V1 =~ /^content.*/ || $V2 == "something" && $V3', vars(bits)), a || (b && c), `bits ${bits}`);
      assert.equal(evaluateRuleIf('($V1 =~ /^content.*/ || $V2 == "something") && $V3', vars(bits)), (a || b) && c, `bits ${bits}`);
    }
  });

  it("evaluates the page's nested example", () => {
    const expression = '$CI_COMMIT_BRANCH == "my-branch" || (($VARIABLE1 == "thing" || $VARIABLE2 == "thing") && $VARIABLE3)';
    assert.equal(evaluateRuleIf(expression, { CI_COMMIT_BRANCH: "my-branch" }), true);
    assert.equal(evaluateRuleIf(expression, { VARIABLE2: "thing", VARIABLE3: "y" }), true);
    assert.equal(evaluateRuleIf(expression, { VARIABLE2: "thing" }), false);
  });

  it("agrees with boolean algebra on random expressions of presence checks", () => {
    type Tree = { op: "and" | "or"; left: Tree; right: Tree } | { name: string };
    const tree = fc.letrec<{ tree: Tree }>((tie) => ({
      tree: fc.oneof({ depthSize: "small", withCrossShrink: true }, fc.record({ name: fc.constantFrom("A", "B", "C") }), fc.record({ op: fc.constantFrom("and" as const, "or" as const), left: tie("tree"), right: tie("tree") })),
    })).tree;
    const text = (t: Tree): string => ("name" in t ? `$${t.name}` : `(${text(t.left)} ${t.op === "and" ? "&&" : "||"} ${text(t.right)})`);
    const truth = (t: Tree, set: Record<string, string>): boolean => ("name" in t ? Boolean(set[t.name]) : t.op === "and" ? truth(t.left, set) && truth(t.right, set) : truth(t.left, set) || truth(t.right, set));
    fc.assert(
      fc.property(tree, fc.record({ A: fc.constantFrom("", "x"), B: fc.constantFrom("", "y"), C: fc.constantFrom("", "z") }), (t, set) => evaluateRuleIf(text(t), set) === truth(t, set)),
    );
  });
});

describe("what is not an expression", () => {
  for (const expression of ['"value" == $VARIABLE', "$A ==", "($A", "$A && && $B", "$A == /re/", "$A =~ 'text'", "$A =~ /(?=x)ab/", "$A # comment", '"alone"']) {
    it(`refuses ${expression}`, () => {
      assert.throws(() => evaluateRuleIf(expression, { A: "a", VARIABLE: "v" }), ExpressionSyntaxError);
    });
  }
});

describe("variablesIn", () => {
  it("lists each variable an expression reads, once", () => {
    assert.deepEqual(variablesIn('$A == "x" && ($B || $A =~ /^y/) && ${C}'), ["A", "B", "C"]);
  });
});
