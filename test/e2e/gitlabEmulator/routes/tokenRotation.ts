// POST /projects/:id/access_tokens/:token_id/rotate (doc/api/project_access_tokens.md#rotate-a-project-access-token;
// lib/api/resource_access_tokens.rb, app/services/personal_access_tokens/rotate_service.rb and its
// ProjectAccessTokens subclass). The old token is revoked at once and a new one made for the same bot
// user, linked to the old one (its "family"); `expires_at` defaults to a week from today. Rotating a
// revoked token answers 400 "Token already revoked"; *using* a revoked token on a rotation path is
// what trips reuse detection (see auth.ts).

import { DeclaredParams } from "../coercion";
import { presentNewAccessToken } from "../entities";
import { badRequest, invalidParameters, notFound, toSentence, unauthorized } from "../errors";
import type { Route, RouteContext } from "../routing";
import type { AccessToken, Project } from "../state";
import { newTokenErrors } from "../tokenRules";
import { managesTokens, projectToken } from "./accessTokens";
import { addDays } from "../../../../config/dates";
import { visibleProject } from "./projects";

const DEFAULT_ROTATION_DAYS = 7;

/** The token to rotate, or the answer GitLab gives when there is none the caller may rotate. */
function tokenToRotate(context: RouteContext, project: Project): { token: AccessToken } | { reply: ReturnType<typeof unauthorized> } {
  const { user, token: callerToken } = context.caller;
  if (context.pathParams.token_id === "self") {
    // Self-rotation: only a project access token of this project rotates itself.
    if (user.botOfProject !== project.id) return { reply: { status: 405, json: { message: "405 Method Not Allowed" } } };
    return { token: callerToken };
  }
  const token = managesTokens(context, project) ? projectToken(context, project) : undefined;
  // A project access token rotates only itself (through `self`); others are not its to see.
  if (token && user.botOfProject !== undefined && token.id !== callerToken.id) return { reply: unauthorized() };
  // Only administrators are told that a token does not exist.
  if (!token) return { reply: user.admin ? notFound() : unauthorized() };
  return { token };
}

export const tokenRotationRoutes: readonly Route[] = [
  {
    method: "POST",
    path: "/projects/:id/access_tokens/:token_id/rotate",
    scopes: (pathParams) => (pathParams.token_id === "self" ? ["api", "self_rotate"] : ["api"]),
    handle(context) {
      const declared = new DeclaredParams(context.params);
      const expiresAt = declared.date("expires_at");
      if (declared.errors.length > 0) return invalidParameters(declared.errors);
      const found = visibleProject(context);
      if ("reply" in found) return found.reply;
      const chosen = tokenToRotate(context, found.project);
      if ("reply" in chosen) return chosen.reply;
      const old = chosen.token;

      if (old.revoked) return badRequest("Token already revoked");
      const { user } = context.caller;
      const bot = context.state.users.get(old.userId)!;
      const tokenLevel = found.project.members.get(bot.id) ?? 0;
      if (!user.admin && context.state.accessLevel(found.project, user) < tokenLevel) return badRequest("Not eligible to rotate tokens with permissions not held by the user");
      const newExpiry = expiresAt ?? addDays(context.today, DEFAULT_ROTATION_DAYS);
      const errors = newTokenErrors({ name: old.name, scopes: old.scopes, expiresAt: newExpiry }, context.today, context.settings.maxTokenLifetimeDays);
      // One transaction in GitLab: a refused new token leaves the old one as it was.
      if (errors.length > 0) return badRequest(toSentence(errors));

      old.revoked = true;
      const rotated = context.state.addToken({ userId: old.userId, name: old.name, description: old.description, scopes: [...old.scopes], expiresAt: newExpiry, previousId: old.id });
      return { status: 200, json: presentNewAccessToken(rotated, context.state, context.settings.features, context.today) };
    },
  },
];
