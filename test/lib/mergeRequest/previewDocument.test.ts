// Reading and checking the classic document `pulumi preview --json` prints (zod): what is kept, and a
// one-line error naming the input and the path of the problem for anything that is not a preview.

import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { parsePreviewJson, PreviewInputError } from "../../../lib/mergeRequest/previewDocument";

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
        steps: [{ op: "update", urn: URN, oldState: { type: "t", parent: "p", inputs: { a: 1 }, outputs: { secret: "x" } }, newState: { type: "t", custom: true, inputs: { a: 2 } }, diffReasons: ["a"], detailedDiff: { "b.c": { kind: "update" }, a: { kind: "update" } } }],
        diagnostics: [{ message: "m", severity: "warning", urn: URN }, { severity: "info" }],
        changeSummary: { update: 1, same: 3 },
        maybeCorrupt: true,
      }),
      "x",
    );
    assert.deepEqual(document, {
      source: "document",
      steps: [
        {
          op: "update",
          urn: URN,
          parsed: { stack: "dev", project: "gitlab-push-tokens", type: "gitlab:index/projectVariable:ProjectVariable", parentTypes: ["gitlab-push-tokens:index:PushToken"], name: "xlink/xlink-app:KEY" },
          oldState: { type: "t", parent: "p", inputs: { a: 1 } },
          newState: { type: "t", parent: undefined, custom: true, inputs: { a: 2 } },
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
      complete: true,
      failedResources: [],
      readProblems: [],
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
    assert.equal(parseError(`{"steps": [{"urn": "${URN}"}]}`), `preview.json ${NOT_A_PREVIEW}: steps[0].op should be an operation name such as create or update, found nothing`);
    assert.equal(parseError(`{"steps": [{"op": "", "urn": "${URN}"}]}`), `preview.json ${NOT_A_PREVIEW}: steps[0].op should be an operation name such as create or update`);
    assert.equal(parseError('{"steps": [{"op": "create", "urn": "glpat-abcdefghijklmnop"}]}'), `preview.json ${NOT_A_PREVIEW}: steps[0].urn is not a Pulumi URN (urn:pulumi:<stack>::<project>::<type>::<name>)`);
    assert.equal(parseError(`{"steps": [{"op": "create", "urn": "${URN}", "newState": {"inputs": []}}]}`), `preview.json ${NOT_A_PREVIEW}: steps[0].newState.inputs should be an object, found a list`);
    assert.equal(parseError(`{"steps": [{"op": "create", "urn": "${URN}", "diffReasons": [1]}]}`), `preview.json ${NOT_A_PREVIEW}: steps[0].diffReasons[0] should be a property name, found a number`);
    assert.equal(parseError(`{"steps": [{"op": "create", "urn": "${URN}", "replaceReasons": "x"}]}`), `preview.json ${NOT_A_PREVIEW}: steps[0].replaceReasons should be a list of property names, found a string`);
    assert.equal(parseError(`{"steps": [{"op": "create", "urn": "${URN}", "oldState": {"parent": 3}}]}`), `preview.json ${NOT_A_PREVIEW}: steps[0].oldState.parent should be a URN string, found a number`);
    assert.equal(parseError('{"diagnostics": [{"message": 5}]}'), `preview.json ${NOT_A_PREVIEW}: diagnostics[0].message should be a string, found a number`);
    assert.equal(parseError('{"changeSummary": {"create": -1}}'), `preview.json ${NOT_A_PREVIEW}: changeSummary.create should be a count (a whole number, 0 or more)`);
    assert.equal(parseError('{"changeSummary": {"glpat-abcdefghijklmnop": "x"}}'), `preview.json ${NOT_A_PREVIEW}: changeSummary.[redacted token-like value] should be a count (a whole number, 0 or more)`);
  });
});
