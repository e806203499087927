// Adoption of hand-made variables and tokens (issue 6): what the program registers for them, the
// `pulumi import --file` document `npm run adopt` derives from that, and the command itself.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { stringify } from "yaml";
import { GITLAB_PROVIDER_VERSION, GITLAB_TYPES } from "../infra/gitlab/wire";
import { adoptionsOf, importFileOf } from "../lib/adoption/importFile";
import type { Registration } from "../lib/evaluation/evaluate";
import { byName, evaluate, heldGeneration, PROJECT, tokens, variables } from "./support/scenarios";
import { adoptCommand } from "../cli/adopt";
import { runInProcess } from "./support/inProcess";
import { PROJECT_ROOT } from "./support/sharedData";

/** Several tokens; adopted and new consumers; environment scopes; numeric and path project IDs. */
const RICH = [
  {
    name: "GITLAB_CI_PUSHER",
    project: "xlink/xlink-k8s-gitops",
    expiresAt: "2027-02-15",
    consumers: [
      { project: "xlink/xlink-app", key: "GITLAB_PUSHER_TOKEN", adopt: true },
      { project: 4711, key: "GITLAB_PUSHER_TOKEN", environmentScope: "production", adopt: true },
      { project: "xlink/xlink-worker", key: "GITLAB_PUSHER_TOKEN" },
    ],
    retiring: { tokenId: 8812, name: "gitops pusher", accessLevel: "maintainer", scopes: ["write_repository", "api"], expiresAt: "2026-12-31", revokeAfter: "2026-12-02T12:00:00Z" },
  },
  {
    name: "RELEASE_TAGGER",
    project: 1234,
    accessLevel: "maintainer",
    expiresAt: "2027-05-01",
    consumers: [{ project: "xlink/xlink-release", key: "CHARTS_PUSH_TOKEN", environmentScope: "review/*", adopt: true }],
    retiring: { tokenId: 9001, expiresAt: "2026-12-10", revokeAfter: "2026-12-01T00:00:00Z" },
  },
  {
    name: "DOCS_PUSHER",
    project: "xlink/docs",
    expiresAt: "2027-03-01",
    consumers: [{ project: "xlink/xlink-app", key: "DOCS_PUSH_TOKEN" }],
  },
];

const component = (name: string) => `urn:pulumi:dev::${PROJECT}::gitlab-push-tokens:index:PushToken::${name}`;
const PROVIDER_URN = `urn:pulumi:dev::${PROJECT}::pulumi:providers:gitlab::gitlab`;

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
    assert.deepEqual(current.ignoreChanges, []);
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

