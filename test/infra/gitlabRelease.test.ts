// The program against the GitLab release the stack declares (gitlab.version): it never sends an input
// that release does not have, and a description, once decided at a generation's creation, is never
// what replaces (revokes) it.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { evaluate, seedToken, tokens, variables } from "../support/scenarios";

const TOKEN_DESCRIPTION = "Push token managed by Pulumi (gitlab-push-tokens/dev). Rotate or revoke it there, not in GitLab.";
const rotating = seedToken({ retiring: { expiresAt: "2026-12-20", revokeAfter: "2026-11-27T12:00:00Z" } });

describe("token descriptions follow gitlab.version", () => {
  it("sets none on any generation below 17.7, where GitLab has none (it would come back empty and replace the token)", async () => {
    const evaluation = await evaluate([rotating], { extra: { gitlab: { version: "17.6" } } });
    assert.equal(evaluation.error, undefined);
    assert.equal(tokens(evaluation).length, 2);
    for (const token of tokens(evaluation)) {
      assert.equal("description" in token.inputs, false, token.name);
      assert.deepEqual(token.ignoreChanges, ["description"], token.name);
    }
    // Variables have had descriptions since long before 17.0: they keep theirs.
    assert.match(String(variables(evaluation)[0].inputs.description), /^Push token GITLAB_CI_PUSHER for xlink\/xlink-k8s-gitops, expires 2027-02-15\./);
  });

  it("sets the stack's description from 17.7 (the default), still ignored for diffs once created", async () => {
    for (const extra of [{}, { gitlab: { version: "17.7" } }, { gitlab: { version: "19.2" } }]) {
      const evaluation = await evaluate([rotating], { extra });
      for (const token of tokens(evaluation)) {
        assert.equal(token.inputs.description, TOKEN_DESCRIPTION, token.name);
        assert.deepEqual(token.ignoreChanges, ["description"], token.name);
      }
    }
  });

  it("registers the same generations, names and every other input, on either side of 17.7", async () => {
    const strip = (evaluation: Awaited<ReturnType<typeof evaluate>>) => tokens(evaluation).map(({ urn, inputs: { description: _, ...inputs } }) => ({ urn, inputs }));
    assert.deepEqual(strip(await evaluate([rotating], { extra: { gitlab: { version: "17.6" } } })), strip(await evaluate([rotating], { extra: { gitlab: { version: "17.7" } } })));
  });
});

describe("hidden variables follow gitlab.version", () => {
  it("refuses hidden: true on 17.3 before registering anything, and registers it on 17.4", async () => {
    const token = seedToken({ consumers: [{ project: "xlink/xlink-app", key: "GITLAB_PUSHER_TOKEN", hidden: true }] });
    const refused = await evaluate([token], { extra: { gitlab: { version: "17.3" } } });
    assert.equal(refused.registrations.length, 0);
    assert.match(refused.error ?? "", /\n {2}- pushTokens\[0\]\.consumers\[0\]\.hidden: GitLab 17\.3 \(gitlab\.version\) has no hidden variables;.*Fix: remove hidden: true, or raise gitlab\.version if the instance runs 17\.4 or later\.$/);
    const accepted = await evaluate([token], { extra: { gitlab: { version: "17.4" } } });
    assert.equal(variables(accepted)[0].inputs.hidden, true);
  });
});
