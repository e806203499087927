// Project access tokens: list, get, create, revoke (doc/api/project_access_tokens.md, and the
// endpoint and services behind it: lib/api/resource_access_tokens.rb,
// app/services/resource_access_tokens/{create,revoke}_service.rb). Rotation is in tokenRotation.ts.
// Grape checks parameters before the endpoint runs, so a malformed request answers 400 even for a
// project the caller cannot see.

import { DeclaredParams } from "../coercion";
import { presentAccessToken, presentNewAccessToken } from "../entities";
import { badRequest, invalidParameters, notFound, toSentence, unauthorized } from "../errors";
import { pageRequest, paginated } from "../pagination";
import type { Route, RouteContext } from "../routing";
import { ACCESS, isExpired, type AccessToken, type Project } from "../state";
import { newTokenErrors, latestExpiry, projectAccessLevels, projectBotScopes } from "../tokenRules";
import { visibleProject } from "./projects";

const SORTS: Record<string, (a: AccessToken, b: AccessToken) => number> = {
  created_asc: (a, b) => a.createdAt.localeCompare(b.createdAt) || b.id - a.id,
  created_desc: (a, b) => b.createdAt.localeCompare(a.createdAt) || b.id - a.id,
  expires_asc: (a, b) => (a.expiresAt ?? "9999").localeCompare(b.expiresAt ?? "9999") || b.id - a.id,
  expires_desc: (a, b) => (b.expiresAt ?? "9999").localeCompare(a.expiresAt ?? "9999") || b.id - a.id,
  last_used_asc: (a, b) => (a.lastUsedAt ?? "").localeCompare(b.lastUsedAt ?? "") || b.id - a.id,
  last_used_desc: (a, b) => (b.lastUsedAt ?? "").localeCompare(a.lastUsedAt ?? "") || b.id - a.id,
  name_asc: (a, b) => a.name.localeCompare(b.name) || a.id - b.id,
  name_desc: (a, b) => b.name.localeCompare(a.name) || a.id - b.id,
};

/** A token of `project` by the `:token_id` path parameter (only numeric ids name one). */
export function projectToken(context: RouteContext, project: Project): AccessToken | undefined {
  const id = context.pathParams.token_id;
  if (!/^\d+$/.test(id)) return undefined;
  return context.state.projectTokens(project).find((token) => token.id === Number(id));
}

/** `can?(:read/manage/destroy_resource_access_tokens, project)`: Maintainer or above. */
export function managesTokens(context: RouteContext, project: Project): boolean {
  return context.state.accessLevel(project, context.caller.user) >= ACCESS.maintainer;
}

export const accessTokenRoutes: readonly Route[] = [
  {
    method: "GET",
    path: "/projects/:id/access_tokens",
    handle(context) {
      const declared = new DeclaredParams(context.params);
      const revoked = declared.boolean("revoked");
      const state = context.settings.features.tokenStateFilter ? declared.choice("state", ["active", "inactive"]) : undefined;
      const search = declared.string("search");
      const sort = declared.string("sort");
      const page = pageRequest(declared);
      if (declared.errors.length > 0) return invalidParameters(declared.errors);
      const found = visibleProject(context);
      if ("reply" in found) return found.reply;
      if (!managesTokens(context, found.project)) return unauthorized();

      const today = context.today;
      let tokens = context.state.projectTokens(found.project);
      if (revoked !== undefined) tokens = tokens.filter((token) => token.revoked === revoked);
      // PersonalAccessToken's scopes: `active` is not revoked and not expired; `inactive` is revoked
      // or expired *before* today, so a token on its expiry day is in neither list, as in GitLab.
      if (state === "active") tokens = tokens.filter((token) => !token.revoked && !isExpired(token, today));
      if (state === "inactive") tokens = tokens.filter((token) => token.revoked || (token.expiresAt !== null && token.expiresAt < today));
      if (search !== undefined) tokens = tokens.filter((token) => token.name.toLowerCase().includes(search.toLowerCase()));
      if (sort !== undefined && SORTS[sort]) tokens = [...tokens].sort(SORTS[sort]);
      return paginated(context, page, tokens, (token) => presentAccessToken(token, context.state, context.settings.features, today));
    },
  },
  {
    method: "GET",
    path: "/projects/:id/access_tokens/:token_id",
    handle(context) {
      const found = visibleProject(context);
      if ("reply" in found) return found.reply;
      if (!managesTokens(context, found.project)) return unauthorized();
      const token = projectToken(context, found.project);
      if (!token) return notFound("project Access Token");
      return { status: 200, json: presentAccessToken(token, context.state, context.settings.features, context.today) };
    },
  },
  {
    method: "POST",
    path: "/projects/:id/access_tokens",
    handle(context) {
      const { features, maxTokenLifetimeDays } = context.settings;
      const declared = new DeclaredParams(context.params);
      const name = declared.string("name", { required: true });
      const description = declared.string("description");
      const expiresAt = declared.date("expires_at");
      const scopes = declared.stringArray("scopes", { required: true, values: projectBotScopes(features) });
      const accessLevel = declared.integer("access_level", { values: projectAccessLevels(features) }) ?? ACCESS.maintainer;
      if (declared.errors.length > 0 || name === undefined || scopes === undefined) return invalidParameters(declared.errors);
      const found = visibleProject(context);
      if ("reply" in found) return found.reply;
      const project = found.project;

      // ResourceAccessTokens::CreateService, in its order. A project access token cannot make tokens.
      const { user } = context.caller;
      if (user.botOfProject !== undefined || !managesTokens(context, project)) return badRequest("User does not have permission to create project access token");
      if (context.state.accessLevel(project, user) < accessLevel) return badRequest("Access level of the token contains permissions not held by the creating user");
      // The bot user is made before the token: a blank name fails there, alone.
      const errors = name.trim() === "" ? ["Name can't be blank"] : newTokenErrors({ name, scopes, expiresAt: expiresAt ?? "" }, context.today, maxTokenLifetimeDays);
      if (errors.length > 0) return badRequest(toSentence(errors));

      const token = context.state.addProjectAccessToken(project, {
        name,
        description: features.tokenDescription ? (description ?? null) : null,
        scopes,
        accessLevel,
        // Omitted, the expiry is the longest allowed (required expiry since 16.0).
        expiresAt: expiresAt ?? latestExpiry(context.today, maxTokenLifetimeDays),
      });
      return { status: 201, json: presentNewAccessToken(token, context.state, features, context.today) };
    },
  },
  {
    method: "DELETE",
    path: "/projects/:id/access_tokens/:token_id",
    handle(context) {
      const found = visibleProject(context);
      if ("reply" in found) return found.reply;
      const token = projectToken(context, found.project);
      if (!token) return notFound("project Access Token");
      const bot = context.state.users.get(token.userId)!;
      if (!managesTokens(context, found.project)) return badRequest(`${context.caller.user.name} cannot delete ${bot.name}`);
      if (!found.project.members.has(bot.id)) return badRequest("Failed to find bot user");
      token.revoked = true;
      // Before 17.9 revoking also deleted the bot user, and the token with it.
      if (!context.settings.features.retainRevokedTokens) context.state.deleteUser(bot.id);
      return { status: 204 };
    },
  },
];
