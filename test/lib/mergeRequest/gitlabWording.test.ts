// GitLab tokens and variables in a reviewer's words: every change that revokes a live token is called
// a revocation (issue 10 §3), a deleted consumer variable needs attention, lines come grouped by token,
// and a deleted variable is never said to hold a generation created in this change (issue 11, item 21).

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { describeGitLab } from "../../../lib/mergeRequest/gitlabWording";
import { readEventStream } from "../../../lib/mergeRequest/previewEvents";
import { componentUrn, EventStream, TOKEN_TYPE, tokenState, variableState, VARIABLE_TYPE, type StepSpec } from "../../support/engineEvents";

const OLD = "xlink/xlink-k8s-gitops:GITLAB_CI_PUSHER@2027-03-01";
const NEW = "xlink/xlink-k8s-gitops:GITLAB_CI_PUSHER@2027-06-01";
const APP = "xlink/xlink-app:GITLAB_PUSHER_TOKEN";
const WORKER = "xlink/xlink-worker:GITLAB_PUSHER_TOKEN";

const describe_ = (...steps: StepSpec[]) => {
  const stream = new EventStream();
  steps.forEach((step) => stream.step(step));
  return describeGitLab(readEventStream(stream.end({}).text()).steps);
};
const token = (op: string, generation: string, inputs: { old?: Record<string, unknown>; new?: Record<string, unknown> } = {}, extra: Partial<StepSpec> = {}): StepSpec => ({
  op,
  urn: tokenState(generation).urn,
  type: TOKEN_TYPE,
  ...(op !== "create" && op !== "create-replacement" && { old: tokenState(generation, inputs.old) }),
  ...(op !== "delete" && op !== "delete-replaced" && { new: tokenState(generation, inputs.new) }),
  ...extra,
});
const variable = (op: string, name: string, held: { old?: string; new?: string }, extra: Partial<StepSpec> = {}): StepSpec => ({
  op,
  urn: variableState(name, held.new ?? held.old!).urn,
  type: VARIABLE_TYPE,
  ...(held.old && { old: variableState(name, held.old) }),
  ...(held.new && { new: variableState(name, held.new) }),
  ...extra,
});
const warnings = (description: ReturnType<typeof describeGitLab>) => description.attention.map((item) => item.markdown);

describe("describeGitLab: a live token revoked, in words", () => {
  it("a replacement (a scope, role or name change) is revoked and replaced", () => {
    const described = describe_(token("replace", OLD, { new: { scopes: ["write_repository", "read_repository"] } }, { keys: ["scopes"], diffs: ["scopes"] }));
    assert.deepEqual(warnings(described), [
      "token `GITLAB_CI_PUSHER` in `xlink/xlink-k8s-gitops` (expires 2027-03-01) will be **revoked and replaced** (because of `scopes`): jobs holding it can no longer push",
      "token `GITLAB_CI_PUSHER` in `xlink/xlink-k8s-gitops`: scopes change from `write_repository` to `write_repository`, `read_repository`",
    ]);
    assert.deepEqual(described.lines, ["token `GITLAB_CI_PUSHER` in `xlink/xlink-k8s-gitops` (expires 2027-03-01) will be revoked and replaced (because of `scopes`): the new token is developer, `write_repository`, `read_repository`, expires 2027-03-01"]);
  });

  it("a respelled project: the old generation deleted, the variables moved to a new one, is revoked and replaced by it", () => {
    const respelled = "XLINK/xlink-k8s-gitops:GITLAB_CI_PUSHER@2027-03-01";
    const described = describe_(token("create", respelled), token("delete", OLD), variable("update", APP, { old: OLD, new: respelled }, { diffs: ["description", "value"] }));
    assert.deepEqual(warnings(described), [
      "token `GITLAB_CI_PUSHER` in `xlink/xlink-k8s-gitops` (expires 2027-03-01) will be **revoked and replaced** by token `GITLAB_CI_PUSHER` in `XLINK/xlink-k8s-gitops` expiring 2027-03-01: jobs holding it can no longer push",
    ]);
  });

  it("an emergency rotation (a new generation and the old one revoked in one change) is revoked and replaced; a cleanup is a plain revocation", () => {
    const emergency = describe_(token("create", NEW), token("delete", OLD), variable("update", APP, { old: OLD, new: NEW }, { diffs: ["value"] }));
    assert.deepEqual(warnings(emergency), [
      "token `GITLAB_CI_PUSHER` in `xlink/xlink-k8s-gitops` (expires 2027-03-01) will be **revoked and replaced** by token `GITLAB_CI_PUSHER` in `xlink/xlink-k8s-gitops` expiring 2027-06-01: jobs holding it can no longer push",
    ]);
    const cleanup = describe_(token("same", NEW), token("delete", OLD));
    assert.deepEqual(warnings(cleanup), ["token `GITLAB_CI_PUSHER` in `xlink/xlink-k8s-gitops` (expires 2027-03-01) will be **revoked**: jobs holding it can no longer push"]);
    assert.deepEqual(cleanup.lines, [
      "token `GITLAB_CI_PUSHER` in `xlink/xlink-k8s-gitops` (expires 2027-03-01) will be revoked",
      "token `GITLAB_CI_PUSHER` in `xlink/xlink-k8s-gitops` (expires 2027-06-01) is unchanged and stays valid",
    ]);
  });

  it("an update in place goes through GitLab's rotate API: revoked and replaced, with the reason", () => {
    assert.deepEqual(warnings(describe_(token("update", OLD, { new: { expiresAt: "2027-06-01" } }, { diffs: ["expiresAt"] }))), [
      "token `GITLAB_CI_PUSHER` in `xlink/xlink-k8s-gitops` (expires 2027-03-01) will be **revoked and replaced** through GitLab's rotate API (new expiry 2027-06-01): jobs holding it can no longer push",
    ]);
    assert.deepEqual(warnings(describe_(token("update", OLD, {}, { diffs: ["validatePastExpirationDate"] }))), [
      "token `GITLAB_CI_PUSHER` in `xlink/xlink-k8s-gitops` (expires 2027-03-01) will be **revoked and replaced** through GitLab's rotate API (the provider rotates a token for any change made in place: changes `validatePastExpirationDate`): jobs holding it can no longer push",
    ]);
  });
});

