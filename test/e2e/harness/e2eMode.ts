// Which GitLab the end-to-end scenarios run against, read from the environment once per process:
// the emulator (the default, and what `npm test` does), or a real instance when GITLAB_E2E_URL,
// GITLAB_E2E_TOKEN and GITLAB_E2E_GROUP are set (`npm run e2e`, docs/testing.md). A half-set or
// malformed switch is an error naming each variable and its fix, thrown where a suite registers its
// tests, so a run never falls back to the emulator when a real GitLab was meant.

import { readFileSync, statSync } from "node:fs";
import { describe, it, type TestContext } from "node:test";

export const E2E_VARIABLES = {
  url: "GITLAB_E2E_URL",
  token: "GITLAB_E2E_TOKEN",
  group: "GITLAB_E2E_GROUP",
  caFile: "GITLAB_E2E_CA_FILE",
  plugin: "GITLAB_E2E_PLUGIN",
} as const;

export type E2eMode =
  | { readonly kind: "emulator" }
  | {
      readonly kind: "gitlab";
      /** The API base, `https://gitlab.example.com/api/v4`. */
      readonly baseUrl: string;
      /** An `api` token of a user who may create and delete projects in `group`. */
      readonly token: string;
      /** Full path of a throwaway group: every run creates its projects there and deletes them after. */
      readonly group: string;
      /** A CA bundle to trust besides the system's (a self-managed instance's private CA). */
      readonly caFile?: string;
      /** The official pulumi-resource-gitlab 10.1.1 (a tarball or folder); else `pulumi plugin install` downloads it. */
      readonly plugin?: string;
    };

export class E2eModeError extends Error {
  constructor(problems: readonly string[]) {
    super(`The end-to-end suites cannot tell which GitLab to run against (${problems.length === 1 ? "1 problem" : `${problems.length} problems`}):\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
    this.name = "E2eModeError";
  }
}

const GROUP_PATH = /^[A-Za-z0-9][A-Za-z0-9_.-]*(\/[A-Za-z0-9][A-Za-z0-9_.-]*)*$/;
const REAL_SWITCH = "set all three of GITLAB_E2E_URL, GITLAB_E2E_TOKEN and GITLAB_E2E_GROUP to run against a real GitLab, or none to run against the emulator";

/** The mode `env` asks for; throws E2eModeError listing every problem. An empty variable counts as unset. */
export function e2eModeFrom(env: Readonly<Record<string, string | undefined>>): E2eMode {
  const value = (name: string) => (env[name] === undefined || env[name] === "" ? undefined : env[name]);
  const [url, token, group, caFile, plugin] = [E2E_VARIABLES.url, E2E_VARIABLES.token, E2E_VARIABLES.group, E2E_VARIABLES.caFile, E2E_VARIABLES.plugin].map(value);
  if (url === undefined && token === undefined && group === undefined) {
    const strays = [E2E_VARIABLES.caFile, E2E_VARIABLES.plugin].filter((name) => value(name) !== undefined);
    if (strays.length === 0) return { kind: "emulator" };
    throw new E2eModeError(strays.map((name) => `${name} is set, but it is used only against a real GitLab. Fix: ${REAL_SWITCH}.`));
  }
  const problems: string[] = [];
  for (const [name, given] of [[E2E_VARIABLES.url, url], [E2E_VARIABLES.token, token], [E2E_VARIABLES.group, group]] as const) {
    if (given === undefined) problems.push(`${name} is not set. Fix: ${REAL_SWITCH}.`);
  }
  if (url !== undefined && !/^https:\/\/[^/\s]+(\/[^\s]*)?\/api\/v4\/?$/.test(url)) {
    problems.push(`${E2E_VARIABLES.url} is ${JSON.stringify(url)}, not an https API base ending in /api/v4 (the program refuses anything else). Fix: e.g. https://gitlab.example.com/api/v4.`);
  }
  if (token !== undefined && /\s/.test(token)) problems.push(`${E2E_VARIABLES.token} contains white space. Fix: set it to the token alone (an api token of a user who may create projects in the group).`);
  if (group !== undefined && !GROUP_PATH.test(group)) problems.push(`${E2E_VARIABLES.group} is ${JSON.stringify(group)}, not a group's full path. Fix: e.g. sandbox/pulumi-e2e (a throwaway group: each run creates projects there and deletes them).`);
  if (caFile !== undefined && !isPemFile(caFile)) problems.push(`${E2E_VARIABLES.caFile} is ${JSON.stringify(caFile)}, not a readable PEM certificate file. Fix: point it at the CA bundle of the instance, or unset it.`);
  if (plugin !== undefined && !exists(plugin)) problems.push(`${E2E_VARIABLES.plugin} is ${JSON.stringify(plugin)}, which does not exist. Fix: point it at pulumi-resource-gitlab-v10.1.1-<os>-<arch>.tar.gz, or unset it to let \`pulumi plugin install\` download it.`);
  if (problems.length > 0) throw new E2eModeError(problems);
  return { kind: "gitlab", baseUrl: url!.replace(/\/$/, ""), token: token!, group: group!, ...(caFile === undefined ? {} : { caFile }), ...(plugin === undefined ? {} : { plugin }) };
}

let current: E2eMode | undefined;

/** The mode of this test process (process.env), read once. */
export function e2eMode(): E2eMode {
  current ??= e2eModeFrom(process.env);
  return current;
}

/** What the emulator-only tests add to their names, so a run's report says why they are absent elsewhere. */
export const NEEDS_EMULATOR = "[needs the emulator]";

/**
 * `it` for a test that needs what only the emulator has (its request log, fault injection, the
 * values of hidden variables): registered only when the suites run on the emulator.
 */
export function itOnEmulator(name: string, fn: (t: TestContext) => void | Promise<void>): void {
  if (e2eMode().kind === "emulator") it(`${name} ${NEEDS_EMULATOR}`, fn);
}

/** `describe` for a group of such tests, likewise. */
export function describeOnEmulator(name: string, fn: () => void): void {
  if (e2eMode().kind === "emulator") describe(`${name} ${NEEDS_EMULATOR}`, fn);
}

function exists(file: string): boolean {
  try {
    statSync(file);
    return true;
  } catch {
    return false;
  }
}

function isPemFile(file: string): boolean {
  try {
    return readFileSync(file, "utf8").includes("-----BEGIN CERTIFICATE-----");
  } catch {
    return false;
  }
}
