// `npm run plan -- --stack dev [--today YYYY-MM-DD] [--dir PATH]`
//
// The offline main job: evaluates the real program for Pulumi.<stack>.yaml under the Pulumi SDK's mock
// runtime (no Pulumi CLI, no GitLab, no credentials) and prints what the stack declares, read off what
// the program registered. Exit 0 when the config is valid, 1 with the validation error otherwise.

import { fixedClock, systemClock, today as todayOf } from "../config/clock";
import { isIsoDate } from "../config/dates";
import { CONSOLE, parseStackCommand, runCommand } from "./cli";
import { generationMarker, renderPlan } from "./planReport";
import { evaluateStackFile, type StackEvaluation } from "./stackEvaluation";
import { stackFileName } from "./stackFiles";

const USAGE = "usage: npm run plan -- --stack <name> [--today YYYY-MM-DD] [--dir <folder with Pulumi.yaml>]";

async function main(argv: string[]): Promise<number> {
  const values = parseStackCommand(argv, { stack: { type: "string" }, today: { type: "string" }, dir: { type: "string" } }, USAGE, CONSOLE);
  if (typeof values === "number") return values;
  if (values.today !== undefined && !isIsoDate(values.today)) return fail(`--today must be a date like 2026-11-25, got ${JSON.stringify(values.today)}`);

  const clock = values.today ? fixedClock(values.today) : systemClock;
  let stackEvaluation: StackEvaluation;
  try {
    stackEvaluation = await evaluateStackFile({ dir: values.dir ?? process.cwd(), stack: values.stack, clock, tokenValue: generationMarker, tool: "plan" });
  } catch (error) {
    return fail((error as Error).message);
  }
  const { project, evaluation } = stackEvaluation;
  if (evaluation.error) return fail(evaluation.error);

  CONSOLE.out(renderPlan(evaluation, { project, stack: values.stack, stackFile: stackFileName(values.stack), today: todayOf(clock) }));
  return 0;
}

function fail(message: string): number {
  CONSOLE.err(message);
  return 1;
}

runCommand("plan", () => main(process.argv.slice(2)));
