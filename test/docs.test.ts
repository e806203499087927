// The README and docs/ against the code, so that they cannot drift: every `npm run` line names a script
// and flags its command accepts; every output block is what the code prints for the command above it
// (on the day that command pins) or for the example it is marked with; the YAML examples are valid;
// every link, anchor and named file exists.
//
// Conventions the docs follow, and this suite enforces:
// - a ```text or ```markdown block right after a ```sh block holding one `npm run` line is that
//   command's output: all of it, or an excerpt where a line `…` stands for lines left out;
// - any other example block carries `<!-- checked: <id> -->` on the line above it, and `CHECKED` below
//   says how it is produced or checked;
// - a command whose output depends on the day says which (`--today` or `--now`).

import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import Ajv from "ajv";
import { parse, stringify } from "yaml";
import { addDays, utcDate } from "../config/dates";
import { adoptCommand } from "../cli/adopt";
import { expiryCli } from "../cli/expiry";
import { planCommand } from "../cli/plan";
import { planCommentCommand } from "../cli/plan-comment";
import { rotateCli } from "../cli/rotate";
import { ConfigError } from "../config/issues";
import { validateStackConfig } from "../config/validate";
import { rawStackConfig } from "../lib/stackFile/stackDocument";
import { createPolicies, POLICY_NAMES } from "../policy/policies";
import { runCli } from "./support/cliRun";
import { runInProcess, type Command } from "./support/inProcess";
import { PROJECT, seedToken } from "./support/scenarios";
import { PROJECT_ROOT, sharedFile } from "./support/sharedData";

const DOCUMENTS = ["README.md", ...readdirSync(path.join(PROJECT_ROOT, "docs")).filter((name) => name.endsWith(".md")).map((name) => `docs/${name}`)];
const read = (file: string) => readFileSync(path.join(PROJECT_ROOT, file), "utf8");
const scripts = (JSON.parse(read("package.json")) as { scripts: Record<string, string> }).scripts;
/** A script that runs one of our entries (the others run third-party tools: tsc, the test runner, Stryker). */
const ours = (script: string) => scripts[script] === `node --import tsx cli/${script}.ts`;

// --- reading the documents -------------------------------------------------------------------

interface Block {
  readonly document: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  readonly language: string;
  readonly text: string;
  /** The id of a `<!-- checked: id -->` line right above the fence. */
  readonly checked?: string;
  /** The block before this one in the same document, when only blank lines are between them. */
  readonly follows?: Block;
}

function blocksOf(document: string): Block[] {
  const lines = read(document).split("\n");
  const blocks: Block[] = [];
  let previousEnd = -2;
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```(\w*)\s*$/.exec(lines[i]);
    if (!open) continue;
    const indent = open[1].length;
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !/^\s*```\s*$/.test(lines[j])) body.push(lines[j++].slice(indent));
    const marker = /^\s*<!-- checked: ([\w-]+) -->\s*$/.exec(lines[i - 1] ?? "");
    const last = blocks[blocks.length - 1];
    const adjacent = last !== undefined && lines.slice(previousEnd + 1, i).every((line) => line.trim() === "");
    blocks.push({ document, line: i + 1, language: open[2], text: body.join("\n"), checked: marker?.[1], follows: adjacent ? last : undefined });
    previousEnd = j;
    i = j;
  }
  return blocks;
}

/** The document's prose: fenced blocks removed, so that their contents are not read twice. */
function proseOf(document: string): string {
  return read(document).replace(/^\s*```\w*\s*$[\s\S]*?^\s*```\s*$/gm, "");
}

const inlineCode = (text: string) => [...text.matchAll(/(`+)([^`]+?)\1/g)].map((match) => match[2].replace(/\s+/g, " ").trim());

const BLOCKS = DOCUMENTS.flatMap(blocksOf);
const where = (block: Block) => `${block.document}:${block.line}`;

