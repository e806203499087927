// Diff decisions, without a process: which change replaces and which updates in place (upstream
// RequiresReplace), that an unchanged resource shows no diff whatever the secret wrapping or scope order,
// that a changed expiry rotates in place, that a token revoked outside Pulumi is replaced unless it had
// expired anyway, and that nothing is ever delete-before-replace on the provider's own account.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { isoDate, tokenInputs, variableInputs } from "./arbitraries";
import { diff, plan, PlanError } from "./diff";
import { PROJECT_ACCESS_TOKEN, PROJECT_VARIABLE, TYPES, inputsOf } from "./model";
import { reveal, secret, UNKNOWN, type WireMap } from "./propertyValues";

const NOW = new Date(Date.UTC(2026, 11, 1, 12));

/** The state a freshly created token would have: the planned state with GitLab's answers filled in. */
function tokenState(inputs: WireMap): WireMap {
  const { planned } = plan({ type: TYPES.projectAccessToken, config: inputs, now: NOW });
  return { ...planned, id: `${String(reveal(planned.project))}:42`, token: secret("glpat-FAKEstateCanary0123"), active: true, revoked: false, userId: 7, createdAt: "2026-12-01 12:00:00 +0000 UTC", description: planned.description === UNKNOWN ? "" : planned.description };
}

function variableState(inputs: WireMap): WireMap {
  const { planned } = plan({ type: TYPES.projectVariable, config: inputs, now: NOW });
  const known = (key: string, fallback: unknown) => (planned[key] === UNKNOWN ? fallback : planned[key]);
  return {
    ...planned,
    id: `${String(reveal(planned.project))}:${String(planned.key)}:${String(planned.environmentScope)}`,
    variableType: known("variableType", "env_var"),
    protected: known("protected", false),
    masked: known("masked", false),
    hidden: known("hidden", false),
    raw: known("raw", false),
    description: known("description", ""),
  } as WireMap;
}

const tokenDiff = (prior: WireMap, config: WireMap, now = NOW) => diff({ type: TYPES.projectAccessToken, prior, config, now });
const variableDiff = (prior: WireMap, config: WireMap) => diff({ type: TYPES.projectVariable, prior, config, now: NOW });

/** A different value of the same kind, for any input of either resource. */
function changed(key: string, value: unknown): unknown {
  const current = reveal(value);
  if (typeof current === "boolean") return !current;
  if (Array.isArray(current)) return current.includes("api") ? ["read_api"] : ["api"];
  if (key === "expiresAt") return "2098-12-31" === current ? "2098-12-30" : "2098-12-31";
  if (key === "accessLevel") return current === "owner" ? "guest" : "owner";
  if (key === "variableType") return current === "file" ? "env_var" : "file";
  return `${String(current)}x`;
}

describe("an unchanged resource", () => {
  it("shows no diff, whether its values arrive secret-wrapped or not and whatever order the scopes are in", () => {
    fc.assert(
      fc.property(tokenInputs, fc.boolean(), (inputs, wrap) => {
        const prior = tokenState(inputs);
        const config = { ...inputs, scopes: [...(inputs.scopes as string[])].reverse(), ...(wrap ? { name: secret(inputs.name) } : {}) };
        const result = tokenDiff(prior, config);
        assert.deepEqual(result.diffs, [], JSON.stringify(result.detailedDiff));
        assert.equal(result.changed, false);
      }),
    );
    fc.assert(fc.property(variableInputs, (inputs) => assert.deepEqual(variableDiff(variableState(inputs), inputs).diffs, [])));
  });

  it("shows no diff for defaults the program leaves out (maintainer, environment scope *)", () => {
    const inputs = { project: "1", name: "n", scopes: ["api"], expiresAt: "2031-01-01" };
    const prior = tokenState(inputs);
    assert.equal(prior.accessLevel, "maintainer");
    assert.equal(prior.validatePastExpirationDate, false);
    assert.deepEqual(tokenDiff(prior, inputs).diffs, []);
    const variable = { project: "1", key: "K", value: secret("v") };
    assert.equal(variableState(variable).environmentScope, "*");
    assert.deepEqual(variableDiff(variableState(variable), variable).diffs, []);
  });
});

