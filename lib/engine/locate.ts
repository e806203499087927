// Finds a pulumi CLI of exactly the SDK's release, in the order a user expects: the one they name in
// PULUMI_CLI, else one on PATH (a machine with a normal Pulumi install), else the one `npm run engine`
// built into the cache. Only an exact version counts: the tests must run the release the SDK is.

import { accessSync, constants, existsSync, statSync } from "node:fs";
import * as path from "node:path";
import { cachedCliPath, type Environment } from "./cachePath";
import { EngineError } from "./errors";
import { probeCliVersion } from "./probe";
import { cliVersionString, sdkVersion } from "./version";

export type CliSource = "PULUMI_CLI" | "PATH" | "cache";

export interface LocatedCli {
  /** Absolute path of the binary. */
  readonly path: string;
  /** The release, without the "v" (the SDK's version). */
  readonly version: string;
  /** Where it was found. */
  readonly source: CliSource;
}

export interface Search {
  /** The CLI to use, when one of the right version was found. */
  readonly cli?: LocatedCli;
  /** What was looked at and passed over, in words, for the user. */
  readonly passedOver: readonly string[];
}

export interface LocateOptions {
  /** The release to find; the installed SDK's by default. */
  readonly version?: string;
  readonly env?: Environment;
}

/** Looks for the CLI without building it. Throws only when PULUMI_CLI names a wrong one. */
export async function searchPulumiCli(options: LocateOptions = {}): Promise<Search> {
  const version = options.version ?? sdkVersion();
  const env = options.env ?? process.env;
  const wanted = cliVersionString(version);
  const passedOver: string[] = [];

  const named = env.PULUMI_CLI?.trim();
  if (named) {
    // Asked for by name: a wrong one is an error, never silently replaced by another.
    const probe = await probeCliVersion(named, env);
    if (probe.ok && probe.version === wanted) return { cli: { path: path.resolve(named), version, source: "PULUMI_CLI" }, passedOver };
    const found = probe.ok ? `answers ${probe.version}` : probe.reason;
    throw new EngineError(`PULUMI_CLI=${named} ${found}, but the tests need pulumi ${wanted} (the @pulumi/pulumi SDK's release): point PULUMI_CLI at pulumi ${wanted}, or unset it to use the one \`npm run engine\` builds`);
  }

  for (const candidate of executablesOnPath("pulumi", env.PATH ?? "")) {
    const probe = await probeCliVersion(candidate, env);
    if (probe.ok && probe.version === wanted) return { cli: { path: candidate, version, source: "PATH" }, passedOver };
    passedOver.push(`${candidate} on PATH ${probe.ok ? `is ${probe.version}` : probe.reason}, not ${wanted}`);
  }

  const cached = cachedCliPath(version, env);
  if (existsSync(cached)) {
    const probe = await probeCliVersion(cached, env);
    if (probe.ok && probe.version === wanted) return { cli: { path: cached, version, source: "cache" }, passedOver };
    passedOver.push(`the cached ${cached} ${probe.ok ? `is ${probe.version}` : probe.reason}, not ${wanted}`);
  }
  return { passedOver };
}

/** The CLI to run, or an EngineError that says how to get it. Never builds (that takes minutes). */
export async function locatePulumiCli(options: LocateOptions = {}): Promise<LocatedCli> {
  const version = options.version ?? sdkVersion();
  const search = await searchPulumiCli({ ...options, version });
  if (search.cli) return search.cli;
  const seen = search.passedOver.length > 0 ? ` (${search.passedOver.join("; ")})` : "";
  throw new EngineError(
    `no pulumi ${cliVersionString(version)} found${seen}: run \`npm run engine\` to build it from the Go module proxy into ${cachedCliPath(version, options.env ?? process.env)}, put pulumi ${cliVersionString(version)} on PATH, or set PULUMI_CLI to one`,
  );
}

/** Every executable file called `name` in the PATH's folders, in PATH order, each once. */
export function executablesOnPath(name: string, searchPath: string): string[] {
  const found = new Set<string>();
  for (const dir of searchPath.split(path.delimiter)) {
    if (!dir || !path.isAbsolute(dir)) continue; // a relative entry would depend on the cwd
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) found.add(candidate);
    } catch {
      // not there, or not executable: keep looking
    }
  }
  return [...found];
}
