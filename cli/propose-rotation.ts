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
import { stackFileName } from "../lib/stackFile/offlineConfig";
import { createGitLabClient } from "../lib/gitlabApi/client";
import { CliError, requireEnv, runCli, type Environment } from "../lib/command/apiCommand";
import { proposeRotation } from "../lib/rotation/proposal";
import { readStackFileChange, type StackFileChange } from "../lib/rotation/stackChange";

const USAGE = "usage: npm run propose-rotation -- --stack <name> [--branch rotate/<name>] [--target-branch <branch>] [--dir <folder with Pulumi.<name>.yaml>] [--api-url <url>]";
const TOKEN_VARIABLE = "ROTATION_MR_TOKEN";
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

  // Checked before looking for a change, so that a missing token shows on the first scheduled run,
  // not on the day a rotation is due.
  const token = requireEnv(env, TOKEN_VARIABLE, `add a protected, masked CI/CD variable ${TOKEN_VARIABLE} holding a project access token with the api scope and the Developer role`);
  const project = requireEnv(env, "CI_PROJECT_ID", "run this job in GitLab CI, or set CI_PROJECT_ID to the project's ID");
  const apiUrlSource = values["api-url"] === undefined ? "CI_API_V4_URL" : "--api-url";
  const apiUrl = values["api-url"] ?? requireEnv(env, "CI_API_V4_URL", "run this job in GitLab CI, or pass --api-url https://<host>/api/v4");
  const targetBranch = values["target-branch"] ?? requireEnv(env, "CI_DEFAULT_BRANCH", "run this job in GitLab CI, or pass --target-branch <branch>");
  const branch = values.branch ?? `rotate/${stack}`;
  if (branch === targetBranch) throw new CliError(`--branch ${branch} is the target branch itself. Fix: propose from a branch of its own, such as rotate/${stack}.`);
  const pipelineBranch = env.CI_COMMIT_BRANCH?.trim();
  if (pipelineBranch && pipelineBranch !== targetBranch) {
    // The proposal is based on the checked-out commit: from another branch, it would carry that branch's commits too.
    throw new CliError(`this pipeline runs on ${pipelineBranch}, not on ${targetBranch}, the merge request's target. Fix: schedule the job on ${targetBranch}, or pass --target-branch ${pipelineBranch}.`);
  }

  const dir = values.dir ?? (env.CI_PROJECT_DIR?.trim() || process.cwd());
  const fileName = stackFileName(stack);
  let change: StackFileChange;
  try {
    change = readStackFileChange(dir, fileName);
  } catch (error) {
    throw new CliError((error as Error).message);
  }
  if (!change.changed) {
    console.log(`propose-rotation: ${fileName} is unchanged; nothing to propose`);
    return 0;
  }

  const client = createGitLabClient({ apiUrl, apiUrlSource, token, tokenName: TOKEN_VARIABLE, userAgent: "gitlab-push-tokens propose-rotation" });
  const pipelineUrl = env.CI_PIPELINE_URL?.trim() || undefined;
  const outcome = await proposeRotation(client, {
    project,
    stack,
    branch,
    targetBranch,
    startSha: change.headSha,
    filePath: change.repoPath,
    content: change.content,
    isNew: change.isNew,
    ...(pipelineUrl ? { pipelineUrl } : {}),
  });

  console.log(
    outcome.commit
      ? `propose-rotation: committed ${change.repoPath} to ${branch} (${outcome.commit.id.slice(0, 12)}, based on ${change.headSha.slice(0, 12)})`
      : `propose-rotation: ${branch} already holds this ${change.repoPath}; no commit`,
  );
  const { iid, webUrl } = outcome.mergeRequest;
  console.log(
    outcome.mergeRequestCreated
      ? `propose-rotation: opened merge request !${iid} ${webUrl}`
      : `propose-rotation: merge request !${iid} from ${branch} is already open; left as it is ${webUrl}`,
  );
  return 0;
}

runCli("propose-rotation", () => main(process.argv.slice(2), process.env), [process.env[TOKEN_VARIABLE]]);
