// Building and locating the pulumi CLI the tests run: see docs/engine.md.

export { cachedCliPath, cliCacheDir } from "./cachePath";
export { ensurePulumiCli, type EnsuredCli, type EnsureOptions } from "./ensure";
export { EngineError } from "./errors";
export { locatePulumiCli, type CliSource, type LocatedCli } from "./locate";
export { PROJECT_ROOT, sdkVersion } from "./version";
