// What GitLab accepts for a project access token (gitlabhq/gitlabhq lib/api/resource_access_tokens.rb,
// app/models/personal_access_token.rb, doc/api/project_access_tokens.md, doc/user/project/settings/
// project_access_tokens.md): the scopes a project bot may hold, the access levels `create` takes,
// and the model's checks, answered as full messages joined into one sentence.

import { addDays } from "../../../config/dates";
import { ACCESS } from "./state";
import type { GitLabFeatures } from "./version";

const BOT_SCOPES = ["api", "read_api", "read_registry", "write_registry", "read_repository", "write_repository", "create_runner", "manage_runner", "ai_features", "k8s_proxy", "read_observability", "write_observability"];

/** `Gitlab::Auth.resource_bot_scopes` as of `features.version`. */
export function projectBotScopes(features: GitLabFeatures): readonly string[] {
  return features.selfRotateScope ? [...BOT_SCOPES, "self_rotate"] : BOT_SCOPES;
}

/** `Gitlab::Access.options_with_owner`: the levels `access_level` may take. */
export function projectAccessLevels(features: GitLabFeatures): readonly number[] {
  const levels = [ACCESS.guest, ACCESS.reporter, ACCESS.developer, ACCESS.maintainer, ACCESS.owner];
  return features.plannerRole ? [ACCESS.guest, ACCESS.planner, ...levels.slice(1)] : levels;
}

/** The latest expiry date allowed today: the instance maximum lifetime from today. */
export function latestExpiry(today: string, maxTokenLifetimeDays: number): string {
  return addDays(today, maxTokenLifetimeDays);
}

/**
 * The model's full error messages for a new token, in validation order. An expiry in the past is
 * not among them: GitLab's model has no such check (the provider's `validatePastExpirationDate`
 * exists for that reason), so such a token is created already inactive.
 */
export function newTokenErrors(token: { readonly name: string; readonly scopes: readonly string[]; readonly expiresAt: string }, today: string, maxTokenLifetimeDays: number): string[] {
  const errors: string[] = [];
  if (token.name.trim() === "") errors.push("Name can't be blank");
  if (token.scopes.length === 0) errors.push("Scopes can't be blank");
  const latest = latestExpiry(today, maxTokenLifetimeDays);
  if (token.expiresAt > latest) errors.push(`Expires at must be before ${latest}`);
  return errors;
}
