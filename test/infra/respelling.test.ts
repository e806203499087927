// A project respelled (path ↔ numeric ID, letter case) with `previousProject`: the program keeps every
// resource's identity (an alias from its old logical name) and, where a changed `project` input would
// make the provider replace it, keeps the spelling it was created with (`project` ignored for diffs).
// A new generation, created after the respelling, takes the new spelling: ignoreChanges does not
// apply to a create. And a consumer moved from one token to another keeps its URN: an update.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { byName, evaluate, heldGeneration, seedToken, tokens, variables } from "../support/scenarios";

const STACK_URN = "urn:pulumi:dev::gitlab-push-tokens";
const VARIABLE_TYPE = "gitlab-push-tokens:index:PushToken$gitlab:index/projectVariable:ProjectVariable";

describe("a token's project respelled from path to ID", async () => {
  const before = await evaluate([seedToken({ retiring: { expiresAt: "2026-12-20", revokeAfter: "2026-11-27T12:00:00Z" } })]);
  const after = await evaluate([seedToken({ project: 4242, previousProject: "xlink/xlink-k8s-gitops", retiring: { expiresAt: "2026-12-20", revokeAfter: "2026-11-27T12:00:00Z" } })]);

  it("names everything by the new spelling, each with its old name as an alias", () => {
    assert.equal(after.error, undefined);
    const component = byName(after.registrations, "4242:GITLAB_CI_PUSHER");
    assert.deepEqual(component.aliases, [{ name: "xlink/xlink-k8s-gitops:GITLAB_CI_PUSHER" }]);
    for (const expiresAt of ["2027-02-15", "2026-12-20"]) {
      const generation = byName(tokens(after), `4242:GITLAB_CI_PUSHER@${expiresAt}`);
      assert.deepEqual(generation.aliases, [{ name: `xlink/xlink-k8s-gitops:GITLAB_CI_PUSHER@${expiresAt}` }]);
      // The alias resolves to the generation's old URN: the parent's name is not part of a URN.
      const old = byName(tokens(before), `xlink/xlink-k8s-gitops:GITLAB_CI_PUSHER@${expiresAt}`);
      assert.equal(generation.urn.replace(`::${generation.name}`, `::${old.name}`), old.urn);
    }
  });

  it("ignores project for diffs on every generation, so the provider sees the spelling they were created with", () => {
    for (const generation of tokens(after)) {
      assert.deepEqual(generation.ignoreChanges, ["description", "project"], generation.name);
      // The new spelling is what a generation created from now on (a create ignores nothing) is made with.
      assert.equal(generation.inputs.project, "4242");
    }
  });

  it("changes nothing else a token or variable is registered with", () => {
    const comparable = (evaluation: typeof before) =>
      [...tokens(evaluation), ...variables(evaluation)].map((r) => ({ type: r.type, inputs: { ...r.inputs, project: undefined, value: undefined, description: undefined }, deleteBeforeReplace: r.deleteBeforeReplace }));
    assert.deepEqual(comparable(after), comparable(before));
    assert.deepEqual(variables(after).map((v) => v.aliases), [[]]);
  });
});

describe("a consumer's project respelled in letter case", async () => {
  const after = await evaluate([seedToken({ consumers: [{ project: "XLink/Xlink-App", previousProject: "xlink/xlink-app", key: "GITLAB_PUSHER_TOKEN" }] })]);

  it("keeps the variable's identity and the spelling it was created with: no replacement, so no duplicate key", () => {
    const [variable] = variables(after);
    assert.equal(variable.name, "XLink/Xlink-App:GITLAB_PUSHER_TOKEN");
    assert.deepEqual(variable.aliases, [{ name: "xlink/xlink-app:GITLAB_PUSHER_TOKEN" }]);
    assert.deepEqual(variable.ignoreChanges, ["project"]);
    assert.equal(variable.deleteBeforeReplace, true);
  });

  it("leaves the token alone", () => {
    const [token] = tokens(after);
    assert.deepEqual(token.aliases, []);
    assert.deepEqual(token.ignoreChanges, ["description"]);
  });
});

describe("a consumer moved from one token to another (README, Known limits)", async () => {
  const consumer = { project: "xlink/xlink-app", key: "GITLAB_PUSHER_TOKEN" };
  const other = seedToken({ name: "OTHER_PUSHER", project: "xlink/other", consumers: [{ project: "xlink/other-app", key: "OTHER_TOKEN" }] });
  const before = await evaluate([seedToken({ consumers: [consumer] }), other]);
  const after = await evaluate([seedToken({ consumers: [{ project: "xlink/elsewhere", key: "KEEP" }] }), { ...other, consumers: [...other.consumers, consumer] }]);

  it("keeps its URN (a URN carries its parent's type, not its name), so the engine updates it in place", () => {
    const was = byName(variables(before), "xlink/xlink-app:GITLAB_PUSHER_TOKEN");
    const now = byName(variables(after), "xlink/xlink-app:GITLAB_PUSHER_TOKEN");
    assert.equal(now.urn, was.urn);
    assert.equal(now.urn, `${STACK_URN}::${VARIABLE_TYPE}::xlink/xlink-app:GITLAB_PUSHER_TOKEN`);
    assert.notEqual(now.parent, was.parent);
  });

  it("changes only what an update changes: the value (the other token's) and the description", () => {
    const was = byName(variables(before), "xlink/xlink-app:GITLAB_PUSHER_TOKEN");
    const now = byName(variables(after), "xlink/xlink-app:GITLAB_PUSHER_TOKEN");
    const changed = Object.keys({ ...was.inputs, ...now.inputs }).filter((key) => JSON.stringify(was.inputs[key]) !== JSON.stringify(now.inputs[key]));
    assert.deepEqual(changed.sort(), ["description", "value"]);
    assert.equal(heldGeneration(now, tokens(after)), "xlink/other:OTHER_PUSHER@2027-02-15");
  });
});
