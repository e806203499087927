// Check decisions, without a process: the inputs come back as they went in (secrets still wrapped,
// no Terraform defaults inserted, `name` autonamed when omitted), and each upstream validator turns a
// bad value into a failure that names the property.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { canaryToken, maybeSecret, tokenInputs, variableInputs } from "./arbitraries";
import { autoName, check, type CheckArgs } from "./check";
import { ACCESS_LEVELS, PROJECT_ACCESS_TOKEN_SCOPES, TYPES } from "./model";
import { secret, UNKNOWN, type WireMap } from "./propertyValues";

const token = (news: WireMap, more: Partial<CheckArgs> = {}) => check({ type: TYPES.projectAccessToken, name: "pusher", olds: {}, news, ...more });
const variable = (news: WireMap) => check({ type: TYPES.projectVariable, name: "pusher-var", olds: {}, news });
const validToken: WireMap = { project: "xlink/app", name: "pusher", scopes: ["write_repository"], accessLevel: "developer", expiresAt: "2031-01-31" };
const validVariable: WireMap = { project: "xlink/consumer", key: "PUSH_TOKEN", value: secret("glpat-FAKEcanary0123456789"), masked: true, hidden: true };
const reasons = (result: ReturnType<typeof check>) => result.failures.map((f) => `${f.property}: ${f.reason}`);

describe("Check keeps the program's inputs", () => {
  it("returns valid token and variable inputs exactly as sent, secrets still wrapped", () => {
    fc.assert(
      fc.property(tokenInputs, (news) => {
        const result = token(news);
        assert.deepEqual(result.failures, []);
        assert.deepEqual(result.inputs, news);
      }),
    );
    fc.assert(
      fc.property(variableInputs, (news) => {
        const result = variable(news);
        assert.deepEqual(result.failures, []);
        assert.deepEqual(result.inputs, news);
      }),
    );
  });

  it("does not insert the Terraform defaults (the framework applies them at plan time)", () => {
    const { inputs } = token({ project: "1", name: "n", scopes: ["api"], expiresAt: "2031-01-01" });
    assert.deepEqual(inputs, { project: "1", name: "n", scopes: ["api"], expiresAt: "2031-01-01" });
    assert.deepEqual(variable({ project: "1", key: "K", value: "v" }).inputs, { project: "1", key: "K", value: "v" });
  });

  it("accepts unknown values (a preview) without judging them", () => {
    const result = token({ ...validToken, scopes: UNKNOWN, accessLevel: UNKNOWN });
    assert.deepEqual(result.failures, []);
    assert.deepEqual(variable({ ...validVariable, key: UNKNOWN, masked: UNKNOWN }).failures, []);
  });
});

describe("autonaming of the token's name (SetAutonaming(255, \"-\"))", () => {
  const unnamed = { ...validToken, name: undefined } as unknown as WireMap;
  delete unnamed.name;

  it("names an unnamed token <logical name>-<7 hex>, the same for the same seed", () => {
    const seed = new Uint8Array([1, 2, 3]);
    const first = token(unnamed, { randomSeed: seed });
    assert.match(first.inputs.name as string, /^pusher-[0-9a-f]{7}$/);
    assert.equal(token(unnamed, { randomSeed: seed }).inputs.name, first.inputs.name);
    assert.notEqual(token(unnamed, { randomSeed: new Uint8Array([9]) }).inputs.name, first.inputs.name);
    assert.equal(autoName("x".repeat(300), seed).length, 255);
  });

  it("keeps the name it gave before, so that an update does not replace the token", () => {
    assert.equal(token(unnamed, { olds: { name: "pusher-abc1234" } }).inputs.name, "pusher-abc1234");
  });

  it("takes the engine's proposed name, and refuses to invent one when autonaming is disabled", () => {
    assert.equal(token(unnamed, { autonaming: { proposedName: "team-pusher", mode: "enforce" } }).inputs.name, "team-pusher");
    const disabled = token(unnamed, { autonaming: { proposedName: "", mode: "disable" } });
    assert.equal(disabled.failures[0]?.property, "name");
    assert.match(disabled.failures[0].reason, /"name" is required.*autonaming is disabled/);
  });

  it("leaves a given name alone", () => {
    assert.equal(token(validToken, { autonaming: { proposedName: "other", mode: "enforce" } }).inputs.name, "pusher");
  });
});

