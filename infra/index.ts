// gitlab-push-tokens: least-privilege project access tokens for the GitLab CI jobs that must push,
// and the protected, masked CI/CD variables that carry them. The whole flow, top to bottom:
//   config → validation → provider → tokens → variables → warnings → outputs.
//
// `pulumi up` calls the exported function with no argument; tests and `npm run plan` pass a fixed
// clock. The clock only judges dates and words warnings: it never reaches a resource input. A
// declaration file (pushTokensFile) is read relative to `root`: the project's folder (the folder of
// Pulumi.yaml, which the Node.js host passes as --root-directory; it runs the program in the folder of
// `main`, infra/); `npm run plan -- --dir` passes its folder.

// First, before anything can register: the SDK logs every RPC answer at debug level, and a token's
// answer holds its value in plaintext; ./sdkDebugLog.ts scrubs those bodies (or refuses to run).
import "./sdkDebugLog";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { systemClock, today, type Clock } from "../config/clock";
import { ConfigError } from "../config/issues";
import { stackNotices } from "../config/notices";
import { validateStackConfig, type StackSettings } from "../config/validate";
import { GitLabProvider } from "./gitlab/provider";
import { inventoryOf, type InventoryToken } from "./inventory";
import { hasFeature } from "../config/gitlabVersion";
import { pushTokenName, tokenDescription } from "./naming";
import { PushToken } from "./pushToken";
import { readRawStackConfig, stackConfigSizeWarning } from "./stackConfig";

export = function pushTokenStack(clock: Clock = systemClock, root: string = projectRoot()): { inventory: InventoryToken[] } {
  // Said first, whatever follows: a config near the size the Node.js host can pass fails the next run that grows it.
  const sizeWarning = stackConfigSizeWarning();
  if (sizeWarning) void pulumi.log.warn(sizeWarning);

  // Validation comes first and throws: on bad config, not one resource is registered.
  const settings = loadSettings(clock, root);

  // One explicit provider, pinned to the plugin version in ./gitlab/wire.ts; every GitLab resource uses it.
  // No API token among its inputs: the provider reads GITLAB_TOKEN itself, so state never holds it.
  const provider = new GitLabProvider("gitlab", { baseUrl: settings.gitlab.baseUrl });

  // Each token's component registers its generations and its consumers' variables.
  const managedBy = `${pulumi.getProject()}/${pulumi.getStack()}`;
  // GitLab before 17.7 has no token descriptions: none is sent, so none can differ on the next read.
  const description = hasFeature(settings.gitlab.version, "tokenDescriptions") ? tokenDescription(managedBy) : undefined;
  const pushTokens = settings.pushTokens.map(
    (spec) =>
      new PushToken(pushTokenName(spec), { spec, managedBy, tokenDescription: description }, {
        providers: [provider],
        // A respelled project keeps the component's identity (its children keep theirs in ./pushToken.ts).
        ...(spec.previousProject && { aliases: [{ name: pushTokenName({ ...spec, project: spec.previousProject }) }] }),
      }),
  );

  // Logged on every preview, so expiries and revocable generations show in each merge request.
  for (const notice of stackNotices(settings, clock.now(), pulumi.getStack())) {
    void pulumi.log.warn(notice.message, notice.tokenIndex === undefined ? undefined : pushTokens[notice.tokenIndex]);
  }

  return { inventory: inventoryOf(settings) };
};

/** The folder of Pulumi.yaml as the Node.js host gives it; the working directory where none is given (an inline program). */
function projectRoot(): string {
  // Unset, the SDK answers a placeholder, not a path.
  const root = pulumi.runtime.getRootDirectory();
  return path.isAbsolute(root) ? root : process.cwd();
}

function loadSettings(clock: Clock, root: string): StackSettings {
  try {
    return validateStackConfig(readRawStackConfig(root), { today: today(clock), configFile: `Pulumi.${pulumi.getStack()}.yaml` });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // A RunError is reported without a stack trace: the message is all the user needs.
    const runError = new pulumi.RunError(error.message);
    // cmd/run also util.inspect()s the error for tracing, and Node 20's inspect loops until it runs out
    // of memory on a stack line like "node_modules/@pulumi/resource.ts:1598:22" (a scoped package path
    // with no folder after the scope), which the SDK's source maps produce. The stack is never shown
    // for a RunError, so it keeps only the headline, which holds no user-written path.
    runError.stack = `RunError: ${error.message.split("\n")[0]}`;
    throw runError;
  }
}
