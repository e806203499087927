// The real program under the SDK's mock runtime: exactly what it registers, with which inputs and
// options, for the seed scenario, fan-out, rotation, and on different days.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { GITLAB_TYPES } from "../../infra/gitlab/wire";
import { fixedClock } from "../../config/clock";
import { evaluateStack, isSecretValue, plainValue } from "../../lib/evaluation/evaluate";
import { toPulumiConfig } from "../../lib/stackFile/offlineConfig";
import { byName, canaryToken, evaluate, fingerprint, heldGeneration, providers, seedToken, tokens, variables } from "../support/scenarios";

const COMPONENT_TYPE = "gitlab-push-tokens:index:PushToken";
const STACK_URN = "urn:pulumi:dev::gitlab-push-tokens";
const PROVIDER_URN = `${STACK_URN}::pulumi:providers:gitlab::gitlab`;
const PROVIDER_REF = `${PROVIDER_URN}::gitlab_id`;
const componentUrn = (name: string) => `${STACK_URN}::${COMPONENT_TYPE}::${name}`;
const TOKEN_DESCRIPTION = "Push token managed by Pulumi (gitlab-push-tokens/dev). Rotate or revoke it there, not in GitLab.";

describe("the seed scenario: one token in xlink/xlink-k8s-gitops for one upstream project", async () => {
  const evaluation = await evaluate([seedToken()]);
  const generationName = "xlink/xlink-k8s-gitops:GITLAB_CI_PUSHER@2027-02-15";

  it("registers exactly a provider, a component, a token and a variable", () => {
    assert.equal(evaluation.error, undefined);
    assert.deepEqual(
      evaluation.registrations.map((r) => [r.type, r.name]),
      [
        [GITLAB_TYPES.provider, "gitlab"],
        [COMPONENT_TYPE, "xlink/xlink-k8s-gitops:GITLAB_CI_PUSHER"],
        [GITLAB_TYPES.projectAccessToken, generationName],
        [GITLAB_TYPES.projectVariable, "xlink/xlink-app:GITLAB_PUSHER_TOKEN"],
      ],
    );
  });

  it("pins the provider plugin and points it at gitlab.com when no baseUrl is set", () => {
    const [provider] = providers(evaluation);
    assert.equal(provider.version, "10.1.1");
    assert.deepEqual(provider.inputs, { baseUrl: "https://gitlab.com/api/v4/" });
  });

  it("creates a write_repository, developer token with the declared expiry, and nothing broader", () => {
    const [token] = tokens(evaluation);
    assert.deepEqual(token.inputs, {
      project: "xlink/xlink-k8s-gitops",
      name: "GITLAB_CI_PUSHER",
      scopes: ["write_repository"],
      accessLevel: "developer",
      expiresAt: "2027-02-15",
      description: TOKEN_DESCRIPTION,
    });
    assert.equal(token.parent, componentUrn("xlink/xlink-k8s-gitops:GITLAB_CI_PUSHER"));
    assert.equal(token.provider, PROVIDER_REF);
    assert.deepEqual(token.additionalSecretOutputs, ["token"]);
    // Replacing a live token must create the new one before revoking the old.
    assert.equal(token.deleteBeforeReplace, false);
    // Deleting a generation must revoke it in GitLab, and drift (say, revoked by hand) must show.
    assert.equal(token.retainOnDelete, false);
    assert.equal(token.protect, false);
    // Decided once, at creation: raising gitlab.version across 17.7 must not replace (revoke) it.
    assert.deepEqual(token.ignoreChanges, ["description"]);
    assert.deepEqual(token.aliases, []);
    assert.deepEqual(token.replaceOnChanges, []);
  });

  it("stores the token as a protected, masked variable whose value is the token output, as a secret", () => {
    const [variable] = variables(evaluation);
    const { value, ...rest } = variable.inputs;
    assert.deepEqual(rest, {
      project: "xlink/xlink-app",
      key: "GITLAB_PUSHER_TOKEN",
      protected: true,
      masked: true,
      hidden: false,
      environmentScope: "*",
      variableType: "env_var",
      raw: true,
      description: "Push token GITLAB_CI_PUSHER for xlink/xlink-k8s-gitops, expires 2027-02-15. Managed by Pulumi (gitlab-push-tokens/dev).",
    });
    assert.ok(isSecretValue(value), "the variable's value reaches the engine as a secret");
    assert.equal(plainValue(value), canaryToken(generationName));
    assert.deepEqual(variable.additionalSecretOutputs, ["value"]);
    assert.equal(variable.parent, componentUrn("xlink/xlink-k8s-gitops:GITLAB_CI_PUSHER"));
    assert.equal(variable.provider, PROVIDER_REF);
    assert.equal(variable.deleteBeforeReplace, true);
    assert.equal(variable.retainOnDelete, false);
    assert.deepEqual(variable.ignoreChanges, []);
  });

  it("exports a non-secret inventory of the declaration and no token value", () => {
    assert.deepEqual(evaluation.outputs, {
      inventory: [
        {
          project: "xlink/xlink-k8s-gitops",
          name: "GITLAB_CI_PUSHER",
          accessLevel: "developer",
          scopes: ["write_repository"],
          expiresAt: "2027-02-15",
          retiring: null,
          consumers: [{ project: "xlink/xlink-app", key: "GITLAB_PUSHER_TOKEN", environmentScope: "*", protected: true, masked: true, hidden: false, adopt: false }],
        },
      ],
    });
    assert.doesNotMatch(JSON.stringify(evaluation.outputs), /glpat-/);
  });

  it("makes no provider function calls and logs no warning 82 days before expiry", () => {
    assert.deepEqual(evaluation.invokes, []);
    assert.deepEqual(evaluation.warnings, []);
  });
});

