// What `pulumi import --file` needs to take over hand-made variables and tokens, derived from an
// evaluation of the program: every entry is a resource the program registered, under its own type,
// logical name, parent and provider, so the import lands exactly where the next `pulumi up` expects it.
//
// File format: `pulumi import --file` as defined by pulumi/pulumi pkg/cmd/pulumi/operations/import.go
// (`importFile` / `importSpec`) and documented in `pulumi import --help` (CLI v3.x): a `nameTable` of
// names → parent and provider URNs, and `resources[]` of {type, name, id, parent, provider, version},
// plus the `inputs` (and, for a hand-made token, `outputs`) CLI 3.276 reads: see handMadeTokenState
// and SECRET_VALUE.

import type { Evaluation, Registration } from "../evaluation/evaluate";
import { asFileSecret } from "../evaluation/secretValue";
import { registrationsOf, type InventoryToken, type RegistrationKind } from "../evaluation/registrations";

export interface ImportEntry {
  readonly type: string;
  /** The resource's logical name, exactly as the program registers it. */
  readonly name: string;
  /** The provider's import ID: `project:key:environment_scope` for a variable, `project:tokenId` for a token. */
  readonly id: string;
  /** Key in nameTable of the parent component. */
  readonly parent: string;
  /** Key in nameTable of the explicit GitLab provider. */
  readonly provider: string;
  /** The provider plugin version the program pins. */
  readonly version: string;
  /** A hand-made token's inputs, as the program registers them (with `outputs`); a variable's `value`, marked secret (SECRET_VALUE). */
  readonly inputs?: Readonly<Record<string, unknown>>;
  /** A hand-made token's state, written by the import instead of read from GitLab (handMadeTokenState). */
  readonly outputs?: Readonly<Record<string, unknown>>;
}

export interface ImportFile {
  readonly nameTable: Record<string, string>;
  readonly resources: readonly ImportEntry[];
}

export interface Adoption {
  /** What is taken over, in words: `variable GITLAB_PUSHER_TOKEN in xlink/xlink-app (scope *)`. */
  readonly subject: string;
  readonly urn: string;
  readonly entry: ImportEntry;
}

const PROVIDER_KEY = "gitlab";

/** Every adoption the evaluated program declares, in declaration order. Throws if the evaluation failed. */
export function adoptionsOf(evaluation: Evaluation): Adoption[] {
  if (!evaluation.outputs) throw new Error(evaluation.error ?? "the program registered no outputs");
  const [provider] = registrationsOf(evaluation, "provider");
  if (!provider) throw new Error("the program registered no GitLab provider");
  const registered = (kind: RegistrationKind, matches: (inputs: Record<string, unknown>) => boolean, what: string): Registration => {
    const found = registrationsOf(evaluation, kind).filter((registration) => matches(registration.inputs));
    if (found.length !== 1) throw new Error(`expected one registered ${what}, found ${found.length}`);
    return found[0];
  };
  const entry = (registration: Registration, id: string): ImportEntry => ({
    type: registration.type,
    name: registration.name,
    id,
    parent: componentName(evaluation, registration.parent),
    provider: PROVIDER_KEY,
    version: provider.version,
  });

  return evaluation.outputs.inventory.flatMap((token: InventoryToken) => {
    const adoptions: Adoption[] = [];
    const handMade = token.retiring;
    if (handMade && handMade.tokenId !== null) {
      const generation = registered(
        "projectAccessToken",
        (inputs) => inputs.project === token.project && inputs.name === handMade.name && inputs.expiresAt === handMade.expiresAt,
        `retiring generation of ${token.name} in ${token.project}`,
      );
      // The project part is the project exactly as declared (path or ID): the provider stores it as
      // read from the ID, and any other spelling would show as a replacement on the next preview.
      const id = `${token.project}:${handMade.tokenId}`;
      adoptions.push({
        subject: `token ${handMade.name} (#${handMade.tokenId}) in ${token.project}, retiring, revoked after ${handMade.revokeAfter}`,
        urn: generation.urn,
        entry: { ...entry(generation, id), ...handMadeTokenState(generation, id) },
      });
    }
    for (const consumer of token.consumers.filter((candidate) => candidate.adopt)) {
      const variable = registered(
        "projectVariable",
        (inputs) => inputs.project === consumer.project && inputs.key === consumer.key && inputs.environmentScope === consumer.environmentScope,
        `variable ${consumer.key} in ${consumer.project}`,
      );
      adoptions.push({
        subject: `variable ${consumer.key} in ${consumer.project} (environment scope ${consumer.environmentScope})`,
        urn: variable.urn,
        entry: { ...entry(variable, `${consumer.project}:${consumer.key}:${consumer.environmentScope}`), inputs: { value: SECRET_VALUE } },
      });
    }
    return adoptions;
  });
}