describe("describeGitLab: variables (issue 11, item 21)", () => {
  it("a deleted consumer variable needs attention: that project's pushes fail; the other half of a replacement does not", () => {
    const described = describe_(variable("delete", WORKER, { old: OLD }));
    assert.deepEqual(warnings(described), ["variable `GITLAB_PUSHER_TOKEN` in `xlink/xlink-worker` will be **deleted**: the pipelines in `xlink/xlink-worker` that push with it will fail"]);
    assert.deepEqual(warnings(describe_(variable("replace", APP, { old: OLD, new: OLD }, { keys: ["hidden"] }), variable("delete-replaced", APP, { old: OLD }))), []);
  });

  it("a deleted variable held the old generation: never 'created in this change', revoked when its token is", () => {
    const replaced = describe_(token("replace", OLD, {}, { keys: ["scopes"] }), variable("delete", WORKER, { old: OLD }), variable("update", APP, { old: OLD, new: OLD }, { diffs: ["value"] }));
    assert.deepEqual(replaced.lines.slice(1), [
      "variable `GITLAB_PUSHER_TOKEN` in `xlink/xlink-app` now holds token `GITLAB_CI_PUSHER` of `xlink/xlink-k8s-gitops` expiring 2027-03-01 (generation `xlink/xlink-k8s-gitops:GITLAB_CI_PUSHER@2027-03-01`, created in this change)",
      "variable `GITLAB_PUSHER_TOKEN` in `xlink/xlink-worker` will be deleted; it held token `GITLAB_CI_PUSHER` of `xlink/xlink-k8s-gitops` expiring 2027-03-01 (generation `xlink/xlink-k8s-gitops:GITLAB_CI_PUSHER@2027-03-01`, **revoked in this change**)",
    ]);
    assert.deepEqual(describe_(token("same", OLD), variable("delete", WORKER, { old: OLD })).lines.slice(1), [
      "variable `GITLAB_PUSHER_TOKEN` in `xlink/xlink-worker` will be deleted; it held token `GITLAB_CI_PUSHER` of `xlink/xlink-k8s-gitops` expiring 2027-03-01 (generation `xlink/xlink-k8s-gitops:GITLAB_CI_PUSHER@2027-03-01`)",
    ]);
  });

  it("two tokens' lines do not interleave: each token's generations, then its variables, whatever the projects are called", () => {
    const other = "acme/zz-charts:RELEASE_TAGGER@2027-05-01";
    // The variables' projects sort the other way round from their tokens'.
    const described = describe_(token("create", OLD), token("create", other), variable("create", "aaa/first:CHARTS_TOKEN", { new: other }), variable("create", "zzz/last:GITLAB_PUSHER_TOKEN", { new: OLD }));
    assert.deepEqual(
      described.lines.map((line) => line.split(",")[0]),
      ["new token `RELEASE_TAGGER` in `acme/zz-charts`", "new variable `CHARTS_TOKEN` in `aaa/first` (protected", "new token `GITLAB_CI_PUSHER` in `xlink/xlink-k8s-gitops`", "new variable `GITLAB_PUSHER_TOKEN` in `zzz/last` (protected"],
    );
  });

  it("an unchanged generation is said only beside a change to the same token", () => {
    assert.deepEqual(describe_(token("same", OLD), variable("same", APP, { old: OLD, new: OLD })).lines, []);
    const otherToken = describe_(token("same", OLD), { ...token("create", "acme/x:T@2027-05-01"), new: { ...tokenState("acme/x:T@2027-05-01"), parent: componentUrn("acme/x", "T") } });
    assert.deepEqual(otherToken.lines, ["new token `T` in `acme/x`, developer, `write_repository`, expires 2027-05-01"]);
  });
});
