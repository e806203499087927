// The CrossGuard pack (policy/): each policy called the way @pulumi/policy 1.21.0 calls it, with
// hand-built arguments and with what the real program registers. The pack's gRPC server is never started
// (policy/index.ts is not imported): constructing a PolicyPack would start it.

import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import { before, describe, it } from "node:test";
import { parse } from "yaml";
import {
  unknownCheckingProxy,
  type Policies,
  type PolicyResource,
  type PolicyResourceOptions,
  type ResourceValidationArgs,
  type ResourceValidationPolicy,
  type StackValidationPolicy,
} from "@pulumi/policy";
import type * as StructPbModule from "google-protobuf/google/protobuf/struct_pb";
import { fixedClock } from "../../config/clock";
import { redactTokens } from "../../config/issues";
import { ADOPTED_TOKEN_MARK, POLICY_NAMES, createPolicies, policies as packPolicies } from "../../policy/policies";
import { GITLAB_TYPES as PACK_TYPES, PUSH_TOKEN_COMPONENT_TYPE, credentialWordIn, isExcepted, looksLikeGitLabToken } from "../../policy/rules";
import { evaluateStack, type Evaluation, type Registration } from "../../lib/evaluation/evaluate";
import { policyResources } from "../../lib/evaluation/policyRun";
import { asSecretValue } from "../../lib/evaluation/secretValue";
import { readStackConfigMap, toPulumiConfig } from "../../lib/stackFile/offlineConfig";
import { PROJECT, TODAY, canaryToken, evaluate, seedToken } from "../support/scenarios";
import { PROJECT_ROOT } from "../support/sharedData";

// ---------------------------------------------------------------------------------------------------
// Calling policies as the SDK does.

const policies = createPolicies({ today: () => TODAY });
const policy = (name: string, from: Policies = policies) => from.find((candidate) => candidate.name === name)!;
const resourcePolicy = (name: string, from?: Policies) => policy(name, from) as ResourceValidationPolicy;
const stackPolicy = (name: string) => policy(name) as StackValidationPolicy;

const STACK_URN = "urn:pulumi:dev::gitlab-push-tokens";
const urnOf = (type: string, name: string) => `${STACK_URN}::${type}::${name}`;
const OPTIONS: PolicyResourceOptions = { protect: false, ignoreChanges: [], aliases: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 }, additionalSecretOutputs: [] };

// What the SDK's server builds from the wire (server.js makeAnalyzeRpcFun): secrets unwrapped, unknowns
// behind a proxy that throws when read. Loaded from @pulumi/policy's own module instances.
const policyRequire = createRequire(require.resolve("@pulumi/policy"));
const { deserializeProperties } = policyRequire("./deserialize") as { deserializeProperties(struct: unknown, proxySecrets: boolean): Record<string, unknown> };
const { Struct } = policyRequire("google-protobuf/google/protobuf/struct_pb") as typeof StructPbModule;
/** `wire` (inputs as the engine sends them) as validateResource/validateStack receive it. */
const sdkProps = (wire: Record<string, unknown>): Record<string, unknown> =>
  unknownCheckingProxy(deserializeProperties(Struct.fromJavaScript(JSON.parse(JSON.stringify(wire))), false));

/** What the engine sends for a value not known until the update (previews). */
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

interface Violation {
  readonly message: string;
  readonly urn?: string;
}

function validate(policyName: string, type: string, name: string, props: Record<string, unknown>, config: object = {}, from?: Policies): string[] {
  const violations: string[] = [];
  const args: ResourceValidationArgs = {
    type,
    name,
    urn: urnOf(type, name),
    props,
    opts: OPTIONS,
    stackTags: new Map(),
    getConfig: <T extends object>() => config as T,
    isType: () => false,
    asType: () => undefined,
    notApplicable: (reason?: string) => {
      throw new Error(`notApplicable: ${reason}`);
    },
  };
  const validations = resourcePolicy(policyName, from).validateResource!;
  for (const validation of Array.isArray(validations) ? validations : [validations]) void validation(args, (message) => violations.push(message));
  return violations;
}

function validateStack(policyName: string, resources: PolicyResource[], config: object = {}): Violation[] {
  const violations: Violation[] = [];
  void stackPolicy(policyName).validateStack(
    {
      resources,
      stackTags: new Map(),
      getConfig: <T extends object>() => config as T,
      notApplicable: (reason?: string) => {
        throw new Error(`notApplicable: ${reason}`);
      },
    },
    (message, urn) => violations.push({ message, urn }),
  );
  return violations;
}

interface StackResourceSpec {
  readonly type: string;
  readonly name: string;
  readonly props?: Record<string, unknown>;
  readonly parent?: PolicyResource;
  readonly deleteBeforeReplace?: boolean;
}

function stackResource({ type, name, props = {}, parent, deleteBeforeReplace }: StackResourceSpec): PolicyResource {
  return {
    type,
    name,
    urn: urnOf(type, name),
    props,
    opts: deleteBeforeReplace === undefined ? OPTIONS : { ...OPTIONS, deleteBeforeReplace },
    parent,
    dependencies: [],
    propertyDependencies: {},
    isType: () => false,
    asType: () => undefined,
  };
}

/** Makes `variable.value` computed from `tokens`, as the engine reports a variable fed by token outputs. */
function holds(variable: PolicyResource, ...tokens: PolicyResource[]): PolicyResource {
  variable.propertyDependencies.value = tokens;
  variable.dependencies.push(...tokens);
  return variable;
}

