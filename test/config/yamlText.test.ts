import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { stringify, type Scalar, type YAMLMap } from "yaml";
import { lineOf, readYaml } from "../../config/yamlText";

const problemOf = (text: string) => {
  const read = readYaml("push.yaml", text);
  return "problem" in read ? read.problem : undefined;
};

describe("readYaml", () => {
  it("quotes the line of a syntax error with a caret under its column", () => {
    assert.equal(
      problemOf("a: 1\nb: {c: 2\nd: 3\n"),
      "push.yaml is not valid YAML at line 3, column 1: Flow map in block collection must be sufficiently indented and end with a }\n  3 | d: 3\n    | ^",
    );
    assert.equal(
      problemOf("config:\n  tokens:\n    - name: a\n     key: b\n"),
      "push.yaml is not valid YAML at line 4, column 1: Sequence item without - indicator\n  4 |      key: b\n    | ^",
    );
  });

  it("shows the last written line when the problem is where the text ends", () => {
    assert.equal(problemOf('a: "open\n'), 'push.yaml is not valid YAML at line 2, column 1: Missing closing "quote\n  1 | a: "open\n  2 | (end of file)');
  });

  it("finds an alias whose anchor is missing, which parsing alone accepts", () => {
    assert.equal(
      problemOf("a: &one 1\nb: *one\nc: *two\n"),
      "push.yaml is not valid YAML at line 3, column 4: the alias *two names no anchor defined before it. Fix: define &two on an earlier value, or write the value out\n  3 | c: *two\n    |    ^",
    );
    assert.equal(problemOf("a: &one 1\nb: *one\n"), undefined);
  });

  it("reads every document the library writes, and lineOf finds each top-level key's line", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/), fc.jsonValue(), { minKeys: 1, maxKeys: 6 }), (value) => {
        const text = stringify(value);
        const read = readYaml("push.yaml", text);
        assert.ok("document" in read, "problem" in read ? read.problem : "");
        assert.equal(JSON.stringify(read.document.toJS()), JSON.stringify(value));
        const lines = text.split("\n");
        for (const pair of (read.document.contents as YAMLMap<Scalar<string>>).items) {
          const line = lineOf(text, pair.key);
          assert.ok(line !== undefined && lines[line - 1].startsWith(`${pair.key.value}:`), `${pair.key.value} at line ${line} of\n${text}`);
        }
      }),
    );
  });

  it("names the file given, whatever the error, and a line within the text", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (text) => {
        const problem = problemOf(text);
        if (problem === undefined) return;
        const match = /^push\.yaml is not valid YAML at line (\d+), column (\d+): \S/.exec(problem);
        assert.ok(match, problem);
        assert.ok(Number(match[1]) <= text.split("\n").length + 1, problem);
      }),
    );
  });
});
