// What a preview note promises GitLab will see, read back from its "GitLab tokens and variables"
// lines, and checked against what GitLab holds before and after the `pulumi up` that follows: every
// token the note says is created, revoked (or revoked and replaced) and every variable it says is
// created, moved to a token, updated or deleted, and nothing else. A line the reader does not know
// fails the check, so the note cannot say more than is checked.

import assert from "node:assert/strict";
import type { StateSnapshot, TokenSnapshot, VariableSnapshot } from "../gitlabEmulator";

/** GitLab's access levels by the role names the note uses. */
const ACCESS_LEVELS: Readonly<Record<string, number>> = { guest: 10, reporter: 20, developer: 30, maintainer: 40, owner: 50 };

interface TokenClaim {
  readonly name: string;
  readonly project: string;
  readonly expiresAt: string;
}
interface CreatedToken extends TokenClaim {
  readonly role: string;
  readonly scopes: readonly string[];
}
interface VariableClaim {
  readonly key: string;
  readonly project: string;
  readonly environmentScope: string;
}

export interface NoteClaims {
  readonly createdTokens: readonly CreatedToken[];
  readonly revokedTokens: readonly TokenClaim[];
  /** Variables created, or whose value moves, with the token they then hold. */
  readonly heldVariables: readonly (VariableClaim & { readonly created: boolean; readonly protected?: boolean; readonly masked?: boolean; readonly holds: TokenClaim })[];
  readonly updatedVariables: readonly VariableClaim[];
  readonly deletedVariables: readonly VariableClaim[];
}

const NAME = "`([^`]+)`";
const SUBJECT_VARIABLE = new RegExp(`^variable ${NAME}(?: \\(environment ${NAME}\\))? in ${NAME}`);
const HELD = new RegExp(`holding token ${NAME} of ${NAME} expiring (\\S+)|now holds token ${NAME} of ${NAME} expiring (\\S+)`);

/** The claims of the note's GitLab lines; throws on a line it cannot read. */
export function noteClaims(note: string): NoteClaims {
  const section = /\n#### GitLab tokens and variables\n\n((?:- .*\n)+)/.exec(note)?.[1] ?? "";
  const claims = { createdTokens: [] as CreatedToken[], revokedTokens: [] as TokenClaim[], heldVariables: [] as NoteClaims["heldVariables"][number][], updatedVariables: [] as VariableClaim[], deletedVariables: [] as VariableClaim[] };
  for (const line of section.trimEnd().split("\n").map((item) => item.slice(2)).filter(Boolean)) {
    let match: RegExpExecArray | null;
    if ((match = new RegExp(`^new token ${NAME} in ${NAME}, (\\w+), (.+), expires (\\S+)$`).exec(line))) {
      claims.createdTokens.push({ name: match[1], project: match[2], role: match[3], scopes: scopesOf(match[4]), expiresAt: match[5] });
    } else if ((match = new RegExp(`^token ${NAME} in ${NAME} \\(expires (\\S+)\\) will be revoked and replaced(?: \\(because of [^)]*\\))?: the new token is (\\w+), (.+), expires (\\S+)$`).exec(line))) {
      claims.revokedTokens.push({ name: match[1], project: match[2], expiresAt: match[3] });
      claims.createdTokens.push({ name: match[1], project: match[2], role: match[4], scopes: scopesOf(match[5]), expiresAt: match[6] });
    } else if ((match = new RegExp(`^token ${NAME} in ${NAME} \\(expires (\\S+)\\) will be revoked(?: and replaced by token .*)?$`).exec(line))) {
      claims.revokedTokens.push({ name: match[1], project: match[2], expiresAt: match[3] });
    } else if (new RegExp(`^token ${NAME} in ${NAME} \\(expires \\S+\\) is unchanged and stays valid$`).test(line)) {
      // Nothing happens to it.
    } else if ((match = SUBJECT_VARIABLE.exec(line))) {
      const variable = { key: match[1], environmentScope: match[2] ?? "*", project: match[3] };
      const rest = line.slice(match[0].length);
      const held = HELD.exec(rest);
      if (rest.startsWith(" will be deleted")) claims.deletedVariables.push(variable);
      else if (held && (rest.startsWith(" (") || rest.startsWith(" now holds"))) {
        const flags = /^ \(([^)]*)\)/.exec(rest)?.[1];
        claims.heldVariables.push({
          ...variable,
          created: line.startsWith("new "),
          ...(flags && { protected: !flags.includes("**not protected**"), masked: !flags.includes("**not masked**") }),
          holds: held[1] ? { name: held[1], project: held[2], expiresAt: held[3] } : { name: held[4], project: held[5], expiresAt: held[6] },
        });
      } else if (rest.startsWith(" is updated:")) claims.updatedVariables.push(variable);
      else throw new Error(`the note says something of a variable this check cannot read: ${line}`);
    } else if (line.startsWith("new variable ")) {
      const created = new RegExp(`^new variable ${NAME}(?: \\(environment ${NAME}\\))? in ${NAME} \\(([^)]*)\\), holding token ${NAME} of ${NAME} expiring (\\S+)`).exec(line);
      if (!created) throw new Error(`the note says something of a new variable this check cannot read: ${line}`);
      claims.heldVariables.push({ key: created[1], environmentScope: created[2] ?? "*", project: created[3], created: true, protected: !created[4].includes("**not protected**"), masked: !created[4].includes("**not masked**"), holds: { name: created[5], project: created[6], expiresAt: created[7] } });
    } else {
      throw new Error(`the note says something this check cannot read: ${line}`);
    }
  }
  return claims;
}

