// Asks a pulumi binary which release it is. Every CLI run, even `pulumi version`, writes a log file
// under $PULUMI_HOME/logs (or the account's ~/.pulumi/logs: the CLI reads the home folder from the
// password database, not $HOME), so the probe runs it with a throwaway PULUMI_HOME and leaves the
// user's ~/.pulumi alone.

import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Environment } from "./cachePath";

export type Probe = { readonly ok: true; readonly version: string } | { readonly ok: false; readonly reason: string };

/** What `<binary> version` answers, or why it could not answer. */
export async function probeCliVersion(binary: string, env: Environment = process.env): Promise<Probe> {
  const home = mkdtempSync(path.join(os.tmpdir(), "pulumi-probe-"));
  try {
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(
        binary,
        ["version"],
        { env: { ...env, PULUMI_HOME: home, PULUMI_SKIP_UPDATE_CHECK: "true" }, timeout: 30_000, encoding: "utf8" },
        (error, out, err) => (error ? reject(new Error(err.trim().split("\n").at(-1) || error.message)) : resolve(out)),
      );
    });
    const version = stdout.trim();
    return /^v\d+\.\d+\.\d+\S*$/.test(version) ? { ok: true, version } : { ok: false, reason: `answered ${JSON.stringify(version.slice(0, 80))} to \`version\`` };
  } catch (error) {
    return { ok: false, reason: `\`version\` failed: ${(error as Error).message}` };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}
