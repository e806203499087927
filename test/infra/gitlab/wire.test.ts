// Contract test: every GitLab resource the program registers for a rich config, checked against the
// official provider schema (pulumi-gitlab v10.1.1): the type exists, every input is a declared input
// of the right type, required inputs are present, enum values are the wire values GitLab accepts, and
// every secret output is registered as secret.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { GITLAB_ROLES, PROJECT_ACCESS_TOKEN_SCOPES, VARIABLE_TYPES } from "../../../config/gitlabVocabulary";
import { GITLAB_PROVIDER_VERSION, GITLAB_TYPES } from "../../../infra/gitlab/wire";
import { GITLAB_DESCRIBED_TYPES } from "../../../lib/mergeRequest/gitlabWording";
import { GITLAB_TYPES as PACK_TYPES, PUSH_TOKEN_COMPONENT_TYPE } from "../../../policy/rules";
import { isSecretValue, plainValue, type Registration } from "../../../lib/evaluation/evaluate";
import { evaluate, gitlabResources, seedToken } from "../../support/scenarios";
import { loadProviderSchema, wireValuesFromDescription, type PropertySpec, type ProviderSchema } from "../../support/sharedData";

const loaded = loadProviderSchema();
const skip = "skip" in loaded ? loaded.skip : false;
if (skip) console.log(`# contract test skipped: ${skip}`);

// Everything the config can express: both roles, both scopes, numeric and path projects, environment
// scopes, hidden and unprotected variables, a retiring generation, self-managed GitLab.
const richConfig = [
  seedToken({
    retiring: { expiresAt: "2026-12-20", revokeAfter: "2026-11-27T12:00:00Z" },
    consumers: [
      { project: "xlink/xlink-app", key: "GITLAB_PUSHER_TOKEN" },
      { project: "xlink/xlink-worker", key: "GITLAB_PUSHER_TOKEN", environmentScope: "production", hidden: true },
      { project: 4242, key: "GITOPS_TOKEN", protected: false, environmentScope: "review/*" },
    ],
  }),
  seedToken({ name: "RELEASE_TAGGER", project: 1234, accessLevel: "maintainer", scopes: ["write_repository", "read_repository"], expiresAt: "2027-06-30", consumers: [{ project: "xlink/release", key: "TAGGER_TOKEN" }] }),
];

describe("contract with the GitLab provider schema", { skip }, async () => {
  const { document, source } = loaded as ProviderSchema;
  const evaluation = await evaluate(richConfig, {
    extra: { gitlab: { baseUrl: "https://gitlab.example.com/api/v4" } },
  });
  const registered = gitlabResources(evaluation);
  const schemaOf = (registration: Registration) =>
    registration.type === GITLAB_TYPES.provider ? document.provider : document.resources[registration.type];

  it(`reads the schema from ${source}`, () => {
    assert.equal(evaluation.error, undefined);
    assert.deepEqual(
      registered.map((r) => r.type).sort(),
      [GITLAB_TYPES.provider, ...Array(3).fill(GITLAB_TYPES.projectAccessToken), ...Array(4).fill(GITLAB_TYPES.projectVariable)].sort(),
    );
  });

  it("pins the provider plugin to the schema's version", () => {
    const expected = document._source?.providerVersion ?? GITLAB_PROVIDER_VERSION;
    assert.equal(GITLAB_PROVIDER_VERSION, expected);
    for (const registration of registered.filter((r) => r.type === GITLAB_TYPES.provider)) assert.equal(registration.version, expected);
  });

  it("registers only type tokens the schema defines", () => {
    for (const registration of registered) assert.ok(schemaOf(registration), `${registration.type} is not in the schema`);
  });

  it("sends only declared inputs, with the declared types, and every required one", () => {
    for (const registration of registered) {
      const schema = schemaOf(registration);
      for (const [name, value] of Object.entries(registration.inputs)) {
        const spec = schema.inputProperties[name];
        assert.ok(spec, `${registration.type}: ${name} is not an input property`);
        assertType(plainValue(value), spec, `${registration.name}.${name}`, document);
      }
      for (const required of schema.requiredInputs ?? []) {
        assert.notEqual(registration.inputs[required], undefined, `${registration.name}: required input ${required} is missing`);
      }
    }
  });

  it("sends provider config as strings, the way the provider's SDK does", () => {
    for (const registration of registered.filter((r) => r.type === GITLAB_TYPES.provider)) {
      for (const value of Object.values(registration.inputs)) assert.equal(typeof plainValue(value), "string");
      // The API token is not an input at all (it would be stored in state): the provider reads GITLAB_TOKEN.
      assert.deepEqual(Object.keys(registration.inputs), ["baseUrl"]);
    }
  });

  it("uses the wire values GitLab accepts, never the camelCased forms of the docs", () => {
    const token = document.resources[GITLAB_TYPES.projectAccessToken].inputProperties;
    const variable = document.resources[GITLAB_TYPES.projectVariable].inputProperties;
    const accessLevels = wireValuesFromDescription(token.accessLevel.description ?? "");
    const scopes = wireValuesFromDescription(token.scopes.description ?? "");
    const variableTypes = wireValuesFromDescription(variable.variableType.description ?? "");
    // The binding's own lists match the schema's, so its TypeScript types cannot drift from it.
    assert.deepEqual([...GITLAB_ROLES], accessLevels);
    assert.deepEqual([...PROJECT_ACCESS_TOKEN_SCOPES], scopes);
    assert.deepEqual([...VARIABLE_TYPES], variableTypes);
    const derived = document._derived?.wireValues;
    if (derived) {
      assert.deepEqual(accessLevels, derived["ProjectAccessToken.accessLevel"]);
      assert.deepEqual(scopes, derived["ProjectAccessToken.scopes"]);
      assert.deepEqual(variableTypes, derived["ProjectVariable.variableType"]);
    }
    for (const registration of registered) {
      if (registration.type === GITLAB_TYPES.projectAccessToken) {
        assert.ok(accessLevels.includes(registration.inputs.accessLevel as string));
        for (const scope of registration.inputs.scopes as string[]) assert.ok(scopes.includes(scope), `${scope} is not a wire value`);
        assert.match(registration.inputs.expiresAt as string, /^\d{4}-\d{2}-\d{2}$/);
      }
      if (registration.type === GITLAB_TYPES.projectVariable) {
        assert.ok(variableTypes.includes(registration.inputs.variableType as string));
        assert.match(registration.inputs.key as string, /^[a-zA-Z0-9_]{1,255}$/);
        if (registration.inputs.hidden === true) assert.equal(registration.inputs.masked, true, "the provider refuses hidden without masked");
      }
    }
  });

  it("registers every output the schema marks secret as secret, and the variable value too", () => {
    for (const registration of registered.filter((r) => r.type !== GITLAB_TYPES.provider)) {
      const secretOutputs = Object.entries(schemaOf(registration).properties ?? {})
        .filter(([, spec]) => spec.secret)
        .map(([name]) => name);
      for (const name of secretOutputs) assert.ok(registration.additionalSecretOutputs.includes(name), `${registration.name}: ${name} must be secret`);
    }
    for (const variable of registered.filter((r) => r.type === GITLAB_TYPES.projectVariable)) {
      // Not secret in the schema: the binding must make it so, on the way in and on the way out.
      assert.equal(document.resources[GITLAB_TYPES.projectVariable].properties?.value?.secret, undefined);
      assert.ok(isSecretValue(variable.inputs.value));
      assert.ok(variable.additionalSecretOutputs.includes("value"));
    }
  });

  it("never updates a token's expiry in place, and replaces variables delete-first", () => {
    // An in-place expiresAt update calls GitLab's rotate API, which revokes the old token at once:
    // each generation's name carries its expiry, so a new expiry is always a new resource.
    for (const token of registered.filter((r) => r.type === GITLAB_TYPES.projectAccessToken)) {
      assert.ok(token.name.endsWith(`@${token.inputs.expiresAt as string}`), token.name);
      assert.equal(token.inputs.rotationConfiguration, undefined);
    }
    // GitLab holds one variable per project, key and scope: a replacement must delete first.
    const variableReplacedBy = document._derived?.forcesReplacement?.ProjectVariable;
    if (typeof variableReplacedBy === "object") assert.ok(variableReplacedBy.replace?.includes("hidden"));
    for (const variable of registered.filter((r) => r.type === GITLAB_TYPES.projectVariable)) assert.equal(variable.deleteBeforeReplace, true);
  });
});

