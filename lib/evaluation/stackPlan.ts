// What `npm run plan` prints for one stack file, and `npm run plan-comment` puts in its note: the
// program evaluated offline for Pulumi.<stack>.yaml (stackEvaluation.ts), read off what it registered
// (planReport.ts).

import { systemClock, today as todayOf, type Clock } from "../../config/clock";
import { resolveClock } from "../../config/expiry";
import { stackFileName } from "../stackFile/offlineConfig";
import { generationMarker, renderPlan } from "./planReport";
import type { Evaluation } from "./evaluate";
import { evaluateStackFile, type StackEvaluation } from "./stackEvaluation";

export interface StackPlanRequest {
  /** The folder holding Pulumi.yaml and the stack file. */
  readonly dir: string;
  readonly stack: string;
  /** `--today`: the day to evaluate on (YYYY-MM-DD); the real day when absent. */
  readonly today?: string;
  /** The command, named in messages. */
  readonly tool: string;
}

export interface StackPlan {
  readonly report: string;
  /** What the program registered, for what else reads it (the policy pack, in plan-comment). */
  readonly evaluation: Evaluation;
  /** The day the plan was made for. */
  readonly today: string;
}

/** Why there is no plan: `request` (a bad --today), `files` (an unreadable stack or project file), `config` (the program refused it). */
export interface StackPlanFailure {
  readonly error: string;
  readonly stage: "request" | "files" | "config";
}

/** The plan report, or the one-line reason there is none (a bad --today, an unreadable file, an invalid config). */
export async function stackPlan(request: StackPlanRequest): Promise<StackPlan | StackPlanFailure> {
  let clock: Clock;
  try {
    clock = resolveClock({ today: request.today }, systemClock);
  } catch (error) {
    return { error: (error as Error).message, stage: "request" };
  }
  let stackEvaluation: StackEvaluation;
  try {
    stackEvaluation = await evaluateStackFile({ dir: request.dir, stack: request.stack, clock, tokenValue: generationMarker, tool: request.tool });
  } catch (error) {
    return { error: (error as Error).message, stage: "files" };
  }
  const { project, evaluation } = stackEvaluation;
  if (evaluation.error) return { error: evaluation.error, stage: "config" };
  const today = todayOf(clock);
  return { report: renderPlan(evaluation, { project, stack: request.stack, stackFile: stackFileName(request.stack), today }), evaluation, today };
}