/**
 * The state a hand-made token is imported with, instead of the provider's Read: the program's inputs,
 * the ID, and `validatePastExpirationDate: false`, as a token the provider created holds it. Read
 * never sets that attribute (upstream's Read, which the stand-in follows), so an imported token would
 * lack it; the provider then plans its default (false) as an in-place change, which it applies by
 * rotating the token, i.e. GitLab revokes the hand-made token at once, in the very `pulumi up` that
 * moves its variables. `ignoreChanges` cannot stop it: the bridge applies ignoreChanges to the inputs
 * before the plan fills in defaults (pulumi-terraform-bridge pkg/pf/tfbridge/provider_diff.go).
 * test/e2e/adoption.test.ts shows both through the engine. The rest of the state (createdAt, the bot
 * user) is read by the `pulumi refresh` that `adopt` prints next, which also drops a wrong tokenId.
 */
function handMadeTokenState(generation: Registration, id: string): Pick<ImportEntry, "inputs" | "outputs"> {
  const inputs = Object.fromEntries(HAND_MADE_TOKEN_INPUTS.map((key) => [key, generation.inputs[key]]));
  return { inputs, outputs: { ...inputs, id, validatePastExpirationDate: false } };
}

const HAND_MADE_TOKEN_INPUTS = ["project", "name", "scopes", "accessLevel", "expiresAt"] as const;

/**
 * An adopted variable's `value` input, a secret. The provider's schema does not mark a variable's
 * value secret, so an import through its Read would write the hand-made token the variable holds to
 * the state in plaintext, and with it to the state's backups and history, where no later update
 * reaches. A supplied input that is secret makes the engine keep the read value secret
 * (pkg/resource/deploy/step.go mergeSuppliedProperties), and an input secret makes its output secret
 * too (step_executor.go); the read value itself is kept, so the placeholder is never used, except for
 * a hidden variable, whose value GitLab does not return: the next `pulumi up` replaces it either way.
 */
const SECRET_VALUE = asFileSecret("");

/** The `pulumi import --file` document for these adoptions. */
export function importFileOf(evaluation: Evaluation, adoptions: readonly Adoption[]): ImportFile {
  const [provider] = registrationsOf(evaluation, "provider");
  const nameTable: Record<string, string> = {};
  if (provider && adoptions.length > 0) nameTable[PROVIDER_KEY] = provider.urn;
  for (const { entry } of adoptions) nameTable[entry.parent] = urnOfComponent(evaluation, entry.parent);
  return { nameTable, resources: adoptions.map((adoption) => adoption.entry) };
}

/** URNs of the parents and the provider, which must exist in the stack before the import (see README). */
export function prerequisiteUrns(importFile: ImportFile): string[] {
  return Object.values(importFile.nameTable);
}

function componentName(evaluation: Evaluation, urn: string): string {
  const component = evaluation.registrations.find((registration) => registration.urn === urn);
  if (!component) throw new Error(`no registered parent ${urn}`);
  return component.name;
}

function urnOfComponent(evaluation: Evaluation, name: string): string {
  const component = evaluation.registrations.find((registration) => !registration.custom && registration.name === name);
  if (!component) throw new Error(`no registered component ${name}`);
  return component.urn;
}
