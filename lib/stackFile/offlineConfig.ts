// Reads Pulumi.yaml and Pulumi.<stack>.yaml the way the Pulumi CLI does for a program: config keys
// get the project's namespace when they have none, strings pass as they are, everything else is
// JSON-encoded, and `secure:` values are secrets (which the commands here cannot and need not decrypt).

import { readFileSync } from "node:fs";
import * as path from "node:path";
import { readYaml } from "../../config/yamlText";

export interface PulumiConfigInput {
  /** Config as the CLI hands it to a program: `{"gitlab-push-tokens:pushTokens": "[...]"}`. */
  readonly config: Record<string, string>;
  /** Keys whose values are secrets. */
  readonly secretKeys: string[];
}

/** Stands in for a `secure:` value offline: the CLI would decrypt it, the commands here must not need to. */
const UNDECRYPTED_SECRET = "[secret: not decrypted offline]";

/** The project's name from Pulumi.yaml in `root`; an OfflineConfigError saying what to do when there is none. */
export function readProjectName(root: string): string {
  let text: string;
  try {
    text = readFileSync(path.join(root, "Pulumi.yaml"), "utf8");
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === "ENOENT";
    throw new OfflineConfigError(
      missing ? `Pulumi.yaml not found in ${root}: run from the project folder or pass --dir <the folder holding Pulumi.yaml>` : `Pulumi.yaml in ${root} cannot be read: ${(error as Error).message}`,
    );
  }
  const read = readYaml("Pulumi.yaml", text);
  if ("problem" in read) throw new OfflineConfigError(read.problem);
  const project = read.document.toJS() as { name?: unknown } | null;
  if (typeof project?.name !== "string") throw new OfflineConfigError(`Pulumi.yaml in ${root} has no project name: add name: gitlab-push-tokens`);
  return project.name;
}

export function stackFileName(stack: string): string {
  return `Pulumi.${stack}.yaml`;
}

/** The text of Pulumi.<stack>.yaml in `root`; an OfflineConfigError naming the file when it cannot be read. */
export function readStackFile(root: string, stack: string): { readonly file: string; readonly fileName: string; readonly text: string } {
  const fileName = stackFileName(stack);
  const file = path.join(root, fileName);
  try {
    return { file, fileName, text: readFileSync(file, "utf8") };
  } catch {
    throw new OfflineConfigError(`${fileName} not found in ${root}: create it (see the config reference in README.md) or pick another --stack`);
  }
}

/** The `config:` map of a stack file's text; an OfflineConfigError naming the file when it is not one. */
export function configMapOfText(text: string, fileName: string): Record<string, unknown> {
  const read = readYaml(fileName, text);
  if ("problem" in read) throw new OfflineConfigError(read.problem);
  const config = (read.document.toJS() as { config?: unknown } | null)?.config ?? {};
  if (typeof config !== "object" || config === null || Array.isArray(config)) {
    throw new OfflineConfigError(`${fileName}: 'config' must be a map of keys to values`);
  }
  return config as Record<string, unknown>;
}

/** The `config:` map of Pulumi.<stack>.yaml in `root`. */
export function readStackConfigMap(root: string, stack: string): Record<string, unknown> {
  const { fileName, text } = readStackFile(root, stack);
  return configMapOfText(text, fileName);
}

export function toPulumiConfig(projectName: string, configMap: Record<string, unknown>): PulumiConfigInput {
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [rawKey, value] of Object.entries(configMap)) {
    const key = rawKey.includes(":") ? rawKey : `${projectName}:${rawKey}`;
    if (isSecure(value)) {
      secretKeys.push(key);
      config[key] = UNDECRYPTED_SECRET;
    } else {
      config[key] = typeof value === "string" ? value : JSON.stringify(value);
    }
  }
  return { config, secretKeys };
}

function isSecure(value: unknown): boolean {
  return typeof value === "object" && value !== null && Object.keys(value).length === 1 && "secure" in value;
}

/**
 * The config of a stack file as the CLI would hand it to the program, for tools that run offline:
 * a gitlabToken passes encrypted (never decrypted), so that validation refuses it with its own
 * message; any other secure value is refused here.
 */
export function offlinePulumiConfig(projectName: string, configMap: Record<string, unknown>, tool: string): PulumiConfigInput {
  const input = toPulumiConfig(projectName, configMap);
  const undecryptable = input.secretKeys.filter((key) => key !== `${projectName}:gitlabToken`);
  if (undecryptable.length > 0) {
    const one = undecryptable.length === 1;
    throw new OfflineConfigError(
      `${undecryptable.join(", ")} ${one ? "is a secure value" : "are secure values"}, which ${tool} cannot decrypt offline: keep ${one ? "it" : "them"} in plain text (the stack's config holds no secret)`,
    );
  }
  return input;
}

/** A stack file a tool cannot use offline: the message says why and what to do. */
export class OfflineConfigError extends Error {
  override readonly name = "OfflineConfigError";
}