function assertType(value: unknown, spec: PropertySpec, where: string, document: ProviderSchema["document"]): void {
  if (spec.$ref) {
    const typeName = spec.$ref.replace(/^#\/types\//, "");
    const properties = document.types?.[typeName]?.properties;
    assert.ok(properties, `${where}: unknown type ${spec.$ref}`);
    assert.equal(typeof value, "object", where);
    for (const [name, inner] of Object.entries(value as Record<string, unknown>)) {
      assert.ok(properties[name], `${where}.${name} is not a property of ${typeName}`);
      assertType(plainValue(inner), properties[name], `${where}.${name}`, document);
    }
    return;
  }
  switch (spec.type) {
    case "string":
    case "boolean":
    case "number":
      assert.equal(typeof value, spec.type, `${where} must be a ${spec.type}`);
      return;
    case "integer":
      assert.ok(Number.isInteger(value), `${where} must be an integer`);
      return;
    case "array":
      assert.ok(Array.isArray(value), `${where} must be a list`);
      (value as unknown[]).forEach((item, index) => assertType(plainValue(item), spec.items ?? {}, `${where}[${index}]`, document));
      return;
    case "object":
      assert.equal(typeof value, "object", `${where} must be a map`);
      return;
    default:
      assert.fail(`${where}: the schema type ${String(spec.type)} is not handled by this test`);
  }
}

// Who else names the provider's types, written out rather than imported so that neither depends on the
// program: the policy pack (which ships alone) and the preview note (which reads any program's preview).
describe("the provider's types, as the policy pack and the preview note name them", () => {
  it("name the provider's types and the program's component as the program registers them", () => {
    assert.equal(PACK_TYPES.projectAccessToken, GITLAB_TYPES.projectAccessToken);
    assert.equal(PACK_TYPES.projectVariable, GITLAB_TYPES.projectVariable);
    assert.equal(PUSH_TOKEN_COMPONENT_TYPE, "gitlab-push-tokens:index:PushToken");
  });

  it("the preview note describes the program's token and variable types and the pack's group ones", () => {
    assert.deepEqual(GITLAB_DESCRIBED_TYPES, {
      projectAccessToken: GITLAB_TYPES.projectAccessToken,
      groupAccessToken: PACK_TYPES.groupAccessToken,
      projectVariable: GITLAB_TYPES.projectVariable,
      groupVariable: PACK_TYPES.groupVariable,
    });
  });

  it("every one of them is a type the provider's schema defines", { skip }, () => {
    const { document } = loaded as ProviderSchema;
    for (const type of [...Object.values(GITLAB_DESCRIBED_TYPES), ...Object.values(PACK_TYPES)]) assert.ok(document.resources[type], `${type} is not in the schema`);
  });
});
