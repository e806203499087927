// `npm run plan -- --stack dev [--today YYYY-MM-DD] [--dir PATH]`
//
// The offline main job: evaluates the real program for Pulumi.<stack>.yaml under the Pulumi SDK's mock
// runtime (no Pulumi CLI, no GitLab, no credentials) and prints what the stack declares, read off what
// the program registered. Exit 0 when the config is valid, 1 with the validation error otherwise.

import { fixedClock, systemClock, today as todayOf } from "../config/clock";
import { isIsoDate } from "../config/dates";
import { commandOutput, CONSOLE, parseStackCommand, runCommand, type CliOutput } from "../lib/command/stackCommand";
import { generationMarker, renderPlan } from "../lib/evaluation/planReport";
import { evaluateStackFile, type StackEvaluation } from "../lib/evaluation/stackEvaluation";
import { stackFileName } from "../lib/stackFile/offlineConfig";

const USAGE = "usage: npm run plan -- --stack <name> [--today YYYY-MM-DD] [--dir <folder with Pulumi.yaml>]";

/** Runs the command with `argv`, printing through `output`; returns its exit code. In-process for tests. */
export async function planCommand(argv: readonly string[], output: CliOutput = CONSOLE): Promise<number> {
  const plan = await planReportOf(argv, output, USAGE, "plan");
  if (typeof plan === "number") return plan;
  commandOutput(output).redacted.out(plan.report);
  return 0;
}

/**
 * Reads `--stack`, `--today` and `--dir`, evaluates the stack and renders its plan report (plan and
 * plan-comment print it); the exit code instead, once the reason has been printed.
 */
export async function planReportOf(argv: readonly string[], output: CliOutput, usage: string, tool: string): Promise<{ readonly stack: string; readonly report: string } | number> {
  const { fail, redacted: out } = commandOutput(output);
  const values = parseStackCommand(argv, { stack: { type: "string" }, today: { type: "string" }, dir: { type: "string" } }, usage, out);
  if (typeof values === "number") return values;
  if (values.today !== undefined && !isIsoDate(values.today)) return fail(`--today must be a date like 2026-11-25, got ${JSON.stringify(values.today)}`);

  const clock = values.today ? fixedClock(values.today) : systemClock;
  let stackEvaluation: StackEvaluation;
  try {
    stackEvaluation = await evaluateStackFile({ dir: values.dir ?? process.cwd(), stack: values.stack, clock, tokenValue: generationMarker, tool });
  } catch (error) {
    return fail((error as Error).message);
  }
  const { project, evaluation } = stackEvaluation;
  if (evaluation.error) return fail(evaluation.error);
  return { stack: values.stack, report: renderPlan(evaluation, { project, stack: values.stack, stackFile: stackFileName(values.stack), today: todayOf(clock) }) };
}

if (require.main === module) runCommand("plan", () => planCommand(process.argv.slice(2)));
