// What every stack command (plan, plan-comment, adopt, expiry, rotate) shares: where it prints, the
// options that say which stack, where and when, and how those are read: the command line by
// commandLine.ts's convention, the stack name resolved (stackName.ts), the clock set by --today or --now.

import { systemClock, type Clock } from "../../config/clock";
import { FlagError, resolveClock } from "../../config/expiry";
import { redactTokens } from "../../config/issues";
import { readCommandLine, usageError, type CommandSpec, type CommandValues, type Environment, type OptionSpec } from "./commandLine";
import { describeStacks, resolveStackName, StackNameError } from "../stackFile/stackName";

/** Where a run prints: stdout and stderr, one call per message (no trailing newline). */
export interface CliOutput {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /**
   * Transient progress ("evaluating: 120 of 500 tokens"), each call replacing the last; only present
   * when stderr is a terminal, so that logs and pipes get none.
   */
  readonly progress?: (text: string) => void;
}

/** Prints through the console; nothing a command prints can carry a token-shaped value. */
export const CONSOLE: CliOutput = {
  out: (text) => console.log(redactTokens(text)),
  err: (text) => console.error(redactTokens(text)),
  ...(process.stderr.isTTY && { progress: terminalProgress(process.stderr) }),
};

/** Progress on a terminal: one line, rewritten in place, erased by the next (or an empty) message. */
export function terminalProgress(stream: { write(text: string): unknown }): (text: string) => void {
  return (text) => stream.write(`\r\u001b[2K${redactTokens(text)}`);
}

/** The options of every stack command: which stack, in which folder, as of when. */
export const STACK_OPTIONS = {
  stack: {
    type: "string",
    value: "<name>",
    description: "the stack, whose config is Pulumi.<name>.yaml beside Pulumi.yaml; also written as pulumi stack ls shows it, org/<name> or org/<project>/<name>",
    example: "--stack dev",
  },
  dir: { type: "string", value: "<folder>", description: "the folder holding Pulumi.yaml and the stack file (default: the current folder)", example: "--dir ../infra" },
  today: { type: "string", value: "YYYY-MM-DD", description: "judge dates as on this day, from its midnight UTC, instead of the real clock", example: "--today 2026-11-25" },
  now: { type: "string", value: "<ISO date-time>", description: "judge dates as at this instant, with its zone, instead of the real clock", example: "--now 2026-11-25T09:30:00Z" },
} as const satisfies Record<string, OptionSpec>;

export interface StackCommandLine {
  /** The bare stack name: Pulumi.<stack>.yaml. */
  readonly stack: string;
  /** --dir, or the working directory. */
  readonly dir: string;
  /** Stopped at --today or --now, else the clock the command was given. */
  readonly clock: Clock;
  readonly values: CommandValues;
}

/**
 * The command line of a stack command, or the exit code once its help or a usage error is printed:
 * `--stack` is required and must name a stack with a file in `--dir`.
 */
export function parseStackCommand(spec: CommandSpec, argv: readonly string[], output: CliOutput, clock: Clock = systemClock, env: Environment = process.env): StackCommandLine | number {
  const line = readCommandLine(spec, argv, output, env);
  if (typeof line === "number") return line;
  const { values } = line;
  const dir = typeof values.dir === "string" ? values.dir : process.cwd();
  if (typeof values.stack !== "string" || values.stack === "") {
    return usageError(spec, `--stack is required (${describeStacks(dir)}). Fix: name the stack, e.g. ${spec.examples[0]}`, output);
  }
  try {
    return {
      stack: resolveStackName(dir, values.stack),
      dir,
      clock: resolveClock({ today: values.today as string | undefined, now: values.now as string | undefined }, clock),
      values,
    };
  } catch (error) {
    if (error instanceof StackNameError || error instanceof FlagError) return usageError(spec, error.message, output);
    throw error;
  }
}

/** Runs a command's main and sets the exit code; an unexpected error is one line, never a stack. */
export function runCommand(name: string, main: () => Promise<number> | number): void {
  Promise.resolve()
    .then(main)
    .then(
      (code) => {
        process.exitCode = code;
      },
      (error: unknown) => {
        CONSOLE.err(`${name} failed unexpectedly: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
        process.exitCode = 1;
      },
    );
}

/** A command's printing, redacted on both streams; `fail` prints to stderr and returns exit code 1. */
export function commandOutput(output: CliOutput): { readonly print: (text: string) => void; readonly fail: (message: string) => number; readonly redacted: CliOutput } {
  const print = (text: string) => output.out(redactTokens(text));
  const err = (text: string) => output.err(redactTokens(text));
  const progress = output.progress;
  return {
    print,
    fail: (message) => {
      err(message);
      return 1;
    },
    redacted: { out: print, err, ...(progress && { progress: (text: string) => progress(redactTokens(text)) }) },
  };
}
