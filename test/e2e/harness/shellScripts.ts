// The executables of an engine environment: `pulumi` itself (first on the CLI's PATH), and the tsx
// loader that TypeScript helpers started by the harness run with.

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
