// The pipeline's own `pulumi` command lines, read from .gitlab-ci.yml and run verbatim on a stack
// (only `$STACK` is filled in), with the program served to the CLI: what CI's apply job runs
// (`pulumi up --yes`, which previews first, so a policy violation stops it before any change, unlike
// the Automation API's `up --skip-preview`), and what its preview job runs (`pulumi preview --json`,
// with the variables the job exports, so streaming JSON as the runner prints it).

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
  const lines = jobScript(job).filter((line) => line.startsWith("pulumi "));
  if (lines.length !== 1) throw new Error(`.gitlab-ci.yml: job ${job} has ${lines.length} pulumi lines, not one`);
  return lines[0].replace(/\s*(>|\|\|).*$/, "");
}

/**
 * The variables the job's script exports before its `pulumi` line (`export NAME=value`), e.g. the
 * preview job's PULUMI_ENABLE_STREAMING_JSON_PREVIEW=1, which turns what it prints into engine events.
 */
export function pipelineExports(job: PulumiJob): Record<string, string> {
  const script = jobScript(job);
  const upTo = script.slice(0, script.findIndex((line) => line.startsWith("pulumi ")));
  const exported: Record<string, string> = {};
  for (const line of upTo.filter((each) => each.startsWith("export "))) {
    const match = /^export ([A-Z_][A-Z0-9_]*)=([\w.:/-]*)$/.exec(line);
    if (!match) throw new Error(`.gitlab-ci.yml: job ${job}'s line ${line} has shell syntax this runner does not interpret`);
    exported[match[1]!] = match[2]!;
  }
  return exported;
}

function jobScript(job: PulumiJob): string[] {
  const ci = parse(readFileSync(path.join(PROJECT_ROOT, ".gitlab-ci.yml"), "utf8")) as Record<string, { script?: string[] }>;
  return ci[job]?.script ?? [];
}

/** The job's pulumi command on `stack`, with the variables its script exports, run in the stack's engine environment with its program served. */
export async function runPipelineJob(stack: E2eStack, job: PulumiJob): Promise<PipelineRun> {
  const command = pipelineCommand(job).replaceAll('"$STACK"', stack.name);
  if (/["'$`]/.test(command)) throw new Error(`.gitlab-ci.yml: job ${job}'s command ${command} has shell syntax this runner does not interpret`);
  const run = await stack.env.pulumi(command.split(/\s+/).slice(1), { program: stack.program, events: true, env: pipelineExports(job) });
  return { ...run, command, changes: summaryOf(run.events), errors: errorsOf(run.events) };
}

function summaryOf(events: readonly EngineEvent[]): Readonly<Record<string, number>> {
  // `up` without --skip-preview sums up its preview, then its update.
  return events.findLast((event) => event.summaryEvent)?.summaryEvent?.resourceChanges ?? {};
}

function errorsOf(events: readonly EngineEvent[]): string[] {
  return events.flatMap((event) => (event.diagnosticEvent?.severity === "error" ? [event.diagnosticEvent.message.trim()] : []));
}
