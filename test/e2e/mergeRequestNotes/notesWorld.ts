// The merge-request notes suite's GitLab world, wired minimally: the GitLab emulator, the stand-in
// `gitlab` plugin installed as 10.1.1, and an engine environment whose CLI runs get the API token and
// the emulator's CA. The shared `test/e2e/harness/gitlabWorld.ts` of the end-to-end branch does the
// same, and more (a real GitLab behind GITLAB_E2E_*); once it is on main this file should give way to it.

import * as path from "node:path";
import type { PulumiFn } from "@pulumi/pulumi/automation";
import pushTokenStack = require("../../../infra/index");
import { startGitLabEmulator, type GitLabEmulator } from "../gitlabEmulator";
import { buildStandInProviderPackage } from "../standInProvider/pluginPackage";
import { createEngineEnv, E2eStack, type EngineEnv } from "../harness";
import { makeTempRoot, removeTempRoot } from "../harness/tempRoots";

const PROJECT = "gitlab-push-tokens";

export interface NotesWorld {
  readonly env: EngineEnv;
  readonly gitlab: GitLabEmulator;
  /** What every CLI run needs to reach the emulator: the API token the plugin authenticates with, the CA to trust. */
  readonly vars: Readonly<Record<string, string>>;
  /** A stack of the project's program (or of `program`) whose config is the program's namespace's keys, gitlab.baseUrl the emulator's. */
  stack(name: string, config: Readonly<Record<string, unknown>>, program?: PulumiFn): Promise<E2eStack>;
  /** The stack file's config for `config`: what `stack.writeConfig` takes. */
  configOf(config: Readonly<Record<string, unknown>>): Record<string, unknown>;
  close(): Promise<void>;
}

/** Starts the emulator with `projects` (full paths), the engine environment, and installs the stand-in. */
export async function startNotesWorld(projects: readonly string[]): Promise<NotesWorld> {
  // The inline program runs in this process: a developer's GITLAB_TOKEN must not become the provider's
  // token. The plugin reads the emulator's from its environment instead, as the pipeline's does.
  delete process.env.GITLAB_TOKEN;
  const gitlab = await startGitLabEmulator({ projects: projects.map((project) => ({ path: project })) });
  const scratch = makeTempRoot("notes-world-");
  let env: EngineEnv | undefined;
  const close = async () => {
    env?.cleanup();
    removeTempRoot(scratch);
    await gitlab.close();
  };
  try {
    env = await createEngineEnv();
    await env.installGitLabPlugin(await buildStandInProviderPackage(path.join(scratch, "plugin"), { nodePath: process.execPath }));
  } catch (error) {
    await close();
    throw error;
  }
  const engine = env;
  const configOf = (config: Readonly<Record<string, unknown>>) => ({
    [`${PROJECT}:gitlab`]: { baseUrl: gitlab.baseUrl.replace(/\/$/, "") },
    ...Object.fromEntries(Object.entries(config).map(([key, value]) => [`${PROJECT}:${key}`, value])),
  });
  return {
    env: engine,
    gitlab,
    // Node.js plugins (the stand-in) read NODE_EXTRA_CA_CERTS, Go ones (the official) SSL_CERT_FILE.
    vars: { GITLAB_TOKEN: gitlab.apiToken, NODE_EXTRA_CA_CERTS: gitlab.caPath, SSL_CERT_FILE: gitlab.caPath },
    stack: (name, config, program) => E2eStack.create(engine, { name, program: program ?? (async () => pushTokenStack()), config: program ? config : configOf(config) }),
    configOf,
    async close() {
      try {
        gitlab.assertNoUnknownRoutes();
      } finally {
        await close();
      }
    },
  };
}
