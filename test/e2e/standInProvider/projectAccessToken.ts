// gitlab:index/projectAccessToken:ProjectAccessToken against GitLab's REST API, following upstream
// terraform-provider-gitlab internal/provider/resource_gitlab_project_access_token.go (framework
// version) and its newer sibling resource_gitlab_group_access_token.go where the two differ in age:
//   Create  POST   projects/:project/access_tokens                {name, description?, scopes, access_level, expires_at}
//   Read    GET    projects/:project/access_tokens/:id            404 drops the token from state; a revoked
//                                                                token stays, revoked: true (Diff then replaces it)
//   Update  POST   projects/:project/access_tokens/:id/rotate     {expires_at}: new value, new id, old revoked by GitLab
//           (POST  projects/:project/access_tokens/self/rotate   as the token itself when it has self_rotate)
//   Delete  DELETE projects/:project/access_tokens/:id, then GET until GitLab answers 404 or revoked: true
// The Terraform ID `<project>:<token id>` lives in the `id` output as well as in Pulumi's resource ID:
// Pulumi cannot change a resource ID in Update, so after a rotation the bridge finds the new token
// through the `id` output (and a refresh hands the engine the new ID).

import { is404, pathEscape, type GitLabClient } from "./gitlabClient";
import { formatDate, parseDate, plan } from "./diff";
import { ACCESS_LEVEL_VALUES, PROJECT_ACCESS_TOKEN, TYPES } from "./model";
import { containsUnknown, reveal, secret, UNKNOWN, withoutNulls, type WireMap, type WireValue } from "./propertyValues";
import { inputsFromRead } from "./readInputs";
import { parseTwoPartId, ProviderError, type CreateResult, type ReadResult, type ResourceContext } from "./resourceContext";

/** What GitLab answers for a project access token (doc/api/project_access_tokens.md). */
interface GitLabToken {
  readonly id: number;
  readonly name: string;
  readonly description?: string | null;
  readonly scopes: string[];
  readonly access_level: number;
  readonly expires_at: string | null;
  readonly created_at: string;
  readonly active: boolean;
  readonly revoked: boolean;
  readonly user_id: number;
  readonly token?: string;
}

const TYPE_NAME = "GitLab ProjectAccessToken";

export async function createProjectAccessToken(context: ResourceContext, inputs: WireMap): Promise<CreateResult> {
  const { planned } = plan({ type: TYPES.projectAccessToken, config: inputs, now: context.now() });
  const project = reveal(planned.project) as string;
  const expiresAt = reveal(planned.expiresAt) as string;
  refusePastExpiry(planned, expiresAt, context.now(), "Error creating GitLab ProjectAccessToken");
  const body: Record<string, WireValue> = { name: reveal(planned.name) };
  // Sent only when the plan knows it (upstream: `!IsNull() && !IsUnknown()`).
  if (planned.description !== undefined && !containsUnknown(planned.description)) body.description = reveal(planned.description);
  body.scopes = reveal(planned.scopes);
  body.access_level = ACCESS_LEVEL_VALUES[reveal(planned.accessLevel) as string];
  body.expires_at = expiresAt;
  const token = await call(context.client, "Error creating GitLab ProjectAccessToken", `Could not create ${TYPE_NAME}`, {
    method: "POST",
    path: `projects/${pathEscape(project)}/access_tokens`,
    body,
  });
  const outputs = stateFromToken(planned, token, project);
  return { id: outputs.id as string, outputs };
}

export async function readProjectAccessToken(context: ResourceContext, id: string, state: WireMap, oldInputs: WireMap | undefined): Promise<ReadResult | undefined> {
  const terraformId = typeof state.id === "string" ? state.id : id;
  const [project, tokenId] = parseTokenId(terraformId);
  let token: GitLabToken;
  try {
    token = await call(context.client, `Error reading ${TYPE_NAME}`, `Could not read ${TYPE_NAME}`, { method: "GET", path: `projects/${pathEscape(project)}/access_tokens/${tokenId}` });
  } catch (error) {
    if (error instanceof NotFound) return undefined;
    throw error;
  }
  const outputs = stateFromToken({ ...state, id: terraformId }, token, project);
  return { id: terraformId, outputs, inputs: inputsFromRead(PROJECT_ACCESS_TOKEN, outputs, oldInputs) };
}

