// Reads the stack's config as the Pulumi CLI hands it to the program (decoded by config/rawConfig.ts,
// which the offline tools share). The GitLab API token is not among it: the provider reads
// GITLAB_TOKEN from its environment (see ./gitlab/provider.ts), and validation refuses a gitlabToken key.

import * as pulumi from "@pulumi/pulumi";
import { rawStackConfigOf } from "../config/rawConfig";
import type { RawStackConfig } from "../config/validate";

// The SDK exports isConfigSecret at run time (runtime/config.js) without declaring it in its typings.
const runtimeConfig = require("@pulumi/pulumi/runtime/config") as { isConfigSecret?: (key: string) => boolean };

/** Every value of the project's namespace, decoded, plus which keys are set. */
export function readRawStackConfig(): RawStackConfig {
  return rawStackConfigOf(pulumi.getProject(), pulumi.runtime.allConfig(), isConfigSecret);
}

// Only tells the refusal of a gitlabToken stored in plain text (rotate it: it is in the repository)
// from one stored encrypted; an SDK without the function reads as plain text, the stricter wording.
function isConfigSecret(key: string): boolean {
  return typeof runtimeConfig.isConfigSecret === "function" ? runtimeConfig.isConfigSecret(key) : false;
}
