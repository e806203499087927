// The Pulumi package schema GetSchema serves, built from model.ts: enough for the engine and for
// `pulumi import`'s code generation (types, inputs, required inputs, secret outputs), not the official
// schema's documentation. The contract test checks model.ts against the official schema instead.

import { PLUGIN_NAME, PLUGIN_VERSION, PROVIDER_CONFIG, RESOURCES, ROTATION_CONFIGURATION, ROTATION_CONFIGURATION_TYPE, type PropertyModel } from "./model";

interface SchemaProperty {
  type?: string;
  items?: { type: string };
  additionalProperties?: { type: string };
  $ref?: string;
  secret?: boolean;
  description: string;
}

export function schemaProperty(property: PropertyModel): SchemaProperty {
  const base = { description: property.description, ...(property.secret ? { secret: true } : {}) };
  switch (property.kind) {
    case "stringList":
      return { type: "array", items: { type: "string" }, ...base };
    case "stringMap":
      return { type: "object", additionalProperties: { type: "string" }, ...base };
    case "rotationConfiguration":
      return { $ref: `#/types/${ROTATION_CONFIGURATION_TYPE}`, ...base };
    default:
      return { type: property.kind, ...base };
  }
}

const propertyMap = (properties: readonly PropertyModel[]) => Object.fromEntries(properties.map((p) => [p.name, schemaProperty(p)]));

export function packageSchema(): Record<string, unknown> {
  return {
    name: PLUGIN_NAME,
    displayName: "GitLab (stand-in)",
    version: PLUGIN_VERSION,
    description: "A test stand-in for the official Pulumi GitLab provider v10.1.1.",
    config: { variables: propertyMap(PROVIDER_CONFIG) },
    provider: {
      description: "The provider type for the gitlab package.",
      properties: propertyMap(PROVIDER_CONFIG.filter((p) => p.kind === "string")),
      inputProperties: propertyMap(PROVIDER_CONFIG),
    },
    types: {
      [ROTATION_CONFIGURATION_TYPE]: {
        type: "object",
        properties: propertyMap(ROTATION_CONFIGURATION),
        required: ROTATION_CONFIGURATION.map((p) => p.name),
      },
    },
    resources: Object.fromEntries(
      RESOURCES.map((resource) => {
        const inputs = resource.properties.filter((p) => p.input);
        return [
          resource.token,
          {
            description: resource.description,
            properties: propertyMap(resource.properties),
            required: [...resource.requiredOutputs],
            inputProperties: propertyMap(inputs),
            requiredInputs: inputs.filter((p) => p.requiredInput).map((p) => p.name),
            stateInputs: { description: `Input properties used for looking up and filtering ${resource.token} resources.`, type: "object", properties: propertyMap(resource.properties) },
          },
        ];
      }),
    ),
    language: { nodejs: { packageName: "@pulumi/gitlab" } },
  };
}
