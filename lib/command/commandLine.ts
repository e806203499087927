// The one command-line convention of every command (cli/*.ts): options written `--name value` or
// `--name=value`, `-h`/`--help` for the whole help, and every mistake reported in the same words as one
// line naming the argument and the fix, followed by the usage line, with exit code 1 (a usage error is
// a failure like any other; exit 2 stays `expiry`'s "something is due" and 3 `mr-note`'s fork skip).
//
// Node's parseArgs tokenizes (leniently, so that the messages are ours and a negative number reaches
// the option's own check as a value); what each token means is decided here.

import { parseArgs } from "node:util";
import { suggestKey } from "../../config/issues";

/** The exit code of a usage error: a wrong, missing or unknown argument. */
export const USAGE_ERROR = 1;

export interface OptionSpec {
  readonly type: "string" | "boolean";
  /** May be given more than once (string options only); the values are kept in order. */
  readonly multiple?: boolean;
  /** How the value is written in the usage and the help, e.g. `<name>` or `YYYY-MM-DD`. */
  readonly value?: string;
  /** What the option does, its default included: the help prints it as written. */
  readonly description: string;
  /** A valid use, e.g. `--within 14`: named in the help and in "needs a value" errors. */
  readonly example?: string;
}

export interface PositionalSpec {
  /** How it is written in the usage, e.g. `<comment.md>`. */
  readonly name: string;
  readonly description: string;
}

export interface CommandSpec {
  /** The npm script, e.g. `plan`. */
  readonly name: string;
  /** The synopsis after `npm run <name>`, one entry per form, e.g. `-- --stack <name> [--json]`. */
  readonly usage: readonly string[];
  /** What the command does, in a few sentences. */
  readonly summary: string;
  readonly options: Readonly<Record<string, OptionSpec>>;
  /** The one positional argument the command takes, if any. */
  readonly positional?: PositionalSpec;
  /** Whole command lines a user can copy. */
  readonly examples: readonly string[];
  /** `0 …`, `1 …`: what each exit code means. */
  readonly exitCodes: string;
}

export type CommandValues = Record<string, string | boolean | string[] | undefined>;

export type CommandLine =
  | { readonly kind: "run"; readonly values: CommandValues; readonly positionals: readonly string[] }
  | { readonly kind: "help"; readonly text: string }
  | { readonly kind: "error"; readonly message: string };

export type Environment = Readonly<Record<string, string | undefined>>;

const HELP: OptionSpec = { type: "boolean", description: "print this help and exit" };

/** The usage line(s), as printed under every usage error and at the top of the help. */
export function usageOf(spec: CommandSpec): string {
  return spec.usage.map((form, index) => `${index === 0 ? "usage: " : "       "}npm run ${spec.name}${form === "" ? "" : ` ${form}`}`).join("\n");
}

/** How wide the help's option descriptions run before they wrap. */
const HELP_WIDTH = 110;

/** `text` broken at spaces into lines of at most `width` characters (a longer word stays whole). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line !== "" && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === "" ? word : `${line} ${word}`;
  }
  return [...lines, line].map((wrapped) => wrapped.replace(/\u00a0/g, " "));
}

/** The whole help: usage, what the command does, every option with its default, examples, exit codes. */
export function helpOf(spec: CommandSpec): string {
  const entries: [string, string][] = [
    ...(spec.positional ? [[spec.positional.name, spec.positional.description] as [string, string]] : []),
    ...Object.entries(spec.options).map(([name, option]): [string, string] => [
      `--${name}${option.type === "string" ? ` ${option.value ?? "<value>"}` : ""}`,
      // The example is kept on one line: its spaces are joined until the text is wrapped.
      `${option.description}${option.example ? ` (e.g.\u00a0${option.example.replace(/ /g, "\u00a0")})` : ""}`,
    ]),
    ["-h, --help", HELP.description],
  ];
  const width = Math.max(...entries.map(([left]) => left.length));
  const indent = " ".repeat(width + 4);
  return [
    usageOf(spec),
    "",
    spec.summary,
    "",
    "Options:",
    ...entries.flatMap(([left, right]) => wrap(right, HELP_WIDTH - indent.length).map((line, index) => (index === 0 ? `  ${left.padEnd(width)}  ${line}` : `${indent}${line}`))),
    "",
    "Examples:",
    ...spec.examples.map((example) => `  ${example}`),
    "",
    `Exit codes: ${spec.exitCodes}`,
  ].join("\n");
}

/**
 * What `argv` asks for. `env` is the process's environment, read only to recognise options that npm
 * kept for itself (`npm run plan --stack dev`, without the `--`).
 */
