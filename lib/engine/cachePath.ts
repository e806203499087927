// Where built CLIs live: outside the repository (a 112 MB binary must never be committed), shared by
// every clone and worktree on the machine, one folder per version so an SDK bump never reuses an old build.

import * as os from "node:os";
import * as path from "node:path";

export type Environment = Readonly<Record<string, string | undefined>>;

/** `${XDG_CACHE_HOME:-$HOME/.cache}/gitlab-push-tokens/pulumi/v<version>`. */
export function cliCacheDir(version: string, env: Environment = process.env): string {
  const cacheHome = env.XDG_CACHE_HOME?.trim() || path.join(env.HOME?.trim() || os.homedir(), ".cache");
  return path.join(cacheHome, "gitlab-push-tokens", "pulumi", `v${version}`);
}

/** The binary inside a version's folder. */
export function cachedCliPath(version: string, env: Environment = process.env): string {
  return path.join(cliCacheDir(version, env), "pulumi");
}