describe("a changed input", () => {
  it("replaces the token for project, name, scopes, role and description, and updates expiresAt in place", () => {
    fc.assert(
      fc.property(tokenInputs, fc.constantFrom(...inputsOf(PROJECT_ACCESS_TOKEN).map((p) => p.name).filter((name) => name !== "rotationConfiguration" && name !== "validatePastExpirationDate")), (inputs, key) => {
        const prior = tokenState(inputs);
        const config = { ...inputs, [key]: changed(key, prior[key]) } as WireMap;
        const result = tokenDiff(prior, config);
        const replaces = ["project", "name", "scopes", "accessLevel", "description"].includes(key);
        assert.deepEqual(result.diffs, [key]);
        assert.deepEqual(result.replaces, replaces ? [key] : []);
        assert.deepEqual(result.detailedDiff, { [key]: replaces ? "UPDATE_REPLACE" : "UPDATE" });
        assert.equal(result.deleteBeforeReplace, false);
      }),
    );
  });

  it("replaces the variable for project, key, environment scope and hidden, and updates everything else in place", () => {
    fc.assert(
      fc.property(variableInputs, fc.constantFrom(...inputsOf(PROJECT_VARIABLE).map((p) => p.name)), (inputs, key) => {
        const prior = variableState(inputs);
        const config = { ...inputs, [key]: changed(key, prior[key]) } as WireMap;
        const result = variableDiff(prior, config);
        const replaces = ["project", "key", "environmentScope", "hidden"].includes(key);
        assert.deepEqual(result.diffs, [key]);
        assert.deepEqual(result.replaces, replaces ? [key] : []);
        assert.deepEqual(result.detailedDiff, { [key]: replaces ? "UPDATE_REPLACE" : "UPDATE" });
        assert.equal(result.deleteBeforeReplace, false);
      }),
    );
  });

  it("counts an input that is not known yet (another resource's output in a preview) as changed", () => {
    const inputs = { project: "x/y", key: "K", value: secret("old-value-1") };
    const result = variableDiff(variableState(inputs), { ...inputs, value: UNKNOWN });
    assert.deepEqual(result.detailedDiff, { value: "UPDATE" });
    assert.deepEqual(variableDiff(variableState(inputs), { ...inputs, project: UNKNOWN }).replaces, ["project"]);
  });

  it("reports an added and a removed description as such", () => {
    const inputs = { project: "x/y", key: "K", value: "v" };
    assert.deepEqual(variableDiff({ ...variableState(inputs), description: "" }, { ...inputs, description: "said" }).detailedDiff, { description: "UPDATE" });
    const prior = tokenState({ ...validTokenInputs(), description: "said" });
    assert.deepEqual(tokenDiff({ ...prior, description: undefined } as unknown as WireMap, { ...validTokenInputs(), description: "said" }).detailedDiff, { description: "ADD_REPLACE" });
  });

  it("leaves ignored inputs at their prior values", () => {
    const inputs = validTokenInputs();
    const result = diff({ type: TYPES.projectAccessToken, prior: tokenState(inputs), config: { ...inputs, name: "renamed" }, now: NOW, ignoreChanges: ["name"] });
    assert.deepEqual(result.diffs, []);
  });
});

function validTokenInputs(): WireMap {
  return { project: "xlink/app", name: "pusher", scopes: ["write_repository"], accessLevel: "developer", expiresAt: "2031-01-31" };
}

describe("a token adopted by import", () => {
  it("shows the validatePastExpirationDate default as an in-place change, which upstream's Update applies by rotating", () => {
    // Upstream's Read never sets validate_past_expiration_date, so an imported state has none, and the
    // framework plans its default (false) over it.
    const { validatePastExpirationDate: _unset, token: _value, ...imported } = tokenState(validTokenInputs());
    const result = tokenDiff(imported, validTokenInputs());
    assert.deepEqual(result.detailedDiff, { validatePastExpirationDate: "ADD" });
    assert.deepEqual(result.replaces, []);
  });
});

