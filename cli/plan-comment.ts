// `npm run plan-comment -- --stack dev [--today YYYY-MM-DD] [--dir PATH] [--policy-pack-config FILE]`
//
// The merge-request note for a pipeline without Pulumi credentials: the policy pack run offline on what
// the program registers (the rules `pulumi preview --policy-pack policy` runs), then `npm run plan`'s
// report, under the preview note's markers (lib/mergeRequest/planNote.ts). A note is written even when
// the config is invalid, showing its errors, so that a fork's merge request learns why.
// Exit 0 with the note; 2 with the note when the config is invalid, the stack's files cannot be read or
// a mandatory policy is violated (one line on stderr says which); 1 with a one-line usage error.

import { existsSync } from "node:fs";
import * as path from "node:path";
import { commandOutput, CONSOLE, EVALUATION_OPTIONS, parseStackCommand, runCommand, type CliOutput } from "../lib/command/stackCommand";
import { PolicyConfigError, readPolicyConfig, type PolicyConfig } from "../lib/evaluation/policyConfig";
import { runPolicyPack } from "../lib/evaluation/policyRun";
import { stackPlan } from "../lib/evaluation/stackPlan";
import { resourceName } from "../lib/mergeRequest/gitlabSubjects";
import { renderPlanFailureNote, renderPlanNote } from "../lib/mergeRequest/planNote";
import { isBlocking } from "../lib/mergeRequest/policyResults";

const USAGE =
  "usage: npm run plan-comment -- --stack <name> [--today YYYY-MM-DD] [--dir <folder with Pulumi.yaml>] [--policy-pack-config <file>] (the pack's config, policy-config.json in --dir by default)";
const OPTIONS = { ...EVALUATION_OPTIONS, "policy-pack-config": { type: "string" } } as const;
const DEFAULT_POLICY_CONFIG = "policy-config.json";

/** The note was written, and it shows why the change cannot be applied as it is. */
const NOTE_SHOWS_A_PROBLEM = 2;

/** Runs the command with `argv`, printing through `output`; returns its exit code. In-process for tests. */
export async function planCommentCommand(argv: readonly string[], output: CliOutput = CONSOLE): Promise<number> {
  const { fail, redacted } = commandOutput(output);
  const flags = parseStackCommand(argv, OPTIONS, USAGE, redacted);
  if (typeof flags === "number") return flags;
  const dir = flags.dir ?? process.cwd();
  let policyConfig: PolicyConfig;
  try {
    policyConfig = readPolicyConfigFor(dir, flags["policy-pack-config"]);
  } catch (error) {
    if (error instanceof PolicyConfigError) return fail(error.message);
    throw error;
  }

  const plan = await stackPlan({ dir, stack: flags.stack, today: flags.today, tool: "plan-comment" });
  if ("error" in plan) {
    if (plan.stage === "request") return fail(plan.error);
    redacted.out(renderPlanFailureNote({ error: plan.error, stage: plan.stage }, { stack: flags.stack }).replace(/\n$/, ""));
    redacted.err(plan.error.split("\n")[0]);
    return NOTE_SHOWS_A_PROBLEM;
  }
  const registrations = plan.evaluation.registrations;
  const results = await runPolicyPack(registrations, { config: policyConfig, clock: { today: () => plan.today } });
  const inputs = new Map(registrations.map((registration) => [registration.urn, registration.inputs]));
  // The note ends with a newline, which out() adds back.
  redacted.out(renderPlanNote(plan.report, { stack: flags.stack, policy: { results, resourceName: (urn) => resourceName(urn, (candidate) => inputs.get(candidate)) } }).replace(/\n$/, ""));
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
