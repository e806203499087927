// The pure parts of `npm run preview-comment`: reading and checking a preview document, URNs and short
// type names, Markdown code spans and table cells, and safe text.
// Run: node --import tsx --test test/previewDocument.test.ts

import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { parsePreviewJson, PreviewInputError } from "../lib/mergeRequest/previewDocument";
import { cell, code } from "../lib/mergeRequest/markdown";
import { parseUrn, shortType } from "../lib/mergeRequest/urn";
import { safeLine, safeText } from "../lib/mergeRequest/values";

const NOT_A_PREVIEW = "is not the output of `pulumi preview --json`";
const URN = "urn:pulumi:dev::gitlab-push-tokens::gitlab-push-tokens:index:PushToken$gitlab:index/projectVariable:ProjectVariable::xlink/xlink-app:KEY";

function parseError(text: string): string {
  try {
    parsePreviewJson(text, "preview.json");
  } catch (error) {
    assert.ok(error instanceof PreviewInputError, String(error));
    assert.doesNotMatch(error.message, /\n/, "one line");
    return error.message;
  }
  assert.fail("expected a PreviewInputError");
}

describe("parsePreviewJson", () => {
  it("keeps what the note uses, and only inputs of states", () => {
    const document = parsePreviewJson(
      JSON.stringify({
        steps: [{ op: "update", urn: URN, oldState: { type: "t", parent: "p", inputs: { a: 1 }, outputs: { secret: "x" } }, newState: { type: "t", inputs: { a: 2 } }, diffReasons: ["a"], detailedDiff: { "b.c": { kind: "update" }, a: { kind: "update" } } }],
        diagnostics: [{ message: "m", severity: "warning", urn: URN }, { severity: "info" }],
        changeSummary: { update: 1, same: 3 },
        maybeCorrupt: true,
      }),
      "x",
    );
    assert.deepEqual(document, {
      steps: [
        {
          op: "update",
          urn: URN,
          parsed: { stack: "dev", project: "gitlab-push-tokens", type: "gitlab:index/projectVariable:ProjectVariable", parentTypes: ["gitlab-push-tokens:index:PushToken"], name: "xlink/xlink-app:KEY" },
          oldState: { type: "t", parent: "p", inputs: { a: 1 } },
          newState: { type: "t", parent: undefined, inputs: { a: 2 } },
          diffReasons: ["a"],
          replaceReasons: [],
          detailedDiffPaths: ["a", "b.c"],
        },
      ],
      diagnostics: [
        { urn: URN, prefix: undefined, message: "m", severity: "warning" },
        { urn: undefined, prefix: undefined, message: "", severity: "info" },
      ],
      changeSummary: { update: 1, same: 3 },
      maybeCorrupt: true,
    });
  });

  it("accepts a document with only diagnostics (a program that failed before registering anything)", () => {
    assert.deepEqual(parsePreviewJson('{"diagnostics":[{"message":"error: boom\\n","severity":"error"}]}', "x").steps, []);
  });

  it("refuses input that is empty, not JSON or truncated, without quoting it", () => {
    assert.equal(parseError(" \n"), "preview.json is empty: expected the output of `pulumi preview --json`");
    assert.equal(parseError("glpat-abcdefghijklmnop"), "preview.json is not valid JSON");
    assert.equal(parseError('{"steps": [{"op": "cre'), "preview.json is not valid JSON: it ends early (truncated?)");
    assert.equal(parseError('{"steps": ['), "preview.json is not valid JSON: it ends early (truncated?)");
    assert.equal(parseError('{\n  "steps": [],\n  "x": 1,\n}'), "preview.json is not valid JSON (line 4, column 1)");
  });

  it("refuses JSON that is not a preview, naming the path of the problem", () => {
    assert.equal(parseError("[]"), `preview.json ${NOT_A_PREVIEW}: expected a JSON object, found a list`);
    assert.equal(parseError('"x"'), `preview.json ${NOT_A_PREVIEW}: expected a JSON object, found a string`);
    assert.equal(parseError("{}"), `preview.json ${NOT_A_PREVIEW}: it has none of steps, changeSummary and diagnostics`);
    assert.equal(parseError('{"steps": {}}'), `preview.json ${NOT_A_PREVIEW}: steps should be a list, found an object`);
    assert.equal(parseError('{"steps": [1]}'), `preview.json ${NOT_A_PREVIEW}: steps[0] should be an object, found a number`);
    assert.equal(parseError(`{"steps": [{"urn": "${URN}"}]}`), `preview.json ${NOT_A_PREVIEW}: steps[0].op should be an operation name such as create or update`);
    assert.equal(parseError('{"steps": [{"op": "create", "urn": "glpat-abcdefghijklmnop"}]}'), `preview.json ${NOT_A_PREVIEW}: steps[0].urn is not a Pulumi URN (urn:pulumi:<stack>::<project>::<type>::<name>)`);
    assert.equal(parseError(`{"steps": [{"op": "create", "urn": "${URN}", "newState": {"inputs": []}}]}`), `preview.json ${NOT_A_PREVIEW}: steps[0].newState.inputs should be an object, found a list`);
    assert.equal(parseError(`{"steps": [{"op": "create", "urn": "${URN}", "diffReasons": [1]}]}`), `preview.json ${NOT_A_PREVIEW}: steps[0].diffReasons should be a list of property names`);
    assert.equal(parseError('{"diagnostics": [{"message": 5}]}'), `preview.json ${NOT_A_PREVIEW}: diagnostics[0].message should be a string`);
    assert.equal(parseError('{"changeSummary": {"create": -1}}'), `preview.json ${NOT_A_PREVIEW}: changeSummary.create should be a count (a whole number, 0 or more)`);
    assert.equal(parseError('{"changeSummary": {"glpat-abcdefghijklmnop": "x"}}'), `preview.json ${NOT_A_PREVIEW}: changeSummary.[redacted token-like value] should be a count (a whole number, 0 or more)`);
  });

  it("recognises a stream of engine events and says how to get a preview document instead", () => {
    assert.equal(
      parseError('{"sequence":0,"timestamp":1732526042,"cancelEvent":{}}\n{"sequence":1,"timestamp":1732526043}\n'),
      "preview.json holds a stream of engine events, not a preview document: unset PULUMI_ENABLE_STREAMING_JSON_PREVIEW and run `pulumi preview --json` again",
    );
  });
});

