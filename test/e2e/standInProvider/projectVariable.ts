// gitlab:index/projectVariable:ProjectVariable against GitLab's REST API, following upstream
// terraform-provider-gitlab internal/provider/resource_gitlab_project_variable.go (framework version,
// schema version 1) and doc/api/project_level_variables.md:
//   Create  POST   projects/:project/variables        {key, value, description, environment_scope, masked,
//                                                     masked_and_hidden?, protected?, raw, variable_type?}
//           a hidden variable is created with masked: false and masked_and_hidden: true
//   Read    GET    projects/:project/variables/:key?filter[environment_scope]=<scope>   404 drops it
//   Update  PUT    projects/:project/variables/:key?filter[environment_scope]=<scope>
//                                                     {value, description, environment_scope, masked, protected?, raw, variable_type?}
//   Delete  DELETE projects/:project/variables/:key?filter[environment_scope]=<scope>   404 counts as deleted
// Optional inputs the program leaves out are sent as Go's zero values where upstream dereferences an
// unknown plan value (masked and raw false, description ""), and not sent where upstream checks
// IsUnknown first (protected, variable_type). GitLab never returns a hidden variable's value: the
// state keeps the one Pulumi set.

import { is404, pathEscape, type GitLabClient, type RequestSpec } from "./gitlabClient";
import { plan } from "./diff";
import { PROJECT_VARIABLE, TYPES } from "./model";
import { containsUnknown, reveal, secretLike, withoutNulls, type WireMap, type WireValue } from "./propertyValues";
import { inputsFromRead } from "./readInputs";
import { parseTwoPartId, ProviderError, type CreateResult, type ReadResult, type ResourceContext } from "./resourceContext";

/** What GitLab answers for a project variable. */
interface GitLabVariable {
  readonly key: string;
  readonly value: string | null;
  readonly variable_type: string;
  readonly protected: boolean;
  readonly masked: boolean;
  readonly hidden?: boolean;
  readonly raw: boolean;
  readonly environment_scope: string;
  readonly description: string | null;
}

export async function createProjectVariable(context: ResourceContext, inputs: WireMap): Promise<CreateResult> {
  const { planned } = plan({ type: TYPES.projectVariable, config: inputs, now: context.now() });
  const project = text(planned.project);
  const body: Record<string, WireValue> = { key: text(planned.key), ...settingsBody(planned) };
  // masked_and_hidden exists only at creation; the variable is then masked and hidden at once.
  if (flag(planned.hidden)) Object.assign(body, { masked: false, masked_and_hidden: true });
  const variable = await call(context.client, "create", { method: "POST", path: `projects/${pathEscape(project)}/variables`, body }, flag(planned.masked));
  const outputs = stateFromVariable(planned, variable, project);
  return { id: outputs.id as string, outputs };
}

export async function readProjectVariable(context: ResourceContext, id: string, state: WireMap, oldInputs: WireMap | undefined): Promise<ReadResult | undefined> {
  const terraformId = typeof state.id === "string" ? state.id : id;
  const [project, keyAndScope] = parseTwoPartId(terraformId, "<project>:<key>:<environment_scope>");
  const at = keyAndScope.indexOf(":");
  const [key, scope] = at < 0 ? [keyAndScope, "*"] : [keyAndScope.slice(0, at), keyAndScope.slice(at + 1)];
  let variable: GitLabVariable;
  try {
    variable = await call(context.client, "read", { method: "GET", path: variablePath(project, key), query: scopeFilter(scope) }, flag(state.masked));
  } catch (error) {
    if (error instanceof NotFound) return undefined;
    throw error;
  }
  const base: WireMap = { ...state };
  if (base.value === undefined && oldInputs?.value !== undefined) base.value = oldInputs.value;
  const outputs = stateFromVariable(base, variable, project);
  return { id: outputs.id as string, outputs, inputs: inputsFromRead(PROJECT_VARIABLE, outputs, oldInputs) };
}

