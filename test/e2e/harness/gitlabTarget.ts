// The GitLab a scenario runs against, seen only through GitLab's REST API v4 with the API token the
// plugin uses: the emulator or a real instance answer the same calls, so a scenario written against
// this interface runs unchanged on both (docs/testing.md, "Against a real GitLab"). What only the
// emulator can do (its request log, fault injection, the values of hidden variables) is not here:
// scenarios reach it through `world.emulator`, and say so.

import { GitLabRestError, gitlabRest, projectSegment } from "./gitlabRest";

/** A project access token as GitLab lists it (`GET /projects/:id/access_tokens/:token_id`), in camelCase. */
export interface GitLabToken {
  readonly id: number;
  readonly name: string;
  /** null when none was given. */
  readonly description: string | null;
  readonly scopes: readonly string[];
  /** The bot user's role as GitLab's number (30 developer, 40 maintainer). */
  readonly accessLevel: number;
  readonly expiresAt: string | null;
  /** Not revoked and not expired. */
  readonly active: boolean;
  readonly revoked: boolean;
}

/** A CI/CD variable as GitLab returns it (`GET /projects/:id/variables/:key`), in camelCase. */
export interface GitLabVariable {
  readonly key: string;
  /** null for a hidden variable: GitLab never returns its value. */
  readonly value: string | null;
  readonly variableType: string;
  readonly protected: boolean;
  readonly masked: boolean;
  readonly hidden: boolean;
  readonly raw: boolean;
  readonly environmentScope: string;
  readonly description: string | null;
}

export interface HandMadeToken {
  readonly name: string;
  readonly scopes: readonly string[];
  /** GitLab's number: 30 developer, 40 maintainer. */
  readonly accessLevel: number;
  readonly expiresAt: string;
  readonly description?: string;
}

export interface HandMadeVariable {
  readonly key: string;
  readonly value: string;
  readonly protected?: boolean;
  readonly masked?: boolean;
  readonly raw?: boolean;
  readonly environmentScope?: string;
  readonly variableType?: string;
  readonly description?: string;
}

/** What a scenario may read and change in GitLab. Projects are full paths (or numeric ids) on the target. */
export interface GitLabTarget {
  /** The API base the program's `gitlab.baseUrl` names, e.g. `https://127.0.0.1:4321/api/v4`. */
  readonly baseUrl: string;
  /** Every project access token of the project, revoked and expired ones included, oldest first. */
  tokens(project: string | number): Promise<GitLabToken[]>;
  /** One token, or undefined when GitLab answers 404. */
  token(project: string | number, id: number): Promise<GitLabToken | undefined>;
  /** A token made as a person would in Settings > Access tokens, any scope; returns its id and value. */
  createToken(project: string | number, token: HandMadeToken): Promise<{ readonly id: number; readonly value: string }>;
  /** Revokes a token, as a person would (out of band for Pulumi). */
  revokeToken(project: string | number, id: number): Promise<void>;
  /** Every variable of the project. */
  variables(project: string | number): Promise<GitLabVariable[]>;
  /** One variable of one environment scope, or undefined when GitLab answers 404. */
  variable(project: string | number, key: string, environmentScope?: string): Promise<GitLabVariable | undefined>;
  /** A variable made by hand, as sloppily as the fields say (unprotected, unmasked by default). */
  createVariable(project: string | number, variable: HandMadeVariable): Promise<void>;
  deleteVariable(project: string | number, key: string, environmentScope?: string): Promise<void>;
}

export interface RestTargetOptions {
  /** The API base, ending in /api/v4. */
  readonly baseUrl: string;
  /** An `api` token of a user who is Maintainer (or more) in every project the scenarios use. */
  readonly token: string;
  /** PEM of a CA to trust besides the system's. */
  readonly caPem?: string;
}

export function restTarget(options: RestTargetOptions): GitLabTarget {
  const rest = gitlabRest(options);
  const tokensPath = (project: string | number) => `projects/${projectSegment(project)}/access_tokens`;
  const variablesPath = (project: string | number) => `projects/${projectSegment(project)}/variables`;
  const scoped = (environmentScope: string) => ({ "filter[environment_scope]": environmentScope });
  return {
    baseUrl: options.baseUrl.replace(/\/$/, ""),
    tokens: async (project) => (await rest.list(tokensPath(project))).map(tokenOf).sort((a, b) => a.id - b.id),
    token: async (project, id) => orUndefined(async () => tokenOf((await rest.call("GET", `${tokensPath(project)}/${id}`)).json)),
    async createToken(project, token) {
      const json = { name: token.name, scopes: token.scopes, access_level: token.accessLevel, expires_at: token.expiresAt, ...(token.description === undefined ? {} : { description: token.description }) };
      const created = (await rest.call("POST", tokensPath(project), { json })).json as { id: number; token: string };
      return { id: created.id, value: created.token };
    },
    async revokeToken(project, id) {
      await rest.call("DELETE", `${tokensPath(project)}/${id}`);
    },
    variables: async (project) => (await rest.list(variablesPath(project))).map(variableOf),
    variable: async (project, key, environmentScope = "*") => orUndefined(async () => variableOf((await rest.call("GET", `${variablesPath(project)}/${key}`, { query: scoped(environmentScope) })).json)),
    async createVariable(project, variable) {
      await rest.call("POST", variablesPath(project), {
        json: {
          key: variable.key,
          value: variable.value,
          protected: variable.protected ?? false,
          masked: variable.masked ?? false,
          raw: variable.raw ?? false,
          environment_scope: variable.environmentScope ?? "*",
          variable_type: variable.variableType ?? "env_var",
          ...(variable.description === undefined ? {} : { description: variable.description }),
        },
      });
    },
    async deleteVariable(project, key, environmentScope = "*") {
      await rest.call("DELETE", `${variablesPath(project)}/${key}`, { query: scoped(environmentScope) });
    },
  };
}

/** What `read` returns, or undefined when GitLab answered 404. */
async function orUndefined<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof GitLabRestError && error.status === 404) return undefined;
    throw error;
  }
}

function tokenOf(json: unknown): GitLabToken {
  const token = json as Record<string, unknown>;
  return {
    id: token.id as number,
    name: token.name as string,
    description: (token.description as string | null | undefined) ?? null,
    scopes: token.scopes as string[],
    accessLevel: token.access_level as number,
    expiresAt: token.expires_at as string | null,
    active: token.active as boolean,
    revoked: token.revoked as boolean,
  };
}

function variableOf(json: unknown): GitLabVariable {
  const variable = json as Record<string, unknown>;
  return {
    key: variable.key as string,
    value: variable.value as string | null,
    variableType: variable.variable_type as string,
    protected: variable.protected as boolean,
    masked: variable.masked as boolean,
    // Absent before GitLab 17.4, which had no hidden variables.
    hidden: (variable.hidden as boolean | undefined) ?? false,
    raw: variable.raw as boolean,
    environmentScope: variable.environment_scope as string,
    description: (variable.description as string | null | undefined) ?? null,
  };
}
