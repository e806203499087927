// `npm run rotate` and `npm run expiry` as a user runs them, on temp copies of stack files with
// comments and odd formatting: the exact file text after an edit (only the rotated token's lines
// change), nothing written on failure, exit codes and exact outputs. First, the YAML editor
// (lib/stackFile/stackDocument.ts) in-process, on layouts the CLI runs would be slow to cover one by one.
// Run: node --import tsx --test test/rotate.test.ts

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import fc from "fast-check";
import { parse } from "yaml";

import { UsageError } from "../config/expiry";
import { applyTokenChanges, type TokenChange } from "../config/rotation";
import { expiryCli } from "../cli/expiry";
import { rotateCli } from "../cli/rotate";
import { configMapOf, editPushTokens, rawStackConfig, type StackDocument } from "../lib/stackFile/stackDocument";
import { PROJECT_ROOT } from "./support/sharedData";

const PROJECT = "gitlab-push-tokens";

// --- the editor, in-process ------------------------------------------------------------------

function stackDocument(text: string): StackDocument {
  const fileName = "Pulumi.t.yaml";
  return { project: PROJECT, fileName, file: "/nonexistent/Pulumi.t.yaml", text, raw: rawStackConfig(PROJECT, configMapOf(text, fileName), "rotate") };
}

const ROTATE_FIRST: TokenChange = { tokenIndex: 0, expiresAt: "2027-03-01", retiring: { expiresAt: "2027-01-01", revokeAfter: "2026-11-26T00:00:00Z" }, summary: "" };
const CLEAN_FIRST: TokenChange = { tokenIndex: 0, retiring: null, summary: "" };

const lines = (...text: string[]) => text.map((line) => `${line}\n`).join("");

function editorError(text: string, changes: readonly TokenChange[]): Error {
  try {
    editPushTokens(stackDocument(text), changes);
  } catch (error) {
    return error as Error;
  }
  assert.fail("expected the edit to be refused");
}

