// Reads the stack's config as the Pulumi CLI hands it to the program (decoded by config/rawConfig.ts,
// which the offline tools share), with the declaration file it names read from the project's folder. The GitLab API token is not among it: the provider reads
// GITLAB_TOKEN from its environment (see ./gitlab/provider.ts), and validation refuses a gitlabToken key.

import * as pulumi from "@pulumi/pulumi";
import { configSizeWarning } from "../config/configSize";
import { projectFileReader } from "../config/declaration";
import { rawStackConfigOf } from "../config/rawConfig";
import type { RawStackConfig } from "../config/validate";

// The SDK exports isConfigSecret at run time (runtime/config.js) without declaring it in its typings.
const runtimeConfig = require("@pulumi/pulumi/runtime/config") as { isConfigSecret?: (key: string) => boolean };

/** Every value of the project's namespace, decoded, plus which keys are set; a declaration file is read relative to `root`. */
export function readRawStackConfig(root: string): RawStackConfig {
  return rawStackConfigOf(pulumi.getProject(), pulumi.runtime.allConfig(), isConfigSecret, projectFileReader(root));
}

/** The warning for a stack config near or over the size the Node.js host can pass (config/configSize.ts), if any. */
export function stackConfigSizeWarning(): string | undefined {
  return configSizeWarning(pulumi.runtime.allConfig(), pulumi.getStack());
}

// Only tells the refusal of a gitlabToken stored in plain text (rotate it: it is in the repository)
// from one stored encrypted; an SDK without the function reads as plain text, the stricter wording.
function isConfigSecret(key: string): boolean {
  return typeof runtimeConfig.isConfigSecret === "function" ? runtimeConfig.isConfigSecret(key) : false;
}
