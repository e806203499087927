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

import { parseArgs } from "node:util";
import { CliError, runCli, type Environment } from "../lib/command/apiCommand";
import { proposeFromPipeline, ROTATION_TOKEN_VARIABLE } from "../lib/rotation/proposeFromPipeline";

const USAGE = "usage: npm run propose-rotation -- --stack <name> [--branch rotate/<name>] [--target-branch <branch>] [--dir <folder with Pulumi.<name>.yaml>] [--api-url <url>]";
/** Pulumi's own rule for stack names; it also keeps the file name and branch free of path tricks. */
const STACK_NAME = /^[A-Za-z0-9_.-]+$/;

interface Options {
  readonly stack?: string;
  readonly branch?: string;
  readonly "target-branch"?: string;
  readonly dir?: string;
  readonly "api-url"?: string;
  readonly help?: boolean;
}

async function main(argv: string[], env: Environment): Promise<number> {
  let values: Options;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        stack: { type: "string" },
        branch: { type: "string" },
        "target-branch": { type: "string" },
        dir: { type: "string" },
        "api-url": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (error) {
    throw new CliError(`${(error as Error).message}. ${USAGE}`);
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const stack = values.stack;
  if (!stack) throw new CliError(`--stack is required. ${USAGE}`);
  if (!STACK_NAME.test(stack)) throw new CliError(`--stack ${JSON.stringify(stack)} is not a stack name. Fix: use letters, digits, _ . - only, as in Pulumi.<stack>.yaml.`);

  for (const line of await proposeFromPipeline({ stack, branch: values.branch, targetBranch: values["target-branch"], dir: values.dir, apiUrl: values["api-url"] }, env)) console.log(line);
  return 0;
}

runCli("propose-rotation", () => main(process.argv.slice(2), process.env), [process.env[ROTATION_TOKEN_VARIABLE]]);