/** A shell line without its comment, redirections and leading `NAME=value` assignments: what the command is run with. */
function commandOf(line: string): string {
  return line
    .replace(/\s+#.*$/, "")
    .replace(/\s+[12]?>\s*\S+/g, "")
    .trim()
    .replace(/^(?:[A-Z_][A-Z0-9_]*=\S*\s+)+/, "");
}

interface NpmRun {
  readonly script: string;
  /** The arguments after `--`. */
  readonly args: string[];
}

/** `npm run [--silent] <script> [-- args…]`, split on blanks (the docs quote no argument). */
function npmRunOf(command: string): NpmRun | undefined {
  const words = command.split(/\s+/);
  if (words[0] !== "npm" || words[1] !== "run") return undefined;
  const rest = words.slice(2).filter((word) => word !== "--silent" && word !== "-s");
  const separator = rest.indexOf("--");
  return { script: rest[0], args: separator < 0 ? rest.slice(1) : rest.slice(separator + 1) };
}

// --- running the commands --------------------------------------------------------------------

/** The commands that run in this process (each spawned in its own suite); the others are spawned. */
const IN_PROCESS: Record<string, Command> = { plan: planCommand, "plan-comment": planCommentCommand, adopt: adoptCommand, expiry: expiryCli, rotate: rotateCli };

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

const runs = new Map<string, Promise<Run>>();
/** Runs `npm run <script> -- <args>` as the docs show it, from the project root, without a developer's token. */
function run(script: string, args: readonly string[]): Promise<Run> {
  const key = JSON.stringify([script, args]);
  let result = runs.get(key);
  if (!result) {
    const command = IN_PROCESS[script];
    result = command
      ? runInProcess(command, withDir(args), { GITLAB_TOKEN: undefined })
      : runCli(`${script}.ts`, args).then(({ code, stdout, stderr }) => ({ status: code, stdout, stderr }));
    runs.set(key, result);
  }
  return result;
}

// The in-process commands read the working directory's stack files; the docs run them from the root.
const withDir = (args: readonly string[]) => (args.includes("--help") || args.includes("--dir") ? [...args] : [...args, "--dir", PROJECT_ROOT]);

const usageOf = async (script: string) => {
  const help = await run(script, ["--help"]);
  assert.equal(help.status, 0, `npm run ${script} -- --help: ${help.stderr}`);
  return help.stdout;
};

/** The `--flags` a usage text names. */
const flagsIn = (text: string) => new Set([...text.matchAll(/(?<![\w-])--[a-z][a-z-]*/g)].map((match) => match[0]));

/** Every `npm run` the docs mention, in a shell block or in prose, with where. */
const MENTIONS: { readonly where: string; readonly text: string; readonly literal: boolean }[] = [
  ...BLOCKS.filter((block) => block.language === "sh").flatMap((block) =>
    block.text.split("\n").map(commandOf).filter((line) => line.startsWith("npm run ")).map((text) => ({ where: where(block), text, literal: true })),
  ),
  ...DOCUMENTS.flatMap((document) => inlineCode(proseOf(document)).filter((code) => code.startsWith("npm run ")).map((text) => ({ where: document, text, literal: false }))),
];

describe("the commands the docs show", () => {
  it("finds them", () => {
    assert.ok(MENTIONS.filter((mention) => mention.literal).length >= 6 && MENTIONS.filter((mention) => !mention.literal).length >= 10, `${MENTIONS.length} found`);
  });

  it("are npm scripts that exist", () => {
    const missing = MENTIONS.filter((mention) => !(npmRunOf(mention.text)!.script in scripts));
    assert.deepEqual(missing.map((mention) => `${mention.where}: ${mention.text}`), []);
  });

  it("use only flags their command's usage names, and none for a third-party tool", async () => {
    const wrong: string[] = [];
    for (const mention of MENTIONS) {
      const { script, args } = npmRunOf(mention.text)!;
      if (!ours(script)) {
        if (args.length > 0) wrong.push(`${mention.where}: ${mention.text} passes arguments to a third-party tool`);
        continue;
      }
      const usage = flagsIn(await usageOf(script));
      for (const flag of flagsIn(args.join(" "))) if (flag !== "--help" && !usage.has(flag)) wrong.push(`${mention.where}: ${flag} in ${mention.text}`);
    }
    assert.deepEqual(wrong, []);
  });

  it("parse as written: each shell line, with --help added, is accepted by its command", async () => {
    const refused: string[] = [];
    for (const mention of MENTIONS.filter((candidate) => candidate.literal && ours(npmRunOf(candidate.text)!.script))) {
      const { script, args } = npmRunOf(mention.text)!;
      const result = await run(script, [...args, "--help"]);
      if (result.status !== 0) refused.push(`${mention.where}: ${mention.text}: ${result.stderr.trim()}`);
    }
    assert.deepEqual(refused, []);
  });

  it("are shell lines the suite knows how to check", () => {
    const lines = BLOCKS.filter((block) => block.language === "sh").flatMap((block) => block.text.split("\n").map((line) => ({ block, command: commandOf(line) })));
    const unknown = lines.filter(({ command }) => command !== "" && !/^(npm run |npm ci$|npm test$|npm exec -- node --import tsx --test |pulumi )/.test(command));
    assert.deepEqual(unknown.map(({ block, command }) => `${where(block)}: ${command}`), []);
    for (const { command } of lines.filter((line) => line.command.startsWith("npm exec -- node --import tsx --test "))) {
      for (const file of command.split(/\s+/).slice(7)) assert.ok(isFile(file), `${command}: ${file} does not exist`);
    }
  });

  it("begin the README with the set-up commands and the main job", () => {
    const first = BLOCKS.find((block) => block.document === "README.md")!;
    assert.equal(first.line, 3);
    assert.deepEqual(first.text.split("\n").map(commandOf), ["npm ci", "npm test", "npm run plan -- --stack dev"]);
  });
});

// --- output blocks ---------------------------------------------------------------------------

/** Checks `shown` against what was printed: equal, or, with `…` lines, its runs in order with only `…` between. */
function assertShows(printed: string, shown: string, context: string): void {
  const actual = printed.replace(/\n+$/, "").split("\n");
  const expected = shown.replace(/\n+$/, "").split("\n");
  if (!expected.includes("…")) {
    assert.deepEqual(expected, actual, `${context}: the block is not what the command prints`);
    return;
  }
  const chunks: string[][] = [[]];
  for (const line of expected) {
    if (line === "…") chunks.push([]);
    else chunks[chunks.length - 1].push(line);
  }
  let at = 0;
  chunks.forEach((chunk, index) => {
    if (chunk.length === 0) return;
    const anchoredStart = index === 0;
    const anchoredEnd = index === chunks.length - 1;
    let found = -1;
    for (let start = at; start + chunk.length <= actual.length; start++) {
      if (chunk.every((line, offset) => actual[start + offset] === line)) {
        found = start;
        break;
      }
    }
    assert.ok(found >= 0, `${context}: lines not printed as shown, from ${JSON.stringify(chunk[0])}`);
    if (anchoredStart) assert.equal(found, 0, `${context}: the output does not begin with ${JSON.stringify(chunk[0])} (start the block with … if it shows a later part)`);
    if (anchoredEnd) assert.equal(found + chunk.length, actual.length, `${context}: the output goes on after ${JSON.stringify(chunk[chunk.length - 1])} (end the block with …)`);
    at = found + chunk.length;
  });
}

const OUTPUT_LANGUAGES = new Set(["text", "markdown"]);
const isCommandOutput = (block: Block) =>
  OUTPUT_LANGUAGES.has(block.language) && block.checked === undefined && block.follows?.language === "sh" && block.follows.text.split("\n").filter((line) => line.trim() !== "").length === 1;

describe("the output the docs show", () => {
  const outputs = BLOCKS.filter(isCommandOutput);

  it("is what the command above it prints", async () => {
    assert.ok(outputs.length >= 2, `${outputs.length} output blocks found`);
    for (const block of outputs) {
      const command = commandOf(block.follows!.text.trim());
      const npmRun = npmRunOf(command);
      assert.ok(npmRun, `${where(block)}: the command above an output block is not an npm run line: ${command}`);
      const result = await run(npmRun.script, npmRun.args);
      assertShows(result.stdout, block.text, `${where(block)} (${command})`);
    }
  });

  it("pins the day when the command depends on it", async () => {
    for (const block of outputs) {
      const command = commandOf(block.follows!.text.trim());
      const { script } = npmRunOf(command)!;
      if (flagsIn(await usageOf(script)).has("--today")) assert.match(command, /--today \d{4}-\d{2}-\d{2}|--now \S+/, `${where(block)}: ${command} prints what depends on the day: pass --today`);
    }
  });

  it("leaves no example block unchecked", () => {
    const unchecked = BLOCKS.filter((block) => block.language !== "sh" && block.language !== "" && !isCommandOutput(block) && block.checked === undefined);
    assert.deepEqual(unchecked.map(where), []);
  });
});

// --- example blocks, by id -------------------------------------------------------------------

const dirs: string[] = [];
after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A folder holding Pulumi.yaml and Pulumi.<stack>.yaml with these push tokens. */
function stackFolder(stack: string, pushTokens: unknown): string {
  const dir = mkdtempSync(path.join(tmpdir(), "docs-"));
  dirs.push(dir);
  writeFileSync(path.join(dir, "Pulumi.yaml"), `name: ${PROJECT}\nruntime: nodejs\n`);
  writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), stringify({ config: { [`${PROJECT}:pushTokens`]: pushTokens } }));
  return dir;
}

