// `npm run expiry -- --stack dev [--within DAYS] [--json] [--today YYYY-MM-DD | --now ISO] [--dir PATH]`
//
// Which tokens of Pulumi.<stack>.yaml expire soon, what they feed, and which retiring generations may
// be removed. Offline: reads the stack file, never GitLab. Exit 0 when nothing is due, 2 when a token
// expires within the window (or has expired) or a retiring generation is past revokeAfter, 1 on error.

import { systemClock, type Clock } from "../config/clock";
import { utcDate } from "../config/dates";
import { describeDaysLeft, expiryReport, parseDayCount, resolveNow, UsageError, validateAllowingExpired, type ExpiryReport, type TokenExpiry } from "../config/expiry";
import { ConfigError } from "../config/issues";
import { formatInstant } from "../config/rotation";
import { commandOutput, CONSOLE, parseStackCommand, STACK_FILE_OPTIONS, type CliOutput } from "../lib/command/stackCommand";
import { readStackDocument } from "../lib/stackFile/stackDocument";

const USAGE = "usage: npm run expiry -- --stack <name> [--within <days>] [--json] [--today YYYY-MM-DD | --now <ISO date-time>] [--dir <folder with Pulumi.yaml>]";

/** Runs the command; returns its exit code. Exported so that tests can run it in-process. */
export function expiryCli(argv: readonly string[], output: CliOutput = CONSOLE, clock: Clock = systemClock): number {
  // Nothing printed here is a token value, but a token pasted into a name would be: never echo one.
  const { print, fail, redacted } = commandOutput(output);
  const flags = parseStackCommand(argv, { ...STACK_FILE_OPTIONS, within: { type: "string" }, json: { type: "boolean" } }, USAGE, redacted);
  if (typeof flags === "number") return flags;

  try {
    const now = resolveNow(flags, clock);
    const within = flags.within === undefined ? undefined : parseDayCount("--within", flags.within, 0);
    const stack = readStackDocument(flags.dir ?? process.cwd(), flags.stack, "expiry");
    const settings = validateAllowingExpired(stack.raw, { today: utcDate(now), configFile: stack.fileName });
    const report = expiryReport(settings, now, within ?? settings.expiryWarningDays);
    const context = { stack: flags.stack, stackFile: stack.fileName, now: formatInstant(now) };
    print(flags.json ? JSON.stringify({ ...context, today: report.today, within: report.withinDays, due: report.due, tokens: report.tokens }, null, 2) : renderReport(report, context, rotateCommands(flags)));
    return report.due ? 2 : 0;
  } catch (error) {
    if (error instanceof ConfigError || error instanceof UsageError) return fail(error.message);
    return fail(`expiry failed unexpectedly: ${(error as Error).message}`);
  }
}

/** The rotate commands matching this run's stack, window and folder. */
function rotateCommands(flags: { readonly stack: string; readonly dir?: string; readonly within?: string }): RotateCommands {
  const dir = flags.dir === undefined ? [] : ["--dir", flags.dir];
  const stack = ["npm run rotate -- --stack", flags.stack];
  return {
    rotate: [...stack, ...(flags.within === undefined ? [] : ["--within", flags.within]), ...dir].join(" "),
    cleanup: [...stack, "--cleanup", ...dir].join(" "),
  };
}

interface RotateCommands {
  /** Rotates the tokens due in this run's window. */
  readonly rotate: string;
  /** Removes the retiring generations past revokeAfter. */
  readonly cleanup: string;
}

function renderReport(report: ExpiryReport, context: { readonly stack: string; readonly stackFile: string; readonly now: string }, commands: RotateCommands): string {
  const retiring = report.tokens.filter((token): token is TokenExpiry & { retiring: NonNullable<TokenExpiry["retiring"]> } => token.retiring !== null);
  const yesNo = (flag: boolean) => (flag ? "yes" : "no");
  const lines = [
    `Expiry of stack ${context.stack} (${context.stackFile}) as of ${context.now}: a token is due when it expires within ${report.withinDays} days`,
    "",
    `Tokens (${report.tokens.length})`,
    ...table(
      ["PROJECT", "NAME", "EXPIRES", "LEFT", "DUE", "CONSUMERS"],
      report.tokens.map((token) => [
        token.project,
        token.name,
        token.expiresAt,
        describeDaysLeft(token.daysLeft),
        yesNo(token.due),
        token.consumers.map((consumer) => `${consumer.project}:${consumer.key}${consumer.environmentScope === "*" ? "" : `[${consumer.environmentScope}]`}`).join(", "),
      ]),
    ),
    "",
    `Retiring generations (${retiring.length}): due once past revokeAfter (or expired)`,
    ...table(
      ["PROJECT", "NAME", "EXPIRES", "REVOKE AFTER", "DUE"],
      retiring.map((token) => [token.project, token.name, token.retiring.expiresAt, token.retiring.revokeAfter, yesNo(token.retiring.revocable)]),
    ),
    "",
    summary(report, commands),
  ];
  return lines.join("\n");
}

/** One line saying what is due, then the command for each kind of work. */
function summary(report: ExpiryReport, commands: RotateCommands): string {
  if (!report.due) return `Nothing due: no token expires within ${report.withinDays} days and no retiring generation is past revokeAfter.`;
  const rotating = report.tokens.filter((token) => token.due);
  const expired = rotating.filter((token) => token.expired).length;
  const removable = report.tokens.filter((token) => token.retiring?.revocable).length;
  const work = [
    ...(rotating.length > 0 ? [{ what: `${count(rotating.length, "token")} to rotate${expired > 0 ? ` (${expired} already expired)` : ""}`, command: commands.rotate }] : []),
    ...(removable > 0 ? [{ what: `${count(removable, "retiring generation")} to remove`, command: commands.cleanup }] : []),
  ];
  return [`Due: ${work.map((item) => item.what).join(", ")}.`, ...work.map((item) => `  ${item.command}`)].join("\n");
}

const count = (n: number, unit: string) => `${n} ${unit}${n === 1 ? "" : "s"}`;

/** Rows under a header, each column as wide as its widest cell, two spaces apart; "none" when empty. */
function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  if (rows.length === 0) return ["  none"];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  return [header, ...rows].map((row) => `  ${row.map((cell, column) => cell.padEnd(widths[column])).join("  ")}`.trimEnd());
}

if (require.main === module) process.exitCode = expiryCli(process.argv.slice(2));
