// Evaluates the program for one stack file, as `plan` and `adopt` both need: reads Pulumi.yaml and
// Pulumi.<stack>.yaml the way the CLI would, then runs the real program under the SDK's mocks.

import type { Clock } from "../../config/clock";
import { count } from "../command/reportText";
import { evaluateStack, type Evaluation } from "./evaluate";
import { offlinePulumiConfig, readProjectName, readStackConfigMap } from "../stackFile/offlineConfig";

export interface StackEvaluation {
  readonly project: string;
  readonly evaluation: Evaluation;
}

export interface StackEvaluationOptions {
  /** The folder holding Pulumi.yaml and the stack file. */
  readonly dir: string;
  readonly stack: string;
  readonly clock: Clock;
  /** The value the mocks hand out as each generation's token. */
  readonly tokenValue: (generationName: string) => string;
  /** The command, named in messages. */
  readonly tool: string;
  /** Progress lines while the program runs (a large stack takes seconds); the last call is an empty line. */
  readonly progress?: (text: string) => void;
}

/** How often progress is redrawn at most: often enough to look alive, rarely enough to cost nothing. */
const PROGRESS_INTERVAL_MS = 100;

/** Throws an Error with a one-line, user-facing message when the files cannot be read or used offline. */
export async function evaluateStackFile(options: StackEvaluationOptions): Promise<StackEvaluation> {
  const project = readProjectName(options.dir);
  const { config, secretKeys } = offlinePulumiConfig(project, readStackConfigMap(options.dir, options.stack), options.tool);
  const { progress } = options;
  let shown = 0;
  const onRegistration = (registered: number) => {
    const now = Date.now();
    if (now - shown < PROGRESS_INTERVAL_MS) return;
    shown = now;
    progress?.(`${options.tool}: evaluating stack ${options.stack} offline: ${count(registered, "resource")} registered`);
  };
  try {
    progress?.(`${options.tool}: evaluating stack ${options.stack} offline`);
    const evaluation = await evaluateStack({ config, secretKeys, project, stack: options.stack, root: options.dir, clock: options.clock, tokenValue: options.tokenValue, ...(progress && { onRegistration }) });
    return { project, evaluation };
  } finally {
    progress?.("");
  }
}
