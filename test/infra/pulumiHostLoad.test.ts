/**
 * Proves, without the Pulumi CLI, that `pulumi up` can load our program the
 * way the Pulumi Node.js language host does.
 *
 * We start a fake engine + resource monitor (./support/fakeEngine.ts) and
 * spawn the real `@pulumi/pulumi/cmd/run` with the command line, environment
 * and working directory that pulumi-language-nodejs builds, from OUR
 * Pulumi.yaml and Pulumi.dev.yaml. Sources mirrored (github.com/pulumi/pulumi):
 *   - sdk/nodejs/cmd/pulumi-language-nodejs/main.go: parseOptions, Run,
 *     execRuntime, constructArguments, constructConfig(SecretKeys), locateModule
 *   - pkg/engine/project.go: getPwdMain (how `main` becomes --pwd + entry point)
 *   - sdk/go/common/resource/plugin: the host runs in the --pwd directory,
 *     and node inherits that cwd (execRuntime sets no cmd.Dir)
 *   - sdk/go/common/resource/config/value.go: how object config values become strings
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import { after, test } from "node:test";
import YAML from "yaml";

import { systemClock, today } from "../../config/clock";
import { WITHHELD } from "../../infra/sdkDebugText";
import { addDays, daysBetween } from "../../config/dates";
import { startFakeEngine, type FakeEngine } from "../support/fakeEngine";
import { PROJECT_ROOT as ROOT } from "../support/sharedData";

const STACK = "dev";
// What the CLI passes as the organization with a self-managed (DIY) backend.
const ORGANIZATION = "organization";
// `--parallel` is always passed; the SDK only reads it to serialize when it is 1.
const PARALLEL = 16;
const CHILD_TIMEOUT_MS = 60_000;

const PROVIDER_TYPE = "pulumi:providers:gitlab";
const TOKEN_TYPE = "gitlab:index/projectAccessToken:ProjectAccessToken";
const VARIABLE_TYPE = "gitlab:index/projectVariable:ProjectVariable";

// ---------------------------------------------------------------------------
// What the CLI and the language host derive from the project files.

interface Project {
  name: string;
  /** Pulumi.yaml `main`, undefined when absent. */
  main: string | undefined;
  /** Pulumi.yaml `runtime.options`, as YAML-typed values. */
  options: Record<string, unknown>;
}