describe("stackDocument: editing pushTokens", () => {
  it("appends retiring as the token's last key, indented by the file's own step, before the next token's comment", () => {
    const text = lines(
      "config:",
      "    gitlab-push-tokens:pushTokens:",
      "        - name: A",
      "          project: g/p",
      "          expiresAt: 2027-01-01",
      "          consumers:",
      "            - project: g/q",
      "              key: K",
      "              # deeper comment: part of the consumer",
      "          # a comment at the key's column: not part of consumers",
      "        - name: B",
      "          project: g/p",
      "          expiresAt: '2027-01-01'",
      "          consumers: [{project: g/q, key: L}]",
    );
    assert.equal(
      editPushTokens(stackDocument(text), [ROTATE_FIRST, { ...ROTATE_FIRST, tokenIndex: 1 }]),
      lines(
        "config:",
        "    gitlab-push-tokens:pushTokens:",
        "        - name: A",
        "          project: g/p",
        '          expiresAt: "2027-03-01"',
        "          consumers:",
        "            - project: g/q",
        "              key: K",
        "              # deeper comment: part of the consumer",
        "          retiring:",
        '              expiresAt: "2027-01-01"',
        '              revokeAfter: "2026-11-26T00:00:00Z"',
        "          # a comment at the key's column: not part of consumers",
        "        - name: B",
        "          project: g/p",
        "          expiresAt: '2027-03-01'",
        "          consumers: [{project: g/q, key: L}]",
        "          retiring:",
        '              expiresAt: "2027-01-01"',
        '              revokeAfter: "2026-11-26T00:00:00Z"',
      ),
    );
  });

  it("keeps CRLF line endings and adds the final newline a file without one needs", () => {
    const text = ["config:", "  pushTokens:", "    - name: A", "      project: g/p", '      expiresAt: "2027-01-01"', "      consumers: [{project: g/q, key: K}]"].join("\r\n");
    assert.equal(
      editPushTokens(stackDocument(text), [ROTATE_FIRST]),
      [
        "config:",
        "  pushTokens:",
        "    - name: A",
        "      project: g/p",
        '      expiresAt: "2027-03-01"',
        "      consumers: [{project: g/q, key: K}]",
        "      retiring:",
        '        expiresAt: "2027-01-01"',
        '        revokeAfter: "2026-11-26T00:00:00Z"',
        "",
      ].join("\r\n"),
    );
  });

  it("replaces a flow-style retiring value in place, and a block one under its key, dropping the old generation's extra fields", () => {
    const text = lines(
      "config:",
      "  gitlab-push-tokens:pushTokens:",
      "    - name: A",
      "      project: g/p",
      '      expiresAt: "2027-01-01"',
      "      consumers: [{project: g/q, key: K}]",
      '      retiring: {expiresAt: "2026-12-01", revokeAfter: "2026-11-20T00:00:00Z", tokenId: 7}   # adopted',
      "    - name: B",
      "      project: g/p",
      '      expiresAt: "2027-01-01"',
      "      consumers: [{project: g/q, key: L}]",
      "      # why B keeps a retiring generation",
      "      retiring:   # on the key line",
      "        # inside the old block",
      '        expiresAt: "2026-12-01"',
      '        revokeAfter: "2026-11-20T00:00:00Z"',
      "        tokenId: 8",
      "        # trailing, inside the old block",
      "      # after the block, at the key's column",
    );
    assert.equal(
      editPushTokens(stackDocument(text), [ROTATE_FIRST, { ...ROTATE_FIRST, tokenIndex: 1 }]),
      lines(
        "config:",
        "  gitlab-push-tokens:pushTokens:",
        "    - name: A",
        "      project: g/p",
        '      expiresAt: "2027-03-01"',
        "      consumers: [{project: g/q, key: K}]",
        '      retiring: {expiresAt: "2027-01-01", revokeAfter: "2026-11-26T00:00:00Z"}   # adopted',
        "    - name: B",
        "      project: g/p",
        '      expiresAt: "2027-03-01"',
        "      consumers: [{project: g/q, key: L}]",
        "      # why B keeps a retiring generation",
        "      retiring:   # on the key line",
        '        expiresAt: "2027-01-01"',
        '        revokeAfter: "2026-11-26T00:00:00Z"',
        "      # after the block, at the key's column",
      ),
    );
  });

  it("removes a retiring block with the comments right above it at its column and those inside it", () => {
    const text = lines(
      "config:",
      "  pushTokens:",
      "    - name: A",
      "      project: g/p",
      '      expiresAt: "2027-01-01"',
      "      consumers: [{project: g/q, key: K}]",
      "      # kept: a blank line separates it",
      "",
      "      # removed: it describes the block",
      "      # removed too",
      "      retiring:",
      '        expiresAt: "2026-12-01"',
      '        revokeAfter: "2026-11-20T00:00:00Z"',
      "        # removed: inside the block",
      "    # kept: the next token's",
      "    - name: B",
      "      project: g/p",
      '      expiresAt: "2027-01-01"',
      "      consumers: [{project: g/q, key: L}]",
      '      retiring: {expiresAt: "2026-12-01", revokeAfter: "2026-11-20T00:00:00Z"}',
      "# the end",
    );
    assert.equal(
      editPushTokens(stackDocument(text), [CLEAN_FIRST, { ...CLEAN_FIRST, tokenIndex: 1 }]),
      lines(
        "config:",
        "  pushTokens:",
        "    - name: A",
        "      project: g/p",
        '      expiresAt: "2027-01-01"',
        "      consumers: [{project: g/q, key: K}]",
        "      # kept: a blank line separates it",
        "",
        "    # kept: the next token's",
        "    - name: B",
        "      project: g/p",
        '      expiresAt: "2027-01-01"',
        "      consumers: [{project: g/q, key: L}]",
        "# the end",
      ),
    );
  });

  it("leaves the text alone when there is nothing to change", () => {
    const text = lines("config:", "  pushTokens:", "    - {name: A, project: g/p, expiresAt: '2027-01-01', consumers: [{project: g/q, key: K}]}");
    assert.equal(editPushTokens(stackDocument(text), []), text);
    assert.equal(editPushTokens(stackDocument(text), [{ tokenIndex: 0, expiresAt: "2027-02-02", summary: "" }]), text.replace("'2027-01-01'", "'2027-02-02'"));
  });

  it("refuses to add or remove a key in a flow-style token", () => {
    const text = lines(
      "config:",
      "  pushTokens:",
      '    - {name: A, project: g/p, expiresAt: "2027-01-01", consumers: [{project: g/q, key: K}], retiring: {expiresAt: "2026-12-01", revokeAfter: "2026-11-20T00:00:00Z"}}',
      '    - {name: B, project: g/p, expiresAt: "2027-01-01", consumers: [{project: g/q, key: L}]}',
    );
    for (const change of [CLEAN_FIRST, { ...ROTATE_FIRST, tokenIndex: 1 }]) {
      const error = editorError(text, [change]);
      assert.ok(error instanceof UsageError);
      assert.equal(
        error.message,
        `Pulumi.t.yaml: pushTokens[${change.tokenIndex}] is written in flow style ({…}), where rotate cannot add or remove retiring: write that token in block style (one key per line) and run it again`,
      );
    }
    assert.match(editPushTokens(stackDocument(text), [ROTATE_FIRST]), /retiring: \{expiresAt: "2027-01-01", revokeAfter: "2026-11-26T00:00:00Z"\}\}\n/);
  });

  it("writes nothing it cannot prove: an edit that would change what an alias points to is refused", () => {
    const text = lines(
      "config:",
      "  pushTokens:",
      "    - name: A",
      "      project: g/p",
      '      expiresAt: "2027-01-01"',
      "      consumers: [{project: g/q, key: K}]",
      "      retiring: &previous",
      '        expiresAt: "2026-12-01"',
      '        revokeAfter: "2026-11-20T00:00:00Z"',
      "    - name: B",
      "      project: g/p",
      '      expiresAt: "2027-01-01"',
      "      consumers: [{project: g/q, key: L}]",
      "      retiring: *previous",
    );
    const error = editorError(text, [ROTATE_FIRST]);
    assert.ok(error instanceof UsageError);
    assert.equal(error.message, "editing Pulumi.t.yaml did not produce the intended config (its layout is one this editor does not handle); nothing was written: edit it by hand");
    assert.equal(editorError(text, [CLEAN_FIRST]).message, error.message);
  });

  it("refuses pushTokens given twice, namespaced and bare", () => {
    const text = lines("config:", "  pushTokens: []", "  gitlab-push-tokens:pushTokens: []");
    const error = editorError(text, []);
    assert.ok(error instanceof UsageError);
    assert.equal(error.message, "Pulumi.t.yaml sets pushTokens twice (pushTokens and gitlab-push-tokens:pushTokens): keep one");
  });
});

