// The policy pack's config file as `pulumi preview --policy-pack-config` reads it: levels, knobs, `all`,
// and a one-line message naming the file, the key and the fix for anything else.

import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { enforcementLevelOf, parsePolicyConfig, PolicyConfigError, readPolicyConfig } from "../../../lib/evaluation/policyConfig";
import { PROJECT_ROOT } from "../../support/sharedData";

describe("the policy pack's config", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "policy-config-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("reads the project's own file: knobs only, no level", () => {
    assert.deepEqual(readPolicyConfig(path.join(PROJECT_ROOT, "policy-config.json")), {
      "gitlab-access-token-least-privilege": { properties: { maxLifetimeDays: 365 } },
    });
  });

  it("a level alone, a level with knobs, and `all` for every policy without one", () => {
    const config = parsePolicyConfig({ a: "advisory", b: { enforcementLevel: "disabled", x: 1 }, all: "mandatory" }, "f.json");
    assert.deepEqual(config, { a: { enforcementLevel: "advisory", properties: {} }, b: { enforcementLevel: "disabled", properties: { x: 1 } }, all: { enforcementLevel: "mandatory", properties: {} } });
    assert.equal(enforcementLevelOf(config, "a", "mandatory", "mandatory"), "advisory");
    assert.equal(enforcementLevelOf(config, "c", "advisory", "advisory"), "mandatory");
    assert.equal(enforcementLevelOf({}, "c", undefined, "advisory"), "advisory");
    assert.equal(enforcementLevelOf({}, "c", "remediate", "advisory"), "remediate");
  });

  it("refuses what the CLI would refuse, in one line naming the file, the key and the fix", () => {
    const refused = (value: unknown) => {
      try {
        parsePolicyConfig(value, "policy-config.json");
      } catch (error) {
        assert.ok(error instanceof PolicyConfigError);
        return error.message;
      }
      assert.fail("expected a PolicyConfigError");
    };
    assert.equal(refused([]), "the policy pack's config policy-config.json should be a JSON object whose keys are policy names. Fix: correct it; pulumi preview --policy-pack-config reads the same file.");
    assert.equal(refused({ a: { enforcementLevel: "loud" } }), "the policy pack's config policy-config.json at a should be an enforcement level or an object of the policy's settings. Fix: correct it; pulumi preview --policy-pack-config reads the same file.");
    writeFileSync(path.join(dir, "bad.json"), "{ not json");
    assert.throws(() => readPolicyConfig(path.join(dir, "bad.json")), { name: "PolicyConfigError", message: `the policy pack's config ${path.join(dir, "bad.json")} is not valid JSON. Fix: correct it; pulumi preview --policy-pack-config reads the same file.` });
  });
});