function readProject(): Project {
  const doc = YAML.parse(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as Record<string, unknown>;
  const runtime = doc.runtime as string | { name: string; options?: Record<string, unknown> };
  const runtimeName = typeof runtime === "string" ? runtime : runtime.name;
  assert.equal(runtimeName, "nodejs", "Pulumi.yaml runtime must be nodejs");
  // Project-level config (defaults, schemas) is merged by the CLI; not modelled here.
  assert.equal(doc.config, undefined, "Pulumi.yaml `config:` is not modelled by this harness");
  return {
    name: String(doc.name),
    main: doc.main === undefined ? undefined : String(doc.main),
    options: (typeof runtime === "string" ? undefined : runtime.options) ?? {},
  };
}

/** pulumi-language-nodejs parseOptions (nodejs runtime). Note typescript defaults to TRUE. */
function parseOptions(options: Record<string, unknown>) {
  const { typescript = true, tsconfig = "", nodeargs = "" } = options;
  assert.equal(typeof typescript, "boolean", "typescript option must be a boolean");
  assert.equal(typeof tsconfig, "string", "tsconfigpath option must be a string");
  assert.equal(typeof nodeargs, "string", "nodeargs option must be a string");
  return { typescript: typescript as boolean, tsconfig: tsconfig as string, nodeargs: nodeargs as string };
}

/** pkg/engine/project.go getPwdMain: the program runs from main's directory. */
function getPwdMain(root: string, main: string | undefined): { pwd: string; entry: string } {
  if (main === undefined || main === "") return { pwd: root, entry: "." };
  const full = path.isAbsolute(main) ? main : path.join(root, main);
  return fs.statSync(full).isDirectory() ? { pwd: full, entry: "." } : { pwd: path.dirname(full), entry: path.basename(full) };
}

/** github.com/google/shlex Split, which the host uses on `nodeargs`: words, quotes, backslashes, # comments. */
function shlexSplit(input: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < input.length; i++) {
    const c = input[i]!;
    if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (c === "#" && word === undefined) {
      while (i < input.length && input[i] !== "\n") i++;
    } else if (c === "\\") {
      word = (word ?? "") + (input[++i] ?? "");
    } else if (c === "'") {
      const end = input.indexOf("'", i + 1);
      assert.ok(end > i, `unclosed ' in nodeargs: ${input}`);
      word = (word ?? "") + input.slice(i + 1, end);
      i = end;
    } else if (c === '"') {
      word ??= "";
      for (i++; i < input.length && input[i] !== '"'; i++) {
        if (input[i] === "\\" && '"\\$`\n'.includes(input[i + 1] ?? "")) i++;
        word += input[i];
      }
      assert.ok(i < input.length, `unclosed " in nodeargs: ${input}`);
    } else {
      word = (word ?? "") + c;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

/**
 * Pulumi.<stack>.yaml `config:` as the CLI holds it: scalars as their YAML
 * text (Go decodes them into a string), maps and lists as typed values that
 * get JSON-encoded (config.Value stores `json.Marshal(obj)`).
 */
type StackConfig = Record<string, unknown>;

// Under cmd/run the program judges dates by the real clock. The dev stack's dates were written for
// this day; shifting them all by the days since keeps the stack exactly as valid (and as close to
// expiry) as it was then, so the test passes on any day without changing what it loads.
const DEV_STACK_WRITTEN_ON = "2026-11-25";

function shiftDates(config: StackConfig): StackConfig {
  const shift = daysBetween(DEV_STACK_WRITTEN_ON, today(systemClock));
  const shiftInstant = (instant: string) => new Date(Date.parse(instant) + shift * 86_400_000).toISOString();
  const shifted = structuredClone(config);
  for (const [key, value] of Object.entries(shifted)) {
    if (!key.endsWith(":pushTokens") || !Array.isArray(value)) continue;
    for (const token of value as Array<Record<string, any>>) {
      token.expiresAt = addDays(token.expiresAt, shift);
      if (token.retiring) {
        token.retiring.expiresAt = addDays(token.retiring.expiresAt, shift);
        token.retiring.revokeAfter = shiftInstant(token.retiring.revokeAfter);
      }
    }
  }
  return shifted;
}

function readStackConfig(): StackConfig {
  return shiftDates(readStackConfigAsWritten());
}

/**
 * The project folder the host passes as --root-directory, where the program reads the declaration file
 * the stack config names (pushTokensFile): a copy holding Pulumi.yaml and the declaration with its
 * dates shifted as shiftDates does, so that the run is as valid on any day.
 */
function shiftedRoot(config: StackConfig): string {
  const file = Object.entries(config).find(([key]) => key.endsWith(":pushTokensFile"))?.[1];
  assert.equal(typeof file, "string", "Pulumi.dev.yaml names its declaration file (pushTokensFile)");
  const declared = YAML.parse(fs.readFileSync(path.join(ROOT, file as string), "utf8")) as { pushTokens: unknown };
  const shifted = shiftDates({ "p:pushTokens": declared.pushTokens })["p:pushTokens"];
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "host-root-"));
  after(() => fs.rmSync(root, { recursive: true, force: true }));
  fs.copyFileSync(path.join(ROOT, "Pulumi.yaml"), path.join(root, "Pulumi.yaml"));
  fs.mkdirSync(path.dirname(path.join(root, file as string)), { recursive: true });
  fs.writeFileSync(path.join(root, file as string), YAML.stringify({ pushTokens: shifted }));
  return root;
}

function readStackConfigAsWritten(): StackConfig {
  const file = path.join(ROOT, `Pulumi.${STACK}.yaml`);
  if (!fs.existsSync(file)) return {}; // the CLI treats a missing stack file as empty config
  const text = fs.readFileSync(file, "utf8");
  const typed = (YAML.parse(text) ?? {}) as Record<string, unknown>;
  // The failsafe schema keeps every scalar as its literal text: `5` -> "5", `2027-01-01` -> "2027-01-01".
  const literal = (YAML.parse(text, { schema: "failsafe" }) ?? {}) as Record<string, Record<string, unknown>>;
  assert.equal(typed.environment, undefined, "Pulumi ESC `environment:` is not modelled by this harness");
  const config: StackConfig = {};
  for (const [key, value] of Object.entries((typed.config ?? {}) as Record<string, unknown>)) {
    const isStructured = typeof value === "object" && value !== null;
    config[key] = isStructured ? value : (literal.config?.[key] ?? "");
  }
  return config;
}

/** Go's json.Marshal: map keys sorted, <, >, & and U+2028/9 escaped. */
function goJsonMarshal(value: unknown): string {
  const sortKeys = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sortKeys)
      : typeof v === "object" && v !== null
        ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]))
        : v;
  return JSON.stringify(sortKeys(value)).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** The PULUMI_CONFIG value: constructConfig's `<namespace>:config:<name>` keys, string values. */
