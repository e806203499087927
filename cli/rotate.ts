// `npm run rotate -- --stack dev [--within DAYS | --token NAME] [--lifetime DAYS] [--grace 24h] [--today … | --now …] [--dir PATH]`
// `npm run rotate -- --stack dev --cleanup [--today … | --now …] [--dir PATH]`
//
// Writes a rotation into Pulumi.<stack>.yaml, as README.md's "Rotation" describes it by hand: each due
// token's expiresAt moves under `retiring` with a revokeAfter, and gets a new expiresAt. `--cleanup`
// removes retiring blocks past their revokeAfter. The rest of the file is left byte for byte; the result
// must pass the program's own validation, or nothing is written. Exit 0 when done or when nothing is
// due (file untouched), 1 on any error or refusal (file untouched).

import { systemClock, type Clock } from "../config/clock";
import { resolveNow, UsageError } from "../config/expiry";
import { ConfigError } from "../config/issues";
import { commandOutput, CONSOLE, parseStackCommand, STACK_FILE_OPTIONS, type CliOutput } from "../lib/command/stackCommand";
import { rotateStack } from "../lib/rotation/rotateStack";

const USAGE = [
  "usage: npm run rotate -- --stack <name> [--within <days> | --token <name or project:name>] [--lifetime <days>] [--grace <90m|24h|2d>] [--today YYYY-MM-DD | --now <ISO date-time>] [--dir <folder with Pulumi.yaml>]",
  "       npm run rotate -- --stack <name> --cleanup [--today YYYY-MM-DD | --now <ISO date-time>] [--dir <folder with Pulumi.yaml>]",
].join("\n");

/** Runs the command; returns its exit code. Exported so that tests can run it in-process. */
export function rotateCli(argv: readonly string[], output: CliOutput = CONSOLE, clock: Clock = systemClock): number {
  // Nothing printed here is a token value, but a token pasted into a name would be: never echo one.
  const { print, fail, redacted } = commandOutput(output);
  const flags = parseStackCommand(argv, { ...STACK_FILE_OPTIONS, within: { type: "string" }, token: { type: "string" }, lifetime: { type: "string" }, grace: { type: "string" }, cleanup: { type: "boolean" } }, USAGE, redacted);
  if (typeof flags === "number") return flags;
  if (flags.within !== undefined && flags.token !== undefined) return fail("pass --within or --token, not both: --token rotates that token whether it is due or not");
  const rotationOnly = (["within", "token", "lifetime", "grace"] as const).filter((flag) => flags[flag] !== undefined);
  if (flags.cleanup && rotationOnly.length > 0) return fail(`--cleanup removes retiring generations past revokeAfter and rotates nothing: drop ${rotationOnly.map((flag) => `--${flag}`).join(", ")}`);

  try {
    const outcome = rotateStack({ ...flags, now: resolveNow(flags, clock) });
    if ("refusal" in outcome) return fail(outcome.refusal);
    for (const line of outcome.lines) print(line);
    return 0;
  } catch (error) {
    if (error instanceof ConfigError || error instanceof UsageError) return fail(error.message);
    return fail(`rotate failed unexpectedly: ${(error as Error).message}`);
  }
}

if (require.main === module) process.exitCode = rotateCli(process.argv.slice(2));
