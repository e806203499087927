// `npm run expiry -- --stack dev [--within DAYS] [--json] [--today YYYY-MM-DD | --now ISO] [--dir PATH]`
//
// Which tokens of Pulumi.<stack>.yaml expire soon, what they feed, and which retiring generations may
// be removed. Offline: reads the stack file, never GitLab. Exit 0 when nothing is due, 2 when a token
// expires within the window (or has expired) or a retiring generation is past revokeAfter, 1 on error.

import { systemClock, type Clock } from "../config/clock";
import { resolveNow, UsageError } from "../config/expiry";
import { ConfigError } from "../config/issues";
import { commandOutput, CONSOLE, parseStackCommand, STACK_FILE_OPTIONS, type CliOutput } from "../lib/command/stackCommand";
import { expiryOfStack } from "../lib/rotation/expiryOfStack";

const USAGE = "usage: npm run expiry -- --stack <name> [--within <days>] [--json] [--today YYYY-MM-DD | --now <ISO date-time>] [--dir <folder with Pulumi.yaml>]";

/** Runs the command; returns its exit code. Exported so that tests can run it in-process. */
export function expiryCli(argv: readonly string[], output: CliOutput = CONSOLE, clock: Clock = systemClock): number {
  // Nothing printed here is a token value, but a token pasted into a name would be: never echo one.
  const { print, fail, redacted } = commandOutput(output);
  const flags = parseStackCommand(argv, { ...STACK_FILE_OPTIONS, within: { type: "string" }, json: { type: "boolean" } }, USAGE, redacted);
  if (typeof flags === "number") return flags;

  try {
    const { text, due } = expiryOfStack({ dir: flags.dir, stack: flags.stack, now: resolveNow(flags, clock), within: flags.within, json: flags.json });
    print(text);
    return due ? 2 : 0;
  } catch (error) {
    if (error instanceof ConfigError || error instanceof UsageError) return fail(error.message);
    return fail(`expiry failed unexpectedly: ${(error as Error).message}`);
  }
}

if (require.main === module) process.exitCode = expiryCli(process.argv.slice(2));