describe("stackDocument: any block layout", () => {
  /** How one generated file is written: what a human might do differently. */
  const layoutArb = fc.record({
    unit: fc.constantFrom("  ", "    "),
    dash: fc.constantFrom("- ", "-   "),
    quote: fc.constantFrom("'", '"', ""),
    newline: fc.constantFrom("\n", "\r\n"),
    finalNewline: fc.boolean(),
    commentAbove: fc.boolean(),
    trailingComments: fc.boolean(),
    deeperComment: fc.boolean(),
    flowRetiring: fc.boolean(),
    namespaced: fc.boolean(),
  });
  const tokenArb = fc.record({
    hasRetiring: fc.boolean(),
    change: fc.constantFrom("none", "rotate", "expire", "cleanup"),
  });

  type Layout = typeof layoutArb extends fc.Arbitrary<infer T> ? T : never;

  function renderToken(index: number, hasRetiring: boolean, layout: Layout): string[] {
    const pad = layout.unit.repeat(2);
    const keys = pad + " ".repeat(layout.dash.length);
    const date = (value: string) => `${layout.quote}${value}${layout.quote}`;
    const trailing = layout.trailingComments ? "   # note" : "";
    const lines = [
      `${pad}${layout.dash}name: T${index}${trailing}`,
      `${keys}project: g/p`,
      `${keys}expiresAt: ${date("2027-01-01")}${trailing}`,
      `${keys}consumers:`,
      `${keys}${layout.unit}- project: g/q`,
      `${keys}${layout.unit}  key: K${index}`,
      ...(layout.deeperComment ? [`${keys}${layout.unit}  # hidden: true`] : []),
    ];
    if (!hasRetiring) return lines;
    if (layout.commentAbove) lines.push(`${keys}# the previous generation`);
    if (layout.flowRetiring) return [...lines, `${keys}retiring: {expiresAt: "2026-12-01", revokeAfter: "2026-11-20T00:00:00Z", tokenId: ${index + 1}}${trailing}`];
    return [...lines, `${keys}retiring:`, `${keys}${layout.unit}expiresAt: ${date("2026-12-01")}`, `${keys}${layout.unit}revokeAfter: "2026-11-20T00:00:00Z"${trailing}`];
  }

  it("applies any mix of changes exactly, leaving the lines of unchanged tokens byte for byte", () => {
    fc.assert(
      fc.property(layoutArb, fc.array(tokenArb, { minLength: 1, maxLength: 4 }), (layout, specs) => {
        const header = ["# generated", "config:", `${layout.unit}${layout.namespaced ? "gitlab-push-tokens:" : ""}pushTokens:`];
        const tokenLines = specs.map((spec, index) => renderToken(index, spec.hasRetiring, layout));
        const text = [...header, ...tokenLines.flat()].join(layout.newline) + (layout.finalNewline ? layout.newline : "");
        const changes = specs.flatMap((spec, tokenIndex): TokenChange[] => {
          if (spec.change === "rotate") return [{ tokenIndex, expiresAt: "2027-04-01", retiring: { expiresAt: "2027-01-01", revokeAfter: "2026-11-26T00:00:00Z" }, summary: "" }];
          if (spec.change === "expire") return [{ tokenIndex, expiresAt: "2027-04-01", ...(spec.hasRetiring && { retiring: null }), summary: "" }];
          if (spec.change === "cleanup" && spec.hasRetiring) return [{ tokenIndex, retiring: null, summary: "" }];
          return [];
        });

        const edited = editPushTokens(stackDocument(text), changes);

        const key = `${layout.namespaced ? "gitlab-push-tokens:" : ""}pushTokens`;
        const before = parse(text) as { config: Record<string, unknown[]> };
        assert.deepEqual(parse(edited), { config: { [key]: applyTokenChanges(before.config[key], changes) } });
        assert.ok(edited.startsWith(header.join(layout.newline) + layout.newline));
        const changed = new Set(changes.map((change) => change.tokenIndex));
        tokenLines.forEach((lines, index) => {
          if (!changed.has(index)) assert.ok(edited.includes(lines.join(layout.newline)), `token ${index} kept`);
        });
        if (layout.newline === "\r\n") assert.doesNotMatch(edited.replaceAll("\r\n", ""), /\n/);
      }),
      { numRuns: 150 },
    );
  });
});