// ---------------------------------------------------------------------------------------------------
// Fixtures.

// The pack's own names of the provider's types; test/infra/gitlab/wire.test.ts checks them against the program's.
const T = PACK_TYPES.projectAccessToken;
const V = PACK_TYPES.projectVariable;
const GROUP_TOKEN = PACK_TYPES.groupAccessToken;
const GROUP_VARIABLE = PACK_TYPES.groupVariable;
const TOKEN_NAME = "xlink/xlink-k8s-gitops:GITLAB_CI_PUSHER@2027-02-15";
const VARIABLE_NAME = "xlink/xlink-app:GITLAB_PUSHER_TOKEN";

const tokenProps = (overrides: Record<string, unknown> = {}) => ({
  project: "xlink/xlink-k8s-gitops",
  name: "GITLAB_CI_PUSHER",
  scopes: ["write_repository"],
  accessLevel: "developer",
  expiresAt: "2027-02-15",
  ...overrides,
});

const variableProps = (overrides: Record<string, unknown> = {}) => ({
  project: "xlink/xlink-app",
  key: "GITLAB_PUSHER_TOKEN",
  value: asSecretValue(canaryToken(TOKEN_NAME)),
  protected: true,
  masked: true,
  environmentScope: "*",
  ...overrides,
});

const leastPrivilege = (props: Record<string, unknown>, config: object = {}, type: string = T) => validate(POLICY_NAMES.leastPrivilege, type, TOKEN_NAME, props, config);
const credentialVariable = (props: Record<string, unknown>, config: object = {}, type: string = V) => validate(POLICY_NAMES.credentialVariable, type, VARIABLE_NAME, props, config);

const FIX_UNPROTECTED = `Fix: set protected: true, or list "xlink/xlink-app:GITLAB_PUSHER_TOKEN" in exceptions of policy ${POLICY_NAMES.credentialVariable}.`;

// ---------------------------------------------------------------------------------------------------