export function parseCommandLine(spec: CommandSpec, argv: readonly string[], env: Environment = {}): CommandLine {
  const error = (problem: string, fix: string): CommandLine => ({ kind: "error", message: `${problem}. Fix: ${fix}.` });
  const npm = npmKeptOptions(spec, argv, env);
  if (npm) return error(npm.problem, npm.fix);

  const options = { ...spec.options, help: HELP };
  const types = Object.fromEntries(Object.entries(options).map(([name, option]) => [name, { type: option.type, multiple: option.multiple === true }]));
  const { tokens } = parseArgs({ args: [...argv], options: types, strict: false, allowPositionals: true, tokens: true });
  const values: CommandValues = {};
  const positionals: string[] = [];
  const helpHint = `npm run ${spec.name} -- --help lists every option`;
  let help = false;
  for (const token of tokens) {
    if (token.kind === "option-terminator") continue;
    if (token.kind === "positional") {
      positionals.push(token.value);
      continue;
    }
    const raw = argv[token.index];
    const name = token.rawName === "-h" ? "help" : token.rawName.startsWith("--") ? token.name : undefined;
    const option = name === undefined ? undefined : options[name as keyof typeof options];
    if (name === undefined || option === undefined) {
      const suggestion = suggestKey(token.rawName.replace(/^-+/, ""), Object.keys(options));
      return error(`unknown option ${printable(raw.split("=")[0])}`, suggestion ? `did you mean --${suggestion}? ${helpHint}` : helpHint);
    }
    if (name === "help") {
      help = true;
      continue;
    }
    const flag = `--${name}`;
    if (option.type === "boolean") {
      if (token.value !== undefined) return error(`${flag} takes no value, got ${printable(`${flag}=${token.value}`)}`, `write ${flag} alone`);
      values[name] = true;
      continue;
    }
    // A value that starts with a dash is the next option, unless it is a number: `--within -5` is a
    // value for --within to refuse in its own words, not an option `-5`.
    const value = token.value;
    if (value === undefined || (!token.inlineValue && value.startsWith("-") && !/^-\d/.test(value))) {
      return error(`${flag} needs a value${value === undefined ? "" : `, but is followed by ${printable(value)}`}`, `write ${option.example ?? `${flag} ${option.value ?? "<value>"}`}`);
    }
    const previous = values[name];
    if (option.multiple) values[name] = [...((previous as string[] | undefined) ?? []), value];
    else if (previous !== undefined) return error(`${flag} is given twice (${printable(String(previous))} and ${printable(value)})`, `pass ${flag} once`);
    else values[name] = value;
  }
  if (help) return { kind: "help", text: helpOf(spec) };
  const expected = spec.positional ? 1 : 0;
  if (positionals.length > expected) {
    const extra = positionals[expected];
    return error(
      `unexpected argument ${printable(extra)}`,
      spec.positional ? `pass one ${spec.positional.name}; ${helpHint}` : `every argument of npm run ${spec.name} is an option such as ${firstExample(spec)}; ${helpHint}`,
    );
  }
  if (positionals.length < expected) return error(`${spec.positional!.name} is missing`, `pass ${spec.positional!.description}, e.g. ${spec.examples[0]}`);
  return { kind: "run", values, positionals };
}

function firstExample(spec: CommandSpec): string {
  const [name, option] = Object.entries(spec.options)[0];
  return option.example ?? `--${name}`;
}

/** A user-typed word, quoted, short and on one line. */
function printable(text: string): string {
  const shown = text.length > 60 ? `${text.slice(0, 60)}…` : text;
  return JSON.stringify(shown);
}

// npm's own configuration names among ours: npm sets npm_config_json from an .npmrc as well, so
// seeing it says nothing about this command line.
const NPM_OWN_CONFIG = new Set(["json"]);

/**
 * `npm run plan --stack dev` (no `--`) hands `--stack` to npm, which exports it as npm_config_stack
 * ("true", or the value of `--stack=dev`) and passes only `dev` to the script. Recognised when the
 * script runs under npm (npm_lifecycle_event) and an option of ours is in npm's environment but not on
 * the command line; the fix is the command line as it was meant.
 */
function npmKeptOptions(spec: CommandSpec, argv: readonly string[], env: Environment): { problem: string; fix: string } | undefined {
  if (env.npm_lifecycle_event !== spec.name) return undefined;
  const given = new Set(argv.filter((arg) => arg.startsWith("--")).map((arg) => arg.slice(2).split("=")[0]));
  const kept = Object.entries(spec.options).flatMap(([name, option]) => {
    const value = env[`npm_config_${name.replace(/-/g, "_")}`];
    return value === undefined || given.has(name) || NPM_OWN_CONFIG.has(name) ? [] : [{ name, option, value }];
  });
  if (kept.length === 0) return undefined;
  // A string option npm took without "=" arrives as "true", its value among the script's arguments.
  const valueless = kept.filter(({ option, value }) => option.type === "string" && value === "true");
  const rest = [...argv];
  const words = kept.flatMap(({ name, option, value }) => {
    if (option.type === "boolean") return [`--${name}`];
    if (value !== "true") return [`--${name}`, value];
    if (valueless.length === 1 && rest.length > 0) return [`--${name}`, rest.shift()!];
    return [`--${name}`, "…"];
  });
  const flags = kept.map(({ name }) => `--${name}`).join(", ");
  return {
    problem: `npm kept ${flags} for itself: without a -- after the script's name, npm reads the options and passes on only their values`,
    fix: `put -- before the options: npm run ${spec.name} -- ${[...words, ...rest].join(" ")}`,
  };
}

/** Where a command line's help and errors go. */
export interface UsagePrinter {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

/**
 * The parsed command line, or the exit code once the help (0) or a usage error with the usage line
 * under it (1) is printed.
 */
export function readCommandLine(spec: CommandSpec, argv: readonly string[], printer: UsagePrinter, env: Environment): Extract<CommandLine, { kind: "run" }> | number {
  const line = parseCommandLine(spec, argv, env);
  if (line.kind === "help") {
    printer.out(line.text);
    return 0;
  }
  if (line.kind === "error") return usageError(spec, line.message, printer);
  return line;
}

/** Prints a usage error as every command does (`<name>: <problem>. Fix: <fix>.`, then the usage) and returns its exit code. */
export function usageError(spec: CommandSpec, message: string, printer: Pick<UsagePrinter, "err">): number {
  printer.err(`${spec.name}: ${/[.!?]$/.test(message) ? message : `${message}.`}\n${usageOf(spec)}`);
  return USAGE_ERROR;
}
