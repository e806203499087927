// Issue 10 through the real pulumi CLI (3.276.0), the stand-in GitLab plugin and the GitLab emulator:
// the API token never reaches the state; a token revoked out of band is noticed by the scheduled drift
// command and healed by the apply command, both read from .gitlab-ci.yml; cleanup of an expired
// retiring generation whose bot user GitLab deleted; raising gitlab.version across 17.7 and respelling
// a project revoke nothing.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { rotateCli } from "../../cli/rotate";
import { addDays, utcDate } from "../../config/dates";
import { renderPreviewComment } from "../../lib/mergeRequest/previewComment";
import { capturePreviewText } from "../../lib/mergeRequest/previewInput";
import { failureOf, filesUnder, type E2eStack } from "./harness";
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
    // What the job then renders from the JSON, as its `npm run preview-comment -- drift.json --stack …` does.
    const note = renderPreviewComment({ ...capturePreviewText(drift.stdout, "drift.json"), exitCode: drift.code ?? undefined }, { stack: stack.name });
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
    // parallel, so in any order); the up's preview and update each check auth again; then the
    // replacement: create, move the variable, revoke the revoked token and read it back as revoked.
    const calls = world.gitlab.log.requests().filter((entry) => entry.seq > from).map((entry) => `${entry.method} ${entry.route}`);
    assert.equal(calls[0], "GET /user");
    assert.deepEqual(calls.slice(1, 3).sort(), ["GET /projects/:id/access_tokens/:token_id", "GET /projects/:id/variables/:key"]);
    assert.deepEqual(calls.slice(3), ["GET /user", "GET /user", "POST /projects/:id/access_tokens", "PUT /projects/:id/variables/:key", "DELETE /projects/:id/access_tokens/:token_id", "GET /projects/:id/access_tokens/:token_id"]);
  });

  it("after which the drift command passes again", async () => {
    const drift = await world.runPipelineCommand(stack, "drift", "read_api");
    assert.equal(drift.code, 0, drift.stderr);
  });
});

describe("cleanup of an expired retiring generation whose bot user GitLab deleted", { timeout: 600_000 }, () => {
  let world: SecurityWorld;
  before(async () => {
    world = await startSecurityWorld();
  });
  after(async () => {
    await world?.close();
  });

  it("rotate --cleanup and the pipeline's apply command succeed: the refresh reads 404 and drops it; a plain up fails on the revoke's 404", async () => {
    const token = (overrides: Record<string, unknown>) => ({ [`${PROJECT}:pushTokens`]: [{ name: "CLEANUP_PUSHER", project: "xlink/xlink-k8s-gitops", consumers: [{ project: "xlink/xlink-app", key: "CLEANUP_TOKEN" }], ...overrides }] });
    const stack = await world.stack("cleanup", token({ expiresAt: EXPIRES_AT }));
    await stack.up();
    const [first] = world.gitlab.state.tokens("xlink/xlink-k8s-gitops").filter((t) => t.name === "CLEANUP_PUSHER");
    // A rotation, its revokeAfter already past.
    stack.writeConfig(world.config(token({ expiresAt: addDays(today, 120), retiring: { expiresAt: EXPIRES_AT, revokeAfter: `${addDays(today, -1)}T00:00:00Z` } })));
    await stack.up();
    world.gitlab.control.expireToken(first.id, { deleteBotUser: true });

    const printed: string[] = [];
    const code = rotateCli(["--stack", "cleanup", "--cleanup", "--dir", world.env.workDir], { out: (text) => printed.push(text), err: (text) => printed.push(text) });
    assert.equal(code, 0, printed.join("\n"));
    assert.doesNotMatch(readFileSync(stack.stackFile, "utf8"), /retiring:/);

    // Without a refresh, the engine deletes the generation it still holds, and GitLab answers 404.
    const plain = await failureOf(stack.up());
    assert.match(plain.errors.join("\n"), /Could not delete project access token, unexpected error: .*404/);

    const apply = await world.runPipelineCommand(stack, "apply", "api");
    assert.equal(apply.code, 0, apply.stderr);
    const state = await stack.exportState();
    const generations = (state.deployment.resources ?? []).filter((r) => r.type === "gitlab:index/projectAccessToken:ProjectAccessToken").map((r) => r.urn.split("::").at(-1));
    assert.deepEqual(generations, [`xlink/xlink-k8s-gitops:CLEANUP_PUSHER@${addDays(today, 120)}`]);
    assert.equal((await world.runPipelineCommand(stack, "drift", "read_api")).code, 0);
  });
});