export async function updateProjectAccessToken(context: ResourceContext, id: string, olds: WireMap, news: WireMap): Promise<WireMap> {
  // Upstream: "Update only triggers when `expires_at` is updated"; whatever changed in place, it rotates.
  const { planned } = plan({ type: TYPES.projectAccessToken, prior: olds, config: news, now: context.now() });
  const [project, tokenId] = parseTokenId(typeof olds.id === "string" ? olds.id : id);
  const expiresAt = reveal(planned.expiresAt) as string;
  refusePastExpiry(planned, expiresAt, context.now(), "Error updating GitLab ProjectAccessToken");
  const selfRotate = (reveal(planned.scopes) as string[]).includes("self_rotate");
  const token = selfRotate
    ? await call(context.client, `Error self rotating ${TYPE_NAME}`, `Could not self rotate ${TYPE_NAME}`, {
        method: "POST",
        path: `projects/${pathEscape(project)}/access_tokens/self/rotate`,
        body: { expires_at: expiresAt },
        asToken: reveal(olds.token) as string,
      })
    : await call(context.client, `Error rotating ${TYPE_NAME}`, `Could not rotate ${TYPE_NAME}`, {
        method: "POST",
        path: `projects/${pathEscape(project)}/access_tokens/${tokenId}/rotate`,
        body: { expires_at: expiresAt },
      });
  return stateFromToken(planned, token, reveal(planned.project) as string);
}

export async function deleteProjectAccessToken(context: ResourceContext, id: string, olds: WireMap): Promise<void> {
  const [project, tokenId] = parseTokenId(typeof olds.id === "string" ? olds.id : id);
  const path = `projects/${pathEscape(project)}/access_tokens/${tokenId}`;
  await call(context.client, "Error deleting project access token", "Could not delete project access token", { method: "DELETE", path });
  // "Deleting access token is async": wait until GitLab reports it gone or revoked.
  const deadline = Date.now() + context.deleteTimeoutMs;
  for (let wait = 500; ; wait = Math.min(wait * 2, 10_000)) {
    try {
      const token = await call<GitLabToken>(context.client, "Error deleting project access token", "Could not delete project access token", { method: "GET", path });
      if (token.revoked) return;
    } catch (error) {
      if (error instanceof NotFound) return;
      throw error;
    }
    if (Date.now() + wait > deadline) throw new ProviderError("Error deleting project access token", "Could not delete project access token, unexpected error: project access token was not deleted");
    await context.sleep(wait);
  }
}

/** projectAccessTokenToStateModel: GitLab's answer over the planned (or prior) state. */
function stateFromToken(base: WireMap, token: GitLabToken, project: string): WireMap {
  return withoutNulls({
    ...base,
    id: `${project}:${token.id}`,
    project,
    name: token.name,
    description: token.description ?? "",
    expiresAt: token.expires_at,
    createdAt: goTimeString(token.created_at),
    active: token.active,
    revoked: token.revoked,
    userId: token.user_id,
    accessLevel: Object.entries(ACCESS_LEVEL_VALUES).find(([, value]) => value === token.access_level)?.[0] ?? "",
    scopes: token.scopes,
    // "Reading the token will not return a `token` value and we don't want to override what's in state".
    token: token.token ? secret(token.token) : base.token === undefined || base.token === UNKNOWN ? undefined : secret(base.token),
    validatePastExpirationDate: base.validatePastExpirationDate,
    rotationConfiguration: base.rotationConfiguration,
  });
}

function refusePastExpiry(planned: WireMap, expiresAt: string, now: Date, summary: string): void {
  if (reveal(planned.validatePastExpirationDate) !== true) return;
  if (parseDate(expiresAt).getTime() <= now.getTime()) {
    throw new ProviderError(summary, `the expiration date ${expiresAt} is not in the future (today is ${formatDate(now)}); set expiresAt to a later date or validatePastExpirationDate to false`);
  }
}

function parseTokenId(id: string): [string, number] {
  const [project, tokenId] = parseTwoPartId(id, "<project>:<token id>");
  if (!/^\d+$/.test(tokenId)) throw new ProviderError("Error parsing access token ID", `Could not parse access token ID ${JSON.stringify(tokenId)} to int: the import ID is '<project>:<token id>', e.g. 'xlink/app:42'`);
  return [project, Number(tokenId)];
}

class NotFound extends Error {}

/** One API call; a 404 becomes NotFound (the callers decide what a missing token means), the rest a provider error. */
async function call<T = GitLabToken>(client: GitLabClient, summary: string, detail: string, spec: Parameters<GitLabClient["request"]>[0]): Promise<T> {
  try {
    return (await client.request(spec)).json as T;
  } catch (error) {
    if (is404(error) && spec.method === "GET") throw new NotFound();
    throw new ProviderError(summary, `${detail}, unexpected error: ${(error as Error).message}`);
  }
}

/** Go's time.Time.String(), which the provider stores as created_at: `2021-01-20 22:11:48.151 +0000 UTC`. */
export function goTimeString(iso: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.exec(iso);
  if (!match) return iso;
  const [, date, time, fraction = "", zone] = match;
  const trimmed = fraction.replace(/0+$/, "") === "." ? "" : fraction.replace(/0+$/, "");
  const offset = zone === "Z" ? "+0000 UTC" : `${zone.replace(":", "")} ${zone.replace(":", "")}`;
  return `${date} ${time}${trimmed} ${offset}`;
}
