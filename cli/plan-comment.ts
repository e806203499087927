// `npm run plan-comment -- --stack dev [--today YYYY-MM-DD | --now ISO] [--dir PATH]`
//
// The merge-request note for a pipeline without Pulumi credentials: `npm run plan`'s report under the
// preview note's markers (lib/mergeRequest/planNote.ts). Exit 0 with the note on stdout; 1 with a
// one-line error (the config's validation message included) on stderr.

import { systemClock, type Clock } from "../config/clock";
import type { CommandSpec } from "../lib/command/commandLine";
import { commandOutput, CONSOLE, parseStackCommand, runCommand, STACK_OPTIONS, type CliOutput } from "../lib/command/stackCommand";
import { stackPlan } from "../lib/evaluation/stackPlan";
import { renderPlanNote } from "../lib/mergeRequest/planNote";

export const PLAN_COMMENT: CommandSpec = {
  name: "plan-comment",
  usage: ["-- --stack <name> [--today YYYY-MM-DD | --now <ISO date-time>] [--dir <folder>]"],
  summary: [
    "Writes the merge-request note of a pipeline that has no Pulumi credentials (a fork's): npm run plan's",
    "report, evaluated offline, under the preview note's marker lines, so that mr-note posts it in the same place.",
  ].join("\n"),
  options: STACK_OPTIONS,
  examples: ["npm run plan-comment -- --stack dev > comment.md"],
  exitCodes: "0 the note is on stdout; 1 the config is invalid (the errors on stderr), or a usage error.",
};

/** Runs the command with `argv`, printing through `output`; returns its exit code. In-process for tests. */
export async function planCommentCommand(argv: readonly string[], output: CliOutput = CONSOLE, clock: Clock = systemClock): Promise<number> {
  const { fail, redacted } = commandOutput(output);
  const line = parseStackCommand(PLAN_COMMENT, argv, redacted, clock);
  if (typeof line === "number") return line;
  const plan = await stackPlan({ dir: line.dir, stack: line.stack, clock: line.clock, tool: "plan-comment", ...(redacted.progress && { progress: redacted.progress }) });
  if ("error" in plan) return fail(plan.error);
  // The note ends with a newline, which out() adds back.
  redacted.out(renderPlanNote(plan.report, { stack: line.stack }).replace(/\n$/, ""));
  return 0;
}

if (require.main === module) runCommand("plan-comment", () => planCommentCommand(process.argv.slice(2)));
