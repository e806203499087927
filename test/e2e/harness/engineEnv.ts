// A private world for the real pulumi CLI: its own PULUMI_HOME (plugins, logs, workspaces), a file
// backend in a temp folder, a passphrase secrets provider, no update check, no plugin download, and a
// PATH holding only this environment's executables and the system's, so neither a user's ~/.pulumi
// nor a plugin installed on the machine takes part. Policy packs run through a stand-in Node.js
// language host started for the environment (languageHost.ts); resource plugins are what a suite
// installs. One temp folder holds it all; cleanup() removes it and stops the language host.

import { copyFileSync, mkdirSync, readdirSync, symlinkSync } from "node:fs";
import * as path from "node:path";
import { PulumiCommand } from "@pulumi/pulumi/automation";
import { PROJECT_ROOT, type LocatedCli } from "../../../lib/engine";
import type { Environment } from "../../../lib/engine/cachePath";
import { GITLAB_PROVIDER_VERSION } from "../../../infra/gitlab/wire";
import { pulumiCli } from "./cli";
import { runCli, type CliRun, type CliRunOptions } from "./runCli";
import { startPolicyLanguageHost } from "./languageHost";
import { writePulumiLauncher } from "./shellScripts";
import { makeTempRoot, removeTempRoot } from "./tempRoots";

export interface EngineEnvOptions {
  /** The environment the CLI is located with (PULUMI_CLI, PATH…); the process's by default. */
  readonly locateWith?: Environment;
  /** The stacks' secrets passphrase. */
  readonly passphrase?: string;
  /**
   * More variables for every CLI run (so for the plugins the CLI starts), e.g. GITLAB_TOKEN and
   * NODE_EXTRA_CA_CERTS; they cannot override the environment's own PULUMI_* settings or PATH.
   */
  readonly vars?: Readonly<Record<string, string>>;
}

export interface PluginInstall {
  readonly name: string;
  readonly version: string;
  /** A plugin folder (holding an executable `pulumi-resource-<name>`), a tarball of one, or the binary. */
  readonly from: string;
}

export interface EngineEnv {
  /** The temp folder holding everything below. */
  readonly root: string;
  /**
   * The project as a clone would hold it: every folder of the repository linked, every top-level file
   * copied (so a test may edit policy-config.json), and none of its Pulumi.<stack>.yaml files. The
   * stacks' files are written here, and the CLI, `npm run …` and relative paths such as
   * `--policy-pack policy` run here as they would in the repository.
   */
  readonly workDir: string;
  readonly pulumiHome: string;
  /** The file backend: `.pulumi/stacks/<project>/<stack>.json`, backups, history. */
  readonly backendDir: string;
  /** First on the CLI's PATH: `pulumi`. */
  readonly binDir: string;
  readonly cli: LocatedCli;
  /** The Automation API's handle on `<binDir>/pulumi`. */
  readonly command: PulumiCommand;
  /** The variables every CLI run of this environment gets, over the test process's own. */
  readonly vars: Readonly<Record<string, string>>;
  /** Runs `pulumi <args>` here (see runCli.ts). */
  pulumi(args: readonly string[], options?: Partial<CliRunOptions>): Promise<CliRun>;
  /** `pulumi plugin install resource <name> <version> --file <from>`; throws with the CLI's words if it fails. */
  installResourcePlugin(plugin: PluginInstall): Promise<void>;
  /** Installs a stand-in for the GitLab provider as the version the program pins (infra/gitlab/wire.ts). */
  installGitLabPlugin(from: string): Promise<void>;
  /** Stops the language host and removes the temp folder. */
  cleanup(): void;
}

/** Folders and files of the repository that a clone for the CLI must not carry. */
const NOT_MIRRORED = new Set([".git", ".stryker-tmp", "reports"]);
const STACK_FILE = /^Pulumi\.[^.]+\.yaml$/;

export async function createEngineEnv(options: EngineEnvOptions = {}): Promise<EngineEnv> {
  // First: a missing or wrong CLI fails here, with the way to get the right one.
  const cli = await pulumiCli(options.locateWith);
  const root = makeTempRoot("gitlab-push-tokens-e2e-");
  const languageHost = await startPolicyLanguageHost();
  const cleanup = () => {
    languageHost.stop();
    removeTempRoot(root);
  };
  try {
    const dirs = { workDir: "work", pulumiHome: "pulumi-home", backendDir: "backend", binDir: "bin" } as const;
    const [workDir, pulumiHome, backendDir, binDir] = Object.values(dirs).map((name) => {
      mkdirSync(path.join(root, name));
      return path.join(root, name);
    });
    const pulumi = writePulumiLauncher(binDir, cli.path, pulumiHome);
    mirrorProject(workDir);

    const vars: Record<string, string> = {
      // PULUMI_* of the test process (an access token, another backend, a passphrase file…) are blanked:
      // the CLI treats an empty variable as unset.
      ...Object.fromEntries(Object.keys(process.env).filter((name) => name.startsWith("PULUMI_")).map((name) => [name, ""])),
      ...options.vars,
      PULUMI_HOME: pulumiHome,
      PULUMI_BACKEND_URL: `file://${backendDir}`,
      PULUMI_CONFIG_PASSPHRASE: options.passphrase ?? "e2e passphrase, not a secret",
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      ...languageHost.env,
      // The CLI prefers a plugin found on PATH to an installed one: only this environment's bin, the
      // Node.js running the tests (a plugin script's `node`), and the system's folders.
      PATH: [binDir, path.dirname(process.execPath), "/usr/bin", "/bin"].join(path.delimiter),
    };
    const command = await PulumiCommand.get({ root, skipVersionCheck: false });
    if (command.version?.format() !== cli.version) {
      throw new Error(`${pulumi} answers ${command.version?.format() ?? "no version"}, not ${cli.version}: the launcher does not run ${cli.path}`);
    }

    const run = (args: readonly string[], runOptions: Partial<CliRunOptions> = {}) => runCli(pulumi, args, { cwd: workDir, ...runOptions, env: { ...vars, ...runOptions.env } });
    const installResourcePlugin = async (plugin: PluginInstall) => {
      const install = await run(["plugin", "install", "resource", plugin.name, plugin.version, "--file", plugin.from]);
      if (install.code !== 0) throw new Error(`pulumi plugin install resource ${plugin.name} ${plugin.version} --file ${plugin.from} failed: ${install.stderr.trim()}`);
    };
    return {
      root,
      workDir,
      pulumiHome,
      backendDir,
      binDir,
      cli,
      command,
      vars,
      pulumi: run,
      installResourcePlugin,
      installGitLabPlugin: (from) => installResourcePlugin({ name: "gitlab", version: GITLAB_PROVIDER_VERSION, from }),
      cleanup,
    };
  } catch (error) {
    cleanup();
    throw error;
  }
}

function mirrorProject(workDir: string): void {
  for (const entry of readdirSync(PROJECT_ROOT, { withFileTypes: true })) {
    if (NOT_MIRRORED.has(entry.name) || STACK_FILE.test(entry.name)) continue;
    const from = path.join(PROJECT_ROOT, entry.name);
    const to = path.join(workDir, entry.name);
    if (entry.isDirectory()) symlinkSync(from, to, "dir");
    else if (entry.isFile()) copyFileSync(from, to);
  }
}
