// What `npm run expiry` reports for one stack file: each token's expiry, days left and consumers, each
// retiring generation's revokeAfter, what is due and the rotate command for it, as text or JSON. The
// rules are config/expiry.ts's; this reads the file and lays the answer out.

import { utcDate } from "../../config/dates";
import { describeDaysLeft, expiryReport, formatInstant, type ExpiryReport, type SinceMerge, type TokenExpiry } from "../../config/expiry";
import { validateStackConfig } from "../../config/validate";
import { count, table } from "../command/reportText";
import { readStackDocument } from "../stackFile/stackDocument";
import { retiringMergeTimes } from "./mergedAt";

export interface ExpiryRequest {
  /** The folder holding Pulumi.yaml and the stack file; the working directory when absent. */
  readonly dir?: string;
  readonly stack: string;
  /** The instant to judge from. */
  readonly now: Date;
  /** `--within`: the window in days (the stack's expiryWarningDays when absent). */
  readonly withinDays?: number;
  /** `--since-merge`: count each retiring generation's grace from its merge too, this long (`--grace`). */
  readonly sinceMerge?: { readonly graceMs: number; readonly grace: string };
  /** One JSON object instead of the tables. */
  readonly json?: boolean;
}

/**
 * The report to print and whether anything is due. Throws a UsageError for an unreadable file (or a
 * git that cannot tell, with --since-merge), a ConfigError for an invalid config. A token that has
 * expired is not an error: it is due.
 */
export function expiryOfStack(request: ExpiryRequest): { readonly text: string; readonly due: boolean } {
  const dir = request.dir ?? process.cwd();
  const stack = readStackDocument(dir, request.stack, "expiry");
  const settings = validateStackConfig(stack.raw, { today: utcDate(request.now), configFile: stack.fileName });
  const sinceMerge: SinceMerge | undefined = request.sinceMerge && retiringMergeTimes(dir, stack.tokens.fileName, settings, request.sinceMerge.graceMs);
  const report = expiryReport(settings, request.now, request.withinDays ?? settings.expiryWarningDays, sinceMerge);
  const context = { stack: request.stack, stackFile: stack.fileName, now: formatInstant(request.now) };
  const text = request.json
    ? JSON.stringify({ ...context, today: report.today, within: report.withinDays, due: report.due, tokens: report.tokens }, null, 2)
    : renderReport(report, context, rotateCommands(request), request.sinceMerge?.grace);
  return { text, due: report.due };
}

/** The rotate commands matching this run's stack, window, grace and folder. */
function rotateCommands(request: ExpiryRequest): RotateCommands {
  const dir = request.dir === undefined ? [] : ["--dir", request.dir];
  const merge = request.sinceMerge ? ["--since-merge", "--grace", request.sinceMerge.grace] : [];
  const stack = ["npm run rotate -- --stack", request.stack];
  return {
    rotate: [...stack, ...(request.withinDays === undefined ? [] : ["--within", String(request.withinDays)]), ...merge, ...dir].join(" "),
    cleanup: [...stack, "--cleanup", ...merge, ...dir].join(" "),
  };
}

interface RotateCommands {
  /** Rotates the tokens due in this run's window. */
  readonly rotate: string;
  /** Removes the retiring generations past revokeAfter. */
  readonly cleanup: string;
}

const consumerName = (consumer: TokenExpiry["consumers"][number]) => `${consumer.project}:${consumer.key}${consumer.environmentScope === "*" ? "" : `[${consumer.environmentScope}]`}`;

function renderReport(report: ExpiryReport, context: { readonly stack: string; readonly stackFile: string; readonly now: string }, commands: RotateCommands, grace: string | undefined): string {
  const retiring = report.tokens.filter((token): token is TokenExpiry & { retiring: NonNullable<TokenExpiry["retiring"]> } => token.retiring !== null);
  const yesNo = (flag: boolean) => (flag ? "yes" : "no");
  const lines = [
    `Expiry of stack ${context.stack} (${context.stackFile}) as of ${context.now}: a token is due when it expires within ${report.withinDays} days`,
    "",
    `Tokens (${report.tokens.length})`,
    // One consumer per line: a token feeding many projects would make one unreadable cell.
    ...table(
      ["PROJECT", "NAME", "EXPIRES", "LEFT", "DUE", "CONSUMERS"],
      report.tokens.flatMap((token) => {
        const [first = "", ...others] = token.consumers.map(consumerName);
        return [[token.project, token.name, token.expiresAt, describeDaysLeft(token.daysLeft), yesNo(token.due), first], ...others.map((consumer) => ["", "", "", "", "", consumer])];
      }),
    ),
    "",
    grace === undefined
      ? `Retiring generations (${retiring.length}): due once past revokeAfter (or expired)`
      : `Retiring generations (${retiring.length}): due once past revokeAfter and ${grace} after the merge that brought it (or expired)`,
    ...table(
      ["PROJECT", "NAME", "EXPIRES", "REVOKE AFTER", ...(grace === undefined ? [] : ["MERGED", "DUE FROM"]), "DUE"],
      retiring.map((token) => [
        token.project,
        token.name,
        token.retiring.expiresAt,
        token.retiring.revokeAfter,
        ...(grace === undefined ? [] : [token.retiring.mergedAt ?? "not yet", token.retiring.revocableFrom]),
        yesNo(token.retiring.revocable),
      ]),
    ),
    "",
    summary(report, commands, grace),
  ];
  return lines.join("\n");
}

/** One line saying what is due, then the command for each kind of work. */
function summary(report: ExpiryReport, commands: RotateCommands, grace: string | undefined): string {
  if (!report.due) {
    return `Nothing due: no token expires within ${report.withinDays} days and no retiring generation is past revokeAfter${grace === undefined ? "" : ` and ${grace} after its merge`}.`;
  }
  const rotating = report.tokens.filter((token) => token.due);
  const expired = rotating.filter((token) => token.expired).length;
  const removable = report.tokens.filter((token) => token.retiring?.revocable).length;
  const work = [
    ...(rotating.length > 0 ? [{ what: `${count(rotating.length, "token")} to rotate${expired > 0 ? ` (${expired} already expired)` : ""}`, command: commands.rotate }] : []),
    ...(removable > 0 ? [{ what: `${count(removable, "retiring generation")} to remove`, command: commands.cleanup }] : []),
  ];
  return [`Due: ${work.map((item) => item.what).join(", ")}.`, ...work.map((item) => `  ${item.command}`), "Then review the change and merge it: pulumi up applies it."].join("\n");
}
