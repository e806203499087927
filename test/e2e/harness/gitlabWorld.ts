// One GitLab world for a scenario suite: the GitLab (the emulator, or a real instance when the
// GITLAB_E2E_* switch says so: e2eMode.ts), the `gitlab` plugin installed as 10.1.1 (the stand-in on
// the emulator, the official one against a real GitLab), and an engine environment whose CLI runs
// carry GITLAB_TOKEN and the CA to trust. Scenarios declare their projects by name, write configs
// with `world.project(name)`, read and change GitLab through `world.target` (REST only), and reach
// what only the emulator can do through `world.emulator`, which is undefined against a real GitLab.
//
//   const world = await startGitLabWorld({ projects: ["xlink-k8s-gitops", "xlink-app"] });
//   after(() => world.close());
//   const stack = await world.stack("dev", [{ name: "GITLAB_CI_PUSHER", project: world.project("xlink-k8s-gitops"), … }]);
//   await stack.up(CI_FLAGS);
//   await world.target.tokens(world.project("xlink-k8s-gitops"));
//
// Each suite file starts its own world (its own emulator, PULUMI_HOME and backend), so files run in
// parallel (`--test-concurrency=2`).

import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { GITLAB_PROVIDER_VERSION } from "../../../infra/gitlab/wire";
import pushTokenStack = require("../../../infra/index");
import { startGitLabEmulator, type GitLabEmulator, type GitLabEmulatorOptions } from "../gitlabEmulator";
import { buildStandInProviderPackage } from "../standInProvider/pluginPackage";
import { createEngineEnv, type EngineEnv } from "./engineEnv";
import { e2eMode, type E2eMode } from "./e2eMode";
import { gitlabRest, projectSegment } from "./gitlabRest";
import { restTarget, type GitLabTarget } from "./gitlabTarget";
import { E2eStack, type OperationOptions } from "./stack";
import { makeTempRoot, removeTempRoot } from "./tempRoots";

const PROJECT = "gitlab-push-tokens";

/** The flags the pipeline passes to `pulumi preview` and `pulumi up` (.gitlab-ci.yml): the policy pack and its config. */
export const AS_CI_RUNS_IT: OperationOptions = { policyPacks: ["policy"], policyPackConfigs: ["policy-config.json"] };

export interface WorldOptions {
  /** The projects the suite uses, by name (`xlink-app`): seeded in the emulator, created in the real GitLab's group. */
  readonly projects: readonly string[];
  /** The emulator's options (release, clock, maximum token lifetime); ignored against a real GitLab. */
  readonly emulator?: Omit<GitLabEmulatorOptions, "projects">;
}

export interface GitLabWorld {
  readonly mode: E2eMode;
  /** GitLab through its REST API, with the API token the plugin uses. */
  readonly target: GitLabTarget;
  /** The emulator's handle (request log, faults, state with secrets); undefined against a real GitLab. */
  readonly emulator: GitLabEmulator | undefined;
  readonly env: EngineEnv;
  /** The API token the plugin authenticates with (GITLAB_TOKEN of every CLI run): a secret to look for where it must not be. */
  readonly apiToken: string;
  /** The full path of a declared project on this GitLab: `xlink/xlink-app` on the emulator, `<group>/e2e-<run>-xlink-app` on a real one. */
  project(name: string): string;
  /** Its numeric id. */
  projectId(name: string): number;
  /** The full paths of every declared project. */
  readonly projectPaths: readonly string[];
  /** A stack of the project's program (infra/index.ts) on this GitLab: `gitlab.baseUrl` is the target's, the rest is `config`. */
  stack(name: string, config: StackConfig): Promise<E2eStack>;
  /** Removes everything the world made: the engine environment, and the emulator or the real GitLab's projects; then, on the emulator, fails if any request hit an unknown route. */
  close(): Promise<void>;
}

/** The stack file's keys of the program's namespace, without the namespace (`pushTokens`, `expiryWarningDays`). */
export interface StackConfig {
  readonly pushTokens: unknown;
  readonly [key: string]: unknown;
}