describe("the token's validators", () => {
  it("requires project and scopes", () => {
    const result = token({ name: "n", expiresAt: "2031-01-01" });
    assert.deepEqual(
      result.failures.map((f) => f.property),
      ["project", "scopes"],
    );
    assert.match(result.failures[0].reason, /Missing required argument: The argument "project" is required/);
  });

  it("takes every scope the provider knows, in any case, and names the one it does not", () => {
    fc.assert(fc.property(fc.constantFrom(...PROJECT_ACCESS_TOKEN_SCOPES), fc.boolean(), (scope, upper) => token({ ...validToken, scopes: [upper ? scope.toUpperCase() : scope] }).failures.length === 0));
    const result = token({ ...validToken, scopes: ["write_repository", "writeRepository"] });
    assert.deepEqual(reasons(result), [
      `scopes: Invalid Attribute Value Match: Attribute scopes[Value("writeRepository")] value must be one of: [${PROJECT_ACCESS_TOKEN_SCOPES.map((s) => JSON.stringify(s)).join(" ")}], got: "writeRepository". Examine values at 'pusher.scopes'.`,
    ]);
    assert.match(reasons(token({ ...validToken, scopes: [] }))[0], /scopes: .*at least 1 elements/);
  });

  it("takes every role GitLab spells, and refuses the camelCased forms of the docs", () => {
    for (const role of ACCESS_LEVELS) assert.deepEqual(token({ ...validToken, accessLevel: role }).failures, []);
    const result = token({ ...validToken, accessLevel: "securityManager" });
    assert.equal(result.failures.length, 1);
    assert.match(reasons(result)[0], /^accessLevel: .*must be one of: \["no one" "minimal" .*"security_manager".*got: "securityManager"/);
  });

  it("wants exactly one of expiresAt and rotationConfiguration", () => {
    const { expiresAt: _dropped, ...withoutExpiry } = validToken;
    assert.match(reasons(token(withoutExpiry))[0], /^expiresAt: Invalid Attribute Combination: No attribute specified when one \(and only one\) of \[expires_at,rotation_configuration\]/);
    assert.match(reasons(token({ ...validToken, rotationConfiguration: { expirationDays: 30, rotateBeforeDays: 7 } }))[0], /2 attributes specified/);
    assert.deepEqual(token({ ...withoutExpiry, rotationConfiguration: { expirationDays: 30, rotateBeforeDays: 7 } }).failures, []);
  });

  it("wants rotation days of at least 1, both of them", () => {
    const { expiresAt: _dropped, ...withoutExpiry } = validToken;
    const result = token({ ...withoutExpiry, rotationConfiguration: { expirationDays: 0 } });
    assert.deepEqual(reasons(result), [
      "rotationConfiguration: Invalid Attribute Value: Attribute rotation_configuration.expiration_days value must be at least 1, got: 0. Examine values at 'pusher.rotationConfiguration'.",
      `rotationConfiguration: Missing required argument: The argument "rotation_configuration.rotate_before_days" is required. Examine values at 'pusher.rotationConfiguration'.`,
    ]);
  });

  it("refuses inputs the resource does not have, and values of the wrong type", () => {
    assert.deepEqual(
      token({ ...validToken, role: "developer", scopes: "write_repository" }).failures.map((f) => f.property),
      ["role", "scopes"],
    );
  });
});

describe("the variable's validators", () => {
  it("requires project, key and value", () => {
    assert.deepEqual(
      variable({}).failures.map((f) => f.property),
      ["key", "project", "value"],
    );
  });

  it("takes keys of letters, digits and underscores, up to 255, and names any other", () => {
    fc.assert(fc.property(fc.stringMatching(/^[A-Za-z0-9_]{1,255}$/), (key) => variable({ ...validVariable, key }).failures.length === 0));
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40 }).filter((key) => !/^[A-Za-z0-9_]+$/.test(key)), (key) => {
        const failures = variable({ ...validVariable, key }).failures;
        return failures.length === 1 && failures[0].property === "key" && failures[0].reason.includes("only A-Z, a-z, 0-9, and _ are allowed");
      }),
    );
    assert.match(reasons(variable({ ...validVariable, key: "K".repeat(256) }))[0], /^key: .*length must be between 1 and 255, got: 256/);
  });

  it("takes env_var and file, and refuses envVar", () => {
    assert.deepEqual(variable({ ...validVariable, variableType: "file" }).failures, []);
    assert.match(reasons(variable({ ...validVariable, variableType: "envVar" }))[0], /^variableType: .*must be one of: \["env_var" "file"\], got: "envVar"/);
  });

  it("refuses a hidden variable that is not masked, whether masked is false or left out", () => {
    assert.match(reasons(variable({ ...validVariable, masked: false }))[0], /^hidden: Invalid value for a masked variable: A variable cannot be hidden without being masked/);
    const { masked: _dropped, ...unmasked } = validVariable;
    assert.match(reasons(variable(unmasked))[0], /^hidden: Invalid Attribute Combination: Attribute "masked" must be specified when "hidden" is specified/);
    fc.assert(fc.property(maybeSecret(canaryToken), (value) => variable({ ...validVariable, value }).failures.length === 0));
  });

  it("never puts a secret value in a failure", () => {
    const result = variable({ ...validVariable, value: secret(["glpat-FAKEcanary0123456789"]), masked: false });
    assert.deepEqual(
      result.failures.map((f) => f.property),
      ["value", "hidden"],
    );
    for (const failure of result.failures) assert.doesNotMatch(failure.reason, /glpat-|canary/i);
  });
});
