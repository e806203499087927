// GET /projects/:id, and the project lookup every project route shares: a numeric id or a URL-encoded
// full path (matched case-insensitively), visible to administrators and members only; anything
// else answers "404 Project Not Found", as GitLab does for a private project (doc/api/projects.md).

import { presentProject } from "../entities";
import { notFound } from "../errors";
import type { Reply, Route, RouteContext } from "../routing";
import type { Project } from "../state";

/** The project the `:id` path parameter names, if the caller may see it. */
export function visibleProject(context: RouteContext): { project: Project } | { reply: Reply } {
  const project = context.state.project(context.pathParams.id);
  if (!project || context.state.accessLevel(project, context.caller.user) === 0) return { reply: notFound("Project") };
  return { project };
}

export const projectRoutes: readonly Route[] = [
  {
    method: "GET",
    path: "/projects/:id",
    handle(context) {
      const found = visibleProject(context);
      if ("reply" in found) return found.reply;
      return { status: 200, json: presentProject(found.project, context.origin) };
    },
  },
];
