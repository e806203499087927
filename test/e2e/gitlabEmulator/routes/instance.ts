// GET /user (the token's own user, a bot user for a project access token; doc/api/users.md) and
// GET /version (doc/api/version.md). Both also take a token with only `read_user`.

import { presentCurrentUser } from "../entities";
import type { Route } from "../routing";

const READ_USER_SCOPES = ["api", "read_api", "read_user"] as const;

export const instanceRoutes: readonly Route[] = [
  {
    method: "GET",
    path: "/user",
    scopes: () => READ_USER_SCOPES,
    handle: (context) => ({ status: 200, json: presentCurrentUser(context.caller.user, context.origin) }),
  },
  {
    method: "GET",
    path: "/version",
    scopes: () => READ_USER_SCOPES,
    handle: (context) => ({
      status: 200,
      json: { version: context.settings.features.version, revision: "emulator", kas: { enabled: false, externalUrl: null, externalK8sProxyUrl: null, version: null }, enterprise: false },
    }),
  },
];
