// Reading the engine's event stream (PULUMI_ENABLE_STREAMING_JSON_PREVIEW=1 pulumi preview --json) into
// the note's model: steps, diagnostics, policy results, the verdict; and forgiving reading of a stream
// that was cut short or holds lines that are not events, said by line number without quoting them.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { looksLikeEventStream, readEventStream } from "../../../lib/mergeRequest/previewEvents";
import { EventStream, PACK, PROVIDER_URN, STACK_URN, TOKEN_TYPE, tokenState, tokenUrn, variableState, variableUrn, VARIABLE_TYPE } from "../../support/engineEvents";

const GENERATION = "xlink/xlink-k8s-gitops:GITLAB_CI_PUSHER@2027-03-01";
const VARIABLE = "xlink/xlink-app:GITLAB_PUSHER_TOKEN";

describe("readEventStream", () => {
  it("keeps each step once, in sequence order, with what the note uses of its states", () => {
    const token = tokenState(GENERATION);
    const text = new EventStream()
      .policyLoad()
      .prelude({ "gitlab-push-tokens:pushTokens": "[]" })
      .step({ op: "create", urn: STACK_URN, type: "pulumi:pulumi:Stack", new: { type: "pulumi:pulumi:Stack", urn: STACK_URN } })
      .step({ op: "create", urn: token.urn, type: TOKEN_TYPE, new: { ...token, outputs: { token: "[secret]" } }, diffs: ["scopes"], keys: ["scopes"], detailedDiff: { scopes: { diffKind: "add-replace", inputDiff: true } } })
      .end({ create: 2 })
      .text();
    const document = readEventStream(text);
    assert.deepEqual(document, {
      source: "events",
      steps: [
        { op: "create", urn: STACK_URN, parsed: { stack: "dev", project: "gitlab-push-tokens", type: "pulumi:pulumi:Stack", parentTypes: [], name: "gitlab-push-tokens-dev" }, oldState: undefined, newState: { type: "pulumi:pulumi:Stack", parent: undefined, inputs: {} }, diffReasons: [], replaceReasons: [], detailedDiffPaths: [] },
        {
          op: "create",
          urn: token.urn,
          parsed: { stack: "dev", project: "gitlab-push-tokens", type: TOKEN_TYPE, parentTypes: ["gitlab-push-tokens:index:PushToken"], name: GENERATION },
          oldState: undefined,
          newState: { type: TOKEN_TYPE, parent: token.parent, custom: true, inputs: token.inputs },
          diffReasons: ["scopes"],
          replaceReasons: ["scopes"],
          detailedDiffPaths: ["scopes"],
        },
      ],
      diagnostics: [],
      changeSummary: { create: 2 },
      maybeCorrupt: false,
      policy: { packs: [{ name: PACK, version: "0.1.0", passed: [], failed: [] }], violations: [] },
      result: "succeeded",
      complete: true,
      failedResources: [],
      readProblems: [],
    });
  });

  it("keeps every half of a replacement, each once, whatever order the lines come in", () => {
    const stream = new EventStream()
      .step({ op: "create-replacement", urn: tokenUrn(GENERATION), type: TOKEN_TYPE, new: tokenState(GENERATION) })
      .step({ op: "replace", urn: tokenUrn(GENERATION), type: TOKEN_TYPE, old: tokenState(GENERATION), new: tokenState(GENERATION) })
      .step({ op: "delete-replaced", urn: tokenUrn(GENERATION), type: TOKEN_TYPE, old: tokenState(GENERATION) })
      .end({ replace: 1 });
    const reversed = stream.text().trimEnd().split("\n").reverse().join("\n");
    for (const text of [stream.text(), reversed]) assert.deepEqual(readEventStream(text).steps.map((step) => step.op), ["create-replacement", "replace", "delete-replaced"]);
  });

  it("leaves out debug and ephemeral messages, keeps the rest with their prefix, and the CLI's stdout as info", () => {
    const document = readEventStream(
      new EventStream()
        .diagnostic({ prefix: "debug: ", message: "Registering resource: t=pulumi:pulumi:Stack\n", severity: "debug" })
        .diagnostic({ message: "progress\n", severity: "info", ephemeral: true })
        .diagnostic({ urn: STACK_URN, prefix: "warning: ", message: "expiring soon\n", severity: "warning" })
        .diagnostic({ prefix: "error: ", message: "boom\n", severity: "error" })
        .stdout("Previewing update (dev)")
        .end({})
        .text(),
    );
    assert.deepEqual(document.diagnostics, [
      { urn: STACK_URN, prefix: "warning: ", message: "expiring soon\n", severity: "warning" },
      { urn: undefined, prefix: "error: ", message: "boom\n", severity: "error" },
      { message: "Previewing update (dev)", severity: "info" },
    ]);
  });

  it("collects every violation and each pack's passed and failed policies: failing on any resource is failing", () => {
    const variable = variableUrn(VARIABLE);
    const document = readEventStream(
      new EventStream()
        .analyzed(STACK_URN, ["least-privilege", "credential-variable"])
        .violation({ urn: variable, policy: "credential-variable", message: "not protected", level: "advisory" })
        .analyzed(variable, ["least-privilege"], ["credential-variable"])
        .violation({ urn: tokenUrn(GENERATION), policy: "consumed", message: "held by nothing", exceptions: [{ id: "EXC-1", reason: "retiring" }] })
        .violation({ policy: "create-first", message: "delete-first", pack: "another-pack" })
        .stackAnalyzed(["create-first"], ["consumed"])
        .end({}, "failed", { [`${PACK}|local|policy`]: "0.1.0", "another-pack|local|other": "2.0.0" })
        .text(),
    );
    assert.deepEqual(document.policy, {
      packs: [
        { name: "another-pack", version: "0.1.0", passed: [], failed: ["create-first"] },
        { name: PACK, version: "0.1.0", passed: ["create-first", "least-privilege"], failed: ["consumed", "credential-variable"] },
      ],
      violations: [
        { pack: "another-pack", packVersion: "0.1.0", policy: "create-first", enforcementLevel: "mandatory", message: "The create-first rule.\ndelete-first\n", exceptions: [] },
        { pack: PACK, packVersion: "0.1.0", policy: "credential-variable", enforcementLevel: "advisory", urn: variable, message: "The credential-variable rule.\nnot protected\n", exceptions: [] },
        { pack: PACK, packVersion: "0.1.0", policy: "consumed", enforcementLevel: "mandatory", urn: tokenUrn(GENERATION), message: "The consumed rule.\nheld by nothing\n", exceptions: [{ id: "EXC-1", reason: "retiring" }] },
      ],
    });
    assert.equal(document.result, "failed");
  });

  it("names a pack the summary lists even when it reported nothing, by the name before the first |", () => {
    assert.deepEqual(readEventStream(new EventStream().end({ same: 3 }).text()).policy?.packs, [{ name: PACK, version: "0.1.0", passed: [], failed: [] }]);
    assert.deepEqual(readEventStream(new EventStream().end({ same: 3 }, "succeeded", {}).text()).policy, { packs: [], violations: [] });
  });

  it("records the resources whose operation failed", () => {
    const document = readEventStream(new EventStream().failed({ op: "create", urn: PROVIDER_URN, type: "pulumi:providers:gitlab" }).end({}, "failed").text());
    assert.deepEqual(document.failedResources, [PROVIDER_URN]);
  });

  it("ignores kinds of events it does not read, a newer CLI's too", () => {
    const document = readEventStream(new EventStream().raw({ startDebuggingEvent: { config: {} } }).raw({ someFutureEvent: { x: 1 } }).raw({ progressEvent: { type: "plugin-download", id: "x", message: "", received: 1, total: 2, done: false } }).end({}).text());
    assert.deepEqual(document.readProblems, []);
    assert.deepEqual(document.steps, []);
  });
});