describe("fan-out: one token feeding several upstream projects", async () => {
  const evaluation = await evaluate([
    seedToken({
      consumers: [
        { project: "xlink/xlink-app", key: "GITLAB_PUSHER_TOKEN" },
        { project: "xlink/xlink-worker", key: "GITLAB_PUSHER_TOKEN", environmentScope: "production" },
        { project: 4242, key: "GITOPS_TOKEN", hidden: true },
        { project: "xlink/xlink-sandbox", key: "GITLAB_PUSHER_TOKEN", protected: false },
      ],
    }),
  ]);

  it("creates one token and one variable per consumer, each holding that token", () => {
    const generations = tokens(evaluation);
    assert.deepEqual(generations.map((r) => r.name), ["xlink/xlink-k8s-gitops:GITLAB_CI_PUSHER@2027-02-15"]);
    const all = variables(evaluation);
    assert.deepEqual(
      all.map((r) => [r.name, r.inputs.project, r.inputs.key, r.inputs.environmentScope, r.inputs.protected, r.inputs.masked, r.inputs.hidden]),
      [
        ["xlink/xlink-app:GITLAB_PUSHER_TOKEN", "xlink/xlink-app", "GITLAB_PUSHER_TOKEN", "*", true, true, false],
        ["xlink/xlink-worker:GITLAB_PUSHER_TOKEN[production]", "xlink/xlink-worker", "GITLAB_PUSHER_TOKEN", "production", true, true, false],
        ["4242:GITOPS_TOKEN", "4242", "GITOPS_TOKEN", "*", true, true, true],
        ["xlink/xlink-sandbox:GITLAB_PUSHER_TOKEN", "xlink/xlink-sandbox", "GITLAB_PUSHER_TOKEN", "*", false, true, false],
      ],
    );
    for (const variable of all) {
      assert.ok(isSecretValue(variable.inputs.value));
      assert.equal(heldGeneration(variable, generations), generations[0].name);
    }
  });

  it("warns that the unprotected variable is readable from any branch", () => {
    assert.equal(evaluation.warnings.length, 1);
    assert.match(evaluation.warnings[0], /variable GITLAB_PUSHER_TOKEN in xlink\/xlink-sandbox is not protected/);
  });
});

