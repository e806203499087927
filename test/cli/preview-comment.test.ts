// `npm run preview-comment` end to end: `node --import tsx cli/preview-comment.ts` spawned as the npm
// script runs it, reading a file or stdin (the event stream or the classic document); stdout, stderr
// and exit codes checked exactly. A note is written for every output, even an empty one (exit 2 then);
// only a usage error or a file that cannot be read writes none (exit 1).

import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";

import { renderPreviewComment } from "../../lib/mergeRequest/previewComment";
import { capturePreviewText } from "../../lib/mergeRequest/previewInput";
import { stderrErrors } from "../../lib/mergeRequest/previewOutcome";
import { runCli } from "../support/cliRun";
import { EventStream, STACK_URN } from "../support/engineEvents";
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
const USAGE = "usage: npm run preview-comment -- <preview output | -> --stack <name> [--exit-code <n>] [--stderr <file>]";
const EVENTS = new EventStream()
  .step({ op: "same", urn: STACK_URN, type: "pulumi:pulumi:Stack", old: { type: "pulumi:pulumi:Stack", urn: STACK_URN }, new: { type: "pulumi:pulumi:Stack", urn: STACK_URN } })
  .end({ same: 1 })
  .text();

describe("npm run preview-comment", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "preview-comment-"));
  const file = (name: string, text: string) => {
    writeFileSync(path.join(dir, name), text);
    return path.join(dir, name);
  };
  const truncated = file("truncated.json", rotationText.slice(0, 700));
  const empty = file("empty.jsonl", "");
  const events = file("events.jsonl", EVENTS);
  const stderr = file("stderr.txt", "error: could not load plugin gitlab: glpat-StderrCanary0123456789\n");
  after(() => rmSync(dir, { recursive: true, force: true }));

  // Every process is started at once: each spends most of its time loading tsx.
  const runs: Record<string, Run> = {};
  before(async () => {
    const cases: Record<string, Promise<Run>> = {
      file: previewComment([ROTATION, "--stack", "dev"]),
      stdin: previewComment(["-", "--stack", "dev"], rotationText),
      events: previewComment([events, "--stack", "dev", "--exit-code", "0"]),
      otherStack: previewComment([events, "--stack", "prod"]),
      empty: previewComment([empty, "--stack", "dev", "--exit-code", "255", "--stderr", stderr]),
      notJson: previewComment(["-", "--stack", "dev"], "token: glpat-NotJsonCanary0123456789\n"),
      truncated: previewComment([truncated, "--stack", "dev"]),
      missing: previewComment([path.join(dir, "absent.json"), "--stack", "dev"]),
      noStack: previewComment([ROTATION]),
      badExitCode: previewComment([ROTATION, "--stack", "dev", "--exit-code", "256"]),
      noArgs: previewComment([]),
      unknownFlag: previewComment([ROTATION, "--stack", "dev", "--bogus"]),
      help: previewComment(["--help"]),
    };
    await Promise.all(Object.entries(cases).map(async ([name, run]) => (runs[name] = await run)));
  });

  it("reads a classic document and prints its note, exit 0", () => {
    assert.deepEqual(runs.file, { status: 0, stdout: renderPreviewComment(capturePreviewText(rotationText, ROTATION), { stack: "dev" }), stderr: "" });
    assert.ok(runs.file.stdout.startsWith("<!-- gitlab-push-tokens:preview-comment -->\n<!-- stack: dev -->\n"));
  });

  it("reads stdin with -, the same note", () => {
    assert.deepEqual(runs.stdin, { status: 0, stdout: runs.file.stdout, stderr: "" });
  });

  it("reads the event stream, exit 0", () => {
    assert.deepEqual(runs.events, { status: 0, stdout: renderPreviewComment({ ...capturePreviewText(EVENTS, events), exitCode: 0 }, { stack: "dev" }), stderr: "" });
    assert.match(runs.events.stdout, /\n\*\*No changes\.\*\* Resources: 1 unchanged\n/);
  });

  it("writes the note, but exits 2 saying why, for an output of another stack", () => {
    assert.equal(runs.otherStack.status, 2);
    assert.ok(runs.otherStack.stdout.startsWith("<!-- gitlab-push-tokens:preview-comment -->\n<!-- stack: prod -->\n"));
    assert.equal(runs.otherStack.stderr, "preview-comment: wrote a note that says so, but it previews stack dev, not prod (--stack)\n");
  });

  it("an empty output still gets a note, with the exit code and the errors from stderr redacted; exit 2 (issue 11, item 3)", () => {
    assert.equal(runs.empty.status, 2);
    assert.equal(
      runs.empty.stdout,
      renderPreviewComment({ unreadable: `${empty} is empty (\`pulumi preview\` printed nothing on stdout)`, exitCode: 255, stderrErrors: stderrErrors(readFileSync(stderr, "utf8")) }, { stack: "dev" }),
    );
    assert.match(runs.empty.stdout, /\n❌ \*\*There is no preview to show\*\* \(`pulumi preview` exited 255\): .*is empty/);
    assert.match(runs.empty.stdout, /\n> could not load plugin gitlab: \\\[redacted token-like value\\\]\n$/);
    assert.equal(runs.empty.stderr, `preview-comment: wrote a note that says so, but ${empty} is empty (\`pulumi preview\` printed nothing on stdout)\n`);
  });

  it("not JSON or truncated: a note that says so, exit 2, never the input", () => {
    assert.equal(runs.notJson.status, 2);
    assert.match(runs.notJson.stdout, /\n❌ \*\*There is no preview to show\*\*: stdin is not valid JSON\. The job log has what `pulumi preview` printed\.\n$/);
    assert.equal(runs.notJson.stderr, "preview-comment: wrote a note that says so, but stdin is not valid JSON\n");
    assert.equal(runs.truncated.status, 2);
    assert.equal(runs.truncated.stderr, `preview-comment: wrote a note that says so, but ${truncated} is not valid JSON: it ends early (truncated?)\n`);
  });

  it("a file that cannot be read: one line, exit 1, no note", () => {
    assert.deepEqual(runs.missing, { status: 1, stdout: "", stderr: `preview-comment: cannot read ${path.join(dir, "absent.json")}: no such file\n` });
  });

  it("usage errors: one line and the usage, exit 1, no note; --help: every option explained, exit 0", () => {
    assert.deepEqual(runs.noStack, { status: 1, stdout: "", stderr: `preview-comment: --stack is required: the note must name the stack it previews. Fix: pass --stack "$STACK".\n${USAGE}\n` });
    assert.deepEqual(runs.badExitCode, { status: 1, stdout: "", stderr: `preview-comment: --exit-code "256" is not an exit code (0 to 255). Fix: pass $? of pulumi preview.\n${USAGE}\n` });
    assert.deepEqual(runs.noArgs, {
      status: 1,
      stdout: "",
      stderr: `preview-comment: <preview output | -> is missing. Fix: pass what pulumi preview --json printed: the engine's events, one a line (with PULUMI_ENABLE_STREAMING_JSON_PREVIEW=1, which hold the policy packs' verdict), or the classic document; - reads stdin, e.g. npm run --silent preview-comment -- preview.jsonl --stack dev --exit-code 0 --stderr preview-stderr.txt > comment.md.\n${USAGE}\n`,
    });
    assert.deepEqual(runs.unknownFlag, { status: 1, stdout: "", stderr: `preview-comment: unknown option "--bogus". Fix: npm run preview-comment -- --help lists every option.\n${USAGE}\n` });
    assert.equal(runs.help.status, 0);
    assert.ok(runs.help.stdout.startsWith(`${USAGE}\n\n`));
    for (const option of ["--stack <name>", "--exit-code <n>", "--stderr <file>", "PULUMI_ENABLE_STREAMING_JSON_PREVIEW=1"]) assert.ok(runs.help.stdout.includes(option), option);
  });

  it("never a stack trace, never a token from the input", () => {
    for (const [name, run] of Object.entries(runs)) {
      assert.doesNotMatch(run.stderr, /\n\s+at |Error:/, name);
      assert.doesNotMatch(run.stdout + run.stderr, /glpat-|Canary/, name);
    }
  });
});
