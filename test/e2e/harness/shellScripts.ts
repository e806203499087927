// The executables of an engine environment: `pulumi` itself (first on the CLI's PATH), and the
// launcher of a provider plugin written in TypeScript.

import { chmodSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { PROJECT_ROOT } from "../../../lib/engine";

/** `text` as one single-quoted sh word. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

function writeExecutable(file: string, text: string): string {
  writeFileSync(file, text);
  chmodSync(file, 0o755);
  return file;
}

/**
 * `<binDir>/pulumi`, running `cli`. It defaults PULUMI_HOME to the environment's own because the
 * Automation API's PulumiCommand.get runs `pulumi version` without the workspace's variables, and
 * every CLI run, even that one, writes a log under $PULUMI_HOME/logs, else under the account's
 * ~/.pulumi/logs (the CLI takes the home folder from the password database, not from $HOME).
 */
export function writePulumiLauncher(binDir: string, cli: string, pulumiHome: string): string {
  return writeExecutable(
    path.join(binDir, "pulumi"),
    `#!/bin/sh\n# Written by test/e2e/harness/shellScripts.ts: this engine environment's pulumi.\n: "\${PULUMI_HOME:=${pulumiHome.replace(/[\\"$`]/g, "\\$&")}}"\nexport PULUMI_HOME\nexec ${shellQuote(cli)} "$@"\n`,
  );
}

/** The tsx loader the tests run with, as a URL for `node --import` (valid from any folder). */
export function tsxLoaderUrl(): string {
  return pathToFileURL(require.resolve("tsx", { paths: [PROJECT_ROOT] })).href;
}

/**
 * Makes `dir` a resource plugin folder for a provider written in TypeScript: an executable
 * `pulumi-resource-<name>` that runs `entry` on the tests' Node.js with tsx, by absolute paths, so it
 * works wherever `pulumi plugin install --file <dir>` copies it.
 */
export function writeNodePluginLauncher(dir: string, name: string, entry: string): string {
  return writeNodeLauncher(path.join(dir, `pulumi-resource-${name}`), entry, `the ${name} provider plugin`);
}

/** An executable `file` that runs the TypeScript `entry` on the tests' Node.js with tsx, passing its arguments. */
function writeNodeLauncher(file: string, entry: string, what: string): string {
  return writeExecutable(
    file,
    `#!/bin/sh\n# Written by test/e2e/harness/shellScripts.ts: ${what}, ${path.relative(PROJECT_ROOT, entry)}.\nexec ${shellQuote(process.execPath)} --import ${shellQuote(tsxLoaderUrl())} ${shellQuote(entry)} "$@"\n`,
  );
}