describe("rotation: a new generation beside the retiring one, then the retiring one removed", async () => {
  const before = await evaluate([seedToken()]);
  const during = await evaluate([seedToken({ expiresAt: "2027-05-01", retiring: { expiresAt: "2027-02-15", revokeAfter: "2026-11-27T12:00:00Z" } })]);
  const after = await evaluate([seedToken({ expiresAt: "2027-05-01" })]);
  const component = "xlink/xlink-k8s-gitops:GITLAB_CI_PUSHER";
  const oldName = `${component}@2027-02-15`;
  const newName = `${component}@2027-05-01`;

  it("keeps both generations live while rotating", () => {
    assert.deepEqual(tokens(during).map((r) => r.name).sort(), [oldName, newName].sort());
  });

  it("leaves the retiring generation exactly as it was: same URN, same inputs, same options", () => {
    const wasCurrent = byName(tokens(before), oldName);
    const nowRetiring = byName(tokens(during), oldName);
    assert.deepEqual(nowRetiring, wasCurrent);
  });

  it("moves every variable to the new generation", () => {
    for (const variable of variables(during)) assert.equal(heldGeneration(variable, tokens(during)), newName);
    const [previous] = variables(before);
    const [current] = variables(during);
    assert.equal(current.urn, previous.urn, "the variable is updated in place, not replaced");
  });

  it("keeps the component's name, so the current generation never moves in state", () => {
    const components = (evaluation: typeof before) => evaluation.registrations.filter((r) => r.type === COMPONENT_TYPE).map((r) => r.urn);
    assert.deepEqual(components(during), components(before));
    assert.deepEqual(components(after), components(before));
  });

  it("removing the retiring block removes only the old generation", () => {
    assert.deepEqual(tokens(after).map((r) => r.name), [newName]);
    assert.deepEqual(byName(tokens(after), newName), byName(tokens(during), newName));
    assert.deepEqual(variables(after), variables(during));
  });

  it("records the retiring generation in the inventory", () => {
    assert.deepEqual(during.outputs?.inventory[0].retiring, {
      expiresAt: "2027-02-15",
      revokeAfter: "2026-11-27T12:00:00Z",
      accessLevel: "developer",
      scopes: ["write_repository"],
      name: "GITLAB_CI_PUSHER",
      tokenId: null,
    });
  });
});

describe("rotation that also widens the token: the retiring generation keeps what it was created with", async () => {
  const before = await evaluate([seedToken()]);
  const during = await evaluate([
    seedToken({
      expiresAt: "2027-05-01",
      accessLevel: "maintainer",
      scopes: ["write_repository", "read_repository"],
      retiring: { expiresAt: "2027-02-15", revokeAfter: "2026-11-27T12:00:00Z", accessLevel: "developer", scopes: ["write_repository"] },
    }),
  ]);

  it("leaves the old generation untouched and gives the new one the new role and scopes", () => {
    const oldName = "xlink/xlink-k8s-gitops:GITLAB_CI_PUSHER@2027-02-15";
    assert.deepEqual(byName(tokens(during), oldName), byName(tokens(before), oldName));
    const current = byName(tokens(during), "xlink/xlink-k8s-gitops:GITLAB_CI_PUSHER@2027-05-01");
    assert.equal(current.inputs.accessLevel, "maintainer");
    assert.deepEqual(current.inputs.scopes, ["read_repository", "write_repository"]);
  });
});

describe("determinism: the clock never reaches an input", async () => {
  const config = [
    seedToken({ retiring: { expiresAt: "2026-12-20", revokeAfter: "2026-12-01T00:00:00Z" } }),
    seedToken({ name: "RELEASE_TAGGER", project: 77, accessLevel: "maintainer", expiresAt: "2027-06-01", consumers: [{ project: "xlink/release", key: "TAGGER_TOKEN", environmentScope: "release/*" }] }),
  ];
  const early = await evaluate(config, { today: "2026-11-25" });
  const late = await evaluate(config, { today: "2027-01-20" });

  it("registers byte-identical resources, inputs and options on two different days", () => {
    assert.equal(early.registrations.length, 8); // provider, 2 components, 3 generations, 2 variables
    assert.equal(fingerprint(late.registrations), fingerprint(early.registrations));
    assert.deepEqual(late.outputs, early.outputs);
  });

  it("only the warnings depend on the day", () => {
    assert.deepEqual(early.warnings, []);
    assert.deepEqual(late.warnings, [
      "token GITLAB_CI_PUSHER in xlink/xlink-k8s-gitops expires on 2027-02-15, in 26 days: rotate it now so that pipelines never hold an expired token: npm run rotate -- --stack dev, then merge the change (by hand: move expiresAt under retiring with a revokeAfter, and set a new expiresAt)",
      "the retiring generation of token GITLAB_CI_PUSHER in xlink/xlink-k8s-gitops (expires 2026-12-20) has expired: remove the retiring block to revoke it",
    ]);
  });
});