describe("stackDocument: reading the config as the program does", () => {
  it("accepts namespaced and bare keys, and tells the default provider's keys apart", () => {
    const raw = rawStackConfig(PROJECT, { pushTokens: [{ name: "A" }], "gitlab-push-tokens:expiryWarningDays": 7, "gitlab:baseUrl": "https://x", "other:key": "v" }, "rotate");
    assert.deepEqual(raw, {
      gitlab: undefined,
      pushTokens: [{ name: "A" }],
      expiryWarningDays: 7,
      gitlabToken: "absent",
      presentKeys: ["pushTokens", "expiryWarningDays"],
      defaultProviderKeys: ["baseUrl"],
    });
  });

  it("knows a secret gitlabToken from a plain-text one", () => {
    assert.equal(rawStackConfig(PROJECT, { gitlabToken: { secure: "v1:AAAA" } }, "rotate").gitlabToken, "secret");
    assert.equal(rawStackConfig(PROJECT, { "gitlab-push-tokens:gitlabToken": "glpat-CANARY0123456789" }, "rotate").gitlabToken, "plaintext");
  });

  it("refuses other encrypted values, which it cannot read offline", () => {
    assert.throws(() => rawStackConfig(PROJECT, { pushTokens: { secure: "v1:AAAA" } }, "rotate"), {
      name: "UsageError",
      message: "gitlab-push-tokens:pushTokens is a secure value, which rotate cannot decrypt offline: keep it in plain text (only gitlabToken holds a secret)",
    });
    assert.throws(() => rawStackConfig(PROJECT, { pushTokens: { secure: "v1:A" }, "gitlab:token": { secure: "v1:B" } }, "expiry"), {
      message: "gitlab-push-tokens:pushTokens, gitlab:token are secure values, which expiry cannot decrypt offline: keep them in plain text (only gitlabToken holds a secret)",
    });
  });

  it("names the file when its YAML or its config map is broken", () => {
    assert.throws(() => configMapOf("config: [1,\n", "Pulumi.x.yaml"), { name: "UsageError", message: /^Pulumi\.x\.yaml is not valid YAML: .+$/ });
    assert.throws(() => configMapOf("config: [1]\n", "Pulumi.x.yaml"), { name: "UsageError", message: "Pulumi.x.yaml: 'config' must be a map of keys to values" });
    assert.deepEqual(configMapOf("", "Pulumi.x.yaml"), {});
  });
});

// --- the CLIs ------------------------------------------------------------------------------------
// Spawned as a user runs them for the main paths; the variations run the same entry point in-process,
// which saves a Node start-up each.

interface Run {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

const CLIS = { rotate: rotateCli, expiry: expiryCli };

/** Runs a CLI in this process, its output collected as a spawned run's would be. */
function runHere(tool: keyof typeof CLIS, args: readonly string[]): Run {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const status = CLIS[tool](args, { out: (text) => stdout.push(`${text}\n`), err: (text) => stderr.push(`${text}\n`) });
  return { status, stdout: stdout.join(""), stderr: stderr.join("") };
}

/** Spawns `node --import tsx cli/<tool>.ts`, without the developer's GITLAB_TOKEN. */
function run(tool: keyof typeof CLIS, args: readonly string[]): Promise<Run> {
  const { GITLAB_TOKEN: _ignored, ...env } = process.env;
  return new Promise((resolve) => {
    execFile(process.execPath, ["--import", "tsx", `cli/${tool}.ts`, ...args], { cwd: PROJECT_ROOT, env, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ status: error ? Number(error.code) : 0, stdout, stderr });
    });
  });
}

const dirs: string[] = [];
after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A folder with Pulumi.yaml and Pulumi.<stack>.yaml holding `text`; returns the stack file's path. */
function stackFolder(stack: string, text: string): { dir: string; file: string } {
  const dir = mkdtempSync(path.join(tmpdir(), "rotate-test-"));
  dirs.push(dir);
  writeFileSync(path.join(dir, "Pulumi.yaml"), "name: gitlab-push-tokens\nruntime: nodejs\nmain: infra/index.ts\n");
  const file = path.join(dir, `Pulumi.${stack}.yaml`);
  writeFileSync(file, text);
  return { dir, file };
}

/** Odd but valid: 4-space indentation, extra spaces, trailing comments, a flow map, single quotes, blank lines. */
const OPS_STACK = lines(
  '# Stack "ops": odd but valid formatting, to show that rotate edits only what it must.',
  "config:",
  '    gitlab-push-tokens:gitlab:   {baseUrl: "https://gitlab.example.com/api/v4", maxTokenLifetimeDays: 120}',
  "    gitlab-push-tokens:expiryWarningDays: 30",
  "",
  "",
  "    gitlab-push-tokens:pushTokens:",
  "        # The gitops repository.",
  "        -   name: GITLAB_CI_PUSHER      # shown in GitLab",
  '            project:   "xlink/xlink-k8s-gitops"',
  "            scopes: [ write_repository ]",
  "            expiresAt:   '2026-12-10'   # rotated by npm run rotate",
  "            consumers:",
  "              - project: xlink/xlink-app",
  "                key: GITLAB_PUSHER_TOKEN",
  "                # hidden: true   (GitLab 17.4+)",
  "",
  "            # The previous generation.",
  "            retiring:",
  '                expiresAt: "2026-11-30"',
  '                revokeAfter: "2026-11-20T12:00:00Z"   # long past',
  "        -   name: RELEASE_TAGGER",
  "            project: xlink/xlink-charts",
  "            accessLevel: maintainer",
  '            expiresAt: "2027-01-20"',
  "            consumers: [{project: xlink/xlink-release, key: CHARTS_PUSH_TOKEN}]",
  '        -   {name: FLOW_TOKEN, project: xlink/flow, expiresAt: "2027-03-01", consumers: [{project: xlink/app2, key: FLOW_TOKEN}]}',
  "    gitlab-push-tokens:gitlabToken:",
  "        secure: v1:AAAABBBBCCCCCANARY",
);