function pulumiConfigEnv(config: StackConfig): string {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(config)) {
    const idx = key.indexOf(":"); // config.ParseKey: <namespace>:[config:]<name>
    assert.ok(idx > 0, `config key ${key} must be <namespace>:<name>`);
    const name = key.slice(idx + 1).replace(/^config:/, "");
    assert.ok(!goJsonMarshal(value).includes('"secure"'), `${key}: secure values cannot be decrypted without the CLI`);
    out[`${key.slice(0, idx)}:config:${name}`] = typeof value === "string" ? value : goJsonMarshal(value);
  }
  return goJsonMarshal(out);
}

// ---------------------------------------------------------------------------
// Running the program like the language host does.

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  engine: FakeEngine;
  command: string[];
  cwd: string;
}

async function runLikeLanguageHost(config: StackConfig, { dryRun, rootDirectory = ROOT }: { dryRun: boolean; rootDirectory?: string }): Promise<Run> {
  const project = readProject();
  const options = parseOptions(project.options);
  const { pwd, entry } = getPwdMain(ROOT, project.main);
  // locateModule: `node -e "require.resolve('@pulumi/pulumi/cmd/run')"` run in the program directory.
  const runPath = createRequire(path.join(pwd, "[eval]")).resolve("@pulumi/pulumi/cmd/run");

  const engine = await startFakeEngine({ project: project.name, stack: STACK, preview: dryRun });
  // The host hands node a directory of pipes for synchronous invokes; the
  // 3.248 SDK never opens them, so an empty directory is faithful enough.
  const syncDir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-sync-"));
  try {
    const args = [runPath];
    const flag = (name: string, value: string) => {
      if (value !== "") args.push(`--${name}`, value); // maybeAppendArg
    };
    flag("monitor", engine.address);
    flag("engine", engine.address);
    flag("sync", syncDir);
    flag("organization", ORGANIZATION);
    flag("project", project.name);
    flag("root-directory", rootDirectory);
    flag("stack", STACK);
    flag("pwd", pwd);
    if (dryRun) args.push("--dry-run");
    flag("parallel", String(PARALLEL));
    args.push(entry);
    const command = [...shlexSplit(options.nodeargs), ...args];

    // The host passes its own environment through. Drop inherited PULUMI_*
    // (so only OUR settings count) and node:test's marker for its children.
    const env: NodeJS.ProcessEnv = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !k.startsWith("PULUMI_") && k !== "NODE_TEST_CONTEXT"),
    );
    env.PULUMI_CONFIG = pulumiConfigEnv(config);
    env.PULUMI_CONFIG_SECRET_KEYS = "[]"; // no secure values (pulumiConfigEnv refuses them)
    if (options.typescript) env.PULUMI_NODEJS_TYPESCRIPT = "true";
    if (options.tsconfig !== "") env.PULUMI_NODEJS_TSCONFIG_PATH = options.tsconfig;

    // `node` from PATH, like the host's exec.LookPath("node").
    const result = await spawnWithTimeout("node", command, { cwd: pwd, env });
    return { ...result, engine, command: ["node", ...command], cwd: pwd };
  } finally {
    await engine.stop();
    fs.rmSync(syncDir, { recursive: true, force: true });
  }
}

