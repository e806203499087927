// The one command-line convention (lib/command/commandLine.ts): what each kind of mistake reads like,
// the help, and the options npm keeps for itself when the `--` is forgotten.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";

import { helpOf, parseCommandLine, readCommandLine, usageOf, type CommandSpec } from "../../../lib/command/commandLine";

const SPEC: CommandSpec = {
  name: "expiry",
  usage: ["-- --stack <name> [--within <days>] [--json] [--dir <folder>]"],
  summary: "Lists what is due.",
  options: {
    stack: { type: "string", value: "<name>", description: "the stack", example: "--stack dev" },
    within: { type: "string", value: "<days>", description: "the window in days (default 30)", example: "--within 14" },
    json: { type: "boolean", description: "print JSON" },
    dir: { type: "string", value: "<folder>", description: "where Pulumi.yaml is" },
    marker: { type: "string", multiple: true, value: "<line>", description: "a marker line" },
    "target-branch": { type: "string", value: "<branch>", description: "the target" },
  },
  examples: ["npm run expiry -- --stack dev"],
  exitCodes: "0 nothing due; 2 due; 1 an error.",
};

const WITH_FILE: CommandSpec = { ...SPEC, name: "mr-note", positional: { name: "<comment.md>", description: "the file to post" }, examples: ["npm run mr-note -- comment.md"] };

const parse = (argv: string[], spec = SPEC, env = {}) => parseCommandLine(spec, argv, env);
const errorOf = (argv: string[], spec = SPEC, env = {}) => {
  const line = parse(argv, spec, env);
  assert.equal(line.kind, "error", JSON.stringify(line));
  return (line as { message: string }).message;
};
const HINT = "npm run expiry -- --help lists every option";

describe("parseCommandLine: what it accepts", () => {
  it("takes --name value and --name=value, booleans alone, repeated multiple options in order, and -- before a value", () => {
    assert.deepEqual(parse(["--stack", "dev", "--within=14", "--json", "--marker", "a", "--marker=b", "--target-branch", "main"]), {
      kind: "run",
      values: { stack: "dev", within: "14", json: true, marker: ["a", "b"], "target-branch": "main" },
      positionals: [],
    });
    assert.deepEqual(parse(["--", "comment.md"], WITH_FILE), { kind: "run", values: {}, positionals: ["comment.md"] });
    assert.deepEqual(parse(["-"], WITH_FILE), { kind: "run", values: {}, positionals: ["-"] });
  });

  it("hands a negative number to the option as its value, for the option's own check to refuse", () => {
    assert.deepEqual(parse(["--within", "-5"]), { kind: "run", values: { within: "-5" }, positionals: [] });
    assert.deepEqual(parse(["--within=-5"]), { kind: "run", values: { within: "-5" }, positionals: [] });
  });

  it("answers -h and --help with the whole help, whatever else is there (unknown options aside)", () => {
    assert.deepEqual(parse(["--stack", "dev", "-h"]), { kind: "help", text: helpOf(SPEC) });
    assert.deepEqual(parse(["--help", "stray"]), { kind: "help", text: helpOf(SPEC) });
    assert.equal(parse(["--help", "--bogus"]).kind, "error");
  });
});

describe("parseCommandLine: every mistake in the same words, with the fix", () => {
  it("an unknown option, with the closest one when there is one", () => {
    assert.equal(errorOf(["--bogus"]), `unknown option "--bogus". Fix: ${HINT}.`);
    assert.equal(errorOf(["--withn", "3"]), `unknown option "--withn". Fix: did you mean --within? ${HINT}.`);
    assert.equal(errorOf(["--target_branch=x"]), `unknown option "--target_branch". Fix: did you mean --target-branch? ${HINT}.`);
    assert.equal(errorOf(["-x"]), `unknown option "-x". Fix: ${HINT}.`);
    assert.equal(errorOf(["-abc"]), `unknown option "-abc". Fix: ${HINT}.`);
  });

  it("an option without its value, alone or followed by another option", () => {
    assert.equal(errorOf(["--stack"]), "--stack needs a value. Fix: write --stack dev.");
    assert.equal(errorOf(["--stack", "--json"]), '--stack needs a value, but is followed by "--json". Fix: write --stack dev.');
    assert.equal(errorOf(["--dir"]), "--dir needs a value. Fix: write --dir <folder>.");
  });

  it("a value for a switch, an option given twice", () => {
    assert.equal(errorOf(["--json=yes"]), '--json takes no value, got "--json=yes". Fix: write --json alone.');
    assert.equal(errorOf(["--stack", "dev", "--stack", "prod"]), '--stack is given twice ("dev" and "prod"). Fix: pass --stack once.');
  });

  it("a stray argument, or a missing or extra file for a command that takes one", () => {
    assert.equal(errorOf(["acme"]), `unexpected argument "acme". Fix: every argument of npm run expiry is an option such as --stack dev; ${HINT}.`);
    assert.equal(errorOf([], WITH_FILE), "<comment.md> is missing. Fix: pass the file to post, e.g. npm run mr-note -- comment.md.");
    assert.equal(errorOf(["a.md", "b.md"], WITH_FILE), 'unexpected argument "b.md". Fix: pass one <comment.md>; npm run mr-note -- --help lists every option.');
  });

  it("never passes on Node's own parseArgs wording, whatever the arguments (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom("--stack", "--within", "--json", "--json=1", "-5", "--", "-", "-h", "--bogus", "x", "--marker", "-xyz", "--dir="), fc.string()), { maxLength: 6 }), (argv) => {
        const line = parse(argv);
        if (line.kind !== "error") return;
        assert.doesNotMatch(line.message, /ERR_PARSE_ARGS|positional argument starting with|ambiguous|To specify an option argument|'--[a-z]+-XYZ'/);
        assert.match(line.message, /\. Fix: .+\.$/s);
      }),
    );
  });
});

