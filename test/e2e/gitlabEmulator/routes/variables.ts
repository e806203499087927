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
      const managed = managedProject(context);
      if ("reply" in managed) return managed.reply;
      const declared = new DeclaredParams(context.params);
      const found = findVariable(context, managed.project, declared);
      if (declared.errors.length > 0) return invalidParameters(declared.errors);
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
      const key = declared.string("key", { required: true });
      const value = declared.string("value", { required: true });
      const isProtected = declared.boolean("protected");
      const masked = declared.boolean("masked");
      // Before 17.4 the parameter does not exist, and Grape drops what it does not declare.
      const maskedAndHidden = context.settings.features.hiddenVariables ? declared.boolean("masked_and_hidden") : undefined;
      const raw = declared.boolean("raw");
      const variableType = declared.choice("variable_type", VARIABLE_TYPES);
      const environmentScope = declared.string("environment_scope");
      const description = declared.string("description");
      if (declared.errors.length > 0 || key === undefined || value === undefined) return invalidParameters(declared.errors);

      const hidden = maskedAndHidden === true;
      const candidate = {
        key: key.trim(),
        value,
        variableType: variableType ?? "env_var",
        protected: isProtected ?? false,
        // ChangeVariableService: masked_and_hidden makes the variable masked and hidden, whatever `masked` said.
        masked: hidden || (masked ?? false),
        hidden,
        raw: raw ?? false,
        environmentScope: environmentScope ?? "*",
        description: description ?? null,
      };
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
      const managed = managedProject(context);
      if ("reply" in managed) return managed.reply;
      const declared = new DeclaredParams(context.params);
      declared.string("key");
      const value = declared.string("value");
      const isProtected = declared.boolean("protected");
      const masked = declared.boolean("masked");
      const environmentScope = declared.string("environment_scope");
      const raw = declared.boolean("raw");
      const variableType = declared.choice("variable_type", VARIABLE_TYPES);
      const description = declared.string("description");
      const found = findVariable(context, managed.project, declared);
      if (declared.errors.length > 0) return invalidParameters(declared.errors);
      if ("reply" in found) return found.reply;

      const before = found.variable;
      // Only what was sent changes; `key`, `filter`, `hidden` and `masked_and_hidden` never do here.
      const candidate = {
        key: before.key,
        value: value ?? before.value,
        variableType: variableType ?? before.variableType,
        protected: isProtected ?? before.protected,
        masked: masked ?? before.masked,
        hidden: before.hidden,
        raw: raw ?? before.raw,
        environmentScope: environmentScope ?? before.environmentScope,
        description: description ?? before.description,
      };
      const errors = variableErrors(candidate, context.state.projectVariables(managed.project), before);
      if (Object.keys(errors).length > 0) return validationFailed(errors);
      Object.assign(before, candidate);
      return { status: 200, json: present(context)(before) };
    },
  },
  {
    method: "DELETE",
    path: "/projects/:id/variables/:key",
    handle(context) {
      const managed = managedProject(context);
      if ("reply" in managed) return managed.reply;
      const declared = new DeclaredParams(context.params);
      const found = findVariable(context, managed.project, declared);
      if (declared.errors.length > 0) return invalidParameters(declared.errors);
      if ("reply" in found) return found.reply;
      context.state.variables.delete(found.variable.id);
      return { status: 204 };
    },
  },
];
