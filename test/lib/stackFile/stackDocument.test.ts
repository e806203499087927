// The YAML editor of Pulumi.<stack>.yaml that `npm run rotate` uses, in-process, on layouts the CLI
// runs (test/cli/rotate.test.ts) would be slow to cover one by one: the exact file text after an edit,
// refusals, and reading the config as the program does.

import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import fc from "fast-check";
import { parse } from "yaml";

import { UsageError } from "../../../config/expiry";
import { applyTokenChanges, type TokenChange } from "../../../config/rotation";
import { configMapOf, editPushTokens, rawStackConfig, rawStackConfigWith, readStackDocument, tokensFileName, type StackDocument } from "../../../lib/stackFile/stackDocument";
import { lines } from "../../support/stackFolders";

const PROJECT = "gitlab-push-tokens";

// --- the editor, in-process ------------------------------------------------------------------

function stackDocument(text: string): StackDocument {
  const fileName = "Pulumi.t.yaml";
  const file = "/nonexistent/Pulumi.t.yaml";
  return { project: PROJECT, fileName, file, dir: "/nonexistent", text, raw: rawStackConfig(PROJECT, configMapOf(text, fileName), "rotate"), tokens: { fileName, file, text, inStackFile: true } };
}

const ROTATE_FIRST: TokenChange = { tokenIndex: 0, expiresAt: "2027-03-01", retiring: { expiresAt: "2027-01-01", revokeAfter: "2026-11-26T00:00:00Z" }, summary: "" };
const CLEAN_FIRST: TokenChange = { tokenIndex: 0, retiring: null, summary: "" };

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
      message: "gitlab-push-tokens:pushTokens is a secure value, which rotate cannot decrypt offline: keep it in plain text (the stack's config holds no secret)",
    });
    assert.throws(() => rawStackConfig(PROJECT, { pushTokens: { secure: "v1:A" }, "gitlab:token": { secure: "v1:B" } }, "expiry"), {
      message: "gitlab-push-tokens:pushTokens, gitlab:token are secure values, which expiry cannot decrypt offline: keep them in plain text (the stack's config holds no secret)",
    });
  });

  it("names the file when its YAML or its config map is broken", () => {
    assert.throws(() => configMapOf("config: [1,\n", "Pulumi.x.yaml"), {
      name: "UsageError",
      message: "Pulumi.x.yaml is not valid YAML at line 2, column 1: Flow sequence in block collection must be sufficiently indented and end with a ]\n  1 | config: [1,\n  2 | (end of file)",
    });
    assert.throws(() => configMapOf("config: [1]\n", "Pulumi.x.yaml"), { name: "UsageError", message: "Pulumi.x.yaml: 'config' must be a map of keys to values" });
    assert.deepEqual(configMapOf("", "Pulumi.x.yaml"), {});
  });
});

// --- a declaration file (pushTokensFile) ---------------------------------------------------------

describe("stackDocument: a stack whose tokens are in a declaration file", () => {
  const DECLARATION = lines(
    "# the tokens",
    "pushTokens:",
    "- name: GITLAB_CI_PUSHER   # no indentation under pushTokens",
    "  project: xlink/xlink-k8s-gitops",
    "  expiresAt: '2027-02-15'",
    "  consumers:",
    "  - project: xlink/xlink-app",
    "    key: GITLAB_PUSHER_TOKEN",
  );
  const made: string[] = [];
  after(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
  const folder = () => {
    const dir = mkdtempSync(path.join(tmpdir(), "declaration-document-"));
    made.push(dir);
    writeFileSync(path.join(dir, "Pulumi.yaml"), `name: ${PROJECT}\nruntime: nodejs\n`);
    writeFileSync(path.join(dir, "Pulumi.s.yaml"), lines("config:", `  ${PROJECT}:pushTokensFile: tokens/s.yaml`));
    mkdirSync(path.join(dir, "tokens"));
    writeFileSync(path.join(dir, "tokens/s.yaml"), DECLARATION);
    return dir;
  };

  it("reads the tokens from the file and edits that file, keeping its layout", () => {
    const dir = folder();
    const stack = readStackDocument(dir, "s", "rotate");
    assert.deepEqual({ ...stack.tokens, file: path.relative(dir, stack.tokens.file) }, { fileName: "tokens/s.yaml", file: path.join("tokens", "s.yaml"), text: DECLARATION, inStackFile: false });
    assert.equal((stack.raw.declaration?.pushTokens as unknown[]).length, 1);
    const edited = editPushTokens(stack, [ROTATE_FIRST]);
    assert.equal(
      edited,
      lines(
        "# the tokens",
        "pushTokens:",
        "- name: GITLAB_CI_PUSHER   # no indentation under pushTokens",
        "  project: xlink/xlink-k8s-gitops",
        "  expiresAt: '2027-03-01'",
        "  consumers:",
        "  - project: xlink/xlink-app",
        "    key: GITLAB_PUSHER_TOKEN",
        "  retiring:",
        '    expiresAt: "2027-01-01"',
        '    revokeAfter: "2026-11-26T00:00:00Z"',
      ),
    );
    // Checked as the program would read it, the edited declaration in place of the file on disk.
    const raw = rawStackConfigWith(stack, edited, "rotate");
    assert.deepEqual(raw.declaration?.pushTokens, (parse(edited) as { pushTokens: unknown }).pushTokens);
    assert.equal(tokensFileName(dir, "s"), "tokens/s.yaml");
  });

  it("names the stack file itself when its tokens are inline, or when it cannot be read", () => {
    const dir = folder();
    writeFileSync(path.join(dir, "Pulumi.inline.yaml"), lines("config:", `  ${PROJECT}:pushTokens: []`));
    assert.equal(tokensFileName(dir, "inline"), "Pulumi.inline.yaml");
    assert.equal(tokensFileName(dir, "absent"), "Pulumi.absent.yaml");
    assert.equal(readStackDocument(dir, "inline", "rotate").tokens.inStackFile, true);
  });
});
