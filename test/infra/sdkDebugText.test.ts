// infra/sdkDebugText.ts: what of the SDK's debug messages may reach the engine. Properties over any
// body (nothing of it survives, whatever it holds), every message of the SDK's own wording, and the
// installed SDK's source read for the wording the scrubber relies on, so an SDK that logs a body some
// other way fails here before it can run.

import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import fc from "fast-check";
import { BODY_MARKERS, scrubSdkDebugMessage, WITHHELD } from "../../infra/sdkDebugText";
import { PROJECT_ROOT } from "../support/sharedData";

/** Any text, with the markers, newlines and token shapes fast-check would rarely make on its own. */
const anyText = fc
  .array(fc.oneof(fc.string({ unit: "grapheme" }), fc.constantFrom(...BODY_MARKERS, " RPC finished", "\n", "glpat-", "4dabf18193072939515e22adb298388d", "resp: ", ",,,")), { maxLength: 8 })
  .map((parts) => parts.join(""));
const hasMarker = (text: string) => BODY_MARKERS.some((marker) => text.includes(marker)) || text.includes(" RPC finished");
/** A label or error as the SDK interpolates them before the body: any text without a marker. */
const head = anyText.filter((text) => !hasMarker(text));

/** The SDK 3.276 templates that end with a body (runtime/resource.js, runtime/invoke.js, runtime/rpc.js). */
const WITH_BODY: Record<string, (label: string, err: string, body: string) => string> = {
  "getResource Invoke finished": (_, err, body) => `getResource Invoke RPC finished: err: ${err}, resp: ${body}`,
  "ReadResource finished": (label, err, body) => `ReadResource RPC finished: ${label}; err: ${err}, resp: ${body}`,
  "RegisterResource finished": (label, err, body) => `RegisterResource RPC finished: ${label}; err: ${err}, resp: ${body}`,
  "RegisterResourceOutputs finished": (urn, err, body) => `RegisterResourceOutputs RPC finished: urn=${urn}; err: ${err}, resp: ${body}`,
  "Invoke finished": (tok, err, body) => `Invoke RPC finished: tok=${tok}; err: ${err}, resp: ${body}`,
  "Call finished": (tok, err, body) => `Call RPC finished: tok=${tok}; err: ${err}, resp: ${body}`,
  // With excessiveDebugOutput on, the requests too:
  "RegisterResource prepared": (t, name, body) => `RegisterResource RPC prepared: t=${t}, name=${name}, obj=${body}`,
  "ReadResource prepared": (t, name, body) => `ReadResource RPC prepared: id=some-id, t=${t}, name=${name}, obj=${body}`,
  "RegisterResourceOutputs prepared": (urn, _, body) => `RegisterResourceOutputs RPC prepared: urn=${urn}, outputs=${body}`,
  "Invoke prepared": (tok, _, body) => `Invoke RPC prepared: tok=${tok}, obj=${body}`,
  "Call prepared": (tok, _, body) => `Call RPC prepared: tok=${tok}, obj=${body}`,
  "Invoking function": (tok, _, body) => `Invoking function: tok=${tok} asynchronously, props=${body}`,
  "Calling function": (tok, _, body) => `Calling function: tok=${tok}, props=${body}`,
  "Serialize primitive": (ctx, _, body) => `Serialize property [${ctx}]: primitive=${body}`,
};

describe("scrubSdkDebugMessage: an RPC body never survives", () => {
  it("replaces the body of each SDK message by the fixed text, whatever the body, and keeps what comes before it", () => {
    for (const [kind, template] of Object.entries(WITH_BODY)) {
      fc.assert(
        fc.property(head, head, anyText, (label, err, body) => {
          assert.equal(scrubSdkDebugMessage(template(label, err, body)), template(label, err, WITHHELD), kind);
        }),
      );
    }
  });

  it("leaves nothing of the body, whatever comes before it: two bodies after the same text scrub to the same message", () => {
    // Stronger than "the body is not a substring": not one character of it, not its length, is left.
    fc.assert(
      fc.property(anyText, fc.constantFrom(...BODY_MARKERS), anyText, anyText, (before, marker, body, other) => {
        const scrubbed = scrubSdkDebugMessage(`${before}${marker}${body}`);
        assert.equal(scrubbed, scrubSdkDebugMessage(`${before}${marker}${other}`));
        assert.ok(scrubbed.endsWith(WITHHELD), scrubbed);
        assert.ok(scrubbed.length <= before.length + marker.length + WITHHELD.length, scrubbed);
      }),
    );
  });

  it("withholds a real RegisterResource answer, its token value and its secret wrapper's signature", () => {
    // As the SDK logged the fake engine's answer for a token, before the scrubber (test/infra/pulumiHostLoad.test.ts).
    const answer =
      "urn:pulumi:dev::gitlab-push-tokens::gitlab-push-tokens:index:PushToken$gitlab:index/projectAccessToken:ProjectAccessToken::xlink/a:PUSHER@2027-02-22,fake-id-2,accessLevel,,,developer," +
      "token,,,,,4dabf18193072939515e22adb298388d,,,1b47061264138c4ac30d75fd1eb44270,value,,,glpat-fake-xlink/a:PUSHER@2027-02-22,,";
    const label = "resource:xlink/a:PUSHER@2027-02-22[gitlab:index/projectAccessToken:ProjectAccessToken]";
    assert.equal(
      scrubSdkDebugMessage(`RegisterResource RPC finished: ${label}; err: null, resp: ${answer}`),
      `RegisterResource RPC finished: ${label}; err: null, resp: [withheld by gitlab-push-tokens: RPC bodies can hold secret values]`,
    );
  });

  it("withholds everything after `RPC finished` when the message words its body in no way it knows", () => {
    fc.assert(
      fc.property(head, head, (kind, rest) => {
        assert.equal(scrubSdkDebugMessage(`${kind} RPC finished${rest}`), `${kind} RPC finished: ${WITHHELD}`);
      }),
    );
  });

  it("is idempotent", () => {
    fc.assert(fc.property(anyText, (message) => assert.equal(scrubSdkDebugMessage(scrubSdkDebugMessage(message)), scrubSdkDebugMessage(message))));
  });
});

