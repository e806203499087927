// GitLab's own words for what a push token and its variable are made of: the roles, the project
// access token scopes and the variable types, exactly as GitLab's API takes them (snake_case; the
// provider schema's Node.js descriptions show camelCased forms such as writeRepository and envVar,
// which the provider would reject). The config schema checks a stack against them and the provider
// binding (infra/gitlab/) types its inputs with them, so they live here, below both.
// test/infra/gitlab/wire.test.ts checks them against the provider's published schema.

/** Every role GitLab knows, lowest first. */
export const GITLAB_ROLES = ["no one", "minimal", "guest", "planner", "reporter", "security_manager", "developer", "maintainer", "owner"] as const;

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

export type GitLabRole = (typeof GITLAB_ROLES)[number];
export type ProjectAccessTokenScope = (typeof PROJECT_ACCESS_TOKEN_SCOPES)[number];
export type VariableType = (typeof VARIABLE_TYPES)[number];