describe("URNs and short types", () => {
  it("splits a URN, keeping `::` inside the name", () => {
    assert.deepEqual(parseUrn("urn:pulumi:prod::proj::a:b:C$d:e/f:G::name::with::colons"), { stack: "prod", project: "proj", type: "d:e/f:G", parentTypes: ["a:b:C"], name: "name::with::colons" });
    assert.equal(parseUrn("urn:pulumi:dev::p::t"), undefined);
    assert.equal(parseUrn("arn:aws:s3:::bucket"), undefined);
    assert.equal(parseUrn("urn:pulumi:::p::t::n"), undefined);
  });

  it("shortens type tokens by the documented rule", () => {
    assert.equal(shortType("gitlab:index/projectAccessToken:ProjectAccessToken"), "gitlab:ProjectAccessToken");
    assert.equal(shortType("gitlab-push-tokens:index:PushToken"), "gitlab-push-tokens:PushToken");
    assert.equal(shortType("pulumi:pulumi:Stack"), "pulumi:Stack");
    assert.equal(shortType("pulumi:providers:gitlab"), "provider:gitlab");
    assert.equal(shortType("aws:s3/bucket:Bucket"), "aws:s3/Bucket");
    assert.equal(shortType("aws:s3:BucketEventSubscription"), "aws:s3/BucketEventSubscription");
    assert.equal(shortType("command:local:Command"), "command:local/Command");
    assert.equal(shortType("kubernetes:apps/v1:Deployment"), "kubernetes:apps/Deployment");
    assert.equal(shortType("odd"), "odd");
    assert.equal(shortType("a::b"), "a::b");
  });
});

describe("Markdown pieces", () => {
  it("code spans grow their fence past any backtick run inside", () => {
    assert.equal(code("plain"), "`plain`");
    assert.equal(code("a`b"), "``a`b``");
    assert.equal(code("a``b`"), "``` a``b` ```");
    assert.equal(code("`x"), "`` `x ``");
    assert.equal(code(""), "` `");
    assert.equal(code("two\nlines"), "`two lines`");
  });

  it("table cells escape pipes and fold line breaks", () => {
    assert.equal(cell("a|b\nc\r\nd"), "a\\|b c d");
  });

  it("safe text drops colours, Pulumi markup and control characters, and redacts tokens", () => {
    assert.equal(safeText("\u001b[1;33mwarn\u001b[0m <{%fg 3%}>x<{%reset%}>\u0007 glpat-abcdefghij"), "warn x [redacted token-like value]");
    assert.equal(safeLine("a\n\n  b\tc"), "a b c");
    assert.equal(safeLine("x".repeat(20), 10), `${"x".repeat(9)}…`);
  });
});
