// The `pulumi import --file` document `npm run adopt` derives from an evaluation of the program: every
// adopted variable and hand-made token, under exactly the type, name, parent and provider the program
// registers. (The program itself on an adoption: test/infra/adoption.test.ts.)

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { adoptionsOf, importFileOf } from "../../../lib/adoption/importFile";
import { component, PROVIDER_URN, RICH } from "../../support/adoption";
import { byName, evaluate, PROJECT } from "../../support/scenarios";

/** A secret as `pulumi import --file` reads one unencrypted (pkg/resource/stack/deployment.go): its value is not used. */
const SECRET_VALUE = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", plaintext: '""' };

describe("the import file derived from the program", async () => {
  const evaluation = await evaluate(RICH);
  const importFile = importFileOf(evaluation, adoptionsOf(evaluation));

  it("lists every adopted variable and hand-made token with the provider's import ID", () => {
    const entry = (type: string, name: string, id: string, parent: string) => ({ type, name, id, parent, provider: "gitlab", version: "10.1.1" });
    // A variable's value is read as a secret (see below).
    const variable = (name: string, id: string, parent: string) => ({ ...entry("gitlab:index/projectVariable:ProjectVariable", name, id, parent), inputs: { value: SECRET_VALUE } });
    // A hand-made token carries the state it is imported with (see the next test).
    const handMade = (name: string, id: string, parent: string, inputs: Record<string, unknown>) => ({
      ...entry("gitlab:index/projectAccessToken:ProjectAccessToken", name, id, parent),
      inputs,
      outputs: { ...inputs, id, validatePastExpirationDate: false },
    });
    assert.deepEqual(importFile, {
      nameTable: {
        gitlab: PROVIDER_URN,
        "xlink/xlink-k8s-gitops:GITLAB_CI_PUSHER": component("xlink/xlink-k8s-gitops:GITLAB_CI_PUSHER"),
        "1234:RELEASE_TAGGER": component("1234:RELEASE_TAGGER"),
      },
      resources: [
        handMade("xlink/xlink-k8s-gitops:GITLAB_CI_PUSHER@2026-12-31", "xlink/xlink-k8s-gitops:8812", "xlink/xlink-k8s-gitops:GITLAB_CI_PUSHER", {
          project: "xlink/xlink-k8s-gitops",
          name: "gitops pusher",
          scopes: ["api", "write_repository"],
          accessLevel: "maintainer",
          expiresAt: "2026-12-31",
        }),
        variable("xlink/xlink-app:GITLAB_PUSHER_TOKEN", "xlink/xlink-app:GITLAB_PUSHER_TOKEN:*", "xlink/xlink-k8s-gitops:GITLAB_CI_PUSHER"),
        variable("4711:GITLAB_PUSHER_TOKEN[production]", "4711:GITLAB_PUSHER_TOKEN:production", "xlink/xlink-k8s-gitops:GITLAB_CI_PUSHER"),
        handMade("1234:RELEASE_TAGGER@2026-12-10", "1234:9001", "1234:RELEASE_TAGGER", { project: "1234", name: "RELEASE_TAGGER", scopes: ["write_repository"], accessLevel: "maintainer", expiresAt: "2026-12-10" }),
        variable("xlink/xlink-release:CHARTS_PUSH_TOKEN[review/*]", "xlink/xlink-release:CHARTS_PUSH_TOKEN:review/*", "1234:RELEASE_TAGGER"),
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
      const expected = entry.type === "gitlab:index/projectVariable:ProjectVariable" ? `${inputs.project}:${inputs.key}:${inputs.environmentScope}` : `${inputs.project}:`;
      assert.ok(entry.id.startsWith(expected), `${entry.id} vs ${expected}`);
    }
  });

  it("imports a hand-made token from the state a provider-made one has, its inputs exactly the program's", () => {
    // Read never sets validatePastExpirationDate; imported without it, the token would be rotated (so
    // revoked) by the next pulumi up: test/e2e/adoption.test.ts.
    for (const entry of importFile.resources.filter((candidate) => candidate.type.endsWith(":ProjectAccessToken"))) {
      const { token: _value, ...registered } = byName(evaluation.registrations, entry.name).inputs;
      assert.deepEqual(entry.inputs, registered);
      assert.deepEqual(entry.outputs, { ...registered, id: entry.id, validatePastExpirationDate: false });
    }
  });

  it("marks each adopted variable's value a secret, so the import keeps the hand-made token it reads encrypted", () => {
    // The provider's schema does not mark a variable's value secret: test/e2e/adoption.test.ts shows the
    // plaintext in the state, its backups and history when the import file does not.
    const variables = importFile.resources.filter((candidate) => candidate.type.endsWith(":ProjectVariable"));
    assert.equal(variables.length, 3);
    for (const entry of variables) assert.deepEqual(entry.inputs, { value: SECRET_VALUE });
  });

  it("uses only the fields of pulumi import's file format, and state only for tokens", () => {
    assert.deepEqual(Object.keys(importFile).sort(), ["nameTable", "resources"]);
    for (const entry of importFile.resources) {
      const state = entry.type.endsWith(":ProjectAccessToken") ? ["inputs", "outputs"] : ["inputs"];
      assert.deepEqual(Object.keys(entry).sort(), ["id", "name", "parent", "provider", "type", "version", ...state].sort());
    }
  });

  it("is empty for a stack that adopts nothing", async () => {
    const plain = await evaluate([RICH[2]]);
    assert.deepEqual(importFileOf(plain, adoptionsOf(plain)), { nameTable: {}, resources: [] });
  });
});