function spawnWithTimeout(cmd: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv }) {
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>(
    (resolve, reject) => {
      const child = spawn(cmd, args, { ...opts, stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      const timer = setTimeout(() => {
        stderr += `\n[test] killed after ${CHILD_TIMEOUT_MS} ms\n`;
        child.kill("SIGKILL");
      }, CHILD_TIMEOUT_MS);
      child.on("error", (err) => {
        clearTimeout(timer);
        reject(err);
      });
      child.on("close", (code, signal) => {
        clearTimeout(timer);
        resolve({ code, signal, stdout, stderr });
      });
    },
  );
}

// ---------------------------------------------------------------------------
// Assertions.

const stripAnsi = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, "");
const errorLogs = (run: Run) => run.engine.logs.filter((l) => l.severity === "error");

/** Everything a failing assertion should show to make the failure obvious. */
function diagnostics(run: Run): string {
  return [
    `command: ${run.command.join(" ")}`,
    `cwd: ${run.cwd}`,
    `exit: ${run.code} ${run.signal ?? ""}`,
    `stderr:\n${run.stderr}`,
    `stdout:\n${run.stdout}`,
    `logs:\n${run.engine.logs.map((l) => `  [${l.severity}] ${l.message}`).join("\n")}`,
    `registered: ${run.engine.registrations.map((r) => `${r.type}::${r.name}`).join(", ")}`,
    `rpcs: ${run.engine.calls.join(", ")}`,
  ].join("\n");
}

function assertLoadsCleanly(run: Run) {
  const { registrations, invokes } = run.engine;
  const why = diagnostics(run);
  assert.equal(run.code, 0, why);

  const providers = registrations.filter((r) => r.type === PROVIDER_TYPE);
  assert.equal(providers.length, 1, `expected exactly one ${PROVIDER_TYPE}\n${why}`);
  const provider = providers[0]!;
  assert.equal(provider.version, "10.1.1", why);

  assert.ok(registrations.some((r) => r.type === TOKEN_TYPE), `no ${TOKEN_TYPE}\n${why}`);
  assert.ok(registrations.some((r) => r.type === VARIABLE_TYPE), `no ${VARIABLE_TYPE}\n${why}`);
  for (const r of registrations.filter((r) => r.type.startsWith("gitlab:"))) {
    // A provider reference is `<provider urn>::<provider id>`.
    const providerUrn = r.provider.slice(0, Math.max(0, r.provider.lastIndexOf("::")));
    assert.equal(providerUrn, provider.urn, `${r.urn} must use the explicit gitlab provider, got '${r.provider}'`);
  }

  assert.deepEqual(invokes, [], `the program must make no invokes\n${why}`);
  assert.deepEqual(errorLogs(run), [], why);

  const outputs = run.engine.stackOutputs();
  assert.ok(outputs && "inventory" in outputs, `stack outputs lack inventory: ${JSON.stringify(outputs)}\n${why}`);

  // The SDK logs every RegisterResource answer at debug level (runtime/resource.js), and a token's
  // answer holds its value: infra/sdkDebugLog.ts scrubs each, so one such log per registration
  // arrives, its body withheld. (Were the scrubber's replacement not seen by the SDK's own files,
  // these would carry the answers, and the fake tokens below.) The one exception is the stack's own
  // root resource, which cmd/run registers before it loads the program: its answer is its URN and
  // no property (the stack's outputs go in a later RegisterResourceOutputs, whose answer is empty).
  const answers = run.engine.logs.filter((l) => l.severity === "debug" && l.message.startsWith("RegisterResource RPC finished: "));
  const [root, ...rest] = registrations;
  assert.deepEqual(
    answers.map((l) => l.message),
    [
      `RegisterResource RPC finished: resource:${root!.name}[pulumi:pulumi:Stack]; err: null, resp: ${root!.urn},,,,`,
      ...rest.map((r) => `RegisterResource RPC finished: resource:${r.name}[${r.type}]; err: null, resp: ${WITHHELD}`),
    ],
    why,
  );
  assert.ok(rest.length > 1, why);
  // Fake token values the monitor handed out must not leak anywhere visible, debug logs included.
  const places = {
    stdout: run.stdout,
    stderr: run.stderr,
    logs: JSON.stringify(run.engine.logs),
    "stack outputs": JSON.stringify(outputs),
  };
  for (const [where, text] of Object.entries(places)) {
    assert.ok(!text.includes("glpat-fake-"), `a fake token value leaked into ${where}:\n${text}`);
  }
}

// ---------------------------------------------------------------------------

// `pulumi up` runs the program twice: a preview (--dry-run), then the update.
for (const dryRun of [true, false]) {
  test(`pulumi up ${dryRun ? "preview" : "update"}: the language host loads infra with our settings`, async () => {
    const config = readStackConfig();
    const run = await runLikeLanguageHost(config, { dryRun, rootDirectory: shiftedRoot(config) });
    assertLoadsCleanly(run);
    if (!dryRun) {
      // Sanity check of the check above: the update did hand out fake tokens.
      const tokens = run.engine.registrations.filter((r) => r.type === TOKEN_TYPE);
      assert.ok(tokens.length > 0);
    }
  });
}

test("an invalid push token in config fails the run with a clear, stackless error", async () => {
  // The dev stack's tokens, inline in the stack config (the form small stacks may keep), one of them made invalid.
  const { [`${readProject().name}:pushTokensFile`]: file, ...config } = readStackConfig();
  assert.equal(typeof file, "string", "Pulumi.dev.yaml names its declaration file (pushTokensFile)");
  const key = `${readProject().name}:pushTokens`;
  const pushTokens = structuredClone((YAML.parse(fs.readFileSync(path.join(ROOT, file as string), "utf8")) as { pushTokens: unknown }).pushTokens) as Array<Record<string, unknown>>;
  assert.ok(Array.isArray(pushTokens) && pushTokens.length > 0, "pushTokens must be a non-empty list");
  pushTokens[0]!.scopes = ["api"];

  const run = await runLikeLanguageHost({ ...config, [key]: shiftDates({ [key]: pushTokens })[key] }, { dryRun: false });
  const why = diagnostics(run);

  assert.notEqual(run.code, 0, why);
  assert.deepEqual(
    run.engine.registrations.filter((r) => r.type.startsWith("gitlab:")).map((r) => r.urn),
    [],
    why,
  );
  // What the user sees: error diagnostics from the engine log, plus raw stderr.
  const shown = stripAnsi([...errorLogs(run).map((l) => l.message), run.stderr].join("\n"));
  assert.match(shown, /pushTokens(\[0\]|\.0)\.scopes/, why);
  assert.doesNotMatch(shown, /^\s+at .*(:\d+:\d+\)?|\(<anonymous>\)|\(native\))$/m, `the error must not carry a JavaScript stack trace\n${why}`);
});
