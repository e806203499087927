// What the stand-in knows of the official GitLab provider (pulumi-gitlab v10.1.1, bridging
// terraform-provider-gitlab v19.2.1): the types it serves, each property's Pulumi name, GitLab/Terraform
// name, type, whether it is an input, required, secret or forces a replacement, and its default. The
// Check, Diff and CRUD code read this table; GetSchema serves it; schemaContract.test.ts holds it
// against the provider's published schema (../shared/gitlab-provider/schema-subset.json).

import type { WireValue } from "./propertyValues";

export const PLUGIN_NAME = "gitlab";
export const PLUGIN_VERSION = "10.1.1";

export const TYPES = {
  provider: "pulumi:providers:gitlab",
  projectAccessToken: "gitlab:index/projectAccessToken:ProjectAccessToken",
  projectVariable: "gitlab:index/projectVariable:ProjectVariable",
} as const;

export const ROTATION_CONFIGURATION_TYPE = "gitlab:index/ProjectAccessTokenRotationConfiguration:ProjectAccessTokenRotationConfiguration";

export type PropertyKind = "string" | "boolean" | "integer" | "stringList" | "stringMap" | "rotationConfiguration";

export interface PropertyModel {
  /** The Pulumi (camelCase) name. */
  readonly name: string;
  /** The Terraform attribute name, which is also GitLab's API field where the two meet. */
  readonly wire: string;
  readonly kind: PropertyKind;
  /** Settable by the program (an input property); otherwise computed only. */
  readonly input: boolean;
  readonly requiredInput?: boolean;
  /** Marked secret in the schema (Terraform `Sensitive`). */
  readonly secret?: boolean;
  /** Terraform RequiresReplace: a change replaces the resource. */
  readonly forcesReplacement?: boolean;
  /** Terraform schema default, applied at plan time (the bridge's Check does not insert it). */
  readonly default?: WireValue;
  readonly description: string;
}

export interface ResourceModel {
  readonly token: string;
  readonly description: string;
  readonly properties: readonly PropertyModel[];
  /** Outputs always present in state (the schema's `required`). */
  readonly requiredOutputs: readonly string[];
}

/** Role names as the provider takes them, and the access level GitLab takes on the wire. */
export const ACCESS_LEVEL_VALUES: Readonly<Record<string, number>> = {
  // terraform-provider-gitlab internal/provider/api/access_level_helpers.go (AccessLevelNameToValue);
  // security_manager (25) from upstream MR 3124 "Add security manager access level".
  "no one": 0,
  minimal: 5,
  guest: 10,
  planner: 15,
  reporter: 20,
  security_manager: 25,
  developer: 30,
  maintainer: 40,
  owner: 50,
};
export const ACCESS_LEVELS = Object.keys(ACCESS_LEVEL_VALUES);

/**
 * api.ValidProjectAccessTokenScopes, in the provider's order. Deliberately not imported from the
 * program's infra/gitlab/wire.ts: the stand-in is a second, independent reading of the provider, and
 * both are checked against the official schema, so a wrong list in either shows.
 */
export const PROJECT_ACCESS_TOKEN_SCOPES = [
  "api",
  "read_api",
  "read_registry",
  "write_registry",
  "read_repository",
  "write_repository",
  "create_runner",
  "manage_runner",
  "ai_features",
  "k8s_proxy",
  "read_observability",
  "write_observability",
  "self_rotate",
] as const;

export const VARIABLE_TYPES = ["env_var", "file"] as const;

const property = (name: string, wire: string, kind: PropertyKind, input: boolean, description: string, more: Partial<PropertyModel> = {}): PropertyModel => ({
  name,
  wire,
  kind,
  input,
  description,
  ...more,
});

