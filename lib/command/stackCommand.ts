// What every stack command shares: where it prints, and how it reads its flags (a parse error or a
// missing --stack prints the usage and exits 1; --help prints it and exits 0).

import { parseArgs, type ParseArgsConfig } from "node:util";
import { redactTokens } from "../../config/issues";

/** Where a run prints: stdout and stderr, one call per message (no trailing newline). */
export interface CliOutput {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

/** Prints through the console; nothing a command prints can carry a token-shaped value. */
export const CONSOLE: CliOutput = { out: (text) => console.log(redactTokens(text)), err: (text) => console.error(redactTokens(text)) };

type Options = NonNullable<ParseArgsConfig["options"]>;
type Flags<O extends Options> = ReturnType<typeof parseArgs<{ options: O }>>["values"] & { readonly stack: string };

/** The flags of a command that evaluates the program for a stack file: which stack, where, which day. */
export const EVALUATION_OPTIONS = {
  stack: { type: "string" },
  dir: { type: "string" },
  today: { type: "string" },
} as const;

/** The flags of every command that reads a stack file offline: which stack, where, and when it is. */
export const STACK_FILE_OPTIONS = { ...EVALUATION_OPTIONS, now: { type: "string" } } as const;

/** The flags of a command that needs `--stack`, or the exit code once it has said why it cannot run. */
export function parseStackCommand<O extends Options>(argv: readonly string[], options: O, usage: string, output: CliOutput): Flags<O> | number {
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({ args: [...argv], options: { ...options, help: { type: "boolean", short: "h" } } }));
  } catch (error) {
    output.err(`${(error as Error).message}\n${usage}`);
    return 1;
  }
  if (values.help) {
    output.out(usage);
    return 0;
  }
  if (typeof values.stack !== "string" || values.stack === "") {
    output.err(`--stack is required\n${usage}`);
    return 1;
  }
  return values as Flags<O>;
}

/** Runs a command's main and sets the exit code; an unexpected error is one line, never a stack. */
export function runCommand(name: string, main: () => Promise<number>): void {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      CONSOLE.err(`${name} failed unexpectedly: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    },
  );
}

/** A command's printing, redacted on both streams; `fail` prints to stderr and returns exit code 1. */
export function commandOutput(output: CliOutput): { readonly print: (text: string) => void; readonly fail: (message: string) => number; readonly redacted: CliOutput } {
  const print = (text: string) => output.out(redactTokens(text));
  const err = (text: string) => output.err(redactTokens(text));
  return {
    print,
    fail: (message) => {
      err(message);
      return 1;
    },
    redacted: { out: print, err },
  };
}
