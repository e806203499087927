// What the official GitLab provider (pulumi-gitlab v10.1.1) expects on the wire. The values are the
// snake_case forms GitLab's API takes; the provider schema's Node.js descriptions show camelCased
// forms (writeRepository, envVar) that the provider would reject. test/contract.test.ts checks all
// of this against the provider's published schema.

/** The provider plugin `pulumi up` installs and runs. Pinned here and nowhere else. */
export const GITLAB_PROVIDER_VERSION = "10.1.1";

export const GITLAB_TYPES = {
  provider: "pulumi:providers:gitlab",
  projectAccessToken: "gitlab:index/projectAccessToken:ProjectAccessToken",
  projectVariable: "gitlab:index/projectVariable:ProjectVariable",
} as const;

export const ACCESS_LEVELS = ["no one", "minimal", "guest", "planner", "reporter", "security_manager", "developer", "maintainer", "owner"] as const;

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

export type AccessLevel = (typeof ACCESS_LEVELS)[number];
export type ProjectAccessTokenScope = (typeof PROJECT_ACCESS_TOKEN_SCOPES)[number];
export type VariableType = (typeof VARIABLE_TYPES)[number];
