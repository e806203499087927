// The house rules of the tree, read off the files themselves so that they cannot drift:
// - cli/ holds exactly one entry per npm script that runs our own code, named as the script;
// - imports run one way: cli/ → lib/ → config/, with infra/ (the program) loaded only by the
//   harness that evaluates it, config/ free of Pulumi, and the policy pack self-contained;
// - a module's tests are at its mirrored path under test/.

import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import ts from "typescript";
import { PROJECT_ROOT } from "./support/sharedData";

const SOURCE_FOLDERS = ["cli", "config", "infra", "lib", "policy", "test"];
const SKIPPED = new Set(["node_modules", "fixtures"]);

/** Every .ts file under the source folders, as a path from the project root with forward slashes. */
function sourceFiles(): string[] {
  const found: string[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(path.join(PROJECT_ROOT, folder), { withFileTypes: true })) {
      const relative = `${folder}/${entry.name}`;
      if (entry.isDirectory() && !SKIPPED.has(entry.name)) walk(relative);
      else if (entry.isFile() && entry.name.endsWith(".ts")) found.push(relative);
    }
  };
  for (const folder of SOURCE_FOLDERS) walk(folder);
  return found.sort();
}

interface Import {
  readonly from: string;
  /** The imported file as a path from the project root (no extension), or the package name. */
  readonly target: string;
  readonly internal: boolean;
}

/** What a file imports, as the TypeScript compiler reads it: import/export from, import = require, require(), import(). */
function importsOf(file: string): Import[] {
  const text = readFileSync(path.join(PROJECT_ROOT, file), "utf8");
  return ts.preProcessFile(text, true, true).importedFiles.map(({ fileName }) => {
    const internal = fileName.startsWith(".");
    const target = internal ? path.posix.normalize(path.posix.join(path.posix.dirname(file), fileName)) : fileName;
    return { from: file, target, internal };
  });
}

const FILES = sourceFiles();
const IMPORTS = FILES.flatMap(importsOf);
const under = (folder: string) => (file: string) => file === folder || file.startsWith(`${folder}/`);
const describeImport = (i: Import) => `${i.from} imports ${i.target}`;