/** Validates a stack file's config map as the program would on `today`; the ConfigError's message, if any. */
function validationError(configMap: Record<string, unknown>, today: string): string | undefined {
  try {
    validateStackConfig(rawStackConfig(PROJECT, configMap, "docs"), { today, configFile: "Pulumi.docs.yaml" });
    return undefined;
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
}

/** A folder holding the committed dev stack with its declaration file replaced by `declaration`. */
function devStackWithDeclaration(declaration: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), "docs-"));
  dirs.push(dir);
  writeFileSync(path.join(dir, "Pulumi.yaml"), `name: ${PROJECT}\nruntime: nodejs\n`);
  writeFileSync(path.join(dir, "Pulumi.dev.yaml"), read("Pulumi.dev.yaml"));
  mkdirSync(path.join(dir, "push-tokens"));
  writeFileSync(path.join(dir, "push-tokens/dev.yaml"), declaration);
  return dir;
}

/** What checks each `<!-- checked: id -->` block. */
const CHECKED: Record<string, (block: Block) => void | Promise<void>> = {
  // The stack config shown is the committed dev stack's.
  "declaration-stack-config": (block) => {
    assert.deepEqual(parse(block.text), parse(read("Pulumi.dev.yaml")));
  },
  // The error shown is what `npm run plan` prints for the committed declaration with scopes [api] and a consumer's key removed.
  "declaration-error": async (block) => {
    const committed = read("push-tokens/dev.yaml");
    const broken = committed.replace("scopes: [write_repository]", "scopes: [api]").replace("        key: GITLAB_PUSHER_TOKEN\n        environmentScope: production\n", "        environmentScope: production\n");
    assert.notEqual(broken, committed);
    const result = await runInProcess(planCommand, ["--stack", "dev", "--dir", devStackWithDeclaration(broken), "--today", "2026-11-25"], { GITLAB_TOKEN: undefined });
    assert.equal(result.status, 1);
    assertShows(result.stderr, block.text, `${where(block)} (npm run plan on that declaration)`);
  },
  // The full config reference is itself a valid stack config, on the day the examples are written for.
  "config-reference": (block) => {
    const { config } = parse(block.text) as { config: Record<string, unknown> };
    assert.equal(validationError(config, "2026-11-25"), undefined);
  },
  // The rotation step's fragment, in a token, is a valid rotation.
  "rotation-fragment": (block) => {
    const fragment = parse(block.text) as Record<string, unknown>;
    assert.deepEqual(Object.keys(fragment), ["expiresAt", "retiring"]);
    assert.equal(validationError({ pushTokens: [seedToken(fragment)] }, "2026-11-25"), undefined);
  },
  // The example error is what `npm run plan` prints for a token with `scopes: [api]` and a `CI_PUSH` key.
  "invalid-config": async (block) => {
    const dir = stackFolder("dev", [seedToken({ scopes: ["api"], consumers: [{ project: "xlink/xlink-app", key: "CI_PUSH" }] })]);
    const result = await runInProcess(planCommand, ["--stack", "dev", "--dir", dir, "--today", "2026-11-25"], { GITLAB_TOKEN: undefined });
    assert.equal(result.status, 1);
    assertShows(result.stderr, block.text, `${where(block)} (npm run plan on that config)`);
  },
  // The example violation is what the least-privilege policy reports for a token with `api`.
  "policy-violation": (block) => {
    const name = /"([^"]+)"/.exec(block.text)![1];
    const policy = createPolicies({ today: () => "2026-11-25" }).find((candidate) => candidate.name === POLICY_NAMES.leastPrivilege)!;
    const type = "gitlab:index/projectAccessToken:ProjectAccessToken";
    const messages: string[] = [];
    const validate = (policy as { validateResource: (args: unknown, report: (message: string) => void) => void }).validateResource;
    validate(
      { type, name, urn: `urn:pulumi:dev::${PROJECT}::${type}::${name}`, props: { project: "xlink/xlink-k8s-gitops", name: "GITLAB_CI_PUSHER", scopes: ["api"], accessLevel: "developer", expiresAt: "2027-06-15" }, getConfig: () => ({}) },
      (message) => messages.push(message),
    );
    assertShows(messages.join("\n"), block.text, where(block));
  },
  // The warning for an expired token is what `npm run plan` prints for the committed dev stack on 2029-12-01.
  "expired-warning": async (block) => {
    const result = await runInProcess(planCommand, ["--stack", "dev", "--dir", PROJECT_ROOT, "--today", "2029-12-01"], { GITLAB_TOKEN: undefined });
    assert.equal(result.status, 0, result.stderr);
    assert.ok(result.stdout.includes(`\n  ! ${block.text}\n`), `${where(block)}: not a warning plan prints on 2029-12-01:\n${result.stdout}`);
  },
  // The CI job pushes with a variable the example stack declares, to a project a token of it grants.
  "ci-job": (block) => {
    const job = parse(block.text) as Record<string, { script: string[]; rules: { if: string }[] }>;
    const [only] = Object.values(job);
    const script = only.script.join("\n");
    const devConfig = (parse(read("Pulumi.dev.yaml")) as { config: Record<string, string> }).config;
    const tokens = (parse(read(devConfig[`${PROJECT}:pushTokensFile`])) as { pushTokens: { project: string; consumers: { key: string }[] }[] }).pushTokens;
    const variable = /\$\{(\w+)\}@\$\{CI_SERVER_HOST\}\/([\w/-]+)\.git/.exec(script)!;
    assert.ok(tokens.some((token) => token.project === variable[2] && token.consumers.some((consumer) => consumer.key === variable[1])), `${variable[1]} for ${variable[2]}`);
    assert.match(script, /git push /);
    assert.equal(only.rules[0].if, "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH", "the variable is protected: the job must run on the protected default branch");
  },
};

