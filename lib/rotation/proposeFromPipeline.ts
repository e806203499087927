// Proposes the file `npm run rotate` changed (the stack file, or the declaration file its
// pushTokensFile names) as a merge request (proposal.ts), with everything
// read from the scheduled pipeline's environment and checkout: the token, the project, the API address,
// the default branch, whether the file changed (stackChange.ts). Says why and what to do when any is
// missing or the pipeline runs where a proposal would carry the wrong commits.

import { CliError, requireEnv, type Environment } from "../command/apiCommand";
import { createGitLabClient } from "../gitlabApi/client";
import { tokensFileName } from "../stackFile/stackDocument";
import { proposeRotation } from "./proposal";
import { readStackFileChange, type StackFileChange } from "./stackChange";

/** The variable holding the token that commits and opens the merge request. */
export const ROTATION_TOKEN_VARIABLE = "ROTATION_MR_TOKEN";

export interface ProposalRequest {
  /** A valid stack name: it becomes part of a file name and a branch name. */
  readonly stack: string;
  /** `--branch`; rotate/<stack> when absent. */
  readonly branch?: string;
  /** `--target-branch`; CI_DEFAULT_BRANCH when absent. */
  readonly targetBranch?: string;
  /** `--dir`, the checkout holding the stack file; CI_PROJECT_DIR, else the working directory, when absent. */
  readonly dir?: string;
  /** `--api-url`; CI_API_V4_URL when absent. */
  readonly apiUrl?: string;
}

/** Commits and proposes the file when it changed; returns the lines saying what was done. Throws a CliError. */
export async function proposeFromPipeline(request: ProposalRequest, env: Environment): Promise<string[]> {
  const { stack } = request;
  // Checked before looking for a change, so that a missing token shows on the first scheduled run,
  // not on the day a rotation is due.
  const token = requireEnv(env, ROTATION_TOKEN_VARIABLE, `add a protected, masked CI/CD variable ${ROTATION_TOKEN_VARIABLE} holding a project access token with the api scope and the Developer role`);
  const project = requireEnv(env, "CI_PROJECT_ID", "run this job in GitLab CI, or set CI_PROJECT_ID to the project's ID");
  const apiUrlSource = request.apiUrl === undefined ? "CI_API_V4_URL" : "--api-url";
  const apiUrl = request.apiUrl ?? requireEnv(env, "CI_API_V4_URL", "run this job in GitLab CI, or pass --api-url https://<host>/api/v4");
  const targetBranch = request.targetBranch ?? requireEnv(env, "CI_DEFAULT_BRANCH", "run this job in GitLab CI, or pass --target-branch <branch>");
  const branch = request.branch ?? `rotate/${stack}`;
  if (branch === targetBranch) throw new CliError(`--branch ${branch} is the target branch itself. Fix: propose from a branch of its own, such as rotate/${stack}.`);
  const pipelineBranch = env.CI_COMMIT_BRANCH?.trim();
  if (pipelineBranch && pipelineBranch !== targetBranch) {
    // The proposal is based on the checked-out commit: from another branch, it would carry that branch's commits too.
    throw new CliError(`this pipeline runs on ${pipelineBranch}, not on ${targetBranch}, the merge request's target. Fix: schedule the job on ${targetBranch}, or pass --target-branch ${pipelineBranch}.`);
  }

  const dir = request.dir ?? (env.CI_PROJECT_DIR?.trim() || process.cwd());
  const fileName = tokensFileName(dir, stack);
  let change: StackFileChange;
  try {
    change = readStackFileChange(dir, fileName);
  } catch (error) {
    throw new CliError((error as Error).message);
  }
  if (!change.changed) return [`propose-rotation: ${fileName} is unchanged; nothing to propose`];

  const client = createGitLabClient({ apiUrl, apiUrlSource, token, tokenName: ROTATION_TOKEN_VARIABLE, userAgent: "gitlab-push-tokens propose-rotation" });
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

  const committed = outcome.commit
    ? `propose-rotation: committed ${change.repoPath} to ${branch} (${outcome.commit.id.slice(0, 12)}, based on ${change.headSha.slice(0, 12)})`
    : `propose-rotation: ${branch} already holds this ${change.repoPath}; no commit`;
  const { iid, webUrl } = outcome.mergeRequest;
  const proposed = outcome.mergeRequestCreated
    ? `propose-rotation: opened merge request !${iid} ${webUrl}`
    : `propose-rotation: merge request !${iid} from ${branch} is already open; left as it is ${webUrl}`;
  return [committed, proposed];
}