describe("npm run rotate", { concurrency: 2 }, () => {
  it("rotates the due token, replaces its stale retiring block and changes no other line", async () => {
    const { dir, file } = stackFolder("ops", OPS_STACK);
    const result = await run("rotate", ["--stack", "ops", "--dir", dir, "--now", "2026-11-25T09:30:00Z"]);
    assert.equal(result.stderr, "");
    assert.equal(
      result.stdout,
      lines(
        "rotated GITLAB_CI_PUSHER in xlink/xlink-k8s-gitops: expiresAt 2026-12-10 -> 2027-02-23 (90 days); the 2026-12-10 generation moves under retiring with revokeAfter 2026-11-26T09:30:00Z; dropped its previous retiring generation (expires 2026-11-30), past its revokeAfter 2026-11-20T12:00:00Z, as --cleanup would: the next pulumi up revokes it",
        "Updated Pulumi.ops.yaml (1 token rotated). Review the diff and let pulumi preview confirm it before merging.",
      ),
    );
    assert.equal(result.status, 0);
    assert.equal(
      readFileSync(file, "utf8"),
      OPS_STACK.replace("expiresAt:   '2026-12-10'   # rotated", "expiresAt:   '2027-02-23'   # rotated").replace(
        '                expiresAt: "2026-11-30"\n                revokeAfter: "2026-11-20T12:00:00Z"   # long past\n',
        '                expiresAt: "2026-12-10"\n                revokeAfter: "2026-11-26T09:30:00Z"\n',
      ),
    );
    assert.doesNotMatch(result.stdout + result.stderr, /CANARY|v1:/);

    const again = runHere("rotate", ["--stack", "ops", "--dir", dir, "--now", "2026-11-25T09:30:00Z"]);
    assert.deepEqual(again, { status: 0, stdout: "Nothing to rotate: no token in Pulumi.ops.yaml expires within 30 days of 2026-11-25; the file is unchanged.\n", stderr: "" });
  });

  it("rotates the committed dev stack with --token, --lifetime and --grace, appending a retiring block", () => {
    const dev = readFileSync(path.join(PROJECT_ROOT, "Pulumi.dev.yaml"), "utf8");
    const { dir, file } = stackFolder("dev", dev);
    const result = runHere("rotate", ["--stack", "dev", "--dir", dir, "--today", "2026-11-25", "--token", "xlink/xlink-charts:RELEASE_TAGGER", "--lifetime", "400", "--grace", "2d"]);
    assert.equal(result.stderr, "");
    assert.equal(
      result.stdout,
      lines(
        "rotated RELEASE_TAGGER in xlink/xlink-charts: expiresAt 2027-05-01 -> 2027-11-25 (365 days: --lifetime 400 capped at gitlab.maxTokenLifetimeDays); the 2027-05-01 generation moves under retiring with revokeAfter 2026-11-27T00:00:00Z",
        "Updated Pulumi.dev.yaml (1 token rotated). Review the diff and let pulumi preview confirm it before merging.",
      ),
    );
    assert.equal(result.status, 0);
    assert.equal(
      readFileSync(file, "utf8"),
      dev
        .replace('      expiresAt: "2027-05-01"\n', '      expiresAt: "2027-11-25"\n')
        .replace(/          hidden: true\n$/, '          hidden: true\n      retiring:\n        expiresAt: "2027-05-01"\n        revokeAfter: "2026-11-27T00:00:00Z"\n'),
    );
  });

  it("--cleanup removes only the retiring block past revokeAfter, with its comment", () => {
    const { dir, file } = stackFolder("ops", OPS_STACK);
    const result = runHere("rotate", ["--stack", "ops", "--dir", dir, "--today", "2026-11-25", "--cleanup"]);
    assert.deepEqual(result, {
      status: 0,
      stdout: lines(
        "removed the retiring generation of GITLAB_CI_PUSHER in xlink/xlink-k8s-gitops (expires 2026-11-30): it is past its revokeAfter 2026-11-20T12:00:00Z; the next pulumi up revokes it",
        "Updated Pulumi.ops.yaml (1 retiring generation removed). Review the diff and let pulumi preview confirm it before merging.",
      ),
      stderr: "",
    });
    assert.equal(
      readFileSync(file, "utf8"),
      OPS_STACK.replace('            # The previous generation.\n            retiring:\n                expiresAt: "2026-11-30"\n                revokeAfter: "2026-11-20T12:00:00Z"   # long past\n', ""),
    );
    const again = runHere("rotate", ["--stack", "ops", "--dir", dir, "--today", "2026-11-25", "--cleanup"]);
    assert.deepEqual(again, { status: 0, stdout: "Nothing to clean up: no retiring generation in Pulumi.ops.yaml is past its revokeAfter; the file is unchanged.\n", stderr: "" });
  });

  it("refuses a token whose retiring generation is still within its revokeAfter, writing nothing", () => {
    const { dir, file } = stackFolder("ops", OPS_STACK);
    const result = runHere("rotate", ["--stack", "ops", "--dir", dir, "--now", "2026-11-20T11:59:59Z", "--token", "GITLAB_CI_PUSHER"]);
    assert.deepEqual(result, {
      status: 1,
      stdout: "",
      stderr: lines(
        "cannot rotate GITLAB_CI_PUSHER in xlink/xlink-k8s-gitops: its retiring generation (expires 2026-11-30) stays until its revokeAfter 2026-11-20T12:00:00Z, and a token keeps two generations at most; rotate it after that",
        "Pulumi.ops.yaml was not changed.",
      ),
    });
    assert.equal(readFileSync(file, "utf8"), OPS_STACK);
  });

  it("writes nothing when the result would fail validation (another token has expired)", async () => {
    const { dir, file } = stackFolder("ops", OPS_STACK);
    const result = await run("rotate", ["--stack", "ops", "--dir", dir, "--today", "2026-12-12", "--token", "RELEASE_TAGGER"]);
    assert.deepEqual(result, {
      status: 1,
      stdout: "",
      stderr: lines(
        "Pulumi.ops.yaml was not changed: the result would not pass validation.",
        "Invalid gitlab-push-tokens config in Pulumi.ops.yaml (1 problem); no GitLab resource was registered:",
        "  - pushTokens[0].expiresAt: 2026-12-10 is not in the future (today is 2026-12-12). Fix: rotate the token: move this date under retiring and set a new expiresAt.",
      ),
    });
    assert.equal(readFileSync(file, "utf8"), OPS_STACK);
  });

  it("rotates an expired token without keeping a retiring generation", () => {
    const { dir, file } = stackFolder("ops", OPS_STACK);
    const result = runHere("rotate", ["--stack", "ops", "--dir", dir, "--today", "2026-12-12", "--within", "1"]);
    assert.equal(result.stderr, "");
    assert.equal(result.status, 0);
    assert.equal(
      result.stdout.split("\n")[0],
      "rotated GITLAB_CI_PUSHER in xlink/xlink-k8s-gitops: it expired on 2026-12-10; expiresAt -> 2027-03-12 (90 days), no retiring generation kept since the expired one no longer works; dropped its previous retiring generation (expires 2026-11-30), which has expired, as --cleanup would: the next pulumi up revokes it",
    );
    assert.equal(
      readFileSync(file, "utf8"),
      OPS_STACK.replace("'2026-12-10'", "'2027-03-12'").replace('            # The previous generation.\n            retiring:\n                expiresAt: "2026-11-30"\n                revokeAfter: "2026-11-20T12:00:00Z"   # long past\n', ""),
    );
  });

  it("refuses a flow-style token it would have to add retiring to, writing nothing", () => {
    const { dir, file } = stackFolder("ops", OPS_STACK);
    const result = runHere("rotate", ["--stack", "ops", "--dir", dir, "--today", "2026-11-25", "--token", "FLOW_TOKEN", "--lifetime", "100"]);
    assert.deepEqual(result, {
      status: 1,
      stdout: "",
      stderr: "Pulumi.ops.yaml: pushTokens[2] is written in flow style ({…}), where rotate cannot add or remove retiring: write that token in block style (one key per line) and run it again\n",
    });
    assert.equal(readFileSync(file, "utf8"), OPS_STACK);
  });

  it("exits 1 with one line on bad flags or a missing project folder", () => {
    const results = [
      runHere("rotate", ["--stack", "ops", "--dir", "/nonexistent", "--grace", "0h"]),
      runHere("rotate", ["--stack", "ops", "--within", "3", "--token", "A"]),
      runHere("rotate", ["--stack", "ops", "--cleanup", "--lifetime", "3", "--grace", "1h"]),
      runHere("rotate", ["--stack", "ops", "--today", "2026-11-25", "--now", "2026-11-25T00:00:00Z"]),
      runHere("rotate", ["--stack", "nope", "--dir", "/nonexistent-folder"]),
    ];
    assert.deepEqual(
      results.map((result) => [result.status, result.stdout, result.stderr]),
      [
        [1, "", '--grace must be a positive whole number of minutes, hours or days, like 90m, 24h or 2d; got "0h"\n'],
        [1, "", "pass --within or --token, not both: --token rotates that token whether it is due or not\n"],
        [1, "", "--cleanup removes retiring generations past revokeAfter and rotates nothing: drop --lifetime, --grace\n"],
        [1, "", "pass --today or --now, not both\n"],
        [1, "", "Pulumi.yaml not found in /nonexistent-folder: run from the project folder or pass --dir\n"],
      ],
    );
  });
});

