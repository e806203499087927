// The emulated instance's data: users (people and project bots), projects with their members,
// access tokens (personal and project) and CI/CD variables. Plain records and the queries the routes
// share; no HTTP here. A project access token belongs to its bot user, as in GitLab: deleting the
// bot user deletes its tokens.

import { randomBytes } from "node:crypto";

/** GitLab's access levels as numbers on the wire (doc/api/members.md, project_access_tokens.md). */
export const ACCESS = { guest: 10, planner: 15, reporter: 20, developer: 30, maintainer: 40, owner: 50 } as const;

export interface User {
  readonly id: number;
  readonly username: string;
  name: string;
  readonly admin: boolean;
  /** Set for a project access token's bot user: the project it belongs to. */
  readonly botOfProject?: number;
  readonly createdAt: string;
}

export interface Project {
  readonly id: number;
  readonly name: string;
  readonly path: string;
  /** `group/subgroup`: everything before the last segment of the full path. */
  readonly namespacePath: string;
  readonly createdAt: string;
  readonly defaultBranch: string;
  /** User id → access level. */
  readonly members: Map<number, number>;
}

export interface AccessToken {
  readonly id: number;
  readonly userId: number;
  readonly name: string;
  /** null when none was given (and always before 17.7). */
  readonly description: string | null;
  readonly scopes: readonly string[];
  /** YYYY-MM-DD; the token stops working at the start of that day, UTC. null: never expires. */
  expiresAt: string | null;
  readonly createdAt: string;
  revoked: boolean;
  lastUsedAt: string | null;
  /** The token this one was rotated from: the chain is GitLab's "token family". */
  readonly previousId: number | null;
  /** The secret. Only state inspection (test-only) and the create/rotate answers carry it. */
  readonly value: string;
}

export interface Variable {
  readonly id: number;
  readonly projectId: number;
  key: string;
  value: string;
  variableType: string;
  protected: boolean;
  masked: boolean;
  hidden: boolean;
  raw: boolean;
  environmentScope: string;
  description: string | null;
}

export interface ProjectSeed {
  /** Full path such as `xlink/infra`. */
  readonly path: string;
  readonly name?: string;
  readonly defaultBranch?: string;
}

/** The instance administrator created at start; its id is 1, as on a fresh GitLab. */
export const ROOT_USER_ID = 1;

export class EmulatorState {
  readonly users = new Map<number, User>();
  readonly projects = new Map<number, Project>();
  readonly tokens = new Map<number, AccessToken>();
  readonly variables = new Map<number, Variable>();
  // Separate ranges so that a client mixing up a project id and a token id is caught, not lucky.
  private nextUserId = 1;
  private nextProjectId = 1001;
  private nextTokenId = 20001;
  private nextVariableId = 1;

  constructor(private readonly now: () => Date) {}

  addUser(fields: { username: string; name?: string; admin?: boolean; botOfProject?: number }): User {
    if (this.userByUsername(fields.username)) throw new Error(`GitLab emulator: a user named ${fields.username} exists already. Fix: choose another username.`);
    const user: User = {
      id: this.nextUserId++,
      username: fields.username,
      name: fields.name ?? fields.username,
      admin: fields.admin ?? false,
      ...(fields.botOfProject === undefined ? {} : { botOfProject: fields.botOfProject }),
      createdAt: this.now().toISOString(),
    };
    this.users.set(user.id, user);
    return user;
  }

  addProject(seed: ProjectSeed): Project {
    const segments = seed.path.split("/");
    if (segments.length < 2 || segments.some((segment) => !/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(segment))) {
      throw new Error(`GitLab emulator: project path ${JSON.stringify(seed.path)} is not namespace/project. Fix: pass a full path such as "xlink/infra".`);
    }
    if (this.projectByPath(seed.path)) throw new Error(`GitLab emulator: project ${seed.path} exists already. Fix: choose another path.`);
    const path = segments[segments.length - 1];
    const project: Project = {
      id: this.nextProjectId++,
      name: seed.name ?? path,
      path,
      namespacePath: segments.slice(0, -1).join("/"),
      createdAt: this.now().toISOString(),
      defaultBranch: seed.defaultBranch ?? "main",
      members: new Map(),
    };
    this.projects.set(project.id, project);
    return project;
  }

  addToken(fields: Omit<AccessToken, "id" | "value" | "createdAt" | "lastUsedAt" | "revoked"> & { revoked?: boolean }): AccessToken {
    const token: AccessToken = {
      ...fields,
      id: this.nextTokenId++,
      value: this.newTokenValue(),
      createdAt: this.now().toISOString(),
      lastUsedAt: null,
      revoked: fields.revoked ?? false,
    };
    this.tokens.set(token.id, token);
    return token;
  }