function scopesOf(text: string): string[] {
  return [...text.matchAll(/`([^`]+)`/g)].map((match) => match[1]).sort();
}

const sameProject = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** Asserts that GitLab went from `before` to `after` exactly as the note's claims say. */
export function assertGitLabDidWhatTheNoteSaid(claims: NoteClaims, before: StateSnapshot, after: StateSnapshot): void {
  const pathOf = (snapshot: StateSnapshot, projectId: number | null) => snapshot.projects.find((project) => project.id === projectId)?.path ?? "?";
  const projectTokens = (snapshot: StateSnapshot) => snapshot.tokens.filter((token) => token.projectId !== null);
  const wasLive = new Set(projectTokens(before).filter((token) => !token.revoked).map((token) => token.id));
  const created = projectTokens(after).filter((token) => !projectTokens(before).some((old) => old.id === token.id) && !token.revoked);
  const revoked = projectTokens(after).filter((token) => token.revoked && wasLive.has(token.id));
  const describeToken = (token: TokenSnapshot, snapshot: StateSnapshot) => `${pathOf(snapshot, token.projectId)}:${token.name}@${token.expiresAt}`;
  const describeClaim = (claim: TokenClaim) => `${claim.project.toLowerCase()}:${claim.name}@${claim.expiresAt}`;

  assert.deepEqual(created.map((token) => describeToken(token, after)).sort(), claims.createdTokens.map(describeClaim).sort(), "tokens created");
  for (const claim of claims.createdTokens) {
    const token = created.find((candidate) => candidate.name === claim.name && candidate.expiresAt === claim.expiresAt && sameProject(pathOf(after, candidate.projectId), claim.project))!;
    assert.deepEqual({ scopes: [...token.scopes].sort(), accessLevel: token.accessLevel }, { scopes: claim.scopes, accessLevel: ACCESS_LEVELS[claim.role] }, `token ${describeClaim(claim)}`);
  }
  assert.deepEqual(revoked.map((token) => describeToken(token, after)).sort(), claims.revokedTokens.map(describeClaim).sort(), "tokens revoked");

  const variableId = (variable: { key: string; environmentScope: string }, project: string) => `${project.toLowerCase()}:${variable.key}[${variable.environmentScope}]`;
  const variables = (snapshot: StateSnapshot) => new Map(snapshot.variables.map((variable) => [variableId(variable, pathOf(snapshot, variable.projectId)), variable]));
  const [old, now] = [variables(before), variables(after)];
  const changed = (a: VariableSnapshot, b: VariableSnapshot) => JSON.stringify({ ...a, updatedAt: undefined }) !== JSON.stringify({ ...b, updatedAt: undefined });
  const claimId = (claim: VariableClaim) => variableId(claim, claim.project);
  assert.deepEqual([...now.keys()].filter((id) => !old.has(id)).sort(), claims.heldVariables.filter((claim) => claim.created).map(claimId).sort(), "variables created");
  assert.deepEqual([...old.keys()].filter((id) => !now.has(id)).sort(), claims.deletedVariables.map(claimId).sort(), "variables deleted");
  assert.deepEqual(
    [...now.entries()].filter(([id, variable]) => old.has(id) && changed(old.get(id)!, variable)).map(([id]) => id).sort(),
    [...claims.heldVariables.filter((claim) => !claim.created), ...claims.updatedVariables].map(claimId).sort(),
    "variables updated",
  );
  for (const claim of claims.heldVariables) {
    const variable = now.get(claimId(claim))!;
    const token = projectTokens(after).find((candidate) => !candidate.revoked && candidate.name === claim.holds.name && candidate.expiresAt === claim.holds.expiresAt && sameProject(pathOf(after, candidate.projectId), claim.holds.project));
    assert.ok(token, `the token ${describeClaim(claim.holds)} that ${claimId(claim)} holds is live`);
    assert.equal(variable.value, token.value, `${claimId(claim)} holds the value of ${describeClaim(claim.holds)}`);
    if (claim.protected !== undefined) assert.deepEqual({ protected: variable.protected, masked: variable.masked }, { protected: claim.protected, masked: claim.masked }, claimId(claim));
  }
}