describe("cli/: one entry per npm script that runs our own code", () => {
  const scripts = (JSON.parse(readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
  // A script runs our own code when it names one of our TypeScript files (a glob such as the test
  // runner's "test/**/*.test.ts" is a tool's argument, not an entry).
  const entryOf = (command: string) => command.split(/\s+/).find((word) => /^[\w./-]+\.ts$/.test(word));
  const ours = Object.entries(scripts).filter(([, command]) => entryOf(command) !== undefined);

  it("runs every script of ours as `node --import tsx cli/<script>.ts`", () => {
    assert.ok(ours.length > 0, "no script runs our code: the derivation is broken");
    for (const [name, command] of ours) assert.equal(command, `node --import tsx cli/${name}.ts`, `npm run ${name}`);
  });

  it("holds exactly those entries, and nothing else", () => {
    const entries = readdirSync(path.join(PROJECT_ROOT, "cli")).sort();
    assert.deepEqual(entries, ours.map(([name]) => `${name}.ts`).sort());
  });

  it("leaves the other scripts to third-party tools, never to cli/", () => {
    for (const [name, command] of Object.entries(scripts).filter(([, c]) => entryOf(c) === undefined)) {
      assert.doesNotMatch(command, /\bcli\//, `npm run ${name}`);
    }
  });
});

describe("imports run one way", () => {
  it("reads the imports of every source file", () => {
    // The rules below mean nothing if nothing is read: the program's own flow imports its parts.
    assert.ok(IMPORTS.some((i) => i.from === "infra/index.ts" && i.target === "infra/pushToken"));
    assert.ok(IMPORTS.some((i) => i.from === "infra/index.ts" && i.target === "@pulumi/pulumi"));
  });

  it("config/ imports only config/, zod and yaml: no Pulumi, no program, no library, no command", () => {
    // yaml reads the declaration file (config/declaration.ts) for the program and the commands alike.
    const wrong = IMPORTS.filter((i) => under("config")(i.from) && (i.internal ? !under("config")(i.target) : i.target !== "zod" && i.target !== "yaml" && !i.target.startsWith("node:")));
    assert.deepEqual(wrong.map(describeImport), []);
  });

  it("infra/ (the program) imports only infra/, config/ and the Pulumi SDK", () => {
    const wrong = IMPORTS.filter((i) => under("infra")(i.from) && (i.internal ? !under("infra")(i.target) && !under("config")(i.target) : !/^@pulumi\/pulumi(\/|$)/.test(i.target) && !i.target.startsWith("node:")));
    assert.deepEqual(wrong.map(describeImport), []);
  });

  it("outside infra/, only the harness that evaluates the program imports it", () => {
    // lib/evaluation/ loads the program under the SDK's mocks; the benchmark's program side runs it and
    // its baseline twin; test/e2e/ runs it (and small programs over its binding) through the real CLI;
    // test/infra/ is the program's own suites.
    const harness = ["lib/evaluation", "lib/bench/sides.ts", "lib/bench/baseline.ts", "test/e2e", "test/infra"];
    const wrong = IMPORTS.filter((i) => i.internal && under("infra")(i.target) && !under("infra")(i.from) && !harness.some((allowed) => under(allowed)(i.from)));
    assert.deepEqual(wrong.map(describeImport), []);
  });

  it("policy/ imports nothing of the program or the tools, so the pack can ship alone", () => {
    const wrong = IMPORTS.filter((i) => under("policy")(i.from) && i.internal && !under("policy")(i.target));
    assert.deepEqual(wrong.map(describeImport), []);
  });

  it("lib/ never imports cli/; cli/ imports only lib/ and config/, and no other entry", () => {
    const wrong = IMPORTS.filter(
      (i) => i.internal && ((under("lib")(i.from) && under("cli")(i.target)) || (under("cli")(i.from) && !under("lib")(i.target) && !under("config")(i.target))),
    );
    assert.deepEqual(wrong.map(describeImport), []);
  });

  it("nothing outside test/ imports test/", () => {
    const wrong = IMPORTS.filter((i) => i.internal && under("test")(i.target) && !under("test")(i.from));
    assert.deepEqual(wrong.map(describeImport), []);
  });

  it("every relative import names a file that exists", () => {
    const exists = (target: string) => [`${target}.ts`, `${target}/index.ts`, target].some((candidate) => FILES.includes(candidate) || isFile(candidate));
    assert.deepEqual(IMPORTS.filter((i) => i.internal && !exists(i.target)).map(describeImport), []);
  });
});

function isFile(relative: string): boolean {
  try {
    return statSync(path.join(PROJECT_ROOT, relative)).isFile();
  } catch {
    return false;
  }
}

describe("tests at the mirrored path", () => {
  const tests = FILES.filter((file) => file.endsWith(".test.ts"));
  // Suites of the repository as a whole (its project files, pipeline, docs, layout, secret hygiene) sit
  // in test/ itself; the end-to-end suites and their helpers in test/e2e/.
  const mirrored = tests.filter((file) => file.split("/").length > 2 && !under("test/e2e")(file));

  it("puts every suite in the test/ folder of the source folder it tests", () => {
    const missing = mirrored.filter((file) => !isFolder(path.posix.dirname(file).slice("test/".length)));
    assert.deepEqual(missing, []);
  });

  it("names the suites of config/, lib/ and cli/ after the module they test", () => {
    // infra/ and policy/ are tested as a whole (the program, the pack), so their suites are named by aspect.
    const byModule = mirrored.filter((file) => ["test/config/", "test/lib/", "test/cli/"].some((folder) => file.startsWith(folder)));
    const orphans = byModule.filter((file) => !FILES.includes(file.slice("test/".length).replace(/\.test\.ts$/, ".ts")));
    assert.deepEqual(orphans, []);
    assert.ok(byModule.length > 20, `only ${byModule.length} suites found`);
  });
});

function isFolder(relative: string): boolean {
  try {
    return statSync(path.join(PROJECT_ROOT, relative)).isDirectory();
  } catch {
    return false;
  }
}
