// Reads the stack's config as the Pulumi CLI hands it to the program (every value a string, maps and
// lists JSON-encoded) and turns it into the plain input that config/validate.ts checks.

import * as pulumi from "@pulumi/pulumi";
import type { RawStackConfig } from "../config/validate";

// The SDK exports isConfigSecret at run time (runtime/config.js) without declaring it in its typings.
const runtimeConfig = require("@pulumi/pulumi/runtime/config") as { isConfigSecret?: (key: string) => boolean };

const GITLAB_TOKEN_KEY = "gitlabToken";

function namespace(): string {
  return `${pulumi.getProject()}:`;
}

/** Every value of the project's namespace, decoded, plus which keys are set. */
export function readRawStackConfig(): RawStackConfig {
  const prefix = namespace();
  const all = pulumi.runtime.allConfig();
  const read = (key: string) => decodeConfigValue(all[prefix + key]);
  return {
    gitlab: read("gitlab"),
    pushTokens: read("pushTokens"),
    expiryWarningDays: read("expiryWarningDays"),
    gitlabToken: gitlabTokenStatus(all[prefix + GITLAB_TOKEN_KEY]),
    presentKeys: keysIn(all, prefix),
    defaultProviderKeys: keysIn(all, "gitlab:"),
  };
}

function keysIn(config: Record<string, string>, prefix: string): string[] {
  return Object.keys(config)
    .filter((key) => key.startsWith(prefix))
    .map((key) => key.slice(prefix.length));
}

/** The CLI passes maps, lists, numbers and booleans JSON-encoded and plain strings as they are. */
function decodeConfigValue(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function gitlabTokenStatus(value: string | undefined): RawStackConfig["gitlabToken"] {
  if (value === undefined) return "absent";
  if (typeof runtimeConfig.isConfigSecret !== "function") {
    throw new pulumi.RunError("this @pulumi/pulumi cannot tell whether gitlabToken is a secret; export GITLAB_TOKEN instead");
  }
  return runtimeConfig.isConfigSecret(namespace() + GITLAB_TOKEN_KEY) ? "secret" : "plaintext";
}

/**
 * The API token the provider authenticates with: the stack's secret `gitlabToken`, else GITLAB_TOKEN
 * from the environment. Always a secret output; undefined when neither is set (under mocks, in `plan`).
 */
export function gitlabApiToken(): pulumi.Output<string> | undefined {
  const fromConfig = new pulumi.Config().getSecret(GITLAB_TOKEN_KEY);
  if (fromConfig !== undefined) return fromConfig;
  const fromEnvironment = process.env.GITLAB_TOKEN;
  return fromEnvironment ? pulumi.secret(fromEnvironment) : undefined;
}
