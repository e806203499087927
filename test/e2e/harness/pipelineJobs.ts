// The pipeline's own `pulumi` command lines, read from .gitlab-ci.yml and run verbatim on a stack
// (only `$STACK` is filled in), with the program served to the CLI: what CI's apply job runs
// (`pulumi up --yes`, which previews first, so a policy violation stops it before any change, unlike
// the Automation API's `up --skip-preview`), and what its preview job runs (`pulumi preview --json`).

import { readFileSync } from "node:fs";
import * as path from "node:path";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { parse } from "yaml";
import { PROJECT_ROOT } from "../../../lib/engine";
import type { CliRun } from "./runCli";
import type { E2eStack } from "./stack";

/** The jobs of .gitlab-ci.yml that run `pulumi` on the stack. */
export type PulumiJob = "apply" | "preview";

export interface PipelineRun extends CliRun {
  /** The command as .gitlab-ci.yml holds it, `$STACK` filled in. */
  readonly command: string;
  /** The engine's change counts of the run's last phase (`summaryEvent.resourceChanges`); {} when the engine never summed up. */
  readonly changes: Readonly<Record<string, number>>;
  /** Error diagnostics, as the engine or the program worded them. */
  readonly errors: readonly string[];
}

/** The job's `pulumi …` line in .gitlab-ci.yml, without a shell redirection or `||` tail. */
export function pipelineCommand(job: PulumiJob): string {
  const ci = parse(readFileSync(path.join(PROJECT_ROOT, ".gitlab-ci.yml"), "utf8")) as Record<string, { script?: string[] }>;
  const lines = (ci[job]?.script ?? []).filter((line) => line.startsWith("pulumi "));
  if (lines.length !== 1) throw new Error(`.gitlab-ci.yml: job ${job} has ${lines.length} pulumi lines, not one`);
  return lines[0].replace(/\s*(>|\|\|).*$/, "");
}

/** The job's pulumi command on `stack`, run in the stack's engine environment with its program served. */
export async function runPipelineJob(stack: E2eStack, job: PulumiJob): Promise<PipelineRun> {
  const command = pipelineCommand(job).replaceAll('"$STACK"', stack.name);
  if (/["'$`]/.test(command)) throw new Error(`.gitlab-ci.yml: job ${job}'s command ${command} has shell syntax this runner does not interpret`);
  const run = await stack.env.pulumi(command.split(/\s+/).slice(1), { program: stack.program, events: true });
  return { ...run, command, changes: summaryOf(run.events), errors: errorsOf(run.events) };
}

function summaryOf(events: readonly EngineEvent[]): Readonly<Record<string, number>> {
  // `up` without --skip-preview sums up its preview, then its update.
  return events.findLast((event) => event.summaryEvent)?.summaryEvent?.resourceChanges ?? {};
}

function errorsOf(events: readonly EngineEvent[]): string[] {
  return events.flatMap((event) => (event.diagnosticEvent?.severity === "error" ? [event.diagnosticEvent.message.trim()] : []));
}
