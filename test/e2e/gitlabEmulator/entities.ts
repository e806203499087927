// How GitLab renders each resource (gitlabhq/gitlabhq lib/api/entities/*.rb and the examples in
// doc/api/*.md): field names, types and order as answered, with the version differences that exist.

import type { GitLabFeatures } from "./version";
import { fullPathOf, isActive, type AccessToken, type EmulatorState, type Project, type User, type Variable } from "./state";

/** Entities::ResourceAccessToken (PersonalAccessToken + last_used_ips + access_level/resource fields). */
export function presentAccessToken(token: AccessToken, state: EmulatorState, features: GitLabFeatures, today: string): Record<string, unknown> {
  const bot = state.users.get(token.userId);
  const projectId = bot?.botOfProject;
  const project = projectId === undefined ? undefined : state.projects.get(projectId);
  return {
    id: token.id,
    name: token.name,
    revoked: token.revoked,
    created_at: token.createdAt,
    ...(features.tokenDescription ? { description: token.description } : {}),
    scopes: [...token.scopes],
    user_id: token.userId,
    last_used_at: token.lastUsedAt,
    active: isActive(token, today),
    expires_at: token.expiresAt,
    ...(features.lastUsedIps ? { last_used_ips: token.lastUsedAt === null ? [] : ["127.0.0.1"] } : {}),
    access_level: project && bot ? (project.members.get(bot.id) ?? null) : null,
    resource_type: "project",
    resource_id: projectId ?? null,
  };
}

/** Entities::ResourceAccessTokenWithToken: the same, plus the secret, answered once. */
export function presentNewAccessToken(token: AccessToken, state: EmulatorState, features: GitLabFeatures, today: string): Record<string, unknown> {
  return { ...presentAccessToken(token, state, features, today), token: token.value };
}

/** Entities::Ci::Variable: a hidden variable's value is never returned (null). */
export function presentVariable(variable: Variable, features: GitLabFeatures): Record<string, unknown> {
  return {
    variable_type: variable.variableType,
    key: variable.key,
    value: variable.hidden ? null : variable.value,
    ...(features.hiddenVariables ? { hidden: variable.hidden } : {}),
    protected: variable.protected,
    masked: variable.masked,
    raw: variable.raw,
    environment_scope: variable.environmentScope,
    description: variable.description,
  };
}

/** GET /user (doc/api/users.md): the fields a client reads, `is_admin` for administrators only. */
export function presentCurrentUser(user: User, origin: string): Record<string, unknown> {
  return {
    id: user.id,
    username: user.username,
    name: user.name,
    state: "active",
    locked: false,
    avatar_url: null,
    web_url: `${origin}/${user.username}`,
    created_at: user.createdAt,
    bot: user.botOfProject !== undefined,
    email: user.botOfProject === undefined ? `${user.username}@example.com` : `${user.username}@noreply.localhost`,
    two_factor_enabled: false,
    external: false,
    ...(user.admin ? { is_admin: true } : {}),
  };
}

/** GET /projects/:id (doc/api/projects.md): a subset of the fields, with GitLab's names and types. */
export function presentProject(project: Project, origin: string): Record<string, unknown> {
  const fullPath = fullPathOf(project);
  const namespaceName = project.namespacePath.split("/").pop()!;
  return {
    id: project.id,
    description: null,
    name: project.name,
    name_with_namespace: `${namespaceName} / ${project.name}`,
    path: project.path,
    path_with_namespace: fullPath,
    created_at: project.createdAt,
    default_branch: project.defaultBranch,
    web_url: `${origin}/${fullPath}`,
    http_url_to_repo: `${origin}/${fullPath}.git`,
    visibility: "private",
    archived: false,
    namespace: { id: 1, name: namespaceName, path: namespaceName, kind: "group", full_path: project.namespacePath, parent_id: null, web_url: `${origin}/groups/${project.namespacePath}` },
  };
}
