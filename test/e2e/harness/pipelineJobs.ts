// The pipeline's own `pulumi` command lines, read from .gitlab-ci.yml and run verbatim on a stack
// (only `$STACK` is filled in), with the program served to the CLI: what CI's apply job runs (a
// `pulumi refresh`, then `pulumi up --yes`, which previews first, so a policy violation stops it
// before any change, unlike the Automation API's `up --skip-preview`), what its preview job runs
// (`pulumi preview --json`, with the job's `export`ed variables) and what its drift job runs.

import { readFileSync } from "node:fs";
import * as path from "node:path";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { parse } from "yaml";
import { PROJECT_ROOT } from "../../../lib/engine";
import type { CliRun } from "./runCli";
import type { E2eStack } from "./stack";

/** The jobs of .gitlab-ci.yml that run `pulumi` on the stack. */
export type PulumiJob = "apply" | "preview" | "drift";

/** What this runner takes from a job's script: the variables it exports and its `pulumi` commands, in order. */
export interface PipelineScript {
  readonly env: Readonly<Record<string, string>>;
  /** Each `pulumi …` line without a shell redirection or `||` tail, `"$STACK"` still in it. */
  readonly commands: readonly string[];
}

export interface PipelineRun extends CliRun {
  /** The commands as .gitlab-ci.yml holds them, `$STACK` filled in, in the order they ran. */
  readonly commands: readonly string[];
  /** Each command's own run; the fields above are the last one's code, and every run's output and events. */
  readonly runs: readonly CliRun[];
  /** The engine's change counts of the last command's last phase (`summaryEvent.resourceChanges`); {} when it never summed up. */
  readonly changes: Readonly<Record<string, number>>;
  /** Error diagnostics of every command, as the engine or the program worded them. */
  readonly errors: readonly string[];
}

export interface PipelineJobOptions {
  /** Variables the job gets from GitLab (its `variables:` and the project's CI/CD variables). */
  readonly env?: Readonly<Record<string, string>>;
}

/** The job's exported variables and `pulumi` lines in .gitlab-ci.yml; a line this runner cannot run without a shell is an error. */
export function pipelineScript(job: PulumiJob): PipelineScript {
  const ci = parse(readFileSync(path.join(PROJECT_ROOT, ".gitlab-ci.yml"), "utf8")) as Record<string, { script?: string[] }>;
  const script = ci[job]?.script ?? [];
  const env: Record<string, string> = {};
  for (const line of script) {
    const exported = /^export ([A-Z_][A-Z0-9_]*)=(\S*)$/.exec(line);
    if (exported) env[exported[1]] = exported[2];
  }
  const commands = script.filter((line) => line.startsWith("pulumi ")).map((line) => line.replace(/\s*(>|\|\|).*$/, ""));
  if (commands.length === 0) throw new Error(`.gitlab-ci.yml: job ${job} has no pulumi line`);
  for (const command of commands) {
    if (/["'$`]/.test(command.replaceAll('"$STACK"', ""))) throw new Error(`.gitlab-ci.yml: job ${job}'s command ${command} has shell syntax this runner does not interpret`);
  }
  return { env, commands };
}

/** The job's last `pulumi` line (the one that changes the stack), `"$STACK"` still in it. */
export function pipelineCommand(job: PulumiJob): string {
  return pipelineScript(job).commands.at(-1)!;
}

/**
 * The job's pulumi commands on `stack`, in order, each in the stack's engine environment with its
 * program served; the first that fails ends the job, as a failing script line ends a GitLab job.
 */
export async function runPipelineJob(stack: E2eStack, job: PulumiJob, options: PipelineJobOptions = {}): Promise<PipelineRun> {
  const script = pipelineScript(job);
  const runs: CliRun[] = [];
  const commands: string[] = [];
  for (const line of script.commands) {
    const command = line.replaceAll('"$STACK"', stack.name);
    commands.push(command);
    const run = await stack.env.pulumi(command.split(/\s+/).slice(1), { program: stack.program, events: true, env: { ...script.env, ...options.env } });
    runs.push(run);
    if (run.code !== 0) break;
  }
  const last = runs.at(-1)!;
  const events = runs.flatMap((run) => run.events);
  return {
    ...last,
    stdout: runs.map((run) => run.stdout).join(""),
    stderr: runs.map((run) => run.stderr).join(""),
    events,
    commands,
    runs,
    changes: summaryOf(last.events),
    errors: errorsOf(events),
  };
}

function summaryOf(events: readonly EngineEvent[]): Readonly<Record<string, number>> {
  // `up` without --skip-preview sums up its preview, then its update.
  return events.findLast((event) => event.summaryEvent)?.summaryEvent?.resourceChanges ?? {};
}

function errorsOf(events: readonly EngineEvent[]): string[] {
  return events.flatMap((event) => (event.diagnosticEvent?.severity === "error" ? [event.diagnosticEvent.message.trim()] : []));
}
