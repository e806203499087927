// Every route the emulator answers. A resource added later (merge-request notes, commits) is one
// more file exporting its routes, listed here.

import type { Route } from "../routing";
import { accessTokenRoutes } from "./accessTokens";
import { instanceRoutes } from "./instance";
import { projectRoutes } from "./projects";
import { tokenRotationRoutes } from "./tokenRotation";
import { variableRoutes } from "./variables";

export const ROUTES: readonly Route[] = [...instanceRoutes, ...projectRoutes, ...accessTokenRoutes, ...tokenRotationRoutes, ...variableRoutes];
