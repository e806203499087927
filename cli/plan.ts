// `npm run plan -- --stack dev [--json] [--today YYYY-MM-DD | --now ISO] [--dir PATH]`
//
// The offline main job: evaluates the real program for Pulumi.<stack>.yaml under the Pulumi SDK's mock
// runtime (no Pulumi CLI, no GitLab, no credentials) and prints what the stack declares, read off what
// the program registered. Exit 0 when the config is valid, 1 with the validation error otherwise.

import { systemClock, type Clock } from "../config/clock";
import type { CommandSpec } from "../lib/command/commandLine";
import { commandOutput, CONSOLE, parseStackCommand, runCommand, STACK_OPTIONS, type CliOutput } from "../lib/command/stackCommand";
import { stackPlan } from "../lib/evaluation/stackPlan";

export const PLAN: CommandSpec = {
  name: "plan",
  usage: ["-- --stack <name> [--json] [--today YYYY-MM-DD | --now <ISO date-time>] [--dir <folder>]"],
  summary: [
    "Evaluates the program for Pulumi.<name>.yaml offline, under the Pulumi SDK's mock runtime (no Pulumi CLI,",
    "no GitLab, no credentials), and prints what it registers: tokens, variables, retiring generations, and",
    "the warnings every preview shows (a token due to rotate among them, with the command that rotates it).",
  ].join("\n"),
  options: {
    ...STACK_OPTIONS,
    json: { type: "boolean", description: "print one JSON object instead of the tables: {project, stack, stackFile, today, provider, tokens, variables, retiring, warnings, resources} (README.md, Set up and run)" },
  },
  examples: ["npm run plan -- --stack dev", "npm run plan -- --stack dev --today 2026-11-25", "npm run plan -- --stack dev --json"],
  exitCodes: "0 the config is valid (warnings included); 1 it is not (every problem listed, nothing registered), or a usage error.",
};

/** Runs the command with `argv`, printing through `output`; returns its exit code. In-process for tests. */
export async function planCommand(argv: readonly string[], output: CliOutput = CONSOLE, clock: Clock = systemClock): Promise<number> {
  const { fail, redacted } = commandOutput(output);
  const line = parseStackCommand(PLAN, argv, redacted, clock);
  if (typeof line === "number") return line;
  const plan = await stackPlan({ dir: line.dir, stack: line.stack, clock: line.clock, tool: "plan", ...(redacted.progress && { progress: redacted.progress }) });
  if ("error" in plan) return fail(plan.error);
  redacted.out(line.values.json ? JSON.stringify(plan.plan, null, 2) : plan.report);
  return 0;
}

if (require.main === module) runCommand("plan", () => planCommand(process.argv.slice(2)));