describe("expiry warnings are logged with pulumi.log.warn", () => {
  it("warns about a token inside the configured window and a retiring generation past revokeAfter", async () => {
    const evaluation = await evaluate(
      [seedToken({ expiresAt: "2027-01-05", retiring: { expiresAt: "2026-12-20", revokeAfter: "2026-11-24T23:59:59Z" } })],
      { extra: { expiryWarningDays: 45 } },
    );
    assert.deepEqual(evaluation.warnings, [
      "token GITLAB_CI_PUSHER in xlink/xlink-k8s-gitops expires on 2027-01-05, in 41 days: rotate it now so that pipelines never hold an expired token: npm run rotate -- --stack dev, then merge the change (by hand: move expiresAt under retiring with a revokeAfter, and set a new expiresAt)",
      "the retiring generation of token GITLAB_CI_PUSHER in xlink/xlink-k8s-gitops (expires 2026-12-20) is past its revokeAfter (2026-11-24T23:59:59Z): remove the retiring block to revoke it",
    ]);
    assert.equal(tokens(evaluation).length, 2, "warnings never stop the program");
  });
});

describe("the GitLab API token never reaches what the engine stores", () => {
  const FAKE_API_TOKEN_CANARY = "glpat-CANARYapiTokenEnv0123";

  it("is no registration's input, even with GITLAB_TOKEN set: the provider reads it from its own environment", async () => {
    process.env.GITLAB_TOKEN = FAKE_API_TOKEN_CANARY;
    try {
      const { config } = toPulumiConfig("gitlab-push-tokens", { pushTokens: [seedToken({ retiring: { expiresAt: "2026-12-20", revokeAfter: "2026-11-27T12:00:00Z" } })] });
      const evaluation = await evaluateStack({ config, clock: fixedClock("2026-11-25") });
      assert.equal(evaluation.error, undefined);
      assert.deepEqual(providers(evaluation)[0].inputs, { baseUrl: "https://gitlab.com/api/v4/" });
      // Not as plain text, not wrapped as a secret (encrypted in state), not under any key.
      const everything = JSON.stringify(evaluation.registrations.map((r) => ({ inputs: r.inputs, name: r.name }))) + JSON.stringify(evaluation.outputs) + evaluation.warnings.join("\n");
      assert.doesNotMatch(everything, /CANARYapiTokenEnv/);
      for (const registration of evaluation.registrations) assert.equal(registration.inputs.token, undefined, registration.name);
    } finally {
      delete process.env.GITLAB_TOKEN;
    }
  });

  for (const [form, secretKeys] of [["a secret", ["gitlabToken"]], ["plain text", []]] as const) {
    it(`is refused as gitlabToken in ${form}, naming the key and the fix, before anything is registered`, async () => {
      const evaluation = await evaluate([seedToken()], { extra: { gitlabToken: "glpat-CANARYapiTokenConf0123" }, secretKeys: [...secretKeys] });
      assert.equal(evaluation.registrations.length, 0);
      assert.match(evaluation.error ?? "", /\n {2}- gitlabToken: the GitLab API token is in the stack config.*Fix: remove it \(`pulumi config rm gitlabToken`\) and give `pulumi up` the token as GITLAB_TOKEN, a protected CI\/CD variable scoped to the apply job's environment/);
      assert.doesNotMatch(evaluation.error ?? "", /CANARYapiTokenConf/);
    });
  }
});

describe("self-managed GitLab", () => {
  it("passes the validated baseUrl, with the trailing slash the provider wants", async () => {
    const evaluation = await evaluate([seedToken()], { extra: { gitlab: { baseUrl: "https://gitlab.example.com/api/v4" } } });
    assert.deepEqual(providers(evaluation)[0].inputs, { baseUrl: "https://gitlab.example.com/api/v4/" });
  });
});
