// Adoption of hand-made variables and tokens (issue 6): what the program registers for them.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Registration } from "../../lib/evaluation/evaluate";
import { component, RICH } from "../support/adoption";
import { byName, evaluate, heldGeneration, tokens, variables } from "../support/scenarios";

describe("the program on an adoption", async () => {
  const evaluation = await evaluate(RICH);
  const handMade = () => byName(tokens(evaluation), "xlink/xlink-k8s-gitops:GITLAB_CI_PUSHER@2026-12-31");

  it("registers the hand-made token as declared, with no description, and ignores every input for diffs", () => {
    assert.equal(evaluation.error, undefined);
    const token = handMade();
    assert.deepEqual(token.inputs, {
      project: "xlink/xlink-k8s-gitops",
      name: "gitops pusher",
      scopes: ["api", "write_repository"],
      accessLevel: "maintainer",
      expiresAt: "2026-12-31",
    });
    // Whatever GitLab holds, the import must never turn into a replacement (which revokes) or an
    // in-place expiry change (which rotates): every input the provider reads back is ignored.
    assert.deepEqual(token.ignoreChanges, ["project", "name", "scopes", "accessLevel", "expiresAt", "description"]);
    assert.equal(token.parent, component("xlink/xlink-k8s-gitops:GITLAB_CI_PUSHER"));
    assert.equal(token.deleteBeforeReplace, false);
    assert.equal(token.protect, false);
  });

  it("defaults the hand-made token's name, role and scopes to the token's", () => {
    const token = byName(tokens(evaluation), "1234:RELEASE_TAGGER@2026-12-10");
    assert.deepEqual(token.inputs, { project: "1234", name: "RELEASE_TAGGER", scopes: ["write_repository"], accessLevel: "maintainer", expiresAt: "2026-12-10" });
  });

  it("creates the new generation as usual and moves adopted and new variables to it", () => {
    const current = byName(tokens(evaluation), "xlink/xlink-k8s-gitops:GITLAB_CI_PUSHER@2027-02-15");
    assert.deepEqual(current.ignoreChanges, ["description"]);
    assert.match(String(current.inputs.description), /^Push token managed by Pulumi/);
    for (const name of ["xlink/xlink-app:GITLAB_PUSHER_TOKEN", "4711:GITLAB_PUSHER_TOKEN[production]", "xlink/xlink-worker:GITLAB_PUSHER_TOKEN"]) {
      assert.equal(heldGeneration(byName(variables(evaluation), name), tokens(evaluation)), current.name, name);
    }
    // An adopted variable is registered exactly like a new one: adoption changes only how it enters the state.
    const adopted = byName(variables(evaluation), "xlink/xlink-app:GITLAB_PUSHER_TOKEN");
    const created = byName(variables(evaluation), "xlink/xlink-worker:GITLAB_PUSHER_TOKEN");
    const withoutIdentity = ({ inputs: { project: _p, key: _k, value: _v, ...rest } }: Registration) => rest;
    assert.deepEqual(withoutIdentity(adopted), withoutIdentity(created));
    assert.deepEqual([adopted.deleteBeforeReplace, adopted.ignoreChanges], [true, []]);
  });

  it("warns loudly about the broad hand-made token, each adoption marker and the undeclared hand-made token", () => {
    assert.deepEqual(evaluation.warnings, [
      "hand-made token 8812 (gitops pusher) in xlink/xlink-k8s-gitops has scope api, far more than pushing needs: it stays valid until its retiring block is removed after 2026-12-02T12:00:00Z; keep that short",
      "variable GITLAB_PUSHER_TOKEN in xlink/xlink-app is marked adopt: true. Not imported yet if the preview shows it as a create: run `npm run adopt` and `pulumi import --file` first. Imported if it shows as an update: remove adopt: true",
      "variable GITLAB_PUSHER_TOKEN in 4711 is marked adopt: true. Not imported yet if the preview shows it as a create: run `npm run adopt` and `pulumi import --file` first. Imported if it shows as an update: remove adopt: true",
      "variable CHARTS_PUSH_TOKEN in xlink/xlink-release is marked adopt: true. Not imported yet if the preview shows it as a create: run `npm run adopt` and `pulumi import --file` first. Imported if it shows as an update: remove adopt: true",
    ]);
  });

  it("warns when adopted variables' hand-made token is not named for revocation", async () => {
    const undeclared = await evaluate([{ ...RICH[2], consumers: [{ project: "xlink/xlink-app", key: "DOCS_PUSH_TOKEN", adopt: true }] }]);
    assert.match(undeclared.warnings[1], /^token DOCS_PUSHER in xlink\/docs adopts variables that hold a hand-made token today, but no retiring.tokenId names that token: it will stay valid in GitLab/);
    assert.equal(undeclared.warnings.length, 2);
  });

  it("exports adoption markers and token IDs in the inventory", () => {
    const [pusher, tagger, docs] = evaluation.outputs?.inventory ?? [];
    assert.deepEqual(pusher.consumers.map((consumer) => consumer.adopt), [true, true, false]);
    assert.deepEqual(pusher.retiring, { expiresAt: "2026-12-31", revokeAfter: "2026-12-02T12:00:00Z", accessLevel: "maintainer", scopes: ["api", "write_repository"], name: "gitops pusher", tokenId: 8812 });
    assert.equal(tagger.retiring?.tokenId, 9001);
    assert.equal(docs.retiring, null);
  });
});