describe("the import file derived from the program", async () => {
  const evaluation = await evaluate(RICH);
  const importFile = importFileOf(evaluation, adoptionsOf(evaluation));

  it("lists every adopted variable and hand-made token with the provider's import ID", () => {
    const entry = (type: string, name: string, id: string, parent: string) => ({ type, name, id, parent, provider: "gitlab", version: GITLAB_PROVIDER_VERSION });
    assert.deepEqual(importFile, {
      nameTable: {
        gitlab: PROVIDER_URN,
        "xlink/xlink-k8s-gitops:GITLAB_CI_PUSHER": component("xlink/xlink-k8s-gitops:GITLAB_CI_PUSHER"),
        "1234:RELEASE_TAGGER": component("1234:RELEASE_TAGGER"),
      },
      resources: [
        entry(GITLAB_TYPES.projectAccessToken, "xlink/xlink-k8s-gitops:GITLAB_CI_PUSHER@2026-12-31", "xlink/xlink-k8s-gitops:8812", "xlink/xlink-k8s-gitops:GITLAB_CI_PUSHER"),
        entry(GITLAB_TYPES.projectVariable, "xlink/xlink-app:GITLAB_PUSHER_TOKEN", "xlink/xlink-app:GITLAB_PUSHER_TOKEN:*", "xlink/xlink-k8s-gitops:GITLAB_CI_PUSHER"),
        entry(GITLAB_TYPES.projectVariable, "4711:GITLAB_PUSHER_TOKEN[production]", "4711:GITLAB_PUSHER_TOKEN:production", "xlink/xlink-k8s-gitops:GITLAB_CI_PUSHER"),
        entry(GITLAB_TYPES.projectAccessToken, "1234:RELEASE_TAGGER@2026-12-10", "1234:9001", "1234:RELEASE_TAGGER"),
        entry(GITLAB_TYPES.projectVariable, "xlink/xlink-release:CHARTS_PUSH_TOKEN[review/*]", "xlink/xlink-release:CHARTS_PUSH_TOKEN:review/*", "1234:RELEASE_TAGGER"),
      ],
    });
  });

  it("puts each entry at the URN, parent and provider the program registers (as the CLI resolves them)", () => {
    for (const entry of importFile.resources) {
      const registration = evaluation.registrations.find((r) => r.type === entry.type && r.name === entry.name);
      assert.ok(registration, `${entry.name} is not registered`);
      const parentUrn = importFile.nameTable[entry.parent];
      const providerUrn = importFile.nameTable[entry.provider];
      assert.equal(parentUrn, registration.parent);
      assert.equal(registration.provider.slice(0, registration.provider.lastIndexOf("::")), providerUrn);
      // pulumi import builds the URN from the stack, the project, the parent's type and the name.
      const parentType = parentUrn.split("::")[2];
      assert.equal(`urn:pulumi:dev::${PROJECT}::${parentType}$${entry.type}::${entry.name}`, registration.urn);
    }
  });

  it("builds each import ID from the registered inputs the provider compares after the import", () => {
    for (const entry of importFile.resources) {
      const { inputs } = byName(evaluation.registrations, entry.name);
      const expected = entry.type === GITLAB_TYPES.projectVariable ? `${inputs.project}:${inputs.key}:${inputs.environmentScope}` : `${inputs.project}:`;
      assert.ok(entry.id.startsWith(expected), `${entry.id} vs ${expected}`);
    }
  });

  it("uses only the fields of pulumi import's file format", () => {
    assert.deepEqual(Object.keys(importFile).sort(), ["nameTable", "resources"]);
    for (const entry of importFile.resources) assert.deepEqual(Object.keys(entry).sort(), ["id", "name", "parent", "provider", "type", "version"]);
  });

  it("is empty for a stack that adopts nothing", async () => {
    const plain = await evaluate([RICH[2]]);
    assert.deepEqual(importFileOf(plain, adoptionsOf(plain)), { nameTable: {}, resources: [] });
  });
});

