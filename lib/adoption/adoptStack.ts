// What `npm run adopt` does for one stack file: evaluates the program offline, derives the
// `pulumi import --file` document for what it declares as adopted (importFile.ts), leaves out what a
// `pulumi stack export` shows the stack holds already, writes the file and says what to run next.

import { readFileSync, writeFileSync } from "node:fs";
import type { Clock } from "../../config/clock";
import { count } from "../command/reportText";
import type { CliOutput } from "../command/stackCommand";
import { generationMarker } from "../evaluation/planReport";
import { evaluateStackFile } from "../evaluation/stackEvaluation";
import { adoptionsOf, importFileOf, prerequisiteUrns, type Adoption } from "./importFile";

export interface AdoptRequest {
  /** The folder holding Pulumi.yaml and the stack file. */
  readonly dir: string;
  readonly stack: string;
  /** Where the import file goes. */
  readonly out: string;
  /** A `pulumi stack export` document: what the stack already holds is left out. */
  readonly state?: string;
  /** The clock to evaluate with (stopped at --today or --now by the command). */
  readonly clock: Clock;
}

/**
 * Writes the import file `request.out` when there is anything to import, and prints what it wrote (or
 * why it wrote nothing) and the next steps; throws an Error with a one-line message.
 */
export async function adoptStack(request: AdoptRequest, out: CliOutput): Promise<void> {
  const { evaluation } = await evaluateStackFile({
    dir: request.dir,
    stack: request.stack,
    clock: request.clock,
    tokenValue: generationMarker,
    tool: "adopt",
    ...(out.progress && { progress: out.progress }),
  });
  if (evaluation.error) throw new Error(evaluation.error);
  const adoptions = adoptionsOf(evaluation);
  if (adoptions.length === 0) {
    out.out(`Nothing to adopt in stack ${request.stack}: no consumer says adopt: true and no retiring block names a tokenId. ${request.out} was not written.`);
    return;
  }

  const inState = request.state ? stateUrns(request.state) : undefined;
  const pending = adoptions.filter((adoption) => !inState?.has(adoption.urn));
  for (const done of adoptions.filter((adoption) => inState?.has(adoption.urn))) {
    out.err(done.entry.type.endsWith(":ProjectVariable")
      ? `warning: ${done.subject} is already in the stack: remove its adopt: true marker`
      : `note: ${done.subject} is already in the stack; its retiring block stays until it is revoked`);
  }
  if (pending.length === 0) {
    out.out(`Everything declared for adoption is already in stack ${request.stack}. ${request.out} was not written.`);
    return;
  }

  const importFile = importFileOf(evaluation, pending);
  writeFileSync(request.out, `${JSON.stringify(importFile, null, 2)}\n`);
  out.out(nextSteps(request, pending, prerequisiteUrns(importFile).filter((urn) => !inState?.has(urn))));
}

function nextSteps(request: AdoptRequest, pending: readonly Adoption[], missingPrerequisites: readonly string[]): string {
  const stack = `--stack ${request.stack}`;
  const targets = missingPrerequisites.map((urn) => `--target '${urn}'`).join(" ");
  let step = 2;
  const tokens = pending.filter((adoption) => adoption.entry.outputs !== undefined);
  return [
    `Wrote ${request.out}: ${count(pending.length, "resource")} to import into stack ${request.stack}.`,
    ...pending.map((adoption) => `  ${adoption.subject}\n    import id ${adoption.entry.id}`),
    "Next:",
    ...(missingPrerequisites.length > 0
      ? [`  1. pulumi up ${stack} ${targets}`, "     (creates only the provider and the components the imports go under; already there if the stack was applied before)"]
      : ["  1. (the provider and the components are already in the stack)"]),
    `  2. pulumi import ${stack} --file ${request.out} --protect=false --generate-code=false`,
    // A hand-made token is imported from the state the file gives (importFile.ts): read the rest back,
    // which is also where a tokenId GitLab does not know shows. Only the token: a refresh reads
    // variables' values too, and GitLab's is the hand-made token.
    ...(tokens.length > 0
      ? [`  ${++step}. pulumi refresh ${stack} ${tokens.map((adoption) => `--target '${adoption.urn}'`).join(" ")}: reads the imported ${tokens.length === 1 ? "token" : "tokens"} back from GitLab; a delete means GitLab has no such tokenId: answer no and fix it`]
      : []),
    `  ${++step}. pulumi preview ${stack}: adopted variables show as updates (now holding the new token), new generations as creates, nothing replaced or deleted`,
    `  ${++step}. remove every adopt: true, then merge and let the pipeline run pulumi up`,
  ].join("\n");
}

/** URNs in a `pulumi stack export` document. */
function stateUrns(file: string): Set<string> {
  let document: unknown;
  try {
    document = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new Error(`--state ${file} is not readable JSON (${(error as Error).message.split("\n")[0]}): pass the output of \`pulumi stack export\``);
  }
  const resources = (document as { deployment?: { resources?: unknown } } | null)?.deployment?.resources;
  if (resources === undefined) return new Set(); // a stack that was never applied
  if (!Array.isArray(resources)) throw new Error(`--state ${file} is not the output of \`pulumi stack export\`: deployment.resources is not a list`);
  return new Set(resources.map((resource) => (resource as { urn?: unknown })?.urn).filter((urn): urn is string => typeof urn === "string"));
}
