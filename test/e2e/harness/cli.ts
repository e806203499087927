// The pulumi CLI the end-to-end suites run, found through lib/engine (PULUMI_CLI, PATH, or the cache
// `npm run engine` fills). Never built here: a missing or wrong CLI is an error that says how to get
// it, so a suite fails instead of skipping.

import { locatePulumiCli, type LocatedCli } from "../../../lib/engine";
import type { Environment } from "../../../lib/engine/cachePath";

const located = new Map<string, Promise<LocatedCli>>();

/** The CLI for `env` (the process's by default), looked up once per process and environment. */
export function pulumiCli(env: Environment = process.env): Promise<LocatedCli> {
  const key = JSON.stringify([env.PULUMI_CLI, env.PATH, env.XDG_CACHE_HOME, env.HOME]);
  let cli = located.get(key);
  if (cli === undefined) {
    cli = locatePulumiCli({ env });
    located.set(key, cli);
  }
  return cli;
}
