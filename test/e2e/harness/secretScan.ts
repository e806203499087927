// Where a secret shows in plaintext, among everything an engine environment holds on disk: the file
// backend (checkpoints, their .bak, backups, history), PULUMI_HOME (logs, workspaces, plugins), the
// stack files in the work dir; and in any text a test collected (CLI output, engine events). Secrets
// are named by their label, never printed.

import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { filesUnder, type StoredFile } from "./backendFiles";
import type { EngineEnv } from "./engineEnv";

export interface Secret {
  /** How a finding names it: "the API token", "token #20003". */
  readonly label: string;
  readonly value: string;
}

/** Every file the CLI may have written in `env`: gunzipped where the CLI gzipped it. */
export function filesOfEngineEnv(env: EngineEnv): StoredFile[] {
  // The work dir links the repository's folders; only its own top-level files (the stack files,
  // copies of the project's) are written there.
  const workFiles = readdirSync(env.workDir, { withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => ({ path: `work/${entry.name}`, text: readFileSync(path.join(env.workDir, entry.name), "utf8") }));
  return [
    ...filesUnder(env.backendDir).map((file) => ({ ...file, path: `backend/${file.path}` })),
    ...filesUnder(env.pulumiHome).map((file) => ({ ...file, path: `PULUMI_HOME/${file.path}` })),
    ...workFiles,
  ];
}

/** `<where> holds <label>` for each secret found in plaintext in a file of `env` or one of `texts`. */
export function plaintextSecrets(env: EngineEnv, secrets: readonly Secret[], texts: Readonly<Record<string, string>> = {}): string[] {
  const places = [...filesOfEngineEnv(env).map((file) => [file.path, file.text] as const), ...Object.entries(texts)];
  if (secrets.some((secret) => secret.value.length < 8)) throw new Error("plaintextSecrets: a secret shorter than 8 characters would match by chance");
  return places.flatMap(([where, text]) => secrets.filter((secret) => text.includes(secret.value)).map((secret) => `${where} holds ${secret.label}`));
}