const ciSchema = sharedFile("schemas/gitlab-ci.json");

describe("the example blocks", () => {
  const marked = BLOCKS.filter((block) => block.checked !== undefined);

  it("each name a check this suite has, and each check is used", () => {
    assert.deepEqual(marked.map((block) => block.checked).filter((id) => !(id! in CHECKED)), []);
    assert.deepEqual(Object.keys(CHECKED).filter((id) => !marked.some((block) => block.checked === id)), []);
  });

  for (const id of Object.keys(CHECKED)) {
    it(`${id} holds`, async () => {
      for (const block of marked.filter((candidate) => candidate.checked === id)) await CHECKED[id](block);
    });
  }

  it("ci-job is a valid GitLab CI job", { skip: ciSchema.skip }, () => {
    const validate = new Ajv({ strict: false, allErrors: true, logger: false }).compile(JSON.parse(readFileSync(ciSchema.file, "utf8")));
    for (const block of marked.filter((candidate) => candidate.checked === "ci-job")) assert.ok(validate(parse(block.text)), JSON.stringify(validate.errors, null, 2));
  });
});

// --- the README's commands on any day ---------------------------------------------------------

/** The day three years after the real one, so that the committed example's dates can never look ahead of it. */
const REAL_DAY = new Date();
const THREE_YEARS_ON = utcDate(new Date(Date.UTC(REAL_DAY.getUTCFullYear() + 3, REAL_DAY.getUTCMonth(), REAL_DAY.getUTCDate())));
const DAYS = [...new Set(["2029-12-01", THREE_YEARS_ON])];

