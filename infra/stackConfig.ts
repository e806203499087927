// Reads the stack's config as the Pulumi CLI hands it to the program (decoded by config/rawConfig.ts,
// which the offline tools share), and the API token the provider authenticates with.

import * as pulumi from "@pulumi/pulumi";
import { GITLAB_TOKEN_KEY, rawStackConfigOf } from "../config/rawConfig";
import type { RawStackConfig } from "../config/validate";

// The SDK exports isConfigSecret at run time (runtime/config.js) without declaring it in its typings.
const runtimeConfig = require("@pulumi/pulumi/runtime/config") as { isConfigSecret?: (key: string) => boolean };

/** Every value of the project's namespace, decoded, plus which keys are set. */
export function readRawStackConfig(): RawStackConfig {
  return rawStackConfigOf(pulumi.getProject(), pulumi.runtime.allConfig(), isConfigSecret);
}

function isConfigSecret(key: string): boolean {
  if (typeof runtimeConfig.isConfigSecret !== "function") {
    throw new pulumi.RunError("this @pulumi/pulumi cannot tell whether gitlabToken is a secret; export GITLAB_TOKEN instead");
  }
  return runtimeConfig.isConfigSecret(key);
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