describe("readEventStream on a stream it cannot fully read", () => {
  const complete = new EventStream().step({ op: "create", urn: variableUrn(VARIABLE), type: VARIABLE_TYPE, new: variableState(VARIABLE, GENERATION) }).end({ create: 1 }).text();

  it("a stream cut off in its last line: what came before, and that it ends early", () => {
    const lines = complete.split("\n");
    const document = readEventStream(`${lines.slice(0, 2).join("\n")}\n${lines[2].slice(0, 40)}`);
    assert.deepEqual(document.steps.map((step) => step.op), ["create"]);
    assert.equal(document.complete, false);
    assert.deepEqual(document.readProblems, ["the last line (3) is cut off: the stream ends early"]);
  });

  it("a stream that stops between events: that the preview was cut short", () => {
    const stopped = complete.split("\n").slice(0, 2).join("\n");
    assert.deepEqual(readEventStream(stopped).readProblems, ["the stream ends before the engine's summary: the preview was cut short"]);
  });

  it("a line that is not JSON, or not an event, is left out by number, never quoted", () => {
    const lines = complete.trimEnd().split("\n");
    const text = [lines[0], "token: glpat-NotAnEventCanary012345", '{"sequence": 9, "timestamp": 1, "policyEvent": {"policyName": 5}}', '{"sequence": "x"}', ...lines.slice(1)].join("\n");
    const document = readEventStream(text);
    assert.deepEqual(document.readProblems, [
      "line 2 is not an engine event (not JSON)",
      "line 3 is not an engine event: policyEvent.message should be a string, found nothing",
      "line 4 is not an engine event: sequence should be a number, found a string",
    ]);
    assert.equal(document.complete, true);
    assert.doesNotMatch(JSON.stringify(document), /Canary/);
  });

  it("lists at most five problems, and counts the rest", () => {
    const text = `${Array.from({ length: 8 }, () => "not json").join("\n")}\n${complete}`;
    assert.deepEqual(readEventStream(text).readProblems, [
      "line 1 is not an engine event (not JSON)",
      "line 2 is not an engine event (not JSON)",
      "line 3 is not an engine event (not JSON)",
      "line 4 is not an engine event (not JSON)",
      "line 5 is not an engine event (not JSON)",
      "and 3 more lines left out",
    ]);
  });

  it("a step whose URN is not a Pulumi URN is left out, said by its sequence number", () => {
    const text = new EventStream().step({ op: "create", urn: "glpat-UrnCanary0123456789", type: TOKEN_TYPE }, { outputs: false }).end({}).text();
    const document = readEventStream(text);
    assert.deepEqual(document.steps, []);
    assert.deepEqual(document.readProblems, ["the event with sequence 0 names a resource by something that is not a Pulumi URN"]);
  });
});

describe("looksLikeEventStream", () => {
  it("tells the stream (a compact object per line, sequence first) from the classic document (pretty-printed)", () => {
    assert.equal(looksLikeEventStream('{"sequence":0,"timestamp":1,"cancelEvent":{}}\n'), true);
    assert.equal(looksLikeEventStream('\n  {"sequence":0,"timest'), true);
    assert.equal(looksLikeEventStream('{\n    "steps": []\n}\n'), false);
    assert.equal(looksLikeEventStream('{"steps": [], "sequence": 1}'), false);
    assert.equal(looksLikeEventStream(""), false);
  });
});