describe("scrubSdkDebugMessage: every other message passes unchanged", () => {
  it("returns any message without a body marker exactly as given", () => {
    fc.assert(fc.property(head, (message) => assert.equal(scrubSdkDebugMessage(message), message)));
  });

  it("keeps the SDK's own bodiless messages word for word", () => {
    const messages = [
      "Registering resource: t=gitlab:index/projectAccessToken:ProjectAccessToken, name=xlink/a:PUSHER@2027-02-22, custom=true, remote=false",
      "RegisterResource RPC prepared: t=gitlab:index/projectAccessToken:ProjectAccessToken, name=xlink/a:PUSHER@2027-02-22",
      "ReadResource RPC prepared: id=42:7, t=gitlab:index/projectAccessToken:ProjectAccessToken, name=adopted",
      "RegisterResourceOutputs RPC prepared: urn=urn:pulumi:dev::gitlab-push-tokens::pulumi:pulumi:Stack::gitlab-push-tokens-dev",
      "Invoke RPC prepared: tok=gitlab:index/getProject:getProject",
      "Invoking function: tok=gitlab:index/getProject:getProject asynchronously",
      "RegisterResource RPC failed: t=gitlab:index/projectVariable:ProjectVariable, name=xlink/b:KEY, err=Error: boom",
      "Resource RPC serialization requested: resource:x[t] is current",
      "Serialize property [resource:x[t].value]: Output<T>",
      "Getting resource: urn=urn:pulumi:dev::p::t::n",
      "",
    ];
    for (const message of messages) assert.equal(scrubSdkDebugMessage(message), message);
  });
});

// The installed SDK, read for every `log.debug(...)` of its runtime: each value it interpolates is
// either one the scrubber knows to be safe (names, types, labels, errors) or a body, and a body is
// always the message's last part, right after one of the markers. A new interpolation fails the test
// until someone has looked at what it carries.
const SAFE = ["ctx", "custom", "err", "error", "i", "item.version", "k", "key", "label", "name", "registrationType", "remote", "resolvedID", "resourceChainLabel", "rpcErr", "rpcError", "t", "tok", "type", "urn"];
// Free variables' names (closure serialization) and a function's source text: code, not values.
const SAFE_WHERE = [
  { expression: "JSON.stringify(result)", before: "Found free variables: " },
  { expression: "prop", before: "function=" },
];
const BODIES = ["innerResponse", "JSON.stringify(outputsObj)", "JSON.stringify(props)", "JSON.stringify(resop.serializedProps)", "JSON.stringify(serialized)", "prop"];

interface Interpolation {
  readonly file: string;
  readonly expression: string;
  /** The template text right before `${`. */
  readonly before: string;
  /** The template text right after `}`, up to the template's end. */
  readonly after: string;
}

function sdkDebugInterpolations(): Interpolation[] {
  const runtime = path.join(PROJECT_ROOT, "node_modules/@pulumi/pulumi/runtime");
  const files = readdirSync(runtime, { recursive: true, encoding: "utf8" }).filter((file) => file.endsWith(".js"));
  return files.flatMap((file) => {
    const source = readFileSync(path.join(runtime, file), "utf8");
    const calls = [...source.matchAll(/log\.debug\(([\s\S]*?)\);\n/g)].map((match) => match[1]!);
    return calls.flatMap((call) =>
      [...call.matchAll(/`([^`]*)`/g)].flatMap(([, template]) =>
        [...template!.matchAll(/\$\{([^}]*)\}/g)].map((match) => ({
          file,
          expression: match[1]!,
          before: template!.slice(0, match.index),
          after: template!.slice(match.index! + match[0].length),
        })),
      ),
    );
  });
}

describe("the installed SDK logs bodies only as the scrubber expects", () => {
  const found = sdkDebugInterpolations();

  it("reads the SDK's debug calls (the RPC answers among them)", () => {
    assert.equal(found.filter((each) => each.expression === "innerResponse").length, 8, "runtime/resource.js and runtime/invoke.js log 8 answers in 3.276.0");
  });

  it("interpolates nothing but known-safe values and bodies", () => {
    const unknown = found.filter((each) => !SAFE.includes(each.expression) && !BODIES.includes(each.expression) && !SAFE_WHERE.some((safe) => safe.expression === each.expression));
    assert.deepEqual(unknown.map((each) => `${each.file}: \${${each.expression}}`), []);
  });

  it("puts every body last, right after a marker", () => {
    const bodies = found.filter((each) => BODIES.includes(each.expression) && !SAFE_WHERE.some((safe) => safe.expression === each.expression && each.before.endsWith(safe.before)));
    assert.ok(bodies.length >= 14, `${bodies.length} bodies`);
    const misplaced = bodies.filter((each) => !BODY_MARKERS.some((marker) => each.before.endsWith(marker)) || each.after !== "");
    assert.deepEqual(misplaced.map((each) => `${each.file}: …${each.before.slice(-20)}\${${each.expression}}${each.after}`), []);
  });
});
