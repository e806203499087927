// Test controls that act on the instance out of band, as a person in GitLab's UI or GitLab itself
// would: seed projects, users and memberships; make hand-made tokens and variables that skip every
// validation (a token with `api`, a sloppy unmasked variable); revoke or expire a token, delete a
// bot user, change or delete a variable (drift); inject faults. Nothing here goes through HTTP or
// appears in the request log.

import { addDays } from "../../../config/dates";
import type { FaultRule, Faults, InjectedFault } from "./faults";
import { ACCESS, type AccessToken, type EmulatorState, type Project, type ProjectSeed, type Variable } from "./state";

export interface MadeToken {
  readonly id: number;
  /** The secret, for the test to authenticate with or to look for in places it must not be. */
  readonly token: string;
  readonly userId: number;
}

export interface HandMadeVariable {
  readonly key: string;
  readonly value: string;
  readonly environmentScope?: string;
  readonly protected?: boolean;
  readonly masked?: boolean;
  readonly hidden?: boolean;
  readonly raw?: boolean;
  readonly variableType?: string;
  readonly description?: string | null;
}

export type VariableChange = Partial<Omit<HandMadeVariable, "key" | "environmentScope">>;

export interface EmulatorControl {
  addProject(seed: ProjectSeed): { readonly id: number; readonly path: string };
  addUser(fields: { readonly username: string; readonly name?: string; readonly admin?: boolean }): { readonly id: number; readonly username: string };
  /** Makes `userId` a member of `project` with `accessLevel` (10 … 50). */
  addMember(project: string | number, userId: number, accessLevel: number): void;
  /** A personal access token for `userId`; `expiresAt` null (the default) never expires. */
  createPersonalAccessToken(userId: number, fields: { readonly scopes: readonly string[]; readonly name?: string; readonly expiresAt?: string | null }): MadeToken;
  /** A project access token made by hand: any scopes, role and expiry, no validation. */
  createProjectAccessToken(
    project: string | number,
    fields: { readonly name: string; readonly scopes: readonly string[]; readonly accessLevel?: number; readonly expiresAt?: string | null; readonly description?: string | null; readonly revoked?: boolean },
  ): MadeToken;
  revokeToken(tokenId: number): void;
  /**
   * Expires a token now (its expiry becomes yesterday). With `deleteBotUser`, also deletes the bot
   * user, as GitLab does once an inactive token's retention period ends: the token is then gone
   * (GET and DELETE answer 404, it authenticates nothing and is listed nowhere).
   */
  expireToken(tokenId: number, options?: { readonly deleteBotUser?: boolean }): void;
  /** Deletes a project access token's bot user, and with it the token. */
  deleteBotUser(tokenId: number): void;
  /** A variable made by hand: no key, masking or uniqueness rule is checked. */
  createVariable(project: string | number, variable: HandMadeVariable): void;
  updateVariable(project: string | number, key: string, environmentScope: string, change: VariableChange): void;
  deleteVariable(project: string | number, key: string, environmentScope: string): void;
  injectFault(rule: FaultRule): InjectedFault;
  /** Faults that have hits left (a test may assert that each one fired). */
  pendingFaults(): { label: string; remaining: number }[];
  clearFaults(): void;
  /**
   * The instance upgraded in place to a later release: everything it holds is kept (a token made
   * before 17.7 keeps no description, as GitLab's migration leaves it), and the new release's
   * behaviour applies from the next request. A downgrade is refused, as GitLab cannot do one.
   */
  upgradeTo(version: string): void;
}

export function createControl(state: EmulatorState, faults: Faults, today: () => string, upgradeTo: (version: string) => void): EmulatorControl {
  const projectOf = (project: string | number): Project => {
    const found = state.project(String(project));
    if (!found) throw new Error(`GitLab emulator: no project ${String(project)}. Fix: add it first with control.addProject({ path }).`);
    return found;
  };
  const tokenOf = (tokenId: number): AccessToken => {
    const token = state.tokens.get(tokenId);
    if (!token) throw new Error(`GitLab emulator: no token with id ${tokenId} (revoked tokens stay; a deleted bot user takes its token with it).`);
    return token;
  };
  const variableOf = (project: string | number, key: string, environmentScope: string): Variable => {
    const variable = state.projectVariables(projectOf(project)).find((candidate) => candidate.key === key && candidate.environmentScope === environmentScope);
    if (!variable) throw new Error(`GitLab emulator: project ${String(project)} has no variable ${key} in environment scope ${environmentScope}.`);
    return variable;
  };
  const made = (token: AccessToken): MadeToken => ({ id: token.id, token: token.value, userId: token.userId });

  return {
    upgradeTo,
    addProject: (seed) => {
      const project = state.addProject(seed);
      return { id: project.id, path: `${project.namespacePath}/${project.path}` };
    },
    addUser: (fields) => {
      const user = state.addUser(fields);
      return { id: user.id, username: user.username };
    },
    addMember: (project, userId, accessLevel) => {
      if (!state.users.has(userId)) throw new Error(`GitLab emulator: no user with id ${userId}. Fix: add it first with control.addUser.`);
      projectOf(project).members.set(userId, accessLevel);
    },
    createPersonalAccessToken: (userId, fields) => {
      if (!state.users.has(userId)) throw new Error(`GitLab emulator: no user with id ${userId}. Fix: add it first with control.addUser.`);
      return made(state.addToken({ userId, name: fields.name ?? "personal token", description: null, scopes: [...fields.scopes], expiresAt: fields.expiresAt ?? null, previousId: null }));
    },
    createProjectAccessToken: (project, fields) =>
      made(
        state.addProjectAccessToken(projectOf(project), {
          name: fields.name,
          description: fields.description ?? null,
          scopes: fields.scopes,
          accessLevel: fields.accessLevel ?? ACCESS.maintainer,
          expiresAt: fields.expiresAt === undefined ? addDays(today(), 365) : fields.expiresAt,
          revoked: fields.revoked,
        }),
      ),
    revokeToken: (tokenId) => {
      tokenOf(tokenId).revoked = true;
    },
    expireToken: (tokenId, options = {}) => {
      const token = tokenOf(tokenId);
      token.expiresAt = addDays(today(), -1);
      if (options.deleteBotUser) deleteBot(token);
    },
    deleteBotUser: (tokenId) => deleteBot(tokenOf(tokenId)),
    createVariable: (project, variable) => {
      state.addVariable({
        projectId: projectOf(project).id,
        key: variable.key,
        value: variable.value,
        variableType: variable.variableType ?? "env_var",
        protected: variable.protected ?? false,
        masked: variable.masked ?? variable.hidden ?? false,
        hidden: variable.hidden ?? false,
        raw: variable.raw ?? false,
        environmentScope: variable.environmentScope ?? "*",
        description: variable.description ?? null,
      });
    },
    updateVariable: (project, key, environmentScope, change) => {
      Object.assign(variableOf(project, key, environmentScope), Object.fromEntries(Object.entries(change).filter(([, value]) => value !== undefined)));
    },
    deleteVariable: (project, key, environmentScope) => {
      state.variables.delete(variableOf(project, key, environmentScope).id);
    },
    injectFault: (rule) => faults.inject(rule),
    pendingFaults: () => faults.pending(),
    clearFaults: () => faults.clear(),
  };

  function deleteBot(token: AccessToken): void {
    const user = state.users.get(token.userId);
    if (user?.botOfProject === undefined) throw new Error(`GitLab emulator: token ${token.id} is a personal access token, which has no bot user.`);
    state.deleteUser(user.id);
  }
}