describe("npm run adopt", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "adopt-"));
  after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(path.join(dir, "Pulumi.yaml"), `name: ${PROJECT}\nruntime: nodejs\n`);
  const stackFile = (stack: string, pushTokens: unknown) => writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), stringify({ config: { [`${PROJECT}:pushTokens`]: pushTokens } }));
  // In this process; the last test spawns the real CLI on the committed example.
  const adopt = (args: string[]) => runInProcess(adoptCommand, ["--dir", dir, "--today", "2026-11-25", ...args]);

  it("writes the import file and says what to run next", async () => {
    stackFile("dev", RICH);
    const out = path.join(dir, "adopt.json");
    const result = await adopt(["--stack", "dev", "--out", out]);
    assert.equal(result.stderr, "");
    assert.equal(result.status, 0);
    const evaluation = await evaluate(RICH);
    assert.deepEqual(JSON.parse(readFileSync(out, "utf8")), importFileOf(evaluation, adoptionsOf(evaluation)));
    assert.match(result.stdout, /^Wrote .*adopt\.json: 5 resources to import into stack dev\.\n/);
    assert.match(result.stdout, /\n {4}import id xlink\/xlink-release:CHARTS_PUSH_TOKEN:review\/\*\n/);
    assert.ok(result.stdout.includes(`1. pulumi up --stack dev --target '${PROVIDER_URN}' --target '${component("xlink/xlink-k8s-gitops:GITLAB_CI_PUSHER")}' --target '${component("1234:RELEASE_TAGGER")}'\n`));
    assert.ok(result.stdout.includes(`2. pulumi import --stack dev --file ${out} --protect=false --generate-code=false\n`));
  });

  it("with --state, leaves out what the stack holds and warns about adoption markers left in place", async () => {
    stackFile("dev", RICH);
    const out = path.join(dir, "after.json");
    const state = path.join(dir, "state.json");
    const held = [PROVIDER_URN, component("xlink/xlink-k8s-gitops:GITLAB_CI_PUSHER"), `urn:pulumi:dev::${PROJECT}::gitlab-push-tokens:index:PushToken$${GITLAB_TYPES.projectVariable}::xlink/xlink-app:GITLAB_PUSHER_TOKEN`];
    writeFileSync(state, JSON.stringify({ version: 3, deployment: { resources: held.map((urn) => ({ urn })) } }));
    const result = await adopt(["--stack", "dev", "--out", out, "--state", state]);
    assert.equal(result.status, 0);
    assert.equal(result.stderr, "warning: variable GITLAB_PUSHER_TOKEN in xlink/xlink-app (environment scope *) is already in the stack: remove its adopt: true marker\n");
    const written = JSON.parse(readFileSync(out, "utf8")) as { resources: { name: string }[] };
    assert.deepEqual(written.resources.map((entry) => entry.name), [
      "xlink/xlink-k8s-gitops:GITLAB_CI_PUSHER@2026-12-31",
      "4711:GITLAB_PUSHER_TOKEN[production]",
      "1234:RELEASE_TAGGER@2026-12-10",
      "xlink/xlink-release:CHARTS_PUSH_TOKEN[review/*]",
    ]);
    // Only the component that is not in the stack yet needs the targeted `pulumi up`.
    assert.ok(result.stdout.includes(`1. pulumi up --stack dev --target '${component("1234:RELEASE_TAGGER")}'\n`));
  });

  it("writes nothing when nothing is to be adopted", async () => {
    stackFile("plain", [RICH[2]]);
    const out = path.join(dir, "plain.json");
    const result = await adopt(["--stack", "plain", "--out", out]);
    assert.deepEqual([result.status, result.stderr], [0, ""]);
    assert.match(result.stdout, /^Nothing to adopt in stack plain/);
    assert.equal(existsSync(out), false);
  });

  it("refuses bad config with the program's own message, and writes nothing", async () => {
    stackFile("bad", [{ ...RICH[0], retiring: { ...RICH[0].retiring, tokenId: "8812" } }]);
    const out = path.join(dir, "bad.json");
    const result = await adopt(["--stack", "bad", "--out", out]);
    assert.equal(result.status, 1);
    assert.equal(result.stdout, "");
    assert.match(result.stderr, /pushTokens\[0\]\.retiring\.tokenId: expected the token's ID, a positive whole number, got "8812"\. Fix: write it without quotes: tokenId: 8812\./);
    assert.equal(existsSync(out), false);
  });

  it("refuses a --state file that is not a stack export, and a missing --stack", async () => {
    stackFile("dev", RICH);
    const state = path.join(dir, "garbage.json");
    writeFileSync(state, "{ not json");
    const garbage = await adopt(["--stack", "dev", "--out", path.join(dir, "g.json"), "--state", state]);
    assert.equal(garbage.status, 1);
    assert.match(garbage.stderr, /^--state .*garbage\.json is not readable JSON \(.*\): pass the output of `pulumi stack export`\n$/);
    const missing = await adopt([]);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /^--stack is required\nusage: npm run adopt/);
  });

  it("runs on the committed migration example", () => {
    const out = path.join(dir, "migration.json");
    const result = spawnSync(process.execPath, ["--import", "tsx", "cli/adopt.ts", "--stack", "migration", "--today", "2026-11-25", "--out", out], { cwd: PROJECT_ROOT, encoding: "utf8", timeout: 60_000 });
    assert.equal(result.status, 0, result.stderr);
    const written = JSON.parse(readFileSync(out, "utf8")) as { resources: { id: string }[] };
    assert.deepEqual(written.resources.map((entry) => entry.id), ["xlink/xlink-k8s-gitops:8812", "xlink/xlink-app:GITLAB_PUSHER_TOKEN:*", "4711:GITLAB_PUSHER_TOKEN:production"]);
  });
});