describe("rotate and expiry: help and token-shaped text", () => {
  it("print their usage with --help and exit 0", () => {
    const rotate = runHere("rotate", ["--help"]);
    const expiry = runHere("expiry", ["-h"]);
    assert.deepEqual([rotate.status, rotate.stderr, expiry.status, expiry.stderr], [0, "", 0, ""]);
    assert.match(rotate.stdout, /^usage: npm run rotate -- --stack <name> \[--within <days> \| --token <name or project:name>\].*\n {7}npm run rotate -- --stack <name> --cleanup /);
    assert.match(expiry.stdout, /^usage: npm run expiry -- --stack <name> \[--within <days>\] \[--json\]/);
  });

  it("never print a token-shaped value, even one pasted as a token's name or project", () => {
    // Whether validation refuses these is its business; what is printed either way must not hold the token.
    const pasted = OPS_STACK.replace("name: RELEASE_TAGGER", "name: glpat-CANARY0123456789").replace("project: xlink/flow", "project: glpat-CANARY9876543210/flow");
    const { dir } = stackFolder("leak", pasted);
    const runs = [
      runHere("expiry", ["--stack", "leak", "--dir", dir, "--today", "2026-11-25"]),
      runHere("expiry", ["--stack", "leak", "--dir", dir, "--today", "2026-11-25", "--json"]),
      runHere("rotate", ["--stack", "leak", "--dir", dir, "--today", "2026-11-25", "--token", "glpat-CANARY0123456789"]),
    ];
    for (const result of runs) {
      assert.notEqual(result.stdout + result.stderr, "");
      assert.doesNotMatch(result.stdout + result.stderr, /glpat-|CANARY/);
    }
  });

  it("redacts a token-shaped value even where it echoes what the user typed", () => {
    const { dir, file } = stackFolder("ops", OPS_STACK);
    const result = runHere("rotate", ["--stack", "ops", "--dir", dir, "--today", "2026-11-25", "--token", "glpat-CANARY0123456789"]);
    assert.deepEqual(result, {
      status: 1,
      stdout: "",
      stderr: lines(
        'no token "[redacted token-like value]" in the stack; its tokens are xlink/xlink-k8s-gitops:GITLAB_CI_PUSHER, xlink/xlink-charts:RELEASE_TAGGER, xlink/flow:FLOW_TOKEN',
        "Pulumi.ops.yaml was not changed.",
      ),
    });
    assert.equal(readFileSync(file, "utf8"), OPS_STACK);
  });
});