export const PROJECT_ACCESS_TOKEN: ResourceModel = {
  token: TYPES.projectAccessToken,
  description: "A project access token (stand-in for the official provider's resource).",
  properties: [
    property("accessLevel", "access_level", "string", true, "The role of the token's bot user. Default is `maintainer`.", { default: "maintainer", forcesReplacement: true }),
    property("active", "active", "boolean", false, "True if the token is active."),
    property("createdAt", "created_at", "string", false, "Time the token has been created, RFC3339 format."),
    // RequiresReplace in the group token's copy of this code (same upstream family); see README.
    property("description", "description", "string", true, "The description of the project access token.", { forcesReplacement: true }),
    property("expiresAt", "expires_at", "string", true, "When the token will expire, YYYY-MM-DD format; a change rotates the token in place."),
    property("name", "name", "string", true, "The name of the project access token; autonamed when omitted.", { forcesReplacement: true }),
    property("project", "project", "string", true, "The ID or full path of the project.", { requiredInput: true, forcesReplacement: true }),
    property("revoked", "revoked", "boolean", false, "True if the token is revoked."),
    property("rotationConfiguration", "rotation_configuration", "rotationConfiguration", true, "When to rotate the token automatically (on `pulumi up`)."),
    property("scopes", "scopes", "stringList", true, "The scopes of the project access token.", { requiredInput: true, forcesReplacement: true }),
    property("token", "token", "string", false, "The token value; not available for imported resources.", { secret: true }),
    property("userId", "user_id", "integer", false, "The user ID of the token's bot user."),
    property("validatePastExpirationDate", "validate_past_expiration_date", "boolean", true, "Whether to refuse an expiry date that is not in the future.", { default: false }),
  ],
  requiredOutputs: ["accessLevel", "active", "createdAt", "description", "expiresAt", "name", "project", "revoked", "scopes", "token", "userId", "validatePastExpirationDate"],
};

export const PROJECT_VARIABLE: ResourceModel = {
  token: TYPES.projectVariable,
  description: "A project-level CI/CD variable (stand-in for the official provider's resource).",
  properties: [
    property("description", "description", "string", true, "The description of the variable."),
    property("environmentScope", "environment_scope", "string", true, "The environment scope of the variable. Defaults to `*`.", { default: "*", forcesReplacement: true }),
    property("hidden", "hidden", "boolean", true, "Hide the value in the CI/CD settings; requires masked. Set at creation only.", { forcesReplacement: true }),
    property("key", "key", "string", true, "The name of the variable.", { requiredInput: true, forcesReplacement: true }),
    property("masked", "masked", "boolean", true, "Mask the value in job logs."),
    property("project", "project", "string", true, "The name or id of the project.", { requiredInput: true, forcesReplacement: true }),
    property("protected", "protected", "boolean", true, "Pass the variable only to pipelines on protected branches and tags."),
    property("raw", "raw", "boolean", true, "Treat the value as a raw string (no variable expansion)."),
    property("value", "value", "string", true, "The value of the variable.", { requiredInput: true }),
    property("variableType", "variable_type", "string", true, "The type of the variable: `env_var` or `file`."),
  ],
  requiredOutputs: ["description", "environmentScope", "hidden", "key", "masked", "project", "protected", "raw", "value", "variableType"],
};

/** The provider's configuration (`pulumi:providers:gitlab` inputs, `gitlab:*` stack config). */
export const PROVIDER_CONFIG: readonly PropertyModel[] = [
  property("baseUrl", "base_url", "string", true, "The GitLab API endpoint, e.g. `https://gitlab.example.com/api/v4/`; else GITLAB_BASE_URL."),
  property("cacertFile", "cacert_file", "string", true, "A file with the CA certificate of the GitLab instance."),
  property("clientCert", "client_cert", "string", true, "Client certificate file (not implemented by the stand-in)."),
  property("clientKey", "client_key", "string", true, "Client key file (not implemented by the stand-in)."),
  property("configFile", "config_file", "string", true, "Configuration file (not implemented by the stand-in)."),
  property("context", "context", "string", true, "Configuration file context (not implemented by the stand-in)."),
  property("earlyAuthCheck", "early_auth_check", "boolean", true, "Verify the token with GET /user when the provider is configured (default true)."),
  property("enableAutoCiSupport", "enable_auto_ci_support", "boolean", true, "CI job token support (not implemented by the stand-in)."),
  property("headers", "headers", "stringMap", true, "Headers added to every request."),
  property("insecure", "insecure", "boolean", true, "Skip TLS verification."),
  property("retries", "retries", "integer", true, "Retries on 429 and 5xx answers."),
  property("token", "token", "string", true, "The API token; else GITLAB_TOKEN.", { secret: true }),
];

export const ROTATION_CONFIGURATION: readonly PropertyModel[] = [
  property("expirationDays", "expiration_days", "integer", true, "The duration (in days) the new token should be valid for.", { requiredInput: true }),
  property("rotateBeforeDays", "rotate_before_days", "integer", true, "Rotate this many days before the expiry, on `pulumi up`.", { requiredInput: true }),
];

export const RESOURCES: readonly ResourceModel[] = [PROJECT_ACCESS_TOKEN, PROJECT_VARIABLE];

export function resourceModel(type: string): ResourceModel | undefined {
  return RESOURCES.find((resource) => resource.token === type);
}

export const inputsOf = (model: ResourceModel) => model.properties.filter((p) => p.input);
export const replacingInputs = (model: ResourceModel) => model.properties.filter((p) => p.forcesReplacement).map((p) => p.name);
