// Contract test: what the stand-in serves (GetSchema, built from model.ts) and decides (replacements,
// defaults, wire values, secret outputs) against the official provider's schema, pulumi-gitlab v10.1.1
// (../shared/gitlab-provider/schema-subset.json, or $GITLAB_PROVIDER_SCHEMA), and against the schema's
// `_derived` notes where they exist.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadProviderSchema, wireValuesFromDescription, type PropertySpec, type ProviderSchema } from "../../support/sharedData";
import { ACCESS_LEVELS, PLUGIN_VERSION, PROJECT_ACCESS_TOKEN, PROJECT_ACCESS_TOKEN_SCOPES, PROJECT_VARIABLE, PROVIDER_CONFIG, RESOURCES, ROTATION_CONFIGURATION_TYPE, VARIABLE_TYPES, replacingInputs } from "./model";
import { packageSchema } from "./packageSchema";

const loaded = loadProviderSchema();
const skip = "skip" in loaded ? loaded.skip : false;
if (skip) console.log(`# stand-in contract test skipped: ${skip}`);

interface ServedResource {
  properties: Record<string, PropertySpec>;
  inputProperties: Record<string, PropertySpec>;
  requiredInputs: string[];
  required: string[];
}

/** The part of a property spec the engine and code generation use: its type, element type, reference, secretness. */
function shape(spec: PropertySpec | undefined): unknown {
  if (!spec) return undefined;
  return { type: spec.type, items: spec.items?.type, additionalProperties: spec.additionalProperties?.type, $ref: spec.$ref, secret: spec.secret === true };
}

const shapes = (properties: Record<string, PropertySpec> | undefined) => Object.fromEntries(Object.entries(properties ?? {}).map(([name, spec]) => [name, shape(spec)]));

