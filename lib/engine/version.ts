// The CLI the tests run is built at the release of the installed @pulumi/pulumi SDK: the SDK's own
// package.json is the one source of truth, so bumping the dependency bumps the CLI with it.

import { readFileSync } from "node:fs";
import * as path from "node:path";
import { EngineError } from "./errors";

/** The project this library belongs to (lib/engine → the repository root). */
export const PROJECT_ROOT = path.resolve(__dirname, "..", "..");

/** The version of @pulumi/pulumi installed under `projectRoot`, e.g. "3.276.0". */
export function sdkVersion(projectRoot: string = PROJECT_ROOT): string {
  const manifest = path.join(projectRoot, "node_modules", "@pulumi", "pulumi", "package.json");
  let version: unknown;
  try {
    version = (JSON.parse(readFileSync(manifest, "utf8")) as { version?: unknown }).version;
  } catch (error) {
    throw new EngineError(`cannot read the @pulumi/pulumi SDK's version from ${manifest} (${(error as Error).message}): run \`npm ci\` first`);
  }
  if (typeof version !== "string" || !/^\d+\.\d+\.\d+$/.test(version)) {
    throw new EngineError(`${manifest} holds no release version (found ${JSON.stringify(version)}): reinstall with \`npm ci\``);
  }
  return version;
}

/** What `pulumi version` prints for that release. */
export function cliVersionString(version: string): string {
  return `v${version}`;
}