export async function startGitLabWorld(options: WorldOptions): Promise<GitLabWorld> {
  const mode = e2eMode();
  // The inline program runs in this process: a developer's own GITLAB_TOKEN must never reach the
  // provider (the program would pass it as the provider's token). The plugin gets the world's.
  delete process.env.GITLAB_TOKEN;
  const scratch = makeTempRoot("gitlab-world-");
  const undo: (() => Promise<void> | void)[] = [() => removeTempRoot(scratch)];
  const unwind = async () => {
    for (const step of undo.reverse()) await step();
  };
  try {
    const gitlab = mode.kind === "emulator" ? await emulatorGitLab(options) : await realGitLab(mode, options.projects);
    undo.push(gitlab.close);
    const env = await createEngineEnv({ vars: { GITLAB_TOKEN: gitlab.apiToken, ...gitlab.vars } });
    undo.push(() => env.cleanup());
    if (mode.kind === "emulator") {
      await env.installGitLabPlugin(await buildStandInProviderPackage(path.join(scratch, "plugin"), { nodePath: process.execPath }));
    } else if (mode.plugin !== undefined) {
      await env.installGitLabPlugin(mode.plugin);
    } else {
      const install = await env.pulumi(["plugin", "install", "resource", "gitlab", GITLAB_PROVIDER_VERSION]);
      if (install.code !== 0) throw new Error(`pulumi plugin install resource gitlab ${GITLAB_PROVIDER_VERSION} failed: ${install.stderr.trim()}. Fix: set GITLAB_E2E_PLUGIN to the plugin's tarball.`);
    }

    const project = (name: string) => gitlab.projects.get(name)?.path ?? unknownProject(name, gitlab.projects);
    return {
      mode,
      target: gitlab.target,
      emulator: gitlab.emulator,
      env,
      apiToken: gitlab.apiToken,
      project,
      projectId: (name) => gitlab.projects.get(name)?.id ?? unknownProject(name, gitlab.projects),
      projectPaths: [...gitlab.projects.values()].map((each) => each.path),
      stack: (name, config) =>
        E2eStack.create(env, {
          name,
          program: async () => pushTokenStack(),
          config: { [`${PROJECT}:gitlab`]: { baseUrl: gitlab.target.baseUrl }, ...Object.fromEntries(Object.entries(config).map(([key, value]) => [`${PROJECT}:${key}`, value])) },
        }),
      async close() {
        await unwind();
        gitlab.emulator?.assertNoUnknownRoutes();
      },
    };
  } catch (error) {
    await unwind();
    throw error;
  }
}

interface WorldGitLab {
  readonly target: GitLabTarget;
  readonly emulator: GitLabEmulator | undefined;
  readonly apiToken: string;
  /** Variables every CLI run needs to reach this GitLab (the CA to trust). */
  readonly vars: Readonly<Record<string, string>>;
  readonly projects: ReadonlyMap<string, { readonly path: string; readonly id: number }>;
  close(): Promise<void>;
}

async function emulatorGitLab(options: WorldOptions): Promise<WorldGitLab> {
  const emulator = await startGitLabEmulator({ ...options.emulator, projects: options.projects.map((name) => ({ path: `xlink/${name}` })) });
  const projects = new Map(options.projects.map((name) => [name, { path: `xlink/${name}`, id: emulator.state.project(`xlink/${name}`)!.id }]));
  return {
    target: restTarget({ baseUrl: emulator.baseUrl, token: emulator.apiToken, caPem: emulator.caPem }),
    emulator,
    apiToken: emulator.apiToken,
    // Node.js plugins (the stand-in) read NODE_EXTRA_CA_CERTS, Go ones (the official) SSL_CERT_FILE.
    vars: { NODE_EXTRA_CA_CERTS: emulator.caPath, SSL_CERT_FILE: emulator.caPath },
    projects,
    close: () => emulator.close(),
  };
}

/**
 * A real GitLab: the run's projects are created in the throwaway group as `e2e-<run>-<name>` and
 * deleted at the end (with them, every token and variable a failed scenario left behind).
 */
async function realGitLab(mode: Extract<E2eMode, { kind: "gitlab" }>, names: readonly string[]): Promise<WorldGitLab> {
  const caPem = mode.caFile === undefined ? undefined : readFileSync(mode.caFile, "utf8");
  const rest = gitlabRest({ baseUrl: mode.baseUrl, token: mode.token, caPem });
  const group = (await rest.call("GET", `groups/${projectSegment(mode.group)}`)).json as { id: number; full_path: string };
  const run = `e2e-${randomBytes(3).toString("hex")}`;
  const projects = new Map<string, { path: string; id: number }>();
  const close = async () => {
    const failures: string[] = [];
    for (const [name, project] of projects) {
      try {
        await rest.call("DELETE", `projects/${project.id}`);
        // Where deletion is delayed, the project is only marked; remove it for good.
        await rest.call("DELETE", `projects/${project.id}`, { query: { permanently_remove: "true", full_path: project.path } }).catch(() => undefined);
      } catch (error) {
        failures.push(`${name} (${project.path}): ${(error as Error).message}`);
      }
    }
    if (failures.length > 0) throw new Error(`could not delete the run's projects; delete them by hand:\n  ${failures.join("\n  ")}`);
  };
  try {
    for (const name of names) {
      const created = (await rest.call("POST", "projects", { json: { name: `${run}-${name}`, path: `${run}-${name}`, namespace_id: group.id, visibility: "private" } })).json as { id: number; path_with_namespace: string };
      projects.set(name, { path: created.path_with_namespace, id: created.id });
    }
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
  return {
    target: restTarget({ baseUrl: mode.baseUrl, token: mode.token, caPem }),
    emulator: undefined,
    apiToken: mode.token,
    vars: mode.caFile === undefined ? {} : { NODE_EXTRA_CA_CERTS: mode.caFile, SSL_CERT_FILE: mode.caFile },
    projects,
    close,
  };
}

function unknownProject(name: string, projects: ReadonlyMap<string, unknown>): never {
  throw new Error(`the world has no project ${JSON.stringify(name)}; it declares ${[...projects.keys()].join(", ")}. Fix: add it to startGitLabWorld({ projects }).`);
}
