// `npm run preview-comment` end to end: `node --import tsx cli/preview-comment.ts` spawned as the npm
// script runs it, reading a file or stdin; stdout, stderr and exit codes checked exactly.

import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";

import { parsePreviewJson } from "../../lib/mergeRequest/previewDocument";
import { renderPreviewComment } from "../../lib/mergeRequest/previewComment";
import { runCli } from "../support/cliRun";
import { PROJECT_ROOT } from "../support/sharedData";

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

async function previewComment(args: readonly string[], stdin?: string): Promise<Run> {
  const { code, stdout, stderr } = await runCli("preview-comment.ts", args, {}, PROJECT_ROOT, stdin);
  return { status: code, stdout, stderr };
}

const ROTATION = path.join("test", "fixtures", "preview", "rotation.json");
const rotationText = readFileSync(path.join(PROJECT_ROOT, ROTATION), "utf8");
const USAGE = "usage: npm run preview-comment -- <preview.json | ->";
const NOT_A_PREVIEW = "is not the output of `pulumi preview --json`";

describe("npm run preview-comment", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "preview-comment-"));
  const truncated = path.join(dir, "truncated.json");
  writeFileSync(truncated, rotationText.slice(0, 700));
  after(() => rmSync(dir, { recursive: true, force: true }));

  // Every process is started at once: each spends most of its time loading tsx.
  const runs: Record<string, Run> = {};
  before(async () => {
    const cases: Record<string, Promise<Run>> = {
      file: previewComment([ROTATION]),
      stdin: previewComment(["-"], rotationText),
      missing: previewComment([path.join(dir, "absent.json")]),
      notJson: previewComment(["-"], "token: glpat-NotJsonCanary0123456789\n"),
      truncated: previewComment([truncated]),
      badStep: previewComment(["-"], JSON.stringify({ steps: [{ op: "create", urn: "glpat-UrnCanary0123456789" }] })),
      noArgs: previewComment([]),
      help: previewComment(["--help"]),
    };
    await Promise.all(Object.entries(cases).map(async ([name, run]) => (runs[name] = await run)));
  });

  it("reads a file and prints the note, exit 0", () => {
    assert.deepEqual(runs.file, { status: 0, stdout: renderPreviewComment(parsePreviewJson(rotationText, ROTATION)), stderr: "" });
    assert.ok(runs.file.stdout.startsWith("<!-- gitlab-push-tokens:preview-comment -->\n<!-- stack: dev -->\n"));
  });

  it("reads stdin with -, the same note", () => {
    assert.deepEqual(runs.stdin, { status: 0, stdout: runs.file.stdout, stderr: "" });
  });

  // Every other malformed input goes through the same path; test/lib/mergeRequest/previewDocument.test.ts covers them.
  it("a missing file: one line, exit 1", () => {
    assert.deepEqual(runs.missing, { status: 1, stdout: "", stderr: `preview-comment: cannot read ${path.join(dir, "absent.json")}: no such file\n` });
  });

  it("not JSON or truncated: one line saying so, never the input", () => {
    assert.deepEqual(runs.notJson, { status: 1, stdout: "", stderr: "preview-comment: stdin is not valid JSON\n" });
    assert.deepEqual(runs.truncated, { status: 1, stdout: "", stderr: `preview-comment: ${truncated} is not valid JSON: it ends early (truncated?)\n` });
  });

  it("JSON that is not a preview: one line naming what is wrong and where", () => {
    assert.deepEqual(runs.badStep, { status: 1, stdout: "", stderr: `preview-comment: stdin ${NOT_A_PREVIEW}: steps[0].urn is not a Pulumi URN (urn:pulumi:<stack>::<project>::<type>::<name>)\n` });
  });

  it("no input named: the usage error and the usage, exit 1; --help: the help, exit 0", () => {
    assert.deepEqual(runs.noArgs, {
      status: 1,
      stdout: "",
      stderr: `preview-comment: <preview.json | -> is missing. Fix: pass the file pulumi preview --json wrote, or - to read it from stdin, e.g. npm run --silent preview-comment -- preview.json > comment.md.\n${USAGE}\n`,
    });
    assert.equal(runs.help.status, 0);
    assert.match(runs.help.stdout, /^usage: npm run preview-comment -- <preview\.json \| ->\n\nWrites the merge-request note[^]*\n {2}<preview\.json \| -> {2}the file pulumi preview --json wrote, or - to read it from stdin\n/);
  });

  it("never a stack trace, never a token from the input", () => {
    for (const [name, run] of Object.entries(runs)) {
      assert.doesNotMatch(run.stderr, /\n\s+at |Error:/, name);
      assert.doesNotMatch(run.stdout + run.stderr, /glpat-|Canary/, name);
    }
  });
});
