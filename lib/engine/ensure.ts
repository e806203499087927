// `npm run engine` and `npm test`'s first step: the CLI of the SDK's release, found or built. Finding
// takes a fraction of a second; building takes minutes, once per version per machine.

import * as path from "node:path";
import { cachedCliPath, cliCacheDir, type Environment } from "./cachePath";
import { buildPulumiCli } from "./build";
import { withBuildLock } from "./buildLock";
import { probeCliVersion } from "./probe";
import type { Print } from "./progress";
import { searchPulumiCli, type LocatedCli } from "./locate";
import { cliVersionString, sdkVersion } from "./version";

export interface EnsureOptions {
  readonly version?: string;
  readonly env?: Environment;
  /** Progress and decisions, one line each (stderr in the CLI). */
  readonly print?: Print;
  readonly heartbeatMs?: number;
}

export interface EnsuredCli extends LocatedCli {
  /** True when this call built it. */
  readonly built: boolean;
}

export async function ensurePulumiCli(options: EnsureOptions = {}): Promise<EnsuredCli> {
  const version = options.version ?? sdkVersion();
  const env = options.env ?? process.env;
  const print = options.print ?? (() => undefined);
  const tag = cliVersionString(version);

  const search = await searchPulumiCli({ version, env });
  for (const note of search.passedOver) print(`passing over ${note}`);
  if (search.cli) {
    print(describe(search.cli));
    return { ...search.cli, built: false };
  }

  const lockDir = path.join(cliCacheDir(version, env), "build.lock");
  return withBuildLock(lockDir, { onWait: (holder) => print(`waiting for the build of pulumi ${tag} by ${holder}`) }, async () => {
    // Whoever held the lock before may have just finished this very build.
    const cached = cachedCliPath(version, env);
    const probe = await probeCliVersion(cached, env);
    if (probe.ok && probe.version === tag) {
      print(`using pulumi ${tag} built by another process: ${cached}`);
      return { path: cached, version, source: "cache" as const, built: false };
    }
    print(`building pulumi ${tag} from the Go module proxy into ${cliCacheDir(version, env)} (about 5 minutes on 2 cores when Go's caches are cold, seconds when they are warm)`);
    const build = await buildPulumiCli({ version, env, print, heartbeatMs: options.heartbeatMs });
    return { path: build.path, version, source: "cache" as const, built: true };
  });
}

function describe(cli: LocatedCli): string {
  const where = { PULUMI_CLI: "named by PULUMI_CLI", PATH: "found on PATH", cache: "built earlier, cached" }[cli.source];
  return `using pulumi ${cliVersionString(cli.version)} ${where}: ${cli.path}`;
}