/** The README's runnable stack commands: ours, run in this process, with `--` and without placeholders or --help. */
const STACK_COMMANDS = [
  ...new Set(
    MENTIONS.filter((mention) => mention.where === "README.md" || mention.where.startsWith("README.md:"))
      .map((mention) => mention.text)
      .filter((text) => text.includes(" -- ") && !/[<>]|--help/.test(text) && npmRunOf(text)!.script in IN_PROCESS),
  ),
];

/** A copy of the project's stack files, so that commands which write (rotate, adopt) leave the repository alone. */
function projectCopy(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "docs-days-"));
  dirs.push(dir);
  for (const file of readdirSync(PROJECT_ROOT).filter((name) => /^Pulumi(\.[\w-]+)?\.yaml$/.test(name))) writeFileSync(path.join(dir, file), read(file));
  // The declaration files the stack files name (pushTokensFile).
  mkdirSync(path.join(dir, "push-tokens"));
  for (const file of readdirSync(path.join(PROJECT_ROOT, "push-tokens"))) writeFileSync(path.join(dir, "push-tokens", file), read(`push-tokens/${file}`));
  writeFileSync(path.join(dir, "state.json"), JSON.stringify({ version: 3, deployment: {} }));
  return dir;
}

/** `command` as the README writes it, run in `dir` on `day`: its own --today/--now replaced, files it names put in `dir`. */
async function runOnDay(command: string, dir: string, day: string): Promise<Run> {
  const { script, args } = npmRunOf(command)!;
  const argv: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--today" || args[i] === "--now") i++;
    else if (args[i] === "--out" || args[i] === "--state") argv.push(args[i], path.join(dir, args[++i]));
    else argv.push(args[i]);
  }
  // adopt writes adopt.json in the working directory unless told otherwise: here, into the copy.
  if (script === "adopt" && !argv.includes("--out")) argv.push("--out", path.join(dir, "adopt.json"));
  return runInProcess(IN_PROCESS[script], [...argv, "--dir", dir, "--today", day], { GITLAB_TOKEN: undefined });
}

