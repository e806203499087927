// `npm run plan-comment -- --stack dev [--today YYYY-MM-DD] [--dir PATH]`
//
// The merge-request note for a pipeline without Pulumi credentials: `npm run plan`'s report under the
// preview note's markers (lib/mergeRequest/planNote.ts). Exit 0 with the note on stdout; 1 with a
// one-line error (the config's validation message included) on stderr.

import { commandOutput, CONSOLE, EVALUATION_OPTIONS, parseStackCommand, runCommand, type CliOutput } from "../lib/command/stackCommand";
import { stackPlan } from "../lib/evaluation/stackPlan";
import { renderPlanNote } from "../lib/mergeRequest/planNote";

const USAGE = "usage: npm run plan-comment -- --stack <name> [--today YYYY-MM-DD] [--dir <folder with Pulumi.yaml>]";

/** Runs the command with `argv`, printing through `output`; returns its exit code. In-process for tests. */
export async function planCommentCommand(argv: readonly string[], output: CliOutput = CONSOLE): Promise<number> {
  const { fail, redacted } = commandOutput(output);
  const flags = parseStackCommand(argv, EVALUATION_OPTIONS, USAGE, redacted);
  if (typeof flags === "number") return flags;
  const plan = await stackPlan({ dir: flags.dir ?? process.cwd(), stack: flags.stack, today: flags.today, tool: "plan-comment" });
  if ("error" in plan) return fail(plan.error);
  // The note ends with a newline, which out() adds back.
  redacted.out(renderPlanNote(plan.report, { stack: flags.stack }).replace(/\n$/, ""));
  return 0;
}

if (require.main === module) runCommand("plan-comment", () => planCommentCommand(process.argv.slice(2)));
