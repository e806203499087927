// A private world for the security and drift suites: the GitLab emulator, the stand-in GitLab plugin
// installed in an engine environment, and the real program, with the API token given to the CLI only
// as GITLAB_TOKEN (the way the pipeline's jobs get it). Minimal on purpose: the shared harness for
// every scenario suite (test/e2e/harness/gitlabWorld.ts, being written) will replace it.

import type { PulumiFn } from "@pulumi/pulumi/automation";
import pushTokenStack = require("../../infra/index");
import { startGitLabEmulator, type GitLabEmulator, type StartOptions } from "./gitlabEmulator";
import { E2eStack, createEngineEnv, runPipelineJob, type EngineEnv, type PipelineRun, type PulumiJob } from "./harness";
import { makeTempRoot, removeTempRoot } from "./harness/tempRoots";
import { buildStandInProviderPackage } from "./standInProvider/pluginPackage";

export const PROJECT = "gitlab-push-tokens";

export interface SecurityWorld {
  readonly gitlab: GitLabEmulator;
  /** The engine environment, every CLI run of which gets `vars`. */
  readonly env: EngineEnv;
  /** A stack of the real program on this GitLab, with `config(…)`. */
  stack(name: string, config: Readonly<Record<string, unknown>>, program?: PulumiFn): Promise<E2eStack>;
  /** A stack's whole `config:` map: `extra` over `gitlab` settings pointing at the emulator. */
  config(extra: Readonly<Record<string, unknown>>, gitlab?: Readonly<Record<string, unknown>>): Record<string, unknown>;
  /** Runs the `pulumi` lines of a job of the real .gitlab-ci.yml on `stack`, with the GitLab token the job gets: the API token (apply) or the read-only one (drift). */
  runPipelineCommand(stack: E2eStack, job: PulumiJob, token: "api" | "read_api"): Promise<PipelineRun>;
  close(): Promise<void>;
}

export async function startSecurityWorld(options: StartOptions = {}): Promise<SecurityWorld> {
  const gitlab = await startGitLabEmulator({ projects: [{ path: "xlink/xlink-k8s-gitops" }, { path: "xlink/xlink-app" }], ...options });
  const pluginDir = makeTempRoot("security-gitlab-plugin-");
  let base: EngineEnv | undefined;
  try {
    base = await createEngineEnv();
    await base.installGitLabPlugin(await buildStandInProviderPackage(pluginDir, { nodePath: process.execPath }));
    // The plugin trusts the emulator's certificate (the official one, a Go binary, reads SSL_CERT_FILE)
    // and reads the API token from its environment, as in the apply job.
    const vars = { ...base.vars, NODE_EXTRA_CA_CERTS: gitlab.caPath, SSL_CERT_FILE: gitlab.caPath, GITLAB_TOKEN: gitlab.apiToken };
    const engine = base;
    const env: EngineEnv = { ...engine, vars, pulumi: (args, runOptions = {}) => engine.pulumi(args, { ...runOptions, env: { ...vars, ...runOptions.env } }) };
    const config = (extra: Readonly<Record<string, unknown>>, settings: Readonly<Record<string, unknown>> = {}) => ({ [`${PROJECT}:gitlab`]: { baseUrl: gitlab.baseUrl, ...settings }, ...extra });
    return {
      gitlab,
      env,
      config,
      stack: (name, extra, program) => E2eStack.create(env, { name, program: program ?? (async () => pushTokenStack()), config: config(extra) }),
      // The job's own command lines, in order, the stack's name replacing "$STACK", with the API
      // token the job gets (the apply job's environment-scoped one, or the read-only one).
      runPipelineCommand: (stack, job, token) => runPipelineJob(stack, job, { env: { GITLAB_TOKEN: token === "api" ? gitlab.apiToken : gitlab.readApiToken } }),
      async close() {
        engine.cleanup();
        removeTempRoot(pluginDir);
        gitlab.assertNoUnknownRoutes();
        await gitlab.close();
      },
    };
  } catch (error) {
    base?.cleanup();
    removeTempRoot(pluginDir);
    await gitlab.close();
    throw error;
  }
}
