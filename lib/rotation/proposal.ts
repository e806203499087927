// Proposes the rotated stack file as a merge request, through the API only: a commit on the rotation
// branch (forced, so the branch always holds exactly one proposal based on the job's commit), then a
// merge request unless one from that branch is already open. Running it twice changes nothing.

import type { Commit, GitLabClient, MergeRequest } from "../gitlabApi/client";
import { GitLabApiError } from "../gitlabApi/errors";

export interface RotationProposal {
  /** Project ID or path. */
  readonly project: string;
  readonly stack: string;
  /** The rotation's branch, e.g. `rotate/dev`. */
  readonly branch: string;
  /** Where the merge request goes: the default branch. */
  readonly targetBranch: string;
  /** The commit the job checked out; the proposal is based on it, never on a newer tip it did not see. */
  readonly startSha: string;
  /** The stack file's path from the repository root. */
  readonly filePath: string;
  readonly content: string;
  /** The file is not in `startSha` yet. */
  readonly isNew: boolean;
  /** The scheduled pipeline, linked from the commit and the merge request when known. */
  readonly pipelineUrl?: string;
}

export interface ProposalOutcome {
  /** Undefined when the branch already held exactly this file. */
  readonly commit: Commit | undefined;
  readonly mergeRequest: MergeRequest;
  /** False when an open merge request from the branch already existed and was left as it is. */
  readonly mergeRequestCreated: boolean;
}

/** A lost answer or a 409 on creating the merge request is followed by a fresh look, this many times in all. */
const MAX_ROUNDS = 3;

export async function proposeRotation(client: GitLabClient, proposal: RotationProposal): Promise<ProposalOutcome> {
  const onBranch = await client.readFile(proposal.project, proposal.filePath, proposal.branch);
  let commit: Commit | undefined;
  if (onBranch !== proposal.content) {
    commit = await client.createCommit(proposal.project, {
      branch: proposal.branch,
      startSha: proposal.startSha,
      message: commitMessage(proposal),
      force: true,
      actions: [{ action: proposal.isNew ? "create" : "update", filePath: proposal.filePath, content: proposal.content }],
    });
  }
  for (let round = 1; ; round++) {
    const [open] = await client.listOpenMergeRequests(proposal.project, proposal.branch, proposal.targetBranch);
    if (open) return { commit, mergeRequest: open, mergeRequestCreated: false };
    try {
      const created = await client.createMergeRequest(proposal.project, {
        sourceBranch: proposal.branch,
        targetBranch: proposal.targetBranch,
        title: mergeRequestTitle(proposal.stack),
        description: mergeRequestDescription(proposal),
        removeSourceBranch: true,
      });
      return { commit, mergeRequest: created, mergeRequestCreated: true };
    } catch (error) {
      const worthALook = error instanceof GitLabApiError && (error.outcomeUnknown || error.failure === "conflict");
      if (!worthALook || round >= MAX_ROUNDS) throw error;
    }
  }
}

function mergeRequestTitle(stack: string): string {
  return `Rotate push tokens of stack ${stack}`;
}

export function commitMessage(proposal: Pick<RotationProposal, "stack" | "pipelineUrl">): string {
  const title = mergeRequestTitle(proposal.stack);
  return proposal.pipelineUrl ? `${title}\n\nProposed by the scheduled pipeline ${proposal.pipelineUrl}\n` : `${title}\n`;
}

export function mergeRequestDescription(proposal: Pick<RotationProposal, "stack" | "filePath" | "branch" | "pipelineUrl">): string {
  return [
    `The scheduled rotation (\`npm run rotate -- --stack ${proposal.stack}\`) changed \`${proposal.filePath}\`.`,
    "",
    "Before merging, read the `pulumi preview` note on this merge request. A normal rotation creates one token per rotated token, updates every variable that holds it, and deletes nothing.",
    "",
    `The rotation job owns the branch \`${proposal.branch}\`: a later run that computes a different file replaces its commit, so push any fix to another branch.` +
      (proposal.pipelineUrl ? ` Proposed by ${proposal.pipelineUrl}.` : ""),
    "",
  ].join("\n");
}
