// The two promises a failed or interrupted `pulumi up` must still keep, checked against GitLab itself
// (through the target's REST API) and the stack's state: no consumer is left on a token that no longer
// works, and no live token exists that the state does not know (it would stay valid, unrotated and
// unrevoked, until it expires). Each broken promise is one line naming what to look at.

import type { GitLabWorld } from "./gitlabWorld";
import { readStackState, type StackState } from "./stackState";
import type { E2eStack } from "./stack";

export interface ConsistencyOptions {
  /** Ids of live tokens made outside the stack on purpose (a hand-made token not adopted yet). */
  readonly outsideTheStack?: readonly number[];
}

/** Every broken promise, one line each; [] when GitLab and the state agree. */
export async function inconsistencies(world: GitLabWorld, stack: E2eStack, options: ConsistencyOptions = {}): Promise<string[]> {
  const state = await readStackState(stack);
  return [...(await consumersOnDeadTokens(world, state)), ...(await unknownLiveTokens(world, state, options.outsideTheStack ?? []))];
}

async function consumersOnDeadTokens(world: GitLabWorld, state: StackState): Promise<string[]> {
  const problems: string[] = [];
  for (const variable of state.variables) {
    const where = `variable ${variable.key} (${variable.environmentScope}) in ${variable.project}`;
    const live = await world.target.variable(variable.project, variable.key, variable.environmentScope);
    if (live === undefined) {
      problems.push(`${where} is in the state but not in GitLab`);
      continue;
    }
    // GitLab never returns a hidden variable's value; the emulator can still show it.
    const value = live.value ?? world.emulator?.state.variable(variable.project, variable.key, variable.environmentScope)?.value ?? variable.value;
    const holder = state.tokens.find((token) => token.value !== undefined && token.value === value);
    if (holder === undefined) {
      problems.push(`${where} holds a value that is no token of the stack's state`);
      continue;
    }
    const token = await world.target.token(holder.project, holder.tokenId);
    if (!token?.active) problems.push(`${where} holds token #${holder.tokenId} (${holder.name}), which GitLab reports ${token === undefined ? "gone" : token.revoked ? "revoked" : "expired"}`);
  }
  return problems;
}

async function unknownLiveTokens(world: GitLabWorld, state: StackState, outsideTheStack: readonly number[]): Promise<string[]> {
  const known = new Set([...state.tokens.map((token) => token.tokenId), ...outsideTheStack]);
  const problems: string[] = [];
  for (const project of world.projectPaths) {
    for (const token of await world.target.tokens(project)) {
      if (token.active && !known.has(token.id)) problems.push(`token #${token.id} (${token.name}) in ${project} is live, and the stack's state does not know it`);
    }
  }
  return problems;
}
