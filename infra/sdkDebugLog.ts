// Puts ./sdkDebugText.ts in front of the Pulumi SDK's `log.debug`, so that no RPC body the SDK logs at
// debug level (a RegisterResource answer holds a new token's value in plaintext) reaches the engine,
// and with it `pulumi up --json`, `--event-log`, the Automation API's events or the merge-request
// pipeline's streaming `pulumi preview --json`. infra/index.ts imports this module first.
//
// How it reaches the SDK: every file of @pulumi/pulumi logs through `log.debug(...)` on the object that
// `__importStar(require("../log"))` returns, and for a module marked `__esModule` (log/index.js is)
// that is the module's own exports object, read at each call. Replacing `debug` on that object is
// therefore seen by runtime/resource.js, runtime/invoke.js and the rest, whenever they were loaded.
// Should the SDK stop working this way, the program refuses to run rather than run unscrubbed.

import pulumiLog = require("@pulumi/pulumi/log");
import pulumiSdk = require("@pulumi/pulumi");
import { version as sdkVersion } from "@pulumi/pulumi/version";
import { scrubSdkDebugMessage } from "./sdkDebugText";

/**
 * The @pulumi/pulumi versions whose debug messages ./sdkDebugText.ts was checked against (the wording
 * of each `log.debug` call in runtime/resource.js and runtime/invoke.js). Another version may word an
 * RPC body in a way the scrubber does not know, so the program does not run on it until checked.
 */
export const CHECKED_SDK_VERSIONS: readonly string[] = ["3.276.0"];

const SCRUBBED = Symbol.for("gitlab-push-tokens.scrubbedSdkDebug");

/** The parts of @pulumi/pulumi the scrubber relies on, as seen from the outside. */
export interface SdkLogShape {
  /** `require("@pulumi/pulumi/log")`. */
  readonly log: object;
  /** `require("@pulumi/pulumi").log`. */
  readonly exportedLog: unknown;
  /** `require("@pulumi/pulumi/version").version`. */
  readonly version: string;
}

/**
 * Replaces `log.debug` with one that scrubs each message first, or throws a RunError saying what of the
 * SDK changed. Idempotent: installing twice wraps once.
 */
export function installDebugScrub({ log, exportedLog, version }: SdkLogShape): void {
  const refuse = (problem: string): never => {
    const message =
      `gitlab-push-tokens cannot keep token values out of the Pulumi SDK's debug log with @pulumi/pulumi ${version}: ${problem}; ` +
      `nothing was registered. Fix: check that node_modules/@pulumi/pulumi/runtime/resource.js and runtime/invoke.js of ${version} ` +
      "still log each RPC through `log.debug` of the shared `../log` module, wording its body as infra/sdkDebugText.ts expects " +
      "(`… RPC finished: <label>; err: <error>, resp: <body>`); adapt infra/sdkDebugText.ts and infra/sdkDebugLog.ts to it, " +
      `then run test/infra/pulumiHostLoad.test.ts and test/e2e/rotation.test.ts before adding ${version} to CHECKED_SDK_VERSIONS in infra/sdkDebugLog.ts.`;
    const error = new pulumiSdk.RunError(message);
    // As in infra/index.ts: a RunError's stack is never shown, and cmd/run inspects it.
    error.stack = `RunError: ${message}`;
    throw error;
  };
  if (!CHECKED_SDK_VERSIONS.includes(version)) refuse(`the scrubber was checked against ${CHECKED_SDK_VERSIONS.join(", ")} only`);
  const target = log as { __esModule?: unknown; debug?: unknown };
  // Without the marker, each SDK file's __importStar would copy the module, and the copies keep the original.
  if (target.__esModule !== true) refuse("@pulumi/pulumi/log is no longer marked __esModule, so the SDK's own files would not see a replaced debug");
  if (exportedLog !== log) refuse("the SDK's `log` export is not the @pulumi/pulumi/log module");
  const original = target.debug;
  if (typeof original !== "function") refuse(`@pulumi/pulumi/log has no debug function (found ${typeof original})`);
  if ((original as { [SCRUBBED]?: true })[SCRUBBED]) return;

  const debug = original as (msg: string, ...rest: unknown[]) => Promise<void>;
  const scrubbed = Object.assign(
    function debugScrubbed(this: unknown, msg: string, ...rest: unknown[]): Promise<void> {
      return debug.call(this, typeof msg === "string" ? scrubSdkDebugMessage(msg) : msg, ...rest);
    },
    { [SCRUBBED]: true as const },
  );
  try {
    target.debug = scrubbed;
  } catch (error) {
    refuse(`@pulumi/pulumi/log's debug cannot be replaced (${(error as Error).message})`);
  }
  if (target.debug !== scrubbed) refuse("@pulumi/pulumi/log's debug did not take the replacement");
}

installDebugScrub({ log: pulumiLog, exportedLog: pulumiSdk.log, version: sdkVersion });
