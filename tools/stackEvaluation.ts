// Evaluates the program for one stack file, as `plan` and `adopt` both need: reads Pulumi.yaml and
// Pulumi.<stack>.yaml the way the CLI would, then runs the real program under the SDK's mocks.

import type { Clock } from "../config/clock";
import { evaluateStack, type Evaluation } from "./evaluate";
import { readProjectName, readStackConfigMap, toPulumiConfig } from "./stackFiles";

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
}

/** Throws an Error with a one-line, user-facing message when the files cannot be read or used offline. */
export async function evaluateStackFile(options: StackEvaluationOptions): Promise<StackEvaluation> {
  const project = readProjectName(options.dir);
  const { config, secretKeys } = toPulumiConfig(project, readStackConfigMap(options.dir, options.stack));
  // Only the API token is ever secret here; anything else encrypted cannot be checked offline.
  const undecryptable = secretKeys.filter((key) => key !== `${project}:gitlabToken`);
  if (undecryptable.length > 0) {
    const one = undecryptable.length === 1;
    throw new Error(
      `${undecryptable.join(", ")} ${one ? "is a secure value" : "are secure values"}, which cannot be decrypted offline: keep ${one ? "it" : "them"} in plain text (only gitlabToken holds a secret)`,
    );
  }
  const evaluation = await evaluateStack({ config, secretKeys, project, stack: options.stack, clock: options.clock, tokenValue: options.tokenValue });
  return { project, evaluation };
}