describe("the help", () => {
  it("explains every option with its value, default and an example, then examples and exit codes", () => {
    assert.equal(
      helpOf(WITH_FILE),
      [
        "usage: npm run mr-note -- --stack <name> [--within <days>] [--json] [--dir <folder>]",
        "",
        "Lists what is due.",
        "",
        "Options:",
        "  <comment.md>              the file to post",
        "  --stack <name>            the stack (e.g. --stack dev)",
        "  --within <days>           the window in days (default 30) (e.g. --within 14)",
        "  --json                    print JSON",
        "  --dir <folder>            where Pulumi.yaml is",
        "  --marker <line>           a marker line",
        "  --target-branch <branch>  the target",
        "  -h, --help                print this help and exit",
        "",
        "Examples:",
        "  npm run mr-note -- comment.md",
        "",
        "Exit codes: 0 nothing due; 2 due; 1 an error.",
      ].join("\n"),
    );
  });

  it("puts every form on its own usage line", () => {
    assert.equal(usageOf({ ...SPEC, usage: ["-- --stack <name>", "-- --stack <name> --cleanup"] }), "usage: npm run expiry -- --stack <name>\n       npm run expiry -- --stack <name> --cleanup");
    assert.equal(usageOf({ ...SPEC, name: "engine", usage: [""] }), "usage: npm run engine");
  });
});

describe("readCommandLine: what is printed, and the exit code", () => {
  const run = (argv: string[]) => {
    const printed = { out: [] as string[], err: [] as string[] };
    const result = readCommandLine(SPEC, argv, { out: (text) => printed.out.push(text), err: (text) => printed.err.push(text) }, {});
    return { result, ...printed };
  };

  it("prints a usage error, then the usage line, on stderr, and exits 1", () => {
    assert.deepEqual(run(["--bogus"]), { result: 1, out: [], err: [`expiry: unknown option "--bogus". Fix: ${HINT}.\n${usageOf(SPEC)}`] });
  });

  it("prints the help on stdout and exits 0", () => {
    assert.deepEqual(run(["--help"]), { result: 0, out: [helpOf(SPEC)], err: [] });
  });
});

describe("a forgotten -- after the script's name", () => {
  // What npm 11 exports for `npm run expiry --stack acme …` (checked by hand: npm keeps an unknown
  // option as a boolean, "true", and passes its value on as an argument; `--stack=acme` keeps the value).
  const underNpm = (config: Record<string, string>) => ({ npm_lifecycle_event: "expiry", ...Object.fromEntries(Object.entries(config).map(([key, value]) => [`npm_config_${key}`, value])) });

  it("npm run expiry --stack acme: says so and gives the command as meant", () => {
    assert.equal(
      errorOf(["acme"], SPEC, underNpm({ stack: "true" })),
      "npm kept --stack for itself: without a -- after the script's name, npm reads the options and passes on only their values. Fix: put -- before the options: npm run expiry -- --stack acme.",
    );
  });

  it("npm run expiry --stack=acme --target-branch=main, or two options without their values: put back as far as npm lets one tell", () => {
    assert.match(errorOf([], SPEC, underNpm({ stack: "acme", target_branch: "main", json: "true" })), /^npm kept --stack, --target-branch for itself: .* Fix: put -- before the options: npm run expiry -- --stack acme --target-branch main\.$/);
    assert.match(errorOf(["7"], SPEC, underNpm({ within: "true", dir: "true" })), /^npm kept --within, --dir for itself: .* npm run expiry -- --within … --dir … 7\.$/);
  });

  it("npm run expiry --within -- --stack dev: a part after the -- is not mistaken for one npm kept", () => {
    assert.match(errorOf(["14", "--stack", "dev"], SPEC, underNpm({ within: "true" })), /Fix: put -- before the options: npm run expiry -- --within 14 --stack dev\.$/);
  });

  it("is not claimed outside npm, for another script, for an option given on the command line, or for npm's own json", () => {
    assert.equal(parse(["--stack", "dev"], SPEC, { npm_config_stack: "true" }).kind, "run");
    assert.equal(parse(["--stack", "dev"], SPEC, { npm_lifecycle_event: "plan", npm_config_within: "true" }).kind, "run");
    assert.equal(parse(["--stack", "dev"], SPEC, underNpm({ stack: "true" })).kind, "run");
    assert.equal(parse(["--stack", "dev"], SPEC, underNpm({ json: "true" })).kind, "run");
  });
});
