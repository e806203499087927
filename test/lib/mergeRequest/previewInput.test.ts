// What the pipeline captured of a preview, told apart and read: the event stream, the classic document,
// or something that is neither (empty, not JSON, cut off), which still makes a note that says so. And
// the renderer's properties on any event stream: the same note whatever order its lines come in, no
// token-shaped text in it, and never longer than its limit.

import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import fc from "fast-check";
import { renderPreviewComment } from "../../../lib/mergeRequest/previewComment";
import { PreviewInputError } from "../../../lib/mergeRequest/previewDocument";
import { capturePreviewText, readPreviewCapture } from "../../../lib/mergeRequest/previewInput";
import { EventStream } from "../../support/engineEvents";
import { eventStream, TOKEN_SHAPED } from "../../support/engineEventArbitraries";
import { PROJECT_ROOT } from "../../support/sharedData";

const ROTATION = readFileSync(path.join(PROJECT_ROOT, "test", "fixtures", "preview", "rotation.json"), "utf8");

describe("capturePreviewText", () => {
  it("tells the event stream from the classic document", () => {
    assert.equal(capturePreviewText(new EventStream().end({}).text(), "x").document?.source, "events");
    assert.equal(capturePreviewText(ROTATION, "x").document?.source, "document");
  });

  it("anything else is unreadable, said in one line that names the input and quotes nothing", () => {
    assert.deepEqual(capturePreviewText(" \n", "preview.jsonl"), { unreadable: "preview.jsonl is empty (`pulumi preview` printed nothing on stdout)" });
    assert.deepEqual(capturePreviewText("token: glpat-NotJsonCanary0123456789\n", "stdin"), { unreadable: "stdin is not valid JSON" });
    assert.deepEqual(capturePreviewText(ROTATION.slice(0, 700), "preview.json"), { unreadable: "preview.json is not valid JSON: it ends early (truncated?)" });
    assert.deepEqual(capturePreviewText("[]", "preview.json"), { unreadable: "preview.json is not the output of `pulumi preview --json`: expected a JSON object, found a list" });
  });

  it("a stream cut off in its first line is still a stream, read as far as it goes", () => {
    const document = capturePreviewText('{"sequence":0,"timestamp":1,"policyLo', "x").document;
    assert.deepEqual(document?.readProblems, ["the last line (1) is cut off: the stream ends early"]);
  });
});

describe("readPreviewCapture", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "preview-capture-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("reads the output, the exit code and the errors on stderr", () => {
    writeFileSync(path.join(dir, "out.jsonl"), new EventStream().end({}, "failed").text());
    writeFileSync(path.join(dir, "err.txt"), "error: boom\n");
    const capture = readPreviewCapture({ output: path.join(dir, "out.jsonl"), stderr: path.join(dir, "err.txt"), exitCode: 1 });
    assert.equal(capture.exitCode, 1);
    assert.deepEqual(capture.stderrErrors, [{ message: "boom", severity: "error", from: "stderr" }]);
    assert.equal(capture.document?.result, "failed");
  });

  it("a file that cannot be opened is an error naming it", () => {
    assert.throws(() => readPreviewCapture({ output: path.join(dir, "absent.jsonl") }), (error: unknown) => error instanceof PreviewInputError && error.message === `cannot read ${path.join(dir, "absent.jsonl")}: no such file`);
    assert.throws(() => readPreviewCapture({ output: dir }), (error: unknown) => error instanceof PreviewInputError && error.message === `cannot read ${dir}: it is a directory`);
    writeFileSync(path.join(dir, "ok.jsonl"), new EventStream().end({}).text());
    assert.throws(() => readPreviewCapture({ output: path.join(dir, "ok.jsonl"), stderr: path.join(dir, "absent.txt") }), /^PreviewInputError: cannot read .*absent\.txt: no such file$/);
  });
});

describe("the note of any event stream", () => {
  const noteOf = (lines: readonly string[], maxLength?: number) => renderPreviewComment(capturePreviewText(lines.join("\n"), "preview.jsonl"), { stack: "dev", maxLength });

  it("is the same whatever order the lines come in", () => {
    fc.assert(
      fc.property(eventStream, fc.infiniteStream(fc.nat()), (lines, seeds) => {
        const shuffled = [...lines].map((line) => ({ line, key: seeds.next().value })).sort((a, b) => a.key - b.key).map(({ line }) => line);
        assert.equal(noteOf(shuffled), noteOf(lines));
      }),
      { numRuns: 150 },
    );
  });

  it("never holds token-shaped text, wherever the stream holds it", () => {
    fc.assert(
      fc.property(eventStream, (lines) => {
        assert.doesNotMatch(noteOf(lines), TOKEN_SHAPED);
      }),
      { numRuns: 300 },
    );
  });

  it("never exceeds its limit, cutting rows; a limit below its fixed parts is refused", () => {
    fc.assert(
      fc.property(eventStream, fc.double({ min: 0, max: 1, noNaN: true }), (lines, fraction) => {
        const full = noteOf(lines);
        const limit = Math.floor(full.length * fraction);
        let note: string;
        try {
          note = noteOf(lines, limit);
        } catch (error) {
          assert.ok(error instanceof RangeError, String(error));
          return;
        }
        assert.ok(note.length <= limit, `${note.length} > ${limit}`);
        // What is never cut stays: the marker and the headline.
        assert.equal(note.split("\n").slice(0, 3).join("\n"), full.split("\n").slice(0, 3).join("\n"));
      }),
      { numRuns: 150 },
    );
  });
});
