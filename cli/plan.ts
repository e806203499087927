// `npm run plan -- --stack dev [--today YYYY-MM-DD] [--dir PATH]`
//
// The offline main job: evaluates the real program for Pulumi.<stack>.yaml under the Pulumi SDK's mock
// runtime (no Pulumi CLI, no GitLab, no credentials) and prints what the stack declares, read off what
// the program registered. Exit 0 when the config is valid, 1 with the validation error otherwise.

import { commandOutput, CONSOLE, EVALUATION_OPTIONS, parseStackCommand, runCommand, type CliOutput } from "../lib/command/stackCommand";
import { stackPlan } from "../lib/evaluation/stackPlan";

const USAGE = "usage: npm run plan -- --stack <name> [--today YYYY-MM-DD] [--dir <folder with Pulumi.yaml>]";

/** Runs the command with `argv`, printing through `output`; returns its exit code. In-process for tests. */
export async function planCommand(argv: readonly string[], output: CliOutput = CONSOLE): Promise<number> {
  const { fail, redacted } = commandOutput(output);
  const flags = parseStackCommand(argv, EVALUATION_OPTIONS, USAGE, redacted);
  if (typeof flags === "number") return flags;
  const plan = await stackPlan({ dir: flags.dir ?? process.cwd(), stack: flags.stack, today: flags.today, tool: "plan" });
  if ("error" in plan) return fail(plan.error);
  redacted.out(plan.report);
  return 0;
}

if (require.main === module) runCommand("plan", () => planCommand(process.argv.slice(2)));
