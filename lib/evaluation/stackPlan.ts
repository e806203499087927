// What `npm run plan` prints for one stack file, and `npm run plan-comment` puts in its note: the
// program evaluated offline for Pulumi.<stack>.yaml (stackEvaluation.ts), read off what it registered
// (planReport.ts).

import { today as todayOf, type Clock } from "../../config/clock";
import { stackFileName } from "../stackFile/offlineConfig";
import { generationMarker, planOf, renderPlanText, type Plan } from "./planReport";
import type { Evaluation } from "./evaluate";
import { evaluateStackFile, type StackEvaluation } from "./stackEvaluation";

export interface StackPlanRequest {
  /** The folder holding Pulumi.yaml and the stack file. */
  readonly dir: string;
  readonly stack: string;
  /** The clock to evaluate with (stopped at --today or --now by the command). */
  readonly clock: Clock;
  /** The command, named in messages. */
  readonly tool: string;
  /** Called as resources are registered, with a line saying how far the evaluation is. */
  readonly progress?: (text: string) => void;
}

export interface StackPlan {
  readonly plan: Plan;
  readonly report: string;
  /** What the program registered, for what else reads it (the policy pack, in plan-comment). */
  readonly evaluation: Evaluation;
  /** The day the plan was made for. */
  readonly today: string;
}

/** Why there is no plan: `files` (an unreadable stack or project file) or `config` (the program refused it). */
export interface StackPlanFailure {
  readonly error: string;
  readonly stage: "files" | "config";
}

/** The plan and its text report, or the one-line reason there is none (an unreadable file, an invalid config). */
export async function stackPlan(request: StackPlanRequest): Promise<StackPlan | StackPlanFailure> {
  const { clock } = request;
  let stackEvaluation: StackEvaluation;
  try {
    stackEvaluation = await evaluateStackFile({
      dir: request.dir,
      stack: request.stack,
      clock,
      tokenValue: generationMarker,
      tool: request.tool,
      ...(request.progress && { progress: request.progress }),
    });
  } catch (error) {
    return { error: (error as Error).message, stage: "files" };
  }
  const { project, evaluation } = stackEvaluation;
  if (evaluation.error) return { error: evaluation.error, stage: "config" };
  const today = todayOf(clock);
  const plan = planOf(evaluation, { project, stack: request.stack, stackFile: stackFileName(request.stack), today, now: clock.now() });
  return { plan, report: renderPlanText(plan), evaluation, today };
}