describe("the pack's policies", () => {
  it("are the five guardrails, each mandatory unless the pack's config lowers it", () => {
    assert.deepEqual(
      packPolicies.map((p) => [p.name, p.enforcementLevel, "validateStack" in p ? "stack" : "resource"]),
      [
        ["gitlab-access-token-least-privilege", "mandatory", "resource"],
        ["gitlab-credential-variable-masked-protected", "mandatory", "resource"],
        ["gitlab-token-variable-masked-protected", "mandatory", "stack"],
        ["gitlab-access-token-consumed", "mandatory", "stack"],
        ["gitlab-access-token-create-before-delete", "mandatory", "stack"],
      ],
    );
  });

  it("declare their knobs with the defaults the code applies, and never enforcementLevel (the SDK refuses it there)", () => {
    const schemas = Object.fromEntries(packPolicies.map((p) => [p.name, p.configSchema?.properties]));
    assert.deepEqual(
      Object.fromEntries(Object.entries(schemas).map(([name, properties]) => [name, properties && Object.fromEntries(Object.entries(properties).map(([knob, schema]) => [knob, schema.default]))])),
      {
        "gitlab-access-token-least-privilege": {
          maxLifetimeDays: 365,
          allowedScopes: ["write_repository", "read_repository"],
          allowedAccessLevels: ["developer", "maintainer"],
          retiringTokens: [],
        },
        "gitlab-credential-variable-masked-protected": {
          credentialWords: ["TOKEN", "PASSWORD", "PASSWD", "SECRET", "KEY", "CREDENTIALS"],
          exceptions: [],
        },
        "gitlab-token-variable-masked-protected": { exceptions: [] },
        "gitlab-access-token-consumed": { retiringTokens: [] },
        "gitlab-access-token-create-before-delete": undefined,
      },
    );
  });

  it("are packaged so `pulumi preview --policy-pack ./policy` can load them", () => {
    const dir = path.join(PROJECT_ROOT, "policy");
    const manifest = parse(readFileSync(path.join(dir, "PulumiPolicy.yaml"), "utf8")) as Record<string, unknown>;
    assert.equal(manifest.runtime, "nodejs");
    // PolicyPack reads ./package.json (the pack's folder) for its version; run-policy-pack requires its main.
    const pkg = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as Record<string, unknown>;
    assert.match(String(pkg.version), /^\d+\.\d+\.\d+$/);
    assert.equal(pkg.main, "index.ts");
    assert.ok(existsSync(path.join(dir, String(pkg.main))));
    // Same SDK versions as the project, so the root node_modules that Node falls back to satisfy them.
    const root = JSON.parse(readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
    assert.deepEqual(pkg.dependencies, { "@pulumi/policy": root.devDependencies["@pulumi/policy"], "@pulumi/pulumi": root.dependencies["@pulumi/pulumi"] });
  });
});

describe(`${POLICY_NAMES.leastPrivilege}`, () => {
  it("passes the program's token: write_repository, developer, expiring within a year", () => {
    assert.deepEqual(leastPrivilege(tokenProps()), []);
    assert.deepEqual(leastPrivilege(tokenProps({ scopes: ["read_repository", "write_repository"], accessLevel: "maintainer" })), []);
  });

  it("passes a group access token held to the same rules", () => {
    assert.deepEqual(leastPrivilege({ group: "xlink", name: "PUSHER", scopes: ["write_repository"], accessLevel: "developer", expiresAt: "2027-02-15" }, {}, GROUP_TOKEN), []);
  });

  it("ignores every other type", () => {
    assert.deepEqual(leastPrivilege(tokenProps({ scopes: ["api"] }), {}, "gitlab:index/personalAccessToken:PersonalAccessToken"), []);
  });

  it("refuses a scope beyond pushing, naming the token and the fix", () => {
    assert.deepEqual(leastPrivilege(tokenProps({ scopes: ["write_repository", "api"] })), [
      `project access token "${TOKEN_NAME}" has scope "api", broader than a push token needs (allowed: write_repository, read_repository): a leaked token could do more than push. Fix: set scopes to [write_repository], which also grants read (pull) access, so the job can clone with the same token; or add the scope to allowedScopes in this policy's config (a hand-made token being retired is adopted with retiring.tokenId instead, which the pack recognises).`,
    ]);
    assert.match(leastPrivilege(tokenProps({ scopes: ["api", "read_api"] }), {}, GROUP_TOKEN)[0], /^group access token ".*" has scopes "api", "read_api", broader/);
  });

  it("refuses a token without scopes", () => {
    assert.deepEqual(leastPrivilege(tokenProps({ scopes: [] })), [
      `project access token "${TOKEN_NAME}" declares no scopes. Fix: set scopes to [write_repository] (allowed: write_repository, read_repository).`,
    ]);
  });

  it("refuses roles that cannot push or administer too much", () => {
    for (const role of ["owner", "guest", "reporter"]) {
      assert.deepEqual(leastPrivilege(tokenProps({ accessLevel: role })), [
        `project access token "${TOKEN_NAME}" has role "${role}" (allowed: developer, maintainer). Fix: set accessLevel to developer, or maintainer to push to protected branches, or add the role to allowedAccessLevels in this policy's config.`,
      ]);
    }
  });

  it("judges an unset role as the provider's default, maintainer", () => {
    const { accessLevel: _unset, ...withoutRole } = tokenProps();
    assert.deepEqual(leastPrivilege(withoutRole), []);
    assert.deepEqual(leastPrivilege(withoutRole, { allowedAccessLevels: ["developer"] }), [
      `project access token "${TOKEN_NAME}" has no accessLevel, so the provider creates it as maintainer (allowed: developer). Fix: set accessLevel to developer, or maintainer to push to protected branches, or add the role to allowedAccessLevels in this policy's config.`,
    ]);
  });

  it("refuses a token without an expiry or with one that is not a date", () => {
    const { expiresAt: _unset, ...withoutExpiry } = tokenProps();
    assert.deepEqual(leastPrivilege(withoutExpiry), [
      `project access token "${TOKEN_NAME}" has no expiresAt, so nothing bounds how long a leaked token works. Fix: set expiresAt to a date no later than 2027-11-25.`,
    ]);
    assert.deepEqual(leastPrivilege(tokenProps({ expiresAt: "2027-02-30" })), [
      `project access token "${TOKEN_NAME}" has expiresAt "2027-02-30", which is not a YYYY-MM-DD date. Fix: set expiresAt to a date no later than 2027-11-25.`,
    ]);
  });

  it("allows an expiry up to maxLifetimeDays (365) after today, and not one day more", () => {
    assert.deepEqual(leastPrivilege(tokenProps({ expiresAt: "2027-11-25" })), []);
    assert.deepEqual(leastPrivilege(tokenProps({ expiresAt: "2027-11-26" })), [
      `project access token "${TOKEN_NAME}" expires on 2027-11-26, more than maxLifetimeDays (365) after today (${TODAY}). Fix: choose an expiresAt no later than 2027-11-25, or raise maxLifetimeDays in this policy's config if the instance allows longer-lived tokens.`,
    ]);
  });

  it("leaves an expiry already past to the program (it grants nothing any more)", () => {
    assert.deepEqual(leastPrivilege(tokenProps({ expiresAt: "2026-11-01" })), []);
  });

  it("reads today from its clock at each validation, not when the pack loads", () => {
    let today = "2026-11-25";
    const clocked = createPolicies({ today: () => today });
    const run = () => validate(POLICY_NAMES.leastPrivilege, T, TOKEN_NAME, tokenProps({ expiresAt: "2027-11-25" }), {}, clocked).length;
    assert.equal(run(), 0);
    today = "2026-11-24";
    assert.equal(run(), 1);
  });

  it("refuses rotationConfiguration, which rotates (and revokes) the live token in place", () => {
    assert.deepEqual(leastPrivilege(tokenProps({ rotationConfiguration: { expirationDays: 30, rotateBeforeDays: 7 } })), [
      `project access token "${TOKEN_NAME}" sets rotationConfiguration: the provider then rotates it in place through GitLab's rotate API, which revokes the live token at once while running jobs still hold it. Fix: remove rotationConfiguration and rotate by declaring a new generation next to the old one (a new expiresAt with a retiring block).`,
    ]);
  });

  it("reports every problem of one token, in a fixed order", () => {
    const messages = leastPrivilege(tokenProps({ scopes: ["api"], accessLevel: "owner", expiresAt: "2029-01-01", rotationConfiguration: { expirationDays: 30, rotateBeforeDays: 7 } }));
    assert.equal(messages.length, 4);
    [/" has scope "api"/, /" has role "owner"/, /" expires on 2029-01-01/, /" sets rotationConfiguration:/].forEach((pattern, index) => assert.match(messages[index], pattern));
  });

  describe("config knobs", () => {
    it("maxLifetimeDays: 90 catches a token 200 days away and passes one 90 days away", () => {
      assert.deepEqual(leastPrivilege(tokenProps({ expiresAt: "2027-06-13" }), { maxLifetimeDays: 90 }), [
        `project access token "${TOKEN_NAME}" expires on 2027-06-13, more than maxLifetimeDays (90) after today (${TODAY}). Fix: choose an expiresAt no later than 2027-02-23, or raise maxLifetimeDays in this policy's config if the instance allows longer-lived tokens.`,
      ]);
      assert.deepEqual(leastPrivilege(tokenProps({ expiresAt: "2027-02-23" }), { maxLifetimeDays: 90 }), []);
    });

    it("allowedScopes and allowedAccessLevels widen or narrow what passes", () => {
      assert.deepEqual(leastPrivilege(tokenProps({ scopes: ["write_repository", "read_registry"] }), { allowedScopes: ["write_repository", "read_registry"] }), []);
      assert.equal(leastPrivilege(tokenProps({ scopes: ["read_repository", "write_repository"] }), { allowedScopes: ["write_repository"] }).length, 1);
      assert.equal(leastPrivilege(tokenProps({ accessLevel: "maintainer" }), { allowedAccessLevels: ["Developer"] }).length, 1);
      assert.deepEqual(leastPrivilege(tokenProps({ accessLevel: "owner" }), { allowedAccessLevels: ["developer", "owner"] }), []);
    });
  });

  describe("as the SDK hands over a preview", () => {
    it("skips only the check whose value is unknown; `pulumi up` judges it with the value known", () => {
      assert.deepEqual(leastPrivilege(sdkProps(tokenProps({ scopes: UNKNOWN }))), []);
      assert.deepEqual(leastPrivilege(sdkProps(tokenProps({ scopes: ["write_repository", UNKNOWN] }))), []);
      const messages = leastPrivilege(sdkProps(tokenProps({ scopes: UNKNOWN, accessLevel: "owner" })));
      assert.equal(messages.length, 1);
      assert.match(messages[0], /has role "owner"/);
    });

    it("judges the same inputs the same way once deserialized", () => {
      assert.deepEqual(leastPrivilege(sdkProps(tokenProps())), []);
      assert.equal(leastPrivilege(sdkProps(tokenProps({ scopes: ["api"] }))).length, 1);
    });
  });
});

describe(`${POLICY_NAMES.credentialVariable}`, () => {
  it("passes the program's variable: protected, masked, holding a secret", () => {
    assert.deepEqual(credentialVariable(variableProps()), []);
  });

  it("refuses an unprotected credential, naming the variable, the reason and the fix", () => {
    assert.deepEqual(credentialVariable(variableProps({ protected: false })), [
      `project variable "${VARIABLE_NAME}" carries a credential (its key has the word TOKEN) but is not protected, so pipelines of unprotected branches and merge requests can read it. ${FIX_UNPROTECTED}`,
    ]);
    const { protected: _unset, ...unsetProtected } = variableProps();
    assert.equal(credentialVariable(unsetProtected).length, 1, "GitLab's default is unprotected");
  });

  it("refuses an unmasked credential, and counts hidden as masked", () => {
    assert.deepEqual(credentialVariable(variableProps({ masked: false })), [
      `project variable "${VARIABLE_NAME}" carries a credential (its key has the word TOKEN) but is not masked, so job logs can show it in clear. Fix: set masked: true, or list "xlink/xlink-app:GITLAB_PUSHER_TOKEN" in exceptions of policy ${POLICY_NAMES.credentialVariable}.`,
    ]);
    assert.deepEqual(credentialVariable(variableProps({ masked: false, hidden: true })), []);
    assert.equal(credentialVariable(variableProps({ masked: false, protected: false })).length, 2);
  });

  it("treats TOKEN, PASSWORD, SECRET and KEY as credentials only as whole parts of the key", () => {
    const credential = (key: string) => credentialWordIn(key, ["TOKEN", "PASSWORD", "PASSWD", "SECRET", "KEY", "CREDENTIALS"]);
    assert.deepEqual(
      ["GITLAB_PUSHER_TOKEN", "API_KEY", "DB_PASSWORD", "SECRET", "apiKey", "deployToken", "SSH_PRIVATE_KEY", "KEY_ID", "AWS__SECRET"].map(credential),
      ["TOKEN", "KEY", "PASSWORD", "SECRET", "KEY", "TOKEN", "KEY", "KEY", "SECRET"],
    );
    assert.deepEqual(["MONKEY", "MONKEY_BUSINESS", "KEYCLOAK_URL", "TOKENIZER_MODE", "SECRETARY", "PASSWORDLESS", "TOKENS_PER_MINUTE"].map(credential), Array(7).fill(undefined));
    assert.deepEqual(credentialVariable(variableProps({ key: "MONKEY_BUSINESS", value: "bananas", protected: false, masked: false })), []);
  });

  it("refuses a variable whose value is a Pulumi secret or looks like a GitLab token, whatever its key, without printing the value", () => {
    const secret = credentialVariable(variableProps({ key: "DEPLOY_PUSH", protected: false }));
    assert.equal(secret.length, 1);
    assert.match(secret[0], /carries a credential \(its value is a Pulumi secret\) but is not protected/);
    const shaped = credentialVariable(variableProps({ key: "DEPLOY_PUSH", value: canaryToken(TOKEN_NAME), masked: false }));
    assert.equal(shaped.length, 1);
    assert.match(shaped[0], /carries a credential \(its value looks like a GitLab token\) but is not masked/);
    for (const message of [...secret, ...shaped]) assert.ok(!message.includes("glpat-"), message);
  });

  it("gets secret inputs unwrapped from the SDK, so at preview only the key and the value's shape can tell", () => {
    const props = sdkProps(variableProps({ key: "DEPLOY_PUSH", value: asSecretValue("correct-horse-battery"), protected: false }));
    assert.equal(props.value, "correct-horse-battery");
    assert.deepEqual(credentialVariable(props), []);
    assert.equal(credentialVariable(sdkProps(variableProps({ key: "DEPLOY_PUSH", value: asSecretValue(canaryToken(TOKEN_NAME)), protected: false }))).length, 1);
  });

  it("still judges the key when the value is unknown during preview", () => {
    assert.deepEqual(credentialVariable(sdkProps(variableProps({ value: UNKNOWN }))), []);
    assert.deepEqual(credentialVariable(sdkProps(variableProps({ value: UNKNOWN, protected: false }))), [
      `project variable "${VARIABLE_NAME}" carries a credential (its key has the word TOKEN) but is not protected, so pipelines of unprotected branches and merge requests can read it. ${FIX_UNPROTECTED}`,
    ]);
    assert.deepEqual(credentialVariable(sdkProps(variableProps({ key: "DEPLOY_PUSH", value: UNKNOWN, protected: false }))), []);
  });

  it("judges group variables by their group", () => {
    const messages = credentialVariable({ group: "xlink", key: "REGISTRY_PASSWORD", value: "x", masked: true, protected: false }, {}, GROUP_VARIABLE);
    assert.equal(messages.length, 1);
    assert.match(messages[0], /^group variable ".*" carries a credential \(its key has the word PASSWORD\).*list "xlink:REGISTRY_PASSWORD" in exceptions/);
    assert.deepEqual(credentialVariable({ group: "xlink", key: "REGISTRY_PASSWORD", value: "x", masked: true, protected: false }, { exceptions: ["xlink:REGISTRY_PASSWORD"] }, GROUP_VARIABLE), []);
  });

  describe("config knobs", () => {
    it("exceptions: an excepted variable passes, others still fail", () => {
      const unprotected = variableProps({ protected: false });
      assert.deepEqual(credentialVariable(unprotected, { exceptions: ["xlink/xlink-app:GITLAB_PUSHER_TOKEN"] }), []);
      assert.deepEqual(credentialVariable(unprotected, { exceptions: ["XLINK/xlink-APP:GITLAB_PUSHER_TOKEN"] }), [], "paths compare case-insensitively");
      assert.deepEqual(credentialVariable(unprotected, { exceptions: ["*:GITLAB_PUSHER_TOKEN"] }), []);
      assert.equal(credentialVariable(unprotected, { exceptions: ["xlink/xlink-app:gitlab_pusher_token"] }).length, 1, "keys are case-sensitive");
      assert.equal(credentialVariable(unprotected, { exceptions: ["xlink/other:GITLAB_PUSHER_TOKEN"] }).length, 1);
    });

    it("exceptions: a scoped entry covers only that environment scope", () => {
      const scoped = { owner: "xlink/xlink-worker", key: "GITLAB_PUSHER_TOKEN", environmentScope: "production" };
      assert.equal(isExcepted(scoped, ["xlink/xlink-worker:GITLAB_PUSHER_TOKEN[production]"]), true);
      assert.equal(isExcepted(scoped, ["xlink/xlink-worker:GITLAB_PUSHER_TOKEN"]), true);
      assert.equal(isExcepted({ ...scoped, environmentScope: "*" }, ["xlink/xlink-worker:GITLAB_PUSHER_TOKEN[production]"]), false);
      assert.equal(isExcepted(scoped, ["not an exception"]), false);
      const message = credentialVariable(variableProps({ environmentScope: "production", protected: false }))[0];
      assert.match(message, /list "xlink\/xlink-app:GITLAB_PUSHER_TOKEN\[production\]" in exceptions/);
    });

    it("credentialWords replaces the words that mark a key", () => {
      const deploy = variableProps({ key: "DEPLOY_PAT", value: "x", protected: false });
      assert.deepEqual(credentialVariable(deploy), []);
      assert.equal(credentialVariable(deploy, { credentialWords: ["PAT"] }).length, 1);
      assert.deepEqual(credentialVariable(variableProps({ value: "x", protected: false }), { credentialWords: ["PAT"] }), []);
    });
  });
});

describe("the stack policies", () => {
  const component = stackResource({ type: PUSH_TOKEN_COMPONENT_TYPE, name: "xlink/xlink-k8s-gitops:GITLAB_CI_PUSHER" });
  const generation = (expiresAt: string, extra: Partial<StackResourceSpec> = {}) =>
    stackResource({ type: T, name: `xlink/xlink-k8s-gitops:GITLAB_CI_PUSHER@${expiresAt}`, props: tokenProps({ expiresAt }), parent: component, ...extra });
  const variable = (overrides: Record<string, unknown> = {}, name = VARIABLE_NAME) => stackResource({ type: V, name, props: variableProps(overrides), parent: component });

  describe(`${POLICY_NAMES.tokenConsumed}`, () => {
    const consumed = (resources: PolicyResource[], config?: object) => validateStack(POLICY_NAMES.tokenConsumed, resources, config);

    it("passes a token held by a variable", () => {
      const current = generation("2027-02-15");
      assert.deepEqual(consumed([component, current, holds(variable(), current)]), []);
    });

    it("refuses a token no variable holds, reporting it by URN", () => {
      const orphan = generation("2027-02-15");
      assert.deepEqual(consumed([component, orphan, variable()]), [
        {
          message: `project access token "${TOKEN_NAME}" is held by no CI/CD variable in this stack, yet stays valid until it expires. Fix: make a variable's value this token's \`token\` output, or delete the token (deleting it revokes it).`,
          urn: orphan.urn,
        },
      ]);
    });

    it("excuses the retiring generation of a rotation: older, same project and name as a held token", () => {
      const current = generation("2027-05-01");
      const retiring = generation("2027-02-15");
      assert.deepEqual(consumed([component, current, retiring, holds(variable(), current)]), []);
    });

    it("does not excuse an unheld generation newer than the held one", () => {
      const current = generation("2027-02-15");
      const newer = generation("2027-05-01");
      const violations = consumed([component, current, newer, holds(variable(), current)]);
      assert.deepEqual(violations.map((v) => v.urn), [newer.urn]);
      assert.match(violations[0].message, /does not expire before the generation its variables hold, so it is not a retiring generation/);
    });

    it("does not excuse a token of another name or project", () => {
      const current = generation("2027-05-01");
      const other = stackResource({ type: T, name: "xlink/other:GITLAB_CI_PUSHER@2027-02-15", props: tokenProps({ project: "xlink/other", expiresAt: "2027-02-15" }) });
      assert.deepEqual(consumed([component, current, other, holds(variable(), current)]).map((v) => v.urn), [other.urn]);
    });

    it("groups generations by their PushToken parent when project and name are unknown", () => {
      const current = generation("2027-05-01", { props: sdkProps(tokenProps({ expiresAt: "2027-05-01", project: UNKNOWN })) });
      const retiring = generation("2027-02-15", { props: sdkProps(tokenProps({ expiresAt: "2027-02-15", project: UNKNOWN })) });
      assert.deepEqual(consumed([component, current, retiring, holds(variable(), current)]), []);
    });

    it("counts only the variable's value: a token it merely depends on is not held", () => {
      const token = generation("2027-02-15");
      const unrelated = variable({ key: "OTHER_TOKEN" }, "xlink/xlink-app:OTHER_TOKEN");
      unrelated.dependencies.push(token);
      unrelated.propertyDependencies.description = [token];
      assert.deepEqual(consumed([component, token, unrelated]).map((v) => v.urn), [token.urn]);
    });

    it("falls back to a variable's dependencies when it reports no property dependencies at all", () => {
      const token = generation("2027-02-15");
      const fromOldState = variable();
      fromOldState.dependencies.push(token);
      assert.deepEqual(consumed([component, token, fromOldState]), []);
    });
  });

  describe(`${POLICY_NAMES.tokenVariable}`, () => {
    const tokenVariable = (resources: PolicyResource[], config?: object) => validateStack(POLICY_NAMES.tokenVariable, resources, config);

    it("passes a protected, masked variable holding a token", () => {
      const current = generation("2027-02-15");
      assert.deepEqual(tokenVariable([component, current, holds(variable(), current)]), []);
    });

    it("refuses an unprotected or unmasked variable holding a token, whatever its key", () => {
      const current = generation("2027-02-15");
      const plain = holds(variable({ key: "DEPLOY_PUSH", protected: false, masked: false }, "xlink/xlink-app:DEPLOY_PUSH"), current);
      const violations = tokenVariable([component, current, plain]);
      assert.deepEqual(violations.map((v) => v.urn), [plain.urn, plain.urn]);
      assert.deepEqual(violations.map((v) => v.message), [
        `project variable "xlink/xlink-app:DEPLOY_PUSH" carries a credential (its value holds project access token "${TOKEN_NAME}") but is not masked, so job logs can show it in clear. Fix: set masked: true, or list "xlink/xlink-app:DEPLOY_PUSH" in exceptions of policy ${POLICY_NAMES.tokenVariable}.`,
        `project variable "xlink/xlink-app:DEPLOY_PUSH" carries a credential (its value holds project access token "${TOKEN_NAME}") but is not protected, so pipelines of unprotected branches and merge requests can read it. Fix: set protected: true, or list "xlink/xlink-app:DEPLOY_PUSH" in exceptions of policy ${POLICY_NAMES.tokenVariable}.`,
      ]);
    });

    it("ignores variables that hold no token, and honours its exceptions", () => {
      const current = generation("2027-02-15");
      assert.deepEqual(tokenVariable([component, current, variable({ protected: false })]), []);
      const unprotected = holds(variable({ protected: false }), current);
      assert.deepEqual(tokenVariable([component, current, unprotected], { exceptions: ["xlink/xlink-app:GITLAB_PUSHER_TOKEN"] }), []);
      assert.equal(tokenVariable([component, current, unprotected], { exceptions: ["xlink/xlink-app:OTHER"] }).length, 1);
    });
  });

  describe(`${POLICY_NAMES.createBeforeDelete}`, () => {
    const createFirst = (resources: PolicyResource[]) => validateStack(POLICY_NAMES.createBeforeDelete, resources);

    it("passes tokens replaced create-first (the default), whatever their variables do", () => {
      const current = generation("2027-02-15", { deleteBeforeReplace: false });
      const unset = generation("2027-05-01");
      assert.deepEqual(createFirst([component, current, unset, holds(variable(), current)]), []);
      const deleteFirstVariable = stackResource({ type: V, name: VARIABLE_NAME, props: variableProps(), deleteBeforeReplace: true });
      assert.deepEqual(createFirst([component, current, holds(deleteFirstVariable, current)]), []);
    });

    it("refuses a token replaced delete-first, reporting it by URN", () => {
      const token = generation("2027-02-15", { deleteBeforeReplace: true });
      const groupToken = stackResource({ type: GROUP_TOKEN, name: "xlink:PUSHER@2027-02-15", props: { group: "xlink", name: "PUSHER" }, deleteBeforeReplace: true });
      assert.deepEqual(createFirst([component, token, groupToken]), [
        {
          message: `project access token "${TOKEN_NAME}" sets deleteBeforeReplace: a replacement would revoke the live token before the new one exists and before the variables move to it, so every job pushing in between fails. Fix: remove the deleteBeforeReplace option; Pulumi then creates the replacement first.`,
          urn: token.urn,
        },
        {
          message: `group access token "xlink:PUSHER@2027-02-15" sets deleteBeforeReplace: a replacement would revoke the live token before the new one exists and before the variables move to it, so every job pushing in between fails. Fix: remove the deleteBeforeReplace option; Pulumi then creates the replacement first.`,
          urn: groupToken.urn,
        },
      ]);
    });
  });
});

describe("messages", () => {
  it("never carry a token-shaped value, even one written where a date or role belongs", () => {
    const leaked = canaryToken("leak");
    const messages = [
      ...leastPrivilege(tokenProps({ expiresAt: leaked, accessLevel: leaked, scopes: [leaked] })),
      ...credentialVariable(variableProps({ key: "DEPLOY_PUSH", value: leaked, protected: false, masked: false })),
    ];
    assert.equal(messages.length, 5);
    for (const message of messages) assert.ok(!message.includes("glpat-"), message);
  });

  it("recognise the same token shapes the program redacts", () => {
    for (const prefix of ["glpat", "gldt", "glrt", "glptt", "glft", "glimt", "glagent", "glcbt", "glsoat", "glffct", "gloas", "glwt"]) {
      const sample = `${prefix}-AbCdEf123456789`;
      assert.equal(looksLikeGitLabToken(sample), true, prefix);
      assert.notEqual(redactTokens(sample), sample, prefix);
    }
    assert.equal(looksLikeGitLabToken("glpat-short"), false);
  });
});

// ---------------------------------------------------------------------------------------------------
// The real program: its registrations, with the dependencies the SDK reports for them, through every policy.

/**
 * The evaluation's resources as the engine hands them to policies (lib/evaluation/policyRun.ts: options,
 * parents, the dependencies the SDK sent), with props built by the policy SDK's own deserializer.
 */
function asPolicyResources(evaluation: Evaluation, adjust: (registration: Registration) => Registration = (r) => r): PolicyResource[] {
  return policyResources(evaluation.registrations.map(adjust), (registration) => sdkProps(registration.inputs));
}

/** Every violation every policy reports for the stack, as `policy: message`. */
function allViolations(resources: PolicyResource[], resourceInputs: (resource: PolicyResource) => Record<string, unknown> = (r) => r.props): string[] {
  const violations: string[] = [];
  for (const candidate of policies) {
    const report = (message: string) => violations.push(`${candidate.name}: ${message}`);
    if ("validateStack" in candidate) {
      void candidate.validateStack({ resources, stackTags: new Map(), getConfig: <T extends object>() => ({}) as T, notApplicable: () => assert.fail("notApplicable") }, report);
      continue;
    }
    const validation = candidate.validateResource as (args: ResourceValidationArgs, report: (message: string) => void) => void;
    for (const resource of resources) {
      const args = { ...resource, props: resourceInputs(resource), stackTags: new Map(), getConfig: () => ({}), notApplicable: () => assert.fail("notApplicable") } as unknown as ResourceValidationArgs;
      validation(args, report);
    }
  }
  return violations;
}

describe("the program's own registrations", async () => {
  const rotation = seedToken({
    expiresAt: "2027-05-01",
    retiring: { expiresAt: "2027-02-15", revokeAfter: "2026-11-27T12:00:00Z" },
    consumers: [
      { project: "xlink/xlink-app", key: "GITLAB_PUSHER_TOKEN" },
      { project: "xlink/xlink-worker", key: "GITLAB_PUSHER_TOKEN", environmentScope: "production", hidden: true },
    ],
  });
  let rotating: Evaluation;
  let devStack: Evaluation;
  let unprotected: Evaluation;
  before(async () => {
    rotating = await evaluate([rotation]);
    const dev = toPulumiConfig(PROJECT, readStackConfigMap(PROJECT_ROOT, "dev"));
    devStack = await evaluateStack({ ...dev, project: PROJECT, stack: "dev", clock: fixedClock(TODAY), tokenValue: canaryToken });
    unprotected = await evaluate([seedToken({ consumers: [{ project: "xlink/xlink-app", key: "GITLAB_PUSHER_TOKEN", protected: false }] })]);
  });

  it("comply with every policy during a rotation, the retiring generation included", () => {
    assert.equal(rotating.error, undefined);
    const resources = asPolicyResources(rotating);
    assert.deepEqual(
      resources.filter((r) => r.type === T).map((r) => r.name),
      ["xlink/xlink-k8s-gitops:GITLAB_CI_PUSHER@2027-05-01", "xlink/xlink-k8s-gitops:GITLAB_CI_PUSHER@2027-02-15"],
    );
    // The SDK reports each variable's value as computed from the current generation only.
    const current = resources.find((r) => r.name.endsWith("@2027-05-01"))!;
    for (const variable of resources.filter((r) => r.type === V)) assert.deepEqual(variable.propertyDependencies.value, [current]);
    assert.deepEqual(allViolations(resources), []);
  });

  it("comply with every policy for the committed dev stack", () => {
    assert.equal(devStack.error, undefined);
    const resources = asPolicyResources(devStack);
    assert.equal(resources.filter((r) => r.type === T).length, 3);
    assert.deepEqual(allViolations(resources), []);
  });

  it("comply with the resource policies given the raw registered inputs too (secrets still wrapped)", () => {
    const byUrn = new Map(rotating.registrations.map((r) => [r.urn, r.inputs]));
    assert.deepEqual(allViolations(asPolicyResources(rotating), (resource) => byUrn.get(resource.urn)!), []);
  });

  it("pass for an adopted hand-made token with scope api without any config: the pack reads the program's mark off its options", async () => {
    // Changed with issue 15: the pack no longer needs the token listed under retiringTokens, a list
    // that grew with the stack; it recognises the program's adopted token by its ignoreChanges.
    const adopting = await evaluate([
      seedToken({
        consumers: [{ project: "xlink/xlink-app", key: "GITLAB_PUSHER_TOKEN", adopt: true }],
        retiring: { tokenId: 8812, name: "gitops pusher", accessLevel: "owner", scopes: ["api"], expiresAt: "2026-12-31", revokeAfter: "2026-12-02T12:00:00Z" },
      }),
    ]);
    const handMade = adopting.registrations.find((r) => r.name.endsWith("@2026-12-31"));
    assert.ok(handMade);
    assert.deepEqual([...ADOPTED_TOKEN_MARK].filter((input) => !handMade.ignoreChanges.includes(input)), [], "the program's adopted token carries the mark the pack reads");
    const resources = asPolicyResources(adopting);
    assert.deepEqual(allViolations(resources), []);
    // The same token without the mark (one the stack would create) is judged, and held by nothing.
    const unmarked = asPolicyResources(adopting, (r) => (r.urn === handMade.urn ? { ...r, ignoreChanges: ["description"] } : r));
    assert.deepEqual(
      allViolations(unmarked).map((message) => message.split(": ")[0] + ": " + (message.split(" has ")[1] ?? message.split(" is ")[1]).split(",")[0]),
      [`${POLICY_NAMES.leastPrivilege}: scope "api"`, `${POLICY_NAMES.leastPrivilege}: role "owner" (allowed: developer`, `${POLICY_NAMES.tokenConsumed}: held by no CI/CD variable in this stack`],
    );
    // A mark missing one input is no mark: every generation the stack creates ignores its description, a respelled one its project too.
    const partial = asPolicyResources(adopting, (r) => (r.urn === handMade.urn ? { ...r, ignoreChanges: ADOPTED_TOKEN_MARK.filter((input) => input !== "scopes") } : r));
    assert.equal(allViolations(partial).length, 3);
    // A token adopted some other way can still be listed under retiringTokens.
    const judged = (config: object) => validate(POLICY_NAMES.leastPrivilege, T, handMade.name, handMade.inputs, config);
    assert.equal(judged({}).length, 2);
    assert.deepEqual(judged({ retiringTokens: ["XLINK/xlink-k8s-gitops:gitops pusher"] }), []);
    assert.equal(judged({ retiringTokens: ["xlink/xlink-k8s-gitops:GITLAB_CI_PUSHER"] }).length, 2);
  });

  it("are caught once hand-widened to scopes [api]", () => {
    const widened = asPolicyResources(rotating, (r) => (r.name.endsWith("@2027-05-01") ? { ...r, inputs: { ...r.inputs, scopes: ["api"] } } : r));
    assert.deepEqual(allViolations(widened), [
      `${POLICY_NAMES.leastPrivilege}: project access token "xlink/xlink-k8s-gitops:GITLAB_CI_PUSHER@2027-05-01" has scope "api", broader than a push token needs (allowed: write_repository, read_repository): a leaked token could do more than push. Fix: set scopes to [write_repository], which also grants read (pull) access, so the job can clone with the same token; or add the scope to allowedScopes in this policy's config (a hand-made token being retired is adopted with retiring.tokenId instead, which the pack recognises).`,
    ]);
  });

  it("are caught when a token is made delete-first or loses its variables", () => {
    const deleteFirst = asPolicyResources(rotating, (r) => (r.type === T && r.name.endsWith("@2027-02-15") ? { ...r, deleteBeforeReplace: true } : r));
    assert.deepEqual(
      allViolations(deleteFirst).map((v) => v.split(":")[0]),
      [POLICY_NAMES.createBeforeDelete],
    );
    const withoutVariables = asPolicyResources(rotating).filter((r) => r.type !== V);
    assert.deepEqual(allViolations(withoutVariables).map((v) => v.split(":")[0]), [POLICY_NAMES.tokenConsumed, POLICY_NAMES.tokenConsumed]);
  });

  it("are refused when the program is allowed an unprotected consumer (the program only warns)", () => {
    assert.equal(unprotected.error, undefined);
    assert.equal(unprotected.warnings.length, 1);
    assert.deepEqual(allViolations(asPolicyResources(unprotected)).map((v) => v.split(":")[0]), [POLICY_NAMES.credentialVariable, POLICY_NAMES.tokenVariable]);
  });
});
