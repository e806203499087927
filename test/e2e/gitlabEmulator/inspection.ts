// Test-only views of the whole state, secrets included: copies, never live records, in the
// emulator's own camelCase shape (not GitLab's wire format), so tests can check what GitLab holds.

import { fullPathOf, isActive, type AccessToken, type EmulatorState, type Variable } from "./state";

export interface TokenSnapshot {
  readonly id: number;
  readonly userId: number;
  /** The project of a project access token; null for a personal access token. */
  readonly projectId: number | null;
  readonly name: string;
  readonly description: string | null;
  readonly scopes: readonly string[];
  /** The bot user's role in its project; null for a personal access token. */
  readonly accessLevel: number | null;
  readonly expiresAt: string | null;
  readonly createdAt: string;
  readonly revoked: boolean;
  /** Not revoked and not expired, by the emulator's clock. */
  readonly active: boolean;
  readonly lastUsedAt: string | null;
  readonly previousId: number | null;
  /** The secret itself. */
  readonly value: string;
}

export type VariableSnapshot = Readonly<Omit<Variable, "id">>;

export interface ProjectSnapshot {
  readonly id: number;
  readonly path: string;
  readonly members: Readonly<Record<number, number>>;
}

export interface StateSnapshot {
  readonly users: readonly { readonly id: number; readonly username: string; readonly name: string; readonly admin: boolean; readonly botOfProject: number | null }[];
  readonly projects: readonly ProjectSnapshot[];
  readonly tokens: readonly TokenSnapshot[];
  readonly variables: readonly VariableSnapshot[];
}

export interface EmulatorStateView {
  /** Everything, secrets included. */
  snapshot(): StateSnapshot;
  /** Tokens, oldest first: of one project (by id or path), or all of them. */
  tokens(project?: string | number): TokenSnapshot[];
  token(id: number): TokenSnapshot | undefined;
  /** Variables, oldest first: of one project (by id or path), or all of them. */
  variables(project?: string | number): VariableSnapshot[];
  variable(project: string | number, key: string, environmentScope?: string): VariableSnapshot | undefined;
  project(idOrPath: string | number): ProjectSnapshot | undefined;
}

export function stateView(state: EmulatorState, today: () => string): EmulatorStateView {
  const tokenSnapshot = (token: AccessToken): TokenSnapshot => {
    const projectId = state.users.get(token.userId)?.botOfProject ?? null;
    const project = projectId === null ? undefined : state.projects.get(projectId);
    return { ...token, scopes: [...token.scopes], projectId, accessLevel: project?.members.get(token.userId) ?? null, active: isActive(token, today()) };
  };
  const variableSnapshot = ({ id: _id, ...variable }: Variable): VariableSnapshot => ({ ...variable });
  const projectOf = (idOrPath: string | number) => state.project(String(idOrPath));
  const view: EmulatorStateView = {
    snapshot: () => ({
      users: [...state.users.values()].map((user) => ({ id: user.id, username: user.username, name: user.name, admin: user.admin, botOfProject: user.botOfProject ?? null })),
      projects: [...state.projects.values()].map((project) => view.project(project.id)!),
      tokens: view.tokens(),
      variables: view.variables(),
    }),
    tokens: (project) => {
      if (project === undefined) return [...state.tokens.values()].sort((a, b) => a.id - b.id).map(tokenSnapshot);
      const found = projectOf(project);
      return found ? state.projectTokens(found).map(tokenSnapshot) : [];
    },
    token: (id) => {
      const token = state.tokens.get(id);
      return token ? tokenSnapshot(token) : undefined;
    },
    variables: (project) => {
      if (project === undefined) return [...state.variables.values()].sort((a, b) => a.id - b.id).map(variableSnapshot);
      const found = projectOf(project);
      return found ? state.projectVariables(found).map(variableSnapshot) : [];
    },
    variable: (project, key, environmentScope = "*") => view.variables(project).find((variable) => variable.key === key && variable.environmentScope === environmentScope),
    project: (idOrPath) => {
      const project = projectOf(idOrPath);
      return project ? { id: project.id, path: fullPathOf(project), members: Object.fromEntries(project.members) } : undefined;
    },
  };
  return view;
}
