// What of the Pulumi SDK's own debug messages may reach the engine. Pure text, no Pulumi: ./sdkDebugLog.ts
// puts it in front of the SDK's `log.debug`.
//
// @pulumi/pulumi (3.276.0, runtime/resource.js and runtime/invoke.js) logs every RPC answer at debug
// level, whatever the log level: `… RPC finished: <label>; err: <error>, resp: <answer>`. The answer is
// the protobuf message stringified, secret wrappers and all, so a RegisterResource answer holds the
// plaintext value of a token the provider just created, and every engine event stream (`pulumi up
// --json`, `--event-log`, the Automation API's events, streaming `pulumi preview --json`) carries it.
// The request side logs property values only when the SDK's `excessiveDebugOutput` is switched on
// (`, obj=…`, `, outputs=…`, `, props=…`, `Serialize property [...]: primitive=…`); those are cut too,
// so that switching it on for a debugging session cannot print a token either.

/** What stands where a body was. Fixed: nothing of the body, not even its length, is left. */
export const WITHHELD = "[withheld by gitlab-push-tokens: RPC bodies can hold secret values]";

/**
 * Where a body starts, as the SDK words it: everything from the marker to the end of the message is the
 * body (each is the message's last part), so the message is cut at the first marker found.
 */
export const BODY_MARKERS = [", resp: ", ", obj=", ", outputs=", ", props=", ": primitive="] as const;

/**
 * An answer logged in a wording the markers above do not know (a newer SDK): after this, nothing is kept.
 * ./sdkDebugLog.ts also refuses SDK versions this file was not checked against.
 */
const FINISHED = " RPC finished";

/**
 * The message with every RPC body replaced by {@link WITHHELD}; any other message exactly as given.
 * What is kept (the RPC's kind, its label, its error) is the text before the first body marker.
 */
export function scrubSdkDebugMessage(message: string): string {
  const cuts = BODY_MARKERS.map((marker) => ({ marker, at: message.indexOf(marker) })).filter(({ at }) => at >= 0);
  if (cuts.length > 0) {
    const first = cuts.reduce((a, b) => (b.at < a.at ? b : a));
    return `${message.slice(0, first.at)}${first.marker}${WITHHELD}`;
  }
  const finished = message.indexOf(FINISHED);
  if (finished >= 0) return `${message.slice(0, finished + FINISHED.length)}: ${WITHHELD}`;
  return message;
}