describe("the token's expiry", () => {
  it("rotates in place when it changes: new value, new id and creation time unknown until GitLab answers", () => {
    fc.assert(
      fc.property(isoDate, isoDate, (before, after) => {
        fc.pre(before !== after);
        const prior = tokenState({ ...validTokenInputs(), expiresAt: before });
        const { planned, requiresReplace } = plan({ type: TYPES.projectAccessToken, prior, config: { ...validTokenInputs(), expiresAt: after }, now: NOW });
        assert.deepEqual(requiresReplace, []);
        assert.equal(planned.expiresAt, after);
        for (const key of ["token", "id", "createdAt"]) assert.equal(planned[key], UNKNOWN, key);
      }),
    );
  });

  it("keeps the token's value and id when nothing changes", () => {
    const prior = tokenState(validTokenInputs());
    const { planned } = plan({ type: TYPES.projectAccessToken, prior, config: validTokenInputs(), now: NOW });
    assert.deepEqual(planned.token, prior.token);
    assert.equal(planned.id, prior.id);
  });

  it("fails the plan (so the preview) on a date that is not YYYY-MM-DD, naming the fix", () => {
    for (const bad of ["2031-02-30", "31/01/2031", "2031-1-31"]) {
      assert.throws(() => plan({ type: TYPES.projectAccessToken, config: { ...validTokenInputs(), expiresAt: bad }, now: NOW }), (error: Error) => error instanceof PlanError && error.message.includes(JSON.stringify(bad)) && error.message.includes("YYYY-MM-DD"));
      assert.throws(() => tokenDiff(tokenState(validTokenInputs()), { ...validTokenInputs(), expiresAt: bad }), PlanError);
    }
  });

  it("with a rotation configuration, rotates on `up` once inside rotateBeforeDays, and not before", () => {
    const config = { project: "1", name: "n", scopes: ["api"], rotationConfiguration: { expirationDays: 30, rotateBeforeDays: 7 } };
    const { planned } = plan({ type: TYPES.projectAccessToken, config, now: NOW });
    assert.equal(planned.expiresAt, "2026-12-31");
    const prior = { ...tokenState(config), expiresAt: "2026-12-31" };
    assert.deepEqual(tokenDiff(prior, config, new Date(Date.UTC(2026, 11, 23))).diffs, []);
    const inside = tokenDiff(prior, config, new Date(Date.UTC(2026, 11, 25)));
    assert.deepEqual(inside.detailedDiff, { expiresAt: "UPDATE" });
    assert.equal(inside.planned.expiresAt, "2027-01-24");
    assert.equal(inside.planned.token, UNKNOWN);
  });
});

describe("a token revoked outside Pulumi (upstream MR 2459)", () => {
  it("is replaced, the new one planned not revoked and with the configured expiry", () => {
    const prior = { ...tokenState(validTokenInputs()), revoked: true, active: false };
    const result = tokenDiff(prior, validTokenInputs());
    assert.deepEqual(result.replaces, ["revoked"]);
    assert.deepEqual(result.detailedDiff, { revoked: "UPDATE_REPLACE" });
    assert.equal(result.deleteBeforeReplace, false);
    assert.equal(result.planned.revoked, false);
    assert.equal(result.planned.expiresAt, "2031-01-31");
    assert.equal(result.planned.token, UNKNOWN);
  });

  it("is left alone when it had expired anyway", () => {
    const prior = { ...tokenState({ ...validTokenInputs(), expiresAt: "2026-11-30" }), revoked: true, active: false };
    const result = tokenDiff(prior, { ...validTokenInputs(), expiresAt: "2026-11-30" });
    assert.deepEqual(result.diffs, []);
  });
});
