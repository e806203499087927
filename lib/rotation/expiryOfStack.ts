// What `npm run expiry` reports for one stack file: each token's expiry, days left and consumers, each
// retiring generation's revokeAfter, what is due and the rotate command for it, as text or JSON. The
// rules are config/expiry.ts's; this reads the file and lays the answer out.

import { utcDate } from "../../config/dates";
import { describeDaysLeft, expiryReport, parseDayCount, validateAllowingExpired, type ExpiryReport, type TokenExpiry } from "../../config/expiry";
import { formatInstant } from "../../config/rotation";
import { count, table } from "../command/reportText";
import { readStackDocument } from "../stackFile/stackDocument";

export interface ExpiryRequest {
  /** The folder holding Pulumi.yaml and the stack file; the working directory when absent. */
  readonly dir?: string;
  readonly stack: string;
  /** The instant to judge from. */
  readonly now: Date;
  /** `--within`, as given: the window in days (the stack's expiryWarningDays when absent). */
  readonly within?: string;
  /** One JSON object instead of the tables. */
  readonly json?: boolean;
}

/**
 * The report to print and whether anything is due. Throws a UsageError for a bad --within or an
 * unreadable file, a ConfigError for an invalid config (an expired token alone is still reported).
 */
export function expiryOfStack(request: ExpiryRequest): { readonly text: string; readonly due: boolean } {
  const within = request.within === undefined ? undefined : parseDayCount("--within", request.within, 0);
  const stack = readStackDocument(request.dir ?? process.cwd(), request.stack, "expiry");
  const settings = validateAllowingExpired(stack.raw, { today: utcDate(request.now), configFile: stack.fileName });
  const report = expiryReport(settings, request.now, within ?? settings.expiryWarningDays);
  const context = { stack: request.stack, stackFile: stack.fileName, now: formatInstant(request.now) };
  const text = request.json
    ? JSON.stringify({ ...context, today: report.today, within: report.withinDays, due: report.due, tokens: report.tokens }, null, 2)
    : renderReport(report, context, rotateCommands(request));
  return { text, due: report.due };
}

/** The rotate commands matching this run's stack, window and folder. */
function rotateCommands(flags: Pick<ExpiryRequest, "stack" | "dir" | "within">): RotateCommands {
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
