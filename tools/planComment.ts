// `npm run plan-comment -- --stack dev [--today YYYY-MM-DD] [--dir PATH]`
//
// The merge-request note for a pipeline without Pulumi credentials: `npm run plan`'s report under the
// preview note's markers (see planNote.ts). Exit 0 with the note on stdout; 1 with a one-line error
// (the config's validation message included) on stderr.

import { fixedClock, systemClock, today as todayOf } from "../config/clock";
import { isIsoDate } from "../config/dates";
import { commandOutput, CONSOLE, parseStackCommand, runCommand, type CliOutput } from "./cli";
import { renderPlanNote } from "./planNote";
import { generationMarker, renderPlan } from "./planReport";
import { evaluateStackFile } from "./stackEvaluation";
import { stackFileName } from "./stackFiles";

const USAGE = "usage: npm run plan-comment -- --stack <name> [--today YYYY-MM-DD] [--dir <folder with Pulumi.yaml>]";

/** Runs the command with `argv`, printing through `output`; returns its exit code. In-process for tests. */
export async function planCommentCommand(argv: readonly string[], output: CliOutput = CONSOLE): Promise<number> {
  const { fail, redacted: out } = commandOutput(output);
  const values = parseStackCommand(argv, { stack: { type: "string" }, today: { type: "string" }, dir: { type: "string" } }, USAGE, out);
  if (typeof values === "number") return values;
  if (values.today !== undefined && !isIsoDate(values.today)) return fail(`--today must be a date like 2026-11-25, got ${JSON.stringify(values.today)}`);
  const clock = values.today ? fixedClock(values.today) : systemClock;
  try {
    const { project, evaluation } = await evaluateStackFile({ dir: values.dir ?? process.cwd(), stack: values.stack, clock, tokenValue: generationMarker, tool: "plan-comment" });
    if (evaluation.error) return fail(evaluation.error);
    const report = renderPlan(evaluation, { project, stack: values.stack, stackFile: stackFileName(values.stack), today: todayOf(clock) });
    // The note ends with a newline, which out() adds back.
    out.out(renderPlanNote(report, { stack: values.stack }).replace(/\n$/, ""));
    return 0;
  } catch (error) {
    return fail((error as Error).message);
  }
}


if (require.main === module) runCommand("plan-comment", () => planCommentCommand(process.argv.slice(2)));
