// Project CI/CD variables (doc/api/project_level_variables.md; lib/api/ci/variables.rb,
// lib/api/helpers/variables_helpers.rb, app/services/ci/change_variable_service.rb). Every route
// first needs the project and the Maintainer role (`authorize! :admin_cicd_variables`), then Grape's
// parameter checks, then the model's. One variable per key and environment scope; a key held in
// several scopes needs `filter[environment_scope]` (409 otherwise). `masked_and_hidden` exists only
// at creation (from 17.4) and a hidden variable's value is never answered.

import { DeclaredParams } from "../coercion";
import { presentVariable } from "../entities";
import { conflict, forbidden, invalidParameters, notFound, validationFailed } from "../errors";
import { pageRequest, paginated } from "../pagination";
import type { Reply, Route, RouteContext } from "../routing";
import { ACCESS, type Project, type Variable } from "../state";
import { VARIABLE_TYPES, variableErrors } from "../variableRules";
import { visibleProject } from "./projects";

/** The project, when the caller may manage its variables. */
function managedProject(context: RouteContext): { project: Project } | { reply: Reply } {
  const found = visibleProject(context);
  if ("reply" in found) return found;
  if (context.state.accessLevel(found.project, context.caller.user) < ACCESS.maintainer) return { reply: forbidden() };
  return found;
}

/** `find_variable`: the one variable with the path's key (in the filtered scope), or GitLab's answer. */
function findVariable(context: RouteContext, project: Project, declared: DeclaredParams): { variable: Variable } | { reply: Reply } {
  const scope = declared.hash("filter")?.environment_scope;
  const matches = context.state.projectVariables(project).filter((variable) => variable.key === context.pathParams.key && (scope === undefined || variable.environmentScope === scope));
  if (matches.length > 1) return { reply: conflict("There are multiple variables with provided parameters. Please use 'filter[environment_scope]'") };
  if (matches.length === 0) return { reply: notFound("Variable") };
  return { variable: matches[0] };
}

/**
 * What GET, PUT and DELETE on one variable share: the project and role checks, the endpoint's own
 * parameters (read by `readParams`, before `filter`), then the variable the path names.
 */
function locate<T>(context: RouteContext, readParams: (declared: DeclaredParams) => T): { variable: Variable; project: Project; sent: T } | { reply: Reply } {
  const managed = managedProject(context);
  if ("reply" in managed) return managed;
  const declared = new DeclaredParams(context.params);
  const sent = readParams(declared);
  const found = findVariable(context, managed.project, declared);
  if (declared.errors.length > 0) return { reply: invalidParameters(declared.errors) };
  if ("reply" in found) return found;
  return { variable: found.variable, project: managed.project, sent };
}

const CREATE_DEFAULTS = { variableType: "env_var", protected: false, masked: false, hidden: false, raw: false, environmentScope: "*", description: null as string | null };

/**
 * The attributes a create or an update sent, read in the order each endpoint declares them (which
 * orders Grape's errors); a parameter not sent is absent, so that spreading keeps what was there.
 */
function sentAttributes(declared: DeclaredParams, endpoint: "create" | "update", hiddenVariables: boolean) {
  const create = endpoint === "create";
  const read = {
    key: declared.string("key", { required: create }),
    value: declared.string("value", { required: create }),
    protected: declared.boolean("protected"),
    masked: declared.boolean("masked"),
    // Before 17.4 the parameter does not exist, and Grape drops what it does not declare.
    maskedAndHidden: create && hiddenVariables ? declared.boolean("masked_and_hidden") : undefined,
    ...(create ? {} : { environmentScope: declared.string("environment_scope") }),
    raw: declared.boolean("raw"),
    variableType: declared.choice("variable_type", VARIABLE_TYPES),
    ...(create ? { environmentScope: declared.string("environment_scope") } : {}),
    description: declared.string("description"),
  };
  return Object.fromEntries(Object.entries(read).filter(([, value]) => value !== undefined)) as Partial<typeof read>;
}

const present = (context: RouteContext) => (variable: Variable) => presentVariable(variable, context.settings.features);

export const variableRoutes: readonly Route[] = [
  {
    method: "GET",
    path: "/projects/:id/variables",
    handle(context) {
      const managed = managedProject(context);
      if ("reply" in managed) return managed.reply;
      const declared = new DeclaredParams(context.params);
      const page = pageRequest(declared);
      if (declared.errors.length > 0) return invalidParameters(declared.errors);
      return paginated(context, page, context.state.projectVariables(managed.project), present(context));
    },
  },
  {
    method: "GET",
    path: "/projects/:id/variables/:key",
    handle(context) {
      const found = locate(context, () => undefined);
      if ("reply" in found) return found.reply;
      return { status: 200, json: present(context)(found.variable) };
    },
  },
  {
    method: "POST",
    path: "/projects/:id/variables",
    handle(context) {
      const managed = managedProject(context);
      if ("reply" in managed) return managed.reply;
      const declared = new DeclaredParams(context.params);
      const { key, maskedAndHidden, ...sent } = sentAttributes(declared, "create", context.settings.features.hiddenVariables);
      if (declared.errors.length > 0 || key === undefined || sent.value === undefined) return invalidParameters(declared.errors);

      const candidate = { ...CREATE_DEFAULTS, ...sent, key: key.trim(), value: sent.value };
      // ChangeVariableService: masked_and_hidden makes the variable masked and hidden, whatever `masked` said.
      if (maskedAndHidden) Object.assign(candidate, { masked: true, hidden: true });
      const errors = variableErrors(candidate, context.state.projectVariables(managed.project));
      if (Object.keys(errors).length > 0) return validationFailed(errors);
      const variable = context.state.addVariable({ ...candidate, projectId: managed.project.id });
      return { status: 201, json: present(context)(variable) };
    },
  },
  {
    method: "PUT",
    path: "/projects/:id/variables/:key",
    handle(context) {
      const found = locate(context, (declared) => sentAttributes(declared, "update", false));
      if ("reply" in found) return found.reply;
      // Only what was sent changes; `key`, `filter`, `hidden` and `masked_and_hidden` never do here.
      const { key: _key, maskedAndHidden: _ignored, ...sent } = found.sent;
      const { id: _id, projectId: _projectId, ...before } = found.variable;
      const candidate = { ...before, ...sent };
      const errors = variableErrors(candidate, context.state.projectVariables(found.project), found.variable);
      if (Object.keys(errors).length > 0) return validationFailed(errors);
      Object.assign(found.variable, candidate);
      return { status: 200, json: present(context)(found.variable) };
    },
  },
  {
    method: "DELETE",
    path: "/projects/:id/variables/:key",
    handle(context) {
      const found = locate(context, () => undefined);
      if ("reply" in found) return found.reply;
      context.state.variables.delete(found.variable.id);
      return { status: 204 };
    },
  },
];
