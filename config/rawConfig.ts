// The stack's config as the Pulumi CLI hands it to a program (every value a string, maps, lists,
// numbers and booleans JSON-encoded), turned into the plain input validate.ts checks. Shared by the
// program at `pulumi up` and by the offline tools, so both read a stack file the same way. When the
// config names a declaration file (pushTokensFile), that file is read here too (declaration.ts), with
// the reader the caller gives: the program's and every command's see the same tokens.

import { PUSH_TOKENS_FILE_KEY, readDeclaration, type ReadProjectFile } from "./declaration";
import type { RawStackConfig } from "./validate";

/** The key of the API token in the project's namespace. */
export const GITLAB_TOKEN_KEY = "gitlabToken";

/**
 * `config` maps full keys (`gitlab-push-tokens:pushTokens`) to the CLI's strings; `isSecret` says
 * whether a full key holds a secret. Only the API token's secrecy matters here.
 */
export function rawStackConfigOf(project: string, config: Readonly<Record<string, string>>, isSecret: (key: string) => boolean, readFile: ReadProjectFile = NO_FILES): RawStackConfig {
  const prefix = `${project}:`;
  const read = (key: string) => decodeConfigValue(config[prefix + key]);
  const tokenKey = prefix + GITLAB_TOKEN_KEY;
  const pushTokensFile = read(PUSH_TOKENS_FILE_KEY);
  return {
    gitlab: read("gitlab"),
    pushTokens: read("pushTokens"),
    ...(pushTokensFile !== undefined && { declaration: readDeclaration(pushTokensFile, readFile) }),
    expiryWarningDays: read("expiryWarningDays"),
    gitlabToken: config[tokenKey] === undefined ? "absent" : isSecret(tokenKey) ? "secret" : "plaintext",
    presentKeys: keysIn(config, prefix),
    defaultProviderKeys: keysIn(config, "gitlab:"),
  };
}

/** For a caller with no project folder: a declaration file cannot be found. */
const NO_FILES: ReadProjectFile = () => ({ error: "ENOENT" });

function keysIn(config: Readonly<Record<string, string>>, prefix: string): string[] {
  return Object.keys(config)
    .filter((key) => key.startsWith(prefix))
    .map((key) => key.slice(prefix.length));
}

/** Strings that are not JSON (a plain string value) are passed as they are. */
function decodeConfigValue(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
