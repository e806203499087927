// `npm run expiry -- --stack dev [--within DAYS] [--since-merge [--grace 24h]] [--json] [--today YYYY-MM-DD | --now ISO] [--dir PATH]`
//
// Which tokens of Pulumi.<stack>.yaml expire soon, what they feed, and which retiring generations may
// be removed. Offline: reads the stack file (and, with --since-merge, the git history), never GitLab.
// Exit 0 when nothing is due, 2 when a token expires within the window (or has expired) or a retiring
// generation may be removed, 1 on error.

import { systemClock, type Clock } from "../config/clock";
import { FlagError, parseDayCount, UsageError } from "../config/expiry";
import { ConfigError } from "../config/issues";
import { DEFAULT_GRACE, parseGrace } from "../config/rotation";
import { usageError, type CommandSpec } from "../lib/command/commandLine";
import { commandOutput, CONSOLE, parseStackCommand, runCommand, STACK_OPTIONS, type CliOutput } from "../lib/command/stackCommand";
import { expiryOfStack } from "../lib/rotation/expiryOfStack";
import { SINCE_MERGE_OPTIONS } from "../lib/rotation/mergedAt";

export const EXPIRY: CommandSpec = {
  name: "expiry",
  usage: ["-- --stack <name> [--within <days>] [--since-merge [--grace <duration>]] [--json] [--today YYYY-MM-DD | --now <ISO date-time>] [--dir <folder>]"],
  summary: [
    "Lists each token's expiry, days left and consumers, each retiring generation, what is due and the command",
    "that does it. A token is due once it expires within the window (or has expired), a retiring generation once",
    "past its revokeAfter (or expired). Offline: reads the stack file, never GitLab. The schedule's alarm.",
  ].join("\n"),
  options: {
    ...STACK_OPTIONS,
    within: { type: "string", value: "<days>", description: "the window: a token is due when it expires within this many days, 0 to 400 (default: the stack's expiryWarningDays)", example: "--within 14" },
    ...SINCE_MERGE_OPTIONS,
    grace: { type: "string", value: "<duration>", description: `with --since-merge: how long after the merge a pipeline may still hold the retiring token, in m, h or d (default ${DEFAULT_GRACE})`, example: "--grace 2d" },
    json: { type: "boolean", description: "print one JSON object instead of the tables: {stack, stackFile, now, today, within, due, tokens} (README.md, Rotation)" },
  },
  examples: ["npm run expiry -- --stack dev", "npm run expiry -- --stack dev --within 14 --json", "npm run expiry -- --stack dev --since-merge"],
  exitCodes: "0 nothing is due; 2 something is due (a token to rotate, a retiring generation to remove): the scheduled job fails, which is the alert; 1 an error, a usage error included.",
};

/** Runs the command; returns its exit code. Exported so that tests can run it in-process. */
export function expiryCli(argv: readonly string[], output: CliOutput = CONSOLE, clock: Clock = systemClock): number {
  // Nothing printed here is a token value, but a token pasted into a name would be: never echo one.
  const { print, fail, redacted } = commandOutput(output);
  const line = parseStackCommand(EXPIRY, argv, redacted, clock);
  if (typeof line === "number") return line;
  const values = line.values as { within?: string; grace?: string; "since-merge"?: boolean; json?: boolean };

  try {
    if (values.grace !== undefined && !values["since-merge"]) throw new FlagError("--grace counts from the merge, which only --since-merge reads. Fix: add --since-merge, or drop --grace");
    const grace = values.grace ?? DEFAULT_GRACE;
    const { text, due } = expiryOfStack({
      dir: line.dir,
      stack: line.stack,
      now: line.clock.now(),
      withinDays: values.within === undefined ? undefined : parseDayCount("--within", values.within, 0),
      ...(values["since-merge"] && { sinceMerge: { graceMs: parseGrace(grace), grace } }),
      json: values.json,
    });
    print(text);
    return due ? 2 : 0;
  } catch (error) {
    if (error instanceof FlagError) return usageError(EXPIRY, error.message, redacted);
    if (error instanceof ConfigError || error instanceof UsageError) return fail(error.message);
    return fail(`expiry failed unexpectedly: ${(error as Error).message}`);
  }
}

if (require.main === module) runCommand("expiry", () => expiryCli(process.argv.slice(2)));
