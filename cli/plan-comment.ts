// `npm run plan-comment -- --stack dev [--today YYYY-MM-DD] [--dir PATH]`
//
// The merge-request note for a pipeline without Pulumi credentials: `npm run plan`'s report under the
// preview note's markers (see planNote.ts). Exit 0 with the note on stdout; 1 with a one-line error
// (the config's validation message included) on stderr.

import { commandOutput, CONSOLE, runCommand, type CliOutput } from "../lib/command/stackCommand";
import { planReportOf } from "./plan";
import { renderPlanNote } from "../lib/mergeRequest/planNote";

const USAGE = "usage: npm run plan-comment -- --stack <name> [--today YYYY-MM-DD] [--dir <folder with Pulumi.yaml>]";

/** Runs the command with `argv`, printing through `output`; returns its exit code. In-process for tests. */
export async function planCommentCommand(argv: readonly string[], output: CliOutput = CONSOLE): Promise<number> {
  const plan = await planReportOf(argv, output, USAGE, "plan-comment");
  if (typeof plan === "number") return plan;
  // The note ends with a newline, which out() adds back.
  commandOutput(output).redacted.out(renderPlanNote(plan.report, { stack: plan.stack }).replace(/\n$/, ""));
  return 0;
}

if (require.main === module) runCommand("plan-comment", () => planCommentCommand(process.argv.slice(2)));
