// `npm run rotate -- --stack dev [--within DAYS | --token NAME] [--lifetime DAYS] [--grace 24h] [--since-merge] [--today … | --now …] [--dir PATH]`
// `npm run rotate -- --stack dev --cleanup [--since-merge [--grace 24h]] [--today … | --now …] [--dir PATH]`
//
// Writes a rotation into Pulumi.<stack>.yaml, as README.md's "Rotation" describes it by hand: each due
// token's expiresAt moves under `retiring` with a revokeAfter, and gets a new expiresAt. `--cleanup`
// removes retiring blocks past their revokeAfter. The rest of the file is left byte for byte; the result
// must pass the program's own validation, or nothing is written. A token that cannot be rotated is
// reported and the others are rotated. Exit 0 when done or when nothing is due; 1 when anything could
// not be done (said on stderr; what could be done is written) or on an error (file untouched).

import { systemClock, type Clock } from "../config/clock";
import { FlagError, parseDayCount, UsageError } from "../config/expiry";
import { ConfigError } from "../config/issues";
import { DEFAULT_GRACE, DEFAULT_LIFETIME_DAYS, parseGrace } from "../config/rotation";
import { usageError, type CommandSpec } from "../lib/command/commandLine";
import { commandOutput, CONSOLE, parseStackCommand, runCommand, STACK_OPTIONS, type CliOutput } from "../lib/command/stackCommand";
import { rotateStack } from "../lib/rotation/rotateStack";
import { SINCE_MERGE_OPTIONS } from "../lib/rotation/mergedAt";

export const ROTATE: CommandSpec = {
  name: "rotate",
  usage: [
    "-- --stack <name> [--within <days> | --token <name or project:name>] [--lifetime <days>] [--grace <duration>] [--since-merge] [--today YYYY-MM-DD | --now <ISO date-time>] [--dir <folder>]",
    "-- --stack <name> --cleanup [--since-merge [--grace <duration>]] [--today YYYY-MM-DD | --now <ISO date-time>] [--dir <folder>]",
  ],
  summary: [
    "Writes a rotation into Pulumi.<name>.yaml for each due token (README.md, Rotation): its expiresAt moves under",
    "retiring with a revokeAfter, and it gets a new expiresAt; an expired token just gets a new date. With --cleanup,",
    "removes the retiring blocks that may go. Only those spots are edited; the result must pass the program's",
    "validation. A token that cannot be changed is said and left; the others are done. Then review and merge.",
  ].join("\n"),
  options: {
    ...STACK_OPTIONS,
    within: { type: "string", value: "<days>", description: "rotate every token expiring within this many days, 0 to 400 (default: the stack's expiryWarningDays)", example: "--within 14" },
    token: { type: "string", value: "<name>", description: "rotate this token only, due or not: its name, or project:name when two projects have one of that name", example: "--token GITLAB_CI_PUSHER" },
    lifetime: { type: "string", value: "<days>", description: `days from today to the new expiresAt, 1 to 400 (default ${DEFAULT_LIFETIME_DAYS}, at most gitlab.maxTokenLifetimeDays)`, example: "--lifetime 60" },
    grace: {
      type: "string",
      value: "<duration>",
      description: `how long pipelines that read the old token may still use it, in m, h or d: revokeAfter = now + grace, and with --since-merge also the wait after a merge (default ${DEFAULT_GRACE})`,
      example: "--grace 2d",
    },
    ...SINCE_MERGE_OPTIONS,
    cleanup: { type: "boolean", description: "remove the retiring blocks past their revokeAfter (or expired) instead of rotating: a rotation's second merge request" },
  },
  examples: ["npm run rotate -- --stack dev", "npm run rotate -- --stack dev --token GITLAB_CI_PUSHER --lifetime 60", "npm run rotate -- --stack dev --cleanup"],
  exitCodes: "0 done, or nothing due (the file untouched); 1 a token could not be changed (the others are written), an error (nothing written), or a usage error.",
};

/** Runs the command; returns its exit code. Exported so that tests can run it in-process. */
export function rotateCli(argv: readonly string[], output: CliOutput = CONSOLE, clock: Clock = systemClock): number {
  // Nothing printed here is a token value, but a token pasted into a name would be: never echo one.
  const { print, fail, redacted } = commandOutput(output);
  const line = parseStackCommand(ROTATE, argv, redacted, clock);
  if (typeof line === "number") return line;
  const values = line.values as { within?: string; token?: string; lifetime?: string; grace?: string; "since-merge"?: boolean; cleanup?: boolean };

  try {
    if (values.within !== undefined && values.token !== undefined) throw new FlagError("--within and --token are both given. Fix: pass one: --token rotates that token whether it is due or not");
    const rotationOnly = (["within", "token", "lifetime"] as const).filter((flag) => values[flag] !== undefined);
    if (values.cleanup && rotationOnly.length > 0) {
      throw new FlagError(`--cleanup removes retiring generations and rotates nothing. Fix: drop ${rotationOnly.map((flag) => `--${flag}`).join(", ")}`);
    }
    if (values.cleanup && values.grace !== undefined && !values["since-merge"]) throw new FlagError("with --cleanup, --grace counts from the merge, which only --since-merge reads. Fix: add --since-merge, or drop --grace");
    const outcome = rotateStack({
      dir: line.dir,
      stack: line.stack,
      now: line.clock.now(),
      cleanup: values.cleanup,
      withinDays: values.within === undefined ? undefined : parseDayCount("--within", values.within, 0),
      token: values.token,
      lifetimeDays: values.lifetime === undefined ? undefined : parseDayCount("--lifetime", values.lifetime, 1),
      graceMs: values.grace === undefined ? undefined : parseGrace(values.grace),
      sinceMerge: values["since-merge"],
    });
    for (const said of outcome.lines) print(said);
    for (const refusal of outcome.refusals) redacted.err(refusal);
    return outcome.refusals.length > 0 ? 1 : 0;
  } catch (error) {
    if (error instanceof FlagError) return usageError(ROTATE, error.message, redacted);
    if (error instanceof ConfigError || error instanceof UsageError) return fail(error.message);
    return fail(`rotate failed unexpectedly: ${(error as Error).message}`);
  }
}

if (require.main === module) runCommand("rotate", () => rotateCli(process.argv.slice(2)));
