// `npm run rotate -- --stack dev [--within DAYS | --token NAME] [--lifetime DAYS] [--grace 24h] [--today … | --now …] [--dir PATH]`
// `npm run rotate -- --stack dev --cleanup [--today … | --now …] [--dir PATH]`
//
// Writes a rotation into Pulumi.<stack>.yaml, as README.md's "Rotation" describes it by hand: each due
// token's expiresAt moves under `retiring` with a revokeAfter, and gets a new expiresAt. `--cleanup`
// removes retiring blocks past their revokeAfter. The rest of the file is left byte for byte; the result
// must pass the program's own validation, or nothing is written. Exit 0 when done or when nothing is
// due (file untouched), 1 on any error or refusal (file untouched).

import { writeFileSync } from "node:fs";
import { systemClock, type Clock } from "../config/clock";
import { utcDate } from "../config/dates";
import { parseDayCount, resolveNow, UsageError, validateAllowingExpired } from "../config/expiry";
import { ConfigError } from "../config/issues";
import { parseGrace, planCleanup, planRotation, type RotationPlan } from "../config/rotation";
import { validateStackConfig } from "../config/validate";
import { commandOutput, CONSOLE, parseStackCommand, STACK_FILE_OPTIONS, type CliOutput } from "../lib/command/stackCommand";
import { configMapOf, editPushTokens, rawStackConfig, readStackDocument } from "../lib/stackFile/stackDocument";

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
    const now = resolveNow(flags, clock);
    const today = utcDate(now);
    const request = {
      now,
      withinDays: flags.within === undefined ? undefined : parseDayCount("--within", flags.within, 0),
      token: flags.token,
      lifetimeDays: flags.lifetime === undefined ? undefined : parseDayCount("--lifetime", flags.lifetime, 1),
      graceMs: flags.grace === undefined ? undefined : parseGrace(flags.grace),
    };
    const stack = readStackDocument(flags.dir ?? process.cwd(), flags.stack, "rotate");
    const settings = validateAllowingExpired(stack.raw, { today, configFile: stack.fileName });
    const plan: RotationPlan = flags.cleanup ? planCleanup(settings, now) : planRotation(settings, request);

    if (plan.refusals.length > 0) return fail([...plan.refusals, `${stack.fileName} was not changed.`].join("\n"));
    if (plan.changes.length === 0) {
      print(
        flags.cleanup
          ? `Nothing to clean up: no retiring generation in ${stack.fileName} is past its revokeAfter; the file is unchanged.`
          : `Nothing to rotate: no token in ${stack.fileName} expires within ${request.withinDays ?? settings.expiryWarningDays} days of ${today}; the file is unchanged.`,
      );
      return 0;
    }

    const edited = editPushTokens(stack, plan.changes);
    try {
      validateStackConfig(rawStackConfig(stack.project, configMapOf(edited, stack.fileName), "rotate"), { today, configFile: stack.fileName });
    } catch (error) {
      if (error instanceof ConfigError) return fail(`${stack.fileName} was not changed: the result would not pass validation.\n${error.message}`);
      throw error;
    }
    writeFileSync(stack.file, edited);

    for (const change of plan.changes) print(change.summary);
    const what = flags.cleanup ? `${count(plan.changes.length, "retiring generation")} removed` : `${count(plan.changes.length, "token")} rotated`;
    print(`Updated ${stack.fileName} (${what}). Review the diff and let pulumi preview confirm it before merging.`);
    return 0;
  } catch (error) {
    if (error instanceof ConfigError || error instanceof UsageError) return fail(error.message);
    return fail(`rotate failed unexpectedly: ${(error as Error).message}`);
  }
}

const count = (n: number, unit: string) => `${n} ${unit}${n === 1 ? "" : "s"}`;

if (require.main === module) process.exitCode = rotateCli(process.argv.slice(2));
