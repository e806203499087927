// `npm run adopt -- --stack dev [--out adopt.json] [--state state.json] [--today YYYY-MM-DD] [--dir PATH]`
//
// Writes the file `pulumi import --file` takes to bring hand-made variables (`adopt: true`) and
// hand-made tokens (`retiring.tokenId`) under the stack, derived by evaluating the real program offline.
// With --state (the output of `pulumi stack export`), it leaves out what the stack already holds and
// warns about `adopt: true` markers left in place after their import.

import { readFileSync, writeFileSync } from "node:fs";
import { fixedClock, systemClock } from "../config/clock";
import { isIsoDate } from "../config/dates";
import { adoptionsOf, importFileOf, prerequisiteUrns, type Adoption } from "../lib/adoption/importFile";
import { commandOutput, CONSOLE, parseStackCommand, runCommand, type CliOutput } from "../lib/command/stackCommand";
import { generationMarker } from "../lib/evaluation/planReport";
import { evaluateStackFile } from "../lib/evaluation/stackEvaluation";

const USAGE = "usage: npm run adopt -- --stack <name> [--out adopt.json] [--state <pulumi stack export output>] [--today YYYY-MM-DD] [--dir <folder with Pulumi.yaml>]";

interface Options {
  readonly stack: string;
  readonly out: string;
  readonly state?: string;
  readonly today?: string;
  readonly dir: string;
}

/** Runs the command with `argv`, printing through `output`; returns its exit code. In-process for tests. */
export async function adoptCommand(argv: readonly string[], output: CliOutput = CONSOLE): Promise<number> {
  const { fail, redacted: out } = commandOutput(output);
  const values = parseStackCommand(
    argv,
    { stack: { type: "string" }, out: { type: "string" }, state: { type: "string" }, today: { type: "string" }, dir: { type: "string" } },
    USAGE,
    out,
  );
  if (typeof values === "number") return values;
  if (values.today !== undefined && !isIsoDate(values.today)) return fail(`--today must be a date like 2026-11-25, got ${JSON.stringify(values.today)}`);
  const options: Options = { stack: values.stack, out: values.out ?? "adopt.json", state: values.state, today: values.today, dir: values.dir ?? process.cwd() };

  try {
    const clock = options.today ? fixedClock(options.today) : systemClock;
    const { evaluation } = await evaluateStackFile({ dir: options.dir, stack: options.stack, clock, tokenValue: generationMarker, tool: "adopt" });
    if (evaluation.error) return fail(evaluation.error);
    const adoptions = adoptionsOf(evaluation);
    if (adoptions.length === 0) {
      out.out(`Nothing to adopt in stack ${options.stack}: no consumer says adopt: true and no retiring block names a tokenId. ${options.out} was not written.`);
      return 0;
    }

    const inState = options.state ? stateUrns(options.state) : undefined;
    const pending = adoptions.filter((adoption) => !inState?.has(adoption.urn));
    for (const done of adoptions.filter((adoption) => inState?.has(adoption.urn))) {
      out.err(done.entry.type.endsWith(":ProjectVariable")
        ? `warning: ${done.subject} is already in the stack: remove its adopt: true marker`
        : `note: ${done.subject} is already in the stack; its retiring block stays until it is revoked`);
    }
    if (pending.length === 0) {
      out.out(`Everything declared for adoption is already in stack ${options.stack}. ${options.out} was not written.`);
      return 0;
    }

    const importFile = importFileOf(evaluation, pending);
    writeFileSync(options.out, `${JSON.stringify(importFile, null, 2)}\n`);
    out.out(report(options, pending, prerequisiteUrns(importFile).filter((urn) => !inState?.has(urn))));
    return 0;
  } catch (error) {
    return fail((error as Error).message);
  }
}

function report(options: Options, pending: readonly Adoption[], missingPrerequisites: readonly string[]): string {
  const stack = `--stack ${options.stack}`;
  const targets = missingPrerequisites.map((urn) => `--target '${urn}'`).join(" ");
  return [
    `Wrote ${options.out}: ${pending.length} resource${pending.length === 1 ? "" : "s"} to import into stack ${options.stack}.`,
    ...pending.map((adoption) => `  ${adoption.subject}\n    import id ${adoption.entry.id}`),
    "Next:",
    ...(missingPrerequisites.length > 0
      ? [`  1. pulumi up ${stack} ${targets}`, "     (creates only the provider and the components the imports go under; already there if the stack was applied before)"]
      : ["  1. (the provider and the components are already in the stack)"]),
    `  2. pulumi import ${stack} --file ${options.out} --protect=false --generate-code=false`,
    `  3. pulumi preview ${stack}: adopted variables show as updates (now holding the new token), new generations as creates, nothing replaced or deleted`,
    "  4. remove every adopt: true, then merge and let the pipeline run pulumi up",
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


if (require.main === module) runCommand("adopt", () => adoptCommand(process.argv.slice(2)));
