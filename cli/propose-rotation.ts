// `npm run propose-rotation -- --stack <name> [--branch rotate/<name>] [--target-branch <branch>] [--dir <folder>] [--api-url <url>]`
//
// Run by the scheduled job after `npm run rotate -- --stack <name>`: when that changed
// Pulumi.<name>.yaml (per `git status` in the job's checkout), commits the file to the rotation branch
// through GitLab's Commits API and opens a merge request into the default branch, or leaves the open
// one from that branch as it is. No git credentials: only the API token.
//
// Environment (GitLab CI sets all but the token): ROTATION_MR_TOKEN, CI_API_V4_URL, CI_PROJECT_ID,
// CI_DEFAULT_BRANCH, CI_PROJECT_DIR, CI_COMMIT_BRANCH (checked), CI_PIPELINE_URL (linked).
// Exit codes: 0 proposed, already proposed, or nothing changed; 1 error.

import { redactingConsole, runCli, type Environment } from "../lib/command/apiCommand";
import { readCommandLine, usageError, type CommandSpec } from "../lib/command/commandLine";
import { STACK_OPTIONS, type CliOutput } from "../lib/command/stackCommand";
import { proposeFromPipeline, ROTATION_TOKEN_VARIABLE } from "../lib/rotation/proposeFromPipeline";
import { resolveStackName, StackNameError } from "../lib/stackFile/stackName";

export const PROPOSE_ROTATION: CommandSpec = {
  name: "propose-rotation",
  usage: ["-- --stack <name> [--branch rotate/<name>] [--target-branch <branch>] [--dir <folder>] [--api-url <url>]"],
  summary: [
    "Run by the scheduled job after npm run rotate: when the rotation changed Pulumi.<name>.yaml (per git status),",
    "commits it to the rotation branch through GitLab's Commits API and opens a merge request into the default",
    "branch, or leaves the open one as it is. Reads ROTATION_MR_TOKEN, CI_API_V4_URL, CI_PROJECT_ID,",
    "CI_DEFAULT_BRANCH, CI_PROJECT_DIR, CI_COMMIT_BRANCH and CI_PIPELINE_URL.",
  ].join("\n"),
  options: {
    stack: STACK_OPTIONS.stack,
    branch: { type: "string", value: "<branch>", description: "the branch the proposal is committed to (default: rotate/<name>; not a protected branch)", example: "--branch rotate/dev" },
    "target-branch": { type: "string", value: "<branch>", description: "the branch the merge request goes into (default: CI_DEFAULT_BRANCH)", example: "--target-branch main" },
    dir: { type: "string", value: "<folder>", description: "the git checkout holding the stack file (default: CI_PROJECT_DIR, else the current folder)", example: "--dir ." },
    "api-url": { type: "string", value: "<url>", description: "GitLab's API (default: CI_API_V4_URL)", example: "--api-url https://gitlab.example.com/api/v4" },
  },
  examples: ["npm run propose-rotation -- --stack dev"],
  exitCodes: "0 proposed, already proposed, or nothing changed; 1 an error, a usage error included.",
};

/** Runs the command with `argv` and `env`; returns its exit code. */
export async function proposeRotationCommand(argv: readonly string[], env: Environment, output: CliOutput = redactingConsole([env[ROTATION_TOKEN_VARIABLE]])): Promise<number> {
  const line = readCommandLine(PROPOSE_ROTATION, argv, output, env);
  if (typeof line === "number") return line;
  const values = line.values as { stack?: string; branch?: string; "target-branch"?: string; dir?: string; "api-url"?: string };
  if (!values.stack) return usageError(PROPOSE_ROTATION, `--stack is required. Fix: name the stack whose file npm run rotate edited, e.g. ${PROPOSE_ROTATION.examples[0]}`, output);
  let stack: string;
  try {
    stack = resolveStackName(values.dir ?? env.CI_PROJECT_DIR ?? process.cwd(), values.stack);
  } catch (error) {
    if (error instanceof StackNameError) return usageError(PROPOSE_ROTATION, error.message, output);
    throw error;
  }
  for (const said of await proposeFromPipeline({ stack, branch: values.branch, targetBranch: values["target-branch"], dir: values.dir, apiUrl: values["api-url"] }, env)) output.out(said);
  return 0;
}

if (require.main === module) runCli("propose-rotation", () => proposeRotationCommand(process.argv.slice(2), process.env), [process.env[ROTATION_TOKEN_VARIABLE]]);
