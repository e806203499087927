// Packages the stand-in as the engine installs a resource plugin: a tarball whose root holds an
// executable `pulumi-resource-gitlab`, for `pulumi plugin install resource gitlab 10.1.1 --file <tarball>`.
// The executable is a shell script that execs the given Node.js with tsx and main.ts by absolute
// paths, so it runs from wherever the engine starts it (the plugin's folder under PULUMI_HOME).

import { execFile } from "node:child_process";
import { chmod, mkdir, stat, writeFile } from "node:fs/promises";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { PLUGIN_NAME, PLUGIN_VERSION } from "./model";

export interface StandInPackageOptions {
  /** Absolute path of the Node.js binary the plugin runs on (the one running the tests: process.execPath). */
  readonly nodePath: string;
}

export const STAND_IN_EXECUTABLE = `pulumi-resource-${PLUGIN_NAME}`;
export const STAND_IN_VERSION = PLUGIN_VERSION;

/** Writes `<outDir>/pulumi-resource-gitlab` and the tarball holding it; returns the tarball's path. */
export async function buildStandInProviderPackage(outDir: string, options: StandInPackageOptions): Promise<string> {
  if (!path.isAbsolute(options.nodePath)) throw new Error(`buildStandInProviderPackage: nodePath must be an absolute path (e.g. process.execPath), got ${JSON.stringify(options.nodePath)}`);
  await stat(options.nodePath).catch(() => {
    throw new Error(`buildStandInProviderPackage: no Node.js binary at ${options.nodePath}`);
  });
  await mkdir(outDir, { recursive: true });
  const executable = path.join(outDir, STAND_IN_EXECUTABLE);
  await writeFile(executable, launcherScript(options.nodePath), "utf8");
  await chmod(executable, 0o755);
  const tarball = path.join(outDir, `${STAND_IN_EXECUTABLE}-v${PLUGIN_VERSION}-${process.platform}-${process.arch}.tar.gz`);
  await promisify(execFile)("tar", ["-czf", tarball, "-C", outDir, STAND_IN_EXECUTABLE]);
  return tarball;
}

/** The executable's text: exec Node.js with tsx on main.ts, passing the engine's arguments on. */
export function launcherScript(nodePath: string): string {
  const tsx = pathToFileURL(require.resolve("tsx")).href;
  const entry = path.join(__dirname, "main.ts");
  return [
    "#!/bin/sh",
    `# Stand-in for the official pulumi-resource-gitlab ${PLUGIN_VERSION} (test code): ${path.join(__dirname, "README.md")}`,
    `exec ${shellQuote(nodePath)} --import ${shellQuote(tsx)} ${shellQuote(entry)} "$@"`,
    "",
  ].join("\n");
}

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
