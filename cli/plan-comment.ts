// `npm run plan-comment -- --stack dev [--today YYYY-MM-DD | --now ISO] [--dir PATH] [--policy-pack-config FILE]`
//
// The merge-request note for a pipeline without Pulumi credentials: the policy pack run offline on what
// the program registers (the rules `pulumi preview --policy-pack policy` runs), then `npm run plan`'s
// report, under the preview note's markers (lib/mergeRequest/planNote.ts). A note is written even when
// the config is invalid, showing its errors, so that a fork's merge request learns why.
// Exit 0 with the note; 2 with the note when the config is invalid, the stack's files cannot be read or
// a mandatory policy is violated (one line on stderr says which); 1 with a one-line usage error.

import { existsSync } from "node:fs";
import * as path from "node:path";
import { systemClock, type Clock } from "../config/clock";
import type { CommandSpec } from "../lib/command/commandLine";
import { commandOutput, CONSOLE, parseStackCommand, runCommand, STACK_OPTIONS, type CliOutput } from "../lib/command/stackCommand";
import { PolicyConfigError, readPolicyConfig, type PolicyConfig } from "../lib/evaluation/policyConfig";
import { runPolicyPack } from "../lib/evaluation/policyRun";
import { stackPlan } from "../lib/evaluation/stackPlan";
import { resourceName } from "../lib/mergeRequest/gitlabSubjects";
import { renderPlanFailureNote, renderPlanNote } from "../lib/mergeRequest/planNote";
import { isBlocking } from "../lib/mergeRequest/policyResults";

const DEFAULT_POLICY_CONFIG = "policy-config.json";

export const PLAN_COMMENT: CommandSpec = {
  name: "plan-comment",
  usage: ["-- --stack <name> [--today YYYY-MM-DD | --now <ISO date-time>] [--dir <folder>] [--policy-pack-config <file>]"],
  summary: [
    "Writes the merge-request note of a pipeline that has no Pulumi credentials (a fork's): the policy pack run",
    "offline on what the program registers, then npm run plan's report, under the preview note's marker lines, so",
    "that mr-note posts it in the same place. An invalid config gets a note too, showing its errors.",
  ].join("\n"),
  options: {
    ...STACK_OPTIONS,
    "policy-pack-config": {
      type: "string",
      value: "<file>",
      description: `the policy pack's config, as pulumi's --policy-pack-config takes it (default: ${DEFAULT_POLICY_CONFIG} in --dir, when there is one)`,
      example: `--policy-pack-config ${DEFAULT_POLICY_CONFIG}`,
    },
  },
  examples: ["npm run plan-comment -- --stack dev > comment.md"],
  exitCodes:
    "0 the note is on stdout; 2 the note is on stdout, and it shows why the change cannot be applied as it is (an invalid config, unreadable stack files, a mandatory policy violation); 1 a usage error or an unreadable policy config.",
};

/** The note was written, and it shows why the change cannot be applied as it is. */
const NOTE_SHOWS_A_PROBLEM = 2;

/** Runs the command with `argv`, printing through `output`; returns its exit code. In-process for tests. */
export async function planCommentCommand(argv: readonly string[], output: CliOutput = CONSOLE, clock: Clock = systemClock): Promise<number> {
  const { fail, redacted } = commandOutput(output);
  const line = parseStackCommand(PLAN_COMMENT, argv, redacted, clock);
  if (typeof line === "number") return line;
  let policyConfig: PolicyConfig;
  try {
    policyConfig = readPolicyConfigFor(line.dir, line.values["policy-pack-config"] as string | undefined);
  } catch (error) {
    if (error instanceof PolicyConfigError) return fail(error.message);
    throw error;
  }

  const plan = await stackPlan({ dir: line.dir, stack: line.stack, clock: line.clock, tool: "plan-comment", ...(redacted.progress && { progress: redacted.progress }) });
  if ("error" in plan) {
    redacted.out(renderPlanFailureNote({ error: plan.error, stage: plan.stage }, { stack: line.stack }).replace(/\n$/, ""));
    redacted.err(plan.error.split("\n")[0]);
    return NOTE_SHOWS_A_PROBLEM;
  }
  const registrations = plan.evaluation.registrations;
  const results = await runPolicyPack(registrations, { config: policyConfig, clock: { today: () => plan.today } });
  const inputs = new Map(registrations.map((registration) => [registration.urn, registration.inputs]));
  // The note ends with a newline, which out() adds back.
  redacted.out(renderPlanNote(plan.report, { stack: line.stack, policy: { results, resourceName: (urn) => resourceName(urn, (candidate) => inputs.get(candidate)) } }).replace(/\n$/, ""));
  const blocking = results.violations.filter(isBlocking);
  if (blocking.length === 0) return 0;
  redacted.err(`the policy pack refuses this stack: ${blocking.length} mandatory ${blocking.length === 1 ? "violation" : "violations"} (listed in the note)`);
  return NOTE_SHOWS_A_PROBLEM;
}

/** `--policy-pack-config`, else policy-config.json in the project's folder when there is one, else no settings. */
function readPolicyConfigFor(dir: string, flag: string | undefined): PolicyConfig {
  // Relative to where the command runs, as pulumi reads its own --policy-pack-config.
  if (flag !== undefined) return readPolicyConfig(path.resolve(flag));
  const file = path.join(dir, DEFAULT_POLICY_CONFIG);
  return existsSync(file) ? readPolicyConfig(file) : {};
}

if (require.main === module) runCommand("plan-comment", () => planCommentCommand(process.argv.slice(2)));