describe("the README's commands on any day, years after the example's dates", () => {
  it("finds the stack commands the README shows", () => {
    assert.deepEqual(
      [...STACK_COMMANDS].sort(),
      [
        "npm run --silent plan -- --stack dev --today 2026-11-25",
        "npm run adopt -- --stack migration --out adopt.json",
        "npm run adopt -- --stack migration --state state.json",
        "npm run expiry -- --stack dev",
        "npm run plan -- --stack dev",
        "npm run rotate -- --stack dev",
        "npm run rotate -- --stack migration --cleanup",
      ],
    );
    assert.equal(Number(THREE_YEARS_ON.slice(0, 4)), REAL_DAY.getUTCFullYear() + 3);
    assert.ok(THREE_YEARS_ON > "2027-05-01", "after every date of the committed examples");
  });

  for (const day of DAYS) {
    it(`on ${day}: each works, or says exactly what to run, and exits as documented`, async () => {
      const dir = projectCopy();
      const results = new Map<string, Run>();
      for (const command of STACK_COMMANDS) results.set(command, await runOnDay(command, dir, day));
      const of = (command: string) => results.get(command)!;

      for (const plan of ["npm run plan -- --stack dev", "npm run --silent plan -- --stack dev --today 2026-11-25"]) {
        assert.equal(of(plan).status, 0, `${plan}: ${of(plan).stderr}`);
        assert.match(of(plan).stdout, new RegExp(`evaluated offline on ${day} `));
        assert.match(of(plan).stdout, /\n {2}! token GITLAB_CI_PUSHER in xlink\/xlink-k8s-gitops expired on 2027-02-15, \d+ days ago: .* Rotate it now: npm run rotate -- --stack dev, then merge the change/);
        assert.match(of(plan).stdout, /\n {2}! token RELEASE_TAGGER in xlink\/xlink-charts expired on 2027-05-01, /);
      }
      // The schedule's alarm: exit 2, with the commands that fix it.
      const expiry = of("npm run expiry -- --stack dev");
      assert.equal(expiry.status, 2, expiry.stderr);
      assert.match(expiry.stdout, /\nDue: 2 tokens to rotate \(2 already expired\), 1 retiring generation to remove\.\n {2}npm run rotate -- --stack dev --dir \S+\n {2}npm run rotate -- --stack dev --cleanup --dir \S+\n/);
      // The migration's hand-made token (2026-12-31) and its new generation have both expired: cleanup says to rotate first.
      const cleanup = of("npm run rotate -- --stack migration --cleanup");
      assert.equal(cleanup.status, 1);
      assert.equal(
        cleanup.stderr,
        "not cleaned up: GITLAB_CI_PUSHER in xlink/xlink-k8s-gitops expired on 2027-02-15, and its pipelines hold a dead token. Fix: run npm run rotate -- --stack migration first: it gives the token a new expiresAt and drops its retiring generation\npush-tokens/migration.yaml was not changed.\n",
      );
      for (const adopt of ["npm run adopt -- --stack migration --out adopt.json", "npm run adopt -- --stack migration --state state.json"]) {
        assert.equal(of(adopt).status, 0, `${adopt}: ${of(adopt).stderr}`);
        assert.match(of(adopt).stdout, /^Wrote \S+: 3 resources to import into stack migration\./);
      }
      // rotate ran after the others (the README's order): it fixed what they reported.
      const rotate = of("npm run rotate -- --stack dev");
      assert.equal(rotate.status, 0, rotate.stderr);
      assert.match(rotate.stdout, /\nUpdated push-tokens\/dev\.yaml \(2 tokens rotated\)\./);
    });

    it(`on ${day}: the fix flow the warning names: plan says due, rotate, then plan and expiry are clean`, async () => {
      const dir = projectCopy();
      const before = await runOnDay("npm run plan -- --stack dev", dir, day);
      assert.match(before.stdout, /\nWarnings \(3\)\n/);
      const rotate = await runOnDay("npm run rotate -- --stack dev", dir, day);
      assert.equal(rotate.status, 0, rotate.stderr);
      const after = await runOnDay("npm run plan -- --stack dev", dir, day);
      assert.equal(after.status, 0, after.stderr);
      assert.match(after.stdout, /\nRetiring generations \(0\): each is revoked when its retiring block is removed\n {2}none\n\nWarnings \(0\)\n {2}none\n/);
      assert.match(after.stdout, new RegExp(`GITLAB_CI_PUSHER {2}developer {3}write_repository {2}${addDays(day, 90)} {2}90\n`));
      const expiry = await runOnDay("npm run expiry -- --stack dev", dir, day);
      assert.equal(expiry.status, 0, expiry.stdout);
      // And the migration: rotate, then its cleanup has nothing left.
      assert.equal((await runOnDay("npm run rotate -- --stack migration", dir, day)).status, 0);
      assert.deepEqual(await runOnDay("npm run rotate -- --stack migration --cleanup", dir, day), {
        status: 0,
        stdout: "Nothing to clean up: no retiring generation in push-tokens/migration.yaml is past its revokeAfter; the file is unchanged.\n",
        stderr: "",
      });
    });
  }

  it("on the real day: each exits as what it prints says", async () => {
    const dir = projectCopy();
    const today = utcDate(new Date());
    for (const command of STACK_COMMANDS) {
      const result = await runOnDay(command, dir, today);
      const script = npmRunOf(command)!.script;
      if (script === "expiry") assert.equal(result.status, /\nNothing due: /.test(result.stdout) ? 0 : 2, command);
      else if (command.endsWith("--cleanup")) assert.equal(result.status, /run npm run rotate -- --stack migration first/.test(result.stderr) ? 1 : 0, `${command}: ${result.stderr}`);
      else assert.equal(result.status, 0, `${command}: ${result.stderr}`);
    }
  });
});

