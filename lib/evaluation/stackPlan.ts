// What `npm run plan` prints for one stack file, and `npm run plan-comment` puts in its note: the
// program evaluated offline for Pulumi.<stack>.yaml (stackEvaluation.ts), read off what it registered
// (planReport.ts).

import { today as todayOf, type Clock } from "../../config/clock";
import { stackFileName } from "../stackFile/offlineConfig";
import { generationMarker, planOf, renderPlanText, type Plan } from "./planReport";
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

/** The plan and its text report, or the one-line reason there is none (an unreadable file, an invalid config). */
export async function stackPlan(request: StackPlanRequest): Promise<{ readonly plan: Plan; readonly report: string } | { readonly error: string }> {
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
    return { error: (error as Error).message };
  }
  const { project, evaluation } = stackEvaluation;
  if (evaluation.error) return { error: evaluation.error };
  const plan = planOf(evaluation, { project, stack: request.stack, stackFile: stackFileName(request.stack), today: todayOf(clock), now: clock.now() });
  return { plan, report: renderPlanText(plan) };
}
