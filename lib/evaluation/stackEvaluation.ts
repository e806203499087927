// Evaluates the program for one stack file, as `plan` and `adopt` both need: reads Pulumi.yaml and
// Pulumi.<stack>.yaml the way the CLI would, then runs the real program under the SDK's mocks.

import type { Clock } from "../../config/clock";
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
}

/** Throws an Error with a one-line, user-facing message when the files cannot be read or used offline. */
export async function evaluateStackFile(options: StackEvaluationOptions): Promise<StackEvaluation> {
  const project = readProjectName(options.dir);
  const { config, secretKeys } = offlinePulumiConfig(project, readStackConfigMap(options.dir, options.stack), options.tool);
  const evaluation = await evaluateStack({ config, secretKeys, project, stack: options.stack, clock: options.clock, tokenValue: options.tokenValue });
  return { project, evaluation };
}