// --- links and file names --------------------------------------------------------------------

/** GitHub's and GitLab's heading anchors: lower case, punctuation dropped, spaces to dashes. */
const slug = (heading: string) =>
  heading
    .toLowerCase()
    .replace(/`/g, "")
    .replace(/[^\p{L}\p{N} _-]/gu, "")
    .replace(/ /g, "-");

const anchorsOf = (document: string) => new Set(proseOf(document).split("\n").filter((line) => /^#{1,6} /.test(line)).map((line) => slug(line.replace(/^#+ /, ""))));

function isFile(relative: string): boolean {
  try {
    return statSync(path.join(PROJECT_ROOT, relative)).isFile();
  } catch {
    return false;
  }
}

function exists(relative: string): boolean {
  try {
    statSync(path.join(PROJECT_ROOT, relative));
    return true;
  } catch {
    return false;
  }
}

/** Where the repository's own files start; a name under any of these must exist. */
const OWN_FOLDERS = ["cli", "config", "infra", "lib", "policy", "test", "docs", ".ci"];
const OWN_ROOT_FILES = /^(Pulumi\.[\w-]+\.yaml|Pulumi\.yaml|package\.json|policy-config\.json|stryker\.config\.json|tsconfig\.json|\.gitlab-ci\.yml|README\.md)$/;
/** A name in backticks or a diagram that is a path of this repository (placeholders such as `<stack>` aside). */
const ownPath = (word: string) =>
  !/[<>*…]/.test(word) && (OWN_ROOT_FILES.test(word) || (OWN_FOLDERS.some((folder) => word.startsWith(`${folder}/`)) && /^[\w./-]+$/.test(word)));

describe("links and file names in the docs", () => {
  it("link to files and headings that exist", () => {
    const broken: string[] = [];
    for (const document of DOCUMENTS) {
      for (const [, target] of proseOf(document).matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/.test(target)) continue;
        const [file, anchor] = target.split("#");
        const linked = file === "" ? document : path.posix.normalize(path.posix.join(path.posix.dirname(document), file));
        if (!exists(linked)) broken.push(`${document}: ${target}`);
        else if (anchor !== undefined && !anchorsOf(linked).has(anchor)) broken.push(`${document}: ${target} (no such heading)`);
      }
    }
    assert.deepEqual(broken, []);
  });

  it("name only files and folders that exist", () => {
    const named: { document: string; word: string }[] = [];
    for (const document of DOCUMENTS) {
      for (const code of inlineCode(proseOf(document))) named.push(...code.split(/[\s,;()]+/).filter(ownPath).map((word) => ({ document, word })));
      for (const block of blocksOf(document).filter((candidate) => candidate.language === "")) {
        named.push(...block.text.split(/[\s,;()]+/).filter(ownPath).map((word) => ({ document, word })));
      }
    }
    assert.ok(named.length > 40, `${named.length} names found`);
    const missing = named.filter(({ word }) => !exists(word.replace(/[.:]$/, "")));
    assert.deepEqual(missing.map(({ document, word }) => `${document}: ${word}`), []);
  });
});