describe("npm run expiry", { concurrency: 2 }, () => {
  it("exits 0 with the table and 'Nothing due' when nothing is due", async () => {
    const result = await run("expiry", ["--stack", "dev", "--today", "2026-11-25"]);
    assert.deepEqual(result, {
      status: 0,
      stderr: "",
      stdout: lines(
        "Expiry of stack dev (Pulumi.dev.yaml) as of 2026-11-25T00:00:00Z: a token is due when it expires within 30 days",
        "",
        "Tokens (2)",
        "  PROJECT                 NAME              EXPIRES     LEFT      DUE  CONSUMERS",
        "  xlink/xlink-k8s-gitops  GITLAB_CI_PUSHER  2027-02-15  82 days   no   xlink/xlink-app:GITLAB_PUSHER_TOKEN, xlink/xlink-worker:GITLAB_PUSHER_TOKEN[production]",
        "  xlink/xlink-charts      RELEASE_TAGGER    2027-05-01  157 days  no   xlink/xlink-release:CHARTS_PUSH_TOKEN",
        "",
        "Retiring generations (1): due once past revokeAfter (or expired)",
        "  PROJECT                 NAME              EXPIRES     REVOKE AFTER          DUE",
        "  xlink/xlink-k8s-gitops  GITLAB_CI_PUSHER  2026-12-20  2026-11-27T12:00:00Z  no",
        "",
        "Nothing due: no token expires within 30 days and no retiring generation is past revokeAfter.",
      ),
    });
  });

  it("exits 2 for an expired token and a retiring generation past revokeAfter, saying how to act", async () => {
    const { dir } = stackFolder("ops", OPS_STACK);
    const result = await run("expiry", ["--stack", "ops", "--dir", dir, "--now", "2026-12-12T06:00:00Z", "--within", "40"]);
    assert.deepEqual(result, {
      status: 2,
      stderr: "",
      stdout: lines(
        "Expiry of stack ops (Pulumi.ops.yaml) as of 2026-12-12T06:00:00Z: a token is due when it expires within 40 days",
        "",
        "Tokens (3)",
        "  PROJECT                 NAME              EXPIRES     LEFT                DUE  CONSUMERS",
        "  xlink/xlink-k8s-gitops  GITLAB_CI_PUSHER  2026-12-10  expired 2 days ago  yes  xlink/xlink-app:GITLAB_PUSHER_TOKEN",
        "  xlink/xlink-charts      RELEASE_TAGGER    2027-01-20  39 days             yes  xlink/xlink-release:CHARTS_PUSH_TOKEN",
        "  xlink/flow              FLOW_TOKEN        2027-03-01  79 days             no   xlink/app2:FLOW_TOKEN",
        "",
        "Retiring generations (1): due once past revokeAfter (or expired)",
        "  PROJECT                 NAME              EXPIRES     REVOKE AFTER          DUE",
        "  xlink/xlink-k8s-gitops  GITLAB_CI_PUSHER  2026-11-30  2026-11-20T12:00:00Z  yes",
        "",
        "Due: 2 tokens to rotate (1 already expired), 1 retiring generation to remove.",
        `  npm run rotate -- --stack ops --within 40 --dir ${dir}`,
        `  npm run rotate -- --stack ops --cleanup --dir ${dir}`,
      ),
    });
    assert.doesNotMatch(result.stdout, /CANARY|v1:/);
  });

  it("prints one JSON object with --json, exit code as without it", async () => {
    const { dir } = stackFolder("ops", OPS_STACK);
    const result = await run("expiry", ["--stack", "ops", "--dir", dir, "--today", "2026-11-25", "--json"]);
    assert.equal(result.stderr, "");
    assert.equal(result.status, 2);
    assert.deepEqual(JSON.parse(result.stdout), {
      stack: "ops",
      stackFile: "Pulumi.ops.yaml",
      now: "2026-11-25T00:00:00Z",
      today: "2026-11-25",
      within: 30,
      due: true,
      tokens: [
        {
          project: "xlink/xlink-k8s-gitops",
          name: "GITLAB_CI_PUSHER",
          expiresAt: "2026-12-10",
          daysLeft: 15,
          expired: false,
          due: true,
          consumers: [{ project: "xlink/xlink-app", key: "GITLAB_PUSHER_TOKEN", environmentScope: "*" }],
          retiring: { expiresAt: "2026-11-30", revokeAfter: "2026-11-20T12:00:00Z", revocable: true },
        },
        {
          project: "xlink/xlink-charts",
          name: "RELEASE_TAGGER",
          expiresAt: "2027-01-20",
          daysLeft: 56,
          expired: false,
          due: false,
          consumers: [{ project: "xlink/xlink-release", key: "CHARTS_PUSH_TOKEN", environmentScope: "*" }],
          retiring: null,
        },
        {
          project: "xlink/flow",
          name: "FLOW_TOKEN",
          expiresAt: "2027-03-01",
          daysLeft: 96,
          expired: false,
          due: false,
          consumers: [{ project: "xlink/app2", key: "FLOW_TOKEN", environmentScope: "*" }],
          retiring: null,
        },
      ],
    });
  });

  it("exits 1 with the validation error, one line per issue, no stack trace and no token value", async () => {
    const broken = OPS_STACK.replace("scopes: [ write_repository ]", "scopes: [ api ]").replace("    gitlab-push-tokens:gitlabToken:\n        secure: v1:AAAABBBBCCCCCANARY\n", "    gitlab-push-tokens:gitlabToken: glpat-CANARY0123456789abcdef\n");
    const { dir } = stackFolder("ops", broken);
    const result = await run("expiry", ["--stack", "ops", "--dir", dir, "--today", "2026-12-12"]);
    assert.deepEqual(result, {
      status: 1,
      stdout: "",
      stderr: lines(
        "Invalid gitlab-push-tokens config in Pulumi.ops.yaml (3 problems); no GitLab resource was registered:",
        "  - gitlabToken: the GitLab API token is stored in plain text in the stack config. Fix: remove it and run `pulumi config set --secret gitlabToken` (then rotate that token), or export GITLAB_TOKEN instead.",
        "  - pushTokens[0].scopes[0]: scope \"api\" is refused: a push token needs only write_repository, and anything broader lets a leaked token do more than push (least privilege). Fix: use [write_repository], adding read_repository only if the job also clones with this token.",
        "  - pushTokens[0].expiresAt: 2026-12-10 is not in the future (today is 2026-12-12). Fix: rotate the token: move this date under retiring and set a new expiresAt.",
      ),
    });
  });

  it("exits 1 on bad flags and unreadable files", () => {
    const { dir } = stackFolder("bad", "config: [unclosed\n");
    const results = [
      runHere("expiry", ["--stack", "dev", "--within=-3"]),
      runHere("expiry", ["--today", "2026-11-25"]),
      runHere("expiry", ["--stack", "bad", "--dir", dir]),
      runHere("expiry", ["--stack", "dev", "--now", "2026-11-25"]),
    ];
    assert.deepEqual(
      results.map((result) => [result.status, result.stdout]),
      [
        [1, ""],
        [1, ""],
        [1, ""],
        [1, ""],
      ],
    );
    assert.equal(results[0].stderr, '--within must be a whole number of days from 0 to 400, got "-3"\n');
    assert.match(results[1].stderr, /^--stack is required\nusage: npm run expiry -- --stack <name>/);
    assert.match(results[2].stderr, /^Pulumi\.bad\.yaml is not valid YAML: [^\n]+\n$/);
    assert.equal(results[3].stderr, '--now must be an ISO date-time with a zone like 2026-11-25T09:30:00Z, got "2026-11-25"\n');
  });
});