  addVariable(fields: Omit<Variable, "id">): Variable {
    const variable: Variable = { ...fields, id: this.nextVariableId++ };
    this.variables.set(variable.id, variable);
    return variable;
  }

  /**
   * A project access token as GitLab makes one: a bot user named after the token
   * (`project_<id>_bot_<random>`), a member of the project at `accessLevel`, holding the token.
   */
  addProjectAccessToken(project: Project, fields: { name: string; description: string | null; scopes: readonly string[]; accessLevel: number; expiresAt: string | null; revoked?: boolean }): AccessToken {
    const bot = this.addUser({ username: `project_${project.id}_bot_${randomBytes(16).toString("hex")}`, name: fields.name, botOfProject: project.id });
    project.members.set(bot.id, fields.accessLevel);
    return this.addToken({ userId: bot.id, name: fields.name, description: fields.description, scopes: [...fields.scopes], expiresAt: fields.expiresAt, previousId: null, revoked: fields.revoked });
  }

  /** Removes a user with its memberships and tokens (GitLab deletes a bot user's tokens with it). */
  deleteUser(userId: number): void {
    this.users.delete(userId);
    for (const project of this.projects.values()) project.members.delete(userId);
    for (const token of [...this.tokens.values()]) if (token.userId === userId) this.tokens.delete(token.id);
  }

  userByUsername(username: string): User | undefined {
    return [...this.users.values()].find((user) => user.username === username);
  }

  /** A project by numeric id or full path; paths match case-insensitively, as GitLab's do. */
  project(idOrPath: string): Project | undefined {
    if (/^\d+$/.test(idOrPath)) return this.projects.get(Number(idOrPath));
    return this.projectByPath(idOrPath);
  }

  projectByPath(fullPath: string): Project | undefined {
    const wanted = fullPath.toLowerCase();
    return [...this.projects.values()].find((project) => fullPathOf(project).toLowerCase() === wanted);
  }

  tokenByValue(value: string): AccessToken | undefined {
    return [...this.tokens.values()].find((token) => token.value === value);
  }

  /** The access level `user` has in `project`: an administrator counts as Owner everywhere. */
  accessLevel(project: Project, user: User): number {
    if (user.admin) return ACCESS.owner;
    return project.members.get(user.id) ?? 0;
  }

  /** The project access tokens of `project`: every token of its bot users, oldest first. */
  projectTokens(project: Project): AccessToken[] {
    return [...this.tokens.values()].filter((token) => this.users.get(token.userId)?.botOfProject === project.id).sort((a, b) => a.id - b.id);
  }

  /** Every token rotated from or into `token`, itself included. */
  tokenFamily(token: AccessToken): AccessToken[] {
    const family = new Set<number>([token.id]);
    const pending = [token.id];
    while (pending.length > 0) {
      const id = pending.pop()!;
      const current = this.tokens.get(id);
      // A token's parent, and the tokens whose parent it is.
      const neighbours = [...this.tokens.values()].filter((other) => other.previousId === id).map((other) => other.id);
      if (current?.previousId != null && this.tokens.has(current.previousId)) neighbours.push(current.previousId);
      for (const neighbour of neighbours) {
        if (!family.has(neighbour)) {
          family.add(neighbour);
          pending.push(neighbour);
        }
      }
    }
    return [...family].map((id) => this.tokens.get(id)!).sort((a, b) => a.id - b.id);
  }

  projectVariables(project: Project): Variable[] {
    return [...this.variables.values()].filter((variable) => variable.projectId === project.id).sort((a, b) => a.id - b.id);
  }

  private newTokenValue(): string {
    // `glpat-` and 20 characters: the shape of a legacy personal access token, which the project's
    // redaction recognises. Random, so no two runs share a value.
    for (;;) {
      const value = `glpat-${randomBytes(15).toString("base64url")}`;
      if (!this.tokenByValue(value)) return value;
    }
  }
}

export function fullPathOf(project: Project): string {
  return `${project.namespacePath}/${project.path}`;
}

/** True once `today` (YYYY-MM-DD, UTC) has reached the token's expiry date. */
export function isExpired(token: AccessToken, today: string): boolean {
  return token.expiresAt !== null && today >= token.expiresAt;
}

export function isActive(token: AccessToken, today: string): boolean {
  return !token.revoked && !isExpired(token, today);
}