describe("the stand-in against the official GitLab provider schema", { skip }, () => {
  const { document, source } = loaded as ProviderSchema;
  const official = document as ProviderSchema["document"] & {
    resources: Record<string, { required?: string[] }>;
    config?: { variables?: Record<string, PropertySpec> };
    types?: Record<string, { properties?: Record<string, PropertySpec>; required?: string[] }>;
    _derived?: Record<string, Record<string, unknown>>;
  };
  const served = packageSchema() as {
    version: string;
    resources: Record<string, ServedResource>;
    config: { variables: Record<string, PropertySpec> };
    provider: { inputProperties: Record<string, PropertySpec> };
    types: Record<string, { properties: Record<string, PropertySpec>; required: string[] }>;
  };

  it(`serves version ${PLUGIN_VERSION}, the version of ${source}`, () => {
    assert.equal(served.version, official._source?.providerVersion ?? PLUGIN_VERSION);
  });

  for (const resource of RESOURCES) {
    const name = resource.token.split(":").pop();
    describe(name ?? resource.token, () => {
      const theirs = official.resources[resource.token];
      const ours = served.resources[resource.token];

      it("exists in the official schema", () => assert.ok(theirs, `${resource.token} is not in the official schema`));

      it("has exactly the official input properties, with the official types", () => {
        assert.deepEqual(shapes(ours.inputProperties), shapes(theirs.inputProperties));
      });

      it("has exactly the official output properties, with the official types and secretness", () => {
        assert.deepEqual(shapes(ours.properties), shapes(theirs.properties));
      });

      it("requires the official required inputs and always returns the official required outputs", () => {
        assert.deepEqual([...ours.requiredInputs].sort(), [...(theirs.requiredInputs ?? [])].sort());
        assert.deepEqual([...ours.required].sort(), [...(theirs.required ?? [])].sort());
      });
    });
  }

  it("has the official provider configuration, with the token secret", () => {
    assert.deepEqual(shapes(served.config.variables), shapes(official.config?.variables));
    assert.deepEqual(shapes(served.provider.inputProperties), shapes(official.provider.inputProperties));
  });

  it("has the official rotation configuration type", () => {
    const theirs = official.types?.[ROTATION_CONFIGURATION_TYPE];
    assert.deepEqual(shapes(served.types[ROTATION_CONFIGURATION_TYPE].properties), shapes(theirs?.properties));
    assert.deepEqual([...served.types[ROTATION_CONFIGURATION_TYPE].required].sort(), [...(theirs?.required ?? [])].sort());
  });

  it("accepts exactly the roles, scopes and variable types the official descriptions list, in GitLab's spelling", () => {
    const token = official.resources[PROJECT_ACCESS_TOKEN.token].inputProperties;
    const variable = official.resources[PROJECT_VARIABLE.token].inputProperties;
    assert.deepEqual(ACCESS_LEVELS, wireValuesFromDescription(token.accessLevel.description ?? ""));
    assert.deepEqual([...PROJECT_ACCESS_TOKEN_SCOPES], wireValuesFromDescription(token.scopes.description ?? ""));
    assert.deepEqual([...VARIABLE_TYPES], wireValuesFromDescription(variable.variableType.description ?? ""));
  });

  it("defaults the role to the one the official description names", () => {
    // The hcl rendering of the description's markup is the wire spelling.
    const description = (official.resources[PROJECT_ACCESS_TOKEN.token].inputProperties.accessLevel.description ?? "").replace(/<span [^>]*pulumi-lang-hcl="`([^`]*)`"[^>]*>.*?<\/span>/g, "`$1`");
    const named = /Default is `([^`]+)`/.exec(description)?.[1];
    assert.equal(PROJECT_ACCESS_TOKEN.properties.find((p) => p.name === "accessLevel")?.default, named);
    const scope = official.resources[PROJECT_VARIABLE.token].inputProperties.environmentScope.description ?? "";
    assert.match(scope, /Defaults to all environment \(`\*`\)/);
    assert.equal(PROJECT_VARIABLE.properties.find((p) => p.name === "environmentScope")?.default, "*");
  });

  it("marks secret exactly the outputs the official schema does, and nothing of the provider's config but the token", () => {
    for (const resource of RESOURCES) {
      const theirs = Object.entries(official.resources[resource.token].properties ?? {}).filter(([, spec]) => spec.secret).map(([key]) => key);
      assert.deepEqual(resource.properties.filter((p) => p.secret).map((p) => p.name), theirs);
    }
    assert.deepEqual(PROVIDER_CONFIG.filter((p) => p.secret).map((p) => p.name), ["token"]);
  });

  describe("against the schema's _derived notes", { skip: official._derived ? false : "the schema has no _derived block (a schema from `pulumi package get-schema`)" }, () => {
    const derived = official._derived as Record<string, Record<string, unknown>>;
    const inPlaceNames = (entry: Record<string, unknown>) => ((entry.inPlaceUpdate as string[] | undefined) ?? []).map((text) => text.split(" ")[0]);

    for (const resource of [PROJECT_ACCESS_TOKEN, PROJECT_VARIABLE]) {
      const key = resource === PROJECT_ACCESS_TOKEN ? "ProjectAccessToken" : "ProjectVariable";
      it(`${key}: replaces on exactly the upstream RequiresReplace inputs and updates the rest in place`, () => {
        const entry = derived.forcesReplacement[key] as Record<string, unknown>;
        const replace = entry.replace as string[];
        const probable = (entry.replaceProbable as string[] | undefined) ?? [];
        const ours = replacingInputs(resource);
        for (const name of replace) assert.ok(ours.includes(name), `${name} must force a replacement`);
        for (const name of ours) assert.ok(replace.includes(name) || probable.includes(name), `${name} forces a replacement upstream does not`);
        for (const name of inPlaceNames(entry)) assert.ok(!ours.includes(name), `${name} must update in place`);
      });
    }

    it("uses the wire values and defaults the notes record", () => {
      const wire = derived.wireValues;
      assert.deepEqual(ACCESS_LEVELS, wire["ProjectAccessToken.accessLevel"]);
      assert.deepEqual([...PROJECT_ACCESS_TOKEN_SCOPES], wire["ProjectAccessToken.scopes"]);
      assert.deepEqual([...VARIABLE_TYPES], wire["ProjectVariable.variableType"]);
      assert.equal(PROJECT_ACCESS_TOKEN.properties.find((p) => p.name === "accessLevel")?.default, wire["ProjectAccessToken.accessLevel.default"]);
      assert.equal(PROJECT_VARIABLE.properties.find((p) => p.name === "environmentScope")?.default, wire["ProjectVariable.environmentScope.default"]);
    });

    it("returns secret exactly the outputs the notes list", () => {
      const secretOutputs = derived.secretOutputs;
      assert.deepEqual(PROJECT_ACCESS_TOKEN.properties.filter((p) => p.secret).map((p) => p.name), secretOutputs.ProjectAccessToken);
      assert.deepEqual(PROJECT_VARIABLE.properties.filter((p) => p.secret).map((p) => p.name), secretOutputs.ProjectVariable);
    });
  });
});