export async function updateProjectVariable(context: ResourceContext, olds: WireMap, news: WireMap): Promise<WireMap> {
  const { planned } = plan({ type: TYPES.projectVariable, prior: olds, config: news, now: context.now() });
  const project = text(planned.project);
  const body = settingsBody(planned);
  const variable = await call(
    context.client,
    "update",
    { method: "PUT", path: variablePath(project, text(planned.key)), query: scopeFilter(text(planned.environmentScope)), body },
    flag(planned.masked),
  );
  return stateFromVariable(planned, variable, project);
}

export async function deleteProjectVariable(context: ResourceContext, olds: WireMap): Promise<void> {
  try {
    await call(context.client, "delete", { method: "DELETE", path: variablePath(text(olds.project), text(olds.key)), query: scopeFilter(text(olds.environmentScope)) }, flag(olds.masked));
  } catch (error) {
    // "The variable was not found, assuming deleted."
    if (error instanceof NotFound) return;
    throw error;
  }
}

/** projectVariableToStateModel: GitLab's answer over the planned (or prior) state; the value keeps its secretness. */
function stateFromVariable(base: WireMap, variable: GitLabVariable, project: string): WireMap {
  const hidden = variable.hidden ?? false;
  return withoutNulls({
    ...base,
    id: `${project}:${variable.key}:${variable.environment_scope}`,
    project,
    key: variable.key,
    // "API response for hidden project variables is always null": keep the value Pulumi set.
    value: hidden ? base.value : secretLike(variable.value ?? "", base.value),
    variableType: variable.variable_type,
    protected: variable.protected,
    masked: variable.masked,
    hidden,
    environmentScope: variable.environment_scope,
    raw: variable.raw,
    description: variable.description ?? "",
  });
}

/** The fields Create and Update both send, as upstream fills CreateProjectVariableOptions / UpdateProjectVariableOptions. */
function settingsBody(planned: WireMap): Record<string, WireValue> {
  const body: Record<string, WireValue> = {
    value: text(planned.value),
    description: text(planned.description),
    environment_scope: text(planned.environmentScope),
    masked: flag(planned.masked),
  };
  if (isKnown(planned.protected)) body.protected = flag(planned.protected);
  body.raw = flag(planned.raw);
  if (isKnown(planned.variableType)) body.variable_type = text(planned.variableType);
  return body;
}

const variablePath = (project: string, key: string) => `projects/${pathEscape(project)}/variables/${pathEscape(key)}`;
const scopeFilter = (scope: string) => ({ "filter[environment_scope]": scope });

/** A plan value as Go's ValueString() reads it: "" when unknown or null. */
function text(value: WireValue | undefined): string {
  const revealed = value === undefined || containsUnknown(value) ? "" : reveal(value);
  return typeof revealed === "string" ? revealed : "";
}

/** A plan value as Go's ValueBool() reads it: false when unknown or null. */
function flag(value: WireValue | undefined): boolean {
  return value !== undefined && !containsUnknown(value) && reveal(value) === true;
}

const isKnown = (value: WireValue | undefined) => value !== undefined && value !== null && !containsUnknown(value);

class NotFound extends Error {}

const SUMMARY_MASKED = "Invalid value for a masked variable";

/** One API call; a 404 on GET or DELETE becomes NotFound, the rest the provider's error, wording as upstream. */
async function call(client: GitLabClient, action: string, spec: RequestSpec, masked: boolean): Promise<GitLabVariable> {
  try {
    return (await client.request(spec)).json as GitLabVariable;
  } catch (error) {
    if (is404(error) && (spec.method === "GET" || spec.method === "DELETE")) throw new NotFound();
    const message = (error as Error).message;
    // utils.AugmentVariableClientError: GitLab's 400 on a value it cannot mask gets an explanation.
    if (masked && / 400 /.test(message) && /value/i.test(message)) {
      throw new ProviderError(SUMMARY_MASKED, `${message}; a masked value must meet GitLab's masking requirements (a single line of at least 8 characters, no spaces): https://docs.gitlab.com/ci/variables/#mask-a-cicd-variable`);
    }
    throw new ProviderError("GitLab API error occurred", `Unable to ${action} project variable: ${message}`);
  }
}