describe("raising gitlab.version across 17.7, then respelling the projects", { timeout: 600_000 }, () => {
  let world: SecurityWorld;
  let stack: E2eStack;
  before(async () => {
    world = await startSecurityWorld({ version: "17.6.0" });
  });
  after(async () => {
    await world?.close();
  });

  it("a stack made on 17.6 sends no token description", async () => {
    stack = await world.stack("versions", {});
    stack.writeConfig(world.config(pushTokens(), { version: "17.6" }));
    await stack.up();
    const [token] = liveTokens(world);
    assert.equal(token.description, null);
    const created = world.gitlab.log.requests({ method: "POST" }).find((entry) => entry.route === "/projects/:id/access_tokens");
    assert.equal((created?.body as Record<string, unknown>).description, undefined);
  });

  it("the instance upgraded and the declared version raised: the pipeline's apply replaces nothing, and a preview expects no changes", async () => {
    world.gitlab.control.upgradeTo("17.7.0");
    stack.writeConfig(world.config(pushTokens(), { version: "17.7" }));
    const from = lastSeq(world);
    const apply = await world.runPipelineCommand(stack, "apply", "api");
    assert.equal(apply.code, 0, apply.stderr);
    assert.deepEqual(world.gitlab.log.writes().filter((entry) => entry.seq > from), []);
    await stack.preview({ expectNoChanges: true });
  });

  it("respelling the token's project as its ID and the consumer's in another case revokes nothing and re-creates nothing", async () => {
    const projectId = world.gitlab.state.project("xlink/xlink-k8s-gitops")!.id;
    const respelled = pushTokens({ project: projectId, previousProject: "xlink/xlink-k8s-gitops" }, { project: "XLink/Xlink-App", previousProject: "xlink/xlink-app" });
    stack.writeConfig(world.config(respelled, { version: "17.7" }));
    const from = lastSeq(world);
    const apply = await world.runPipelineCommand(stack, "apply", "api");
    assert.equal(apply.code, 0, apply.stderr);
    // One write: the variable's description, which names the token's project as it is now spelt,
    // updated in place; no token created or revoked, no variable deleted or created.
    const writes = world.gitlab.log.writes().filter((entry) => entry.seq > from);
    assert.deepEqual(writes.map((entry) => `${entry.method} ${entry.path}`), ["PUT /api/v4/projects/xlink%2Fxlink-app/variables/GITLAB_PUSHER_TOKEN"]);
    assert.deepEqual(Object.keys(writes[0].body as object).includes("description"), true);
    assert.match(String((writes[0].body as Record<string, unknown>).description), new RegExp(`^Push token GITLAB_CI_PUSHER for ${projectId}, expires`));
    const names = ((await stack.exportState()).deployment.resources ?? []).map((r) => r.urn.split("::").at(-1));
    assert.ok(names.includes(`${projectId}:GITLAB_CI_PUSHER@${EXPIRES_AT}`) && names.includes("XLink/Xlink-App:GITLAB_PUSHER_TOKEN"), names.join(", "));
    await stack.preview({ expectNoChanges: true });

    // The next generation is made with the new spelling and, on 17.7, a description.
    stack.writeConfig(world.config({ [`${PROJECT}:pushTokens`]: [{ ...(respelled[`${PROJECT}:pushTokens`] as Record<string, unknown>[])[0], expiresAt: addDays(today, 120), retiring: { expiresAt: EXPIRES_AT, revokeAfter: `${addDays(today, 1)}T00:00:00Z` } }] }, { version: "17.7" }));
    const beforeRotation = lastSeq(world);
    await stack.up();
    const post = world.gitlab.log.requests({ method: "POST" }).find((entry) => entry.seq > beforeRotation && entry.route === "/projects/:id/access_tokens");
    assert.equal(post?.path, `/api/v4/projects/${projectId}/access_tokens`);
    assert.match(String((post?.body as Record<string, unknown>).description), /^Push token managed by Pulumi \(gitlab-push-tokens\/versions\)/);
    assert.deepEqual(tokenWrites(world, beforeRotation), ["POST /projects/:id/access_tokens"]);
  });
});
