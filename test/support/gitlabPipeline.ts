// What GitLab makes of this repository's real .gitlab-ci.yml in one pipeline: which jobs it creates
// (workflow:rules, then each job's rules, `extends` resolved), and which CI/CD variables each job's
// environment holds. The model follows gitlabhq's documentation, and only as far as the file needs:
//   - doc/ci/yaml/_index.md: workflow:rules and rules (first matching rule decides; `when: never`
//     excludes), `extends` (hashes merged deeply, everything else replaced), a hidden job (`.name`) is
//     no job; a job without rules is refused here, since the file gives every job rules;
//   - doc/ci/variables/_index.md: a protected variable reaches only pipelines of protected branches
//     and tags, and (18.1+, doc/ci/pipelines/merge_request_pipelines.md) merge-request pipelines GitLab
//     trusts with protected variables; a variable scoped to an environment reaches only jobs deploying
//     to a matching environment (`*` a wildcard); project variables outrank variables defined in the
//     file (the precedence list: project variables above job and global `variables:`);
//   - a fork's merge-request pipeline runs in the fork, with the fork's variables, none of the parent's;
//   - doc/ci/yaml/_index.md#parallelmatrix: `parallel:matrix` makes one job per combination of its
//     variables' values, named `<job>: [<value>, …]`, each with those variables as job variables
//     (which its rules, environment and resource_group read).
// Variables in rules:if are the pipeline's (predefined, the file's global `variables:`, project
// variables the pipeline may see, scope "*" only), which is what the rules of this file read.

import { readFileSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { evaluateRuleIf } from "./gitlabRules";
import { PROJECT_ROOT } from "./sharedData";

/** A CI/CD variable of the project (Settings > CI/CD > Variables). */
export interface ProjectVariable {
  readonly key: string;
  readonly value: string;
  readonly protected: boolean;
  /** "*" for every environment, else an environment name or pattern. */
  readonly environmentScope: string;
}

/** One pipeline: the predefined variables GitLab sets, and whether GitLab hands it protected variables. */
export interface PipelineCase {
  readonly predefined: Readonly<Record<string, string>>;
  /** GitLab's decision (see `grantsProtectedVariables`). */
  readonly protectedVariables: boolean;
  /** The project whose variables the pipeline gets: the fork's pipeline gets the fork's. */
  readonly projectVariables: readonly ProjectVariable[];
}

interface Rule {
  readonly if?: string;
  readonly when?: string;
}

interface JobDefinition {
  readonly rules?: readonly Rule[];
  readonly extends?: string | readonly string[];
  readonly variables?: Readonly<Record<string, string>>;
  readonly environment?: string | { readonly name: string };
  readonly script?: readonly string[];
  readonly before_script?: readonly string[];
  readonly [key: string]: unknown;
}

export interface PlannedJob {
  /** As GitLab names it: the job's key, and for a matrix job its values, e.g. `preview: [dev]`. */
  readonly name: string;
  /** The job's key in the file. */
  readonly key: string;
  /** The job after `extends`. */
  readonly definition: JobDefinition;
  /** The environment the job deploys to, variables expanded; undefined for none. */
  readonly environment?: string;
  /** Every variable in the job's environment, by key (predefined ones included). */
  readonly variables: Readonly<Record<string, string>>;
}

const RESERVED = new Set(["workflow", "stages", "variables", "default", "include", "image", "services", "cache", "before_script", "after_script"]);

export function readPipelineFile(file = path.join(PROJECT_ROOT, ".gitlab-ci.yml")): Record<string, unknown> {
  return parse(readFileSync(file, "utf8")) as Record<string, unknown>;
}

/** The jobs GitLab creates for `pipeline` from the file's `document`, in file order; none when workflow:rules refuse it. */
export function planPipeline(document: Record<string, unknown>, pipeline: PipelineCase): PlannedJob[] {
  const globalVariables = (document.variables ?? {}) as Record<string, string>;
  const projectVisible = pipeline.projectVariables.filter((variable) => !variable.protected || pipeline.protectedVariables);
  const ruleVariables: Record<string, string> = {
    ...pipeline.predefined,
    ...globalVariables,
    ...Object.fromEntries(projectVisible.filter((variable) => variable.environmentScope === "*").map((variable) => [variable.key, variable.value])),
  };
  const workflow = (document.workflow as { rules?: Rule[] } | undefined)?.rules;
  if (workflow && !firstMatch(workflow, ruleVariables, "workflow")) return [];

  const jobs: PlannedJob[] = [];
  for (const [name, raw] of Object.entries(document)) {
    if (RESERVED.has(name) || name.startsWith(".")) continue;
    const resolved = resolveExtends(document, name, raw as JobDefinition);
    for (const { jobName, matrixVariables } of matrixJobs(name, resolved)) {
      const definition = matrixVariables === undefined ? resolved : { ...resolved, variables: { ...(resolved.variables ?? {}), ...matrixVariables } };
      if (!definition.rules) throw new Error(`job ${name} has no rules: the model does not guess GitLab's defaults; give it rules`);
      if (!firstMatch(definition.rules, { ...ruleVariables, ...(definition.variables ?? {}) }, name)) continue;
      const environmentName = typeof definition.environment === "string" ? definition.environment : definition.environment?.name;
      const environment = environmentName === undefined ? undefined : expand(environmentName, { ...ruleVariables, ...(definition.variables ?? {}) });
      // Project variables this job may see outrank the file's global and job `variables:`, and the
      // predefined ones outrank both; a file-level value such as $GITLAB_PREVIEW_TOKEN is expanded
      // against what the job holds.
      const fromProject = Object.fromEntries(projectVisible.filter((variable) => scopeMatches(variable.environmentScope, environment)).map((variable) => [variable.key, variable.value]));
      const fileLevel: Record<string, string> = { ...globalVariables, ...(definition.variables ?? {}) };
      const unexpanded = { ...fileLevel, ...fromProject, ...pipeline.predefined };
      const variables = { ...Object.fromEntries(Object.entries(fileLevel).map(([key, value]) => [key, expand(value, unexpanded)])), ...fromProject, ...pipeline.predefined };
      jobs.push({ name: jobName, key: name, definition, environment, variables });
    }
  }
  return jobs;
}

/** The jobs one definition makes: itself, or one per combination of its parallel:matrix values. */
function matrixJobs(name: string, definition: JobDefinition): { jobName: string; matrixVariables?: Record<string, string> }[] {
  const parallel = definition.parallel as { matrix?: Record<string, string | string[]>[] } | number | undefined;
  if (parallel === undefined) return [{ jobName: name }];
  if (typeof parallel === "number" || !Array.isArray(parallel.matrix)) throw new Error(`${name}: only parallel:matrix is modelled`);
  return parallel.matrix.flatMap((entry) => {
    let combinations: Record<string, string>[] = [{}];
    for (const [key, values] of Object.entries(entry)) {
      combinations = combinations.flatMap((combination) => (Array.isArray(values) ? values : [values]).map((value) => ({ ...combination, [key]: String(value) })));
    }
    return combinations.map((combination) => ({ jobName: `${name}: [${Object.values(combination).join(", ")}]`, matrixVariables: combination }));
  });
}

/**
 * Whether GitLab hands protected variables to a pipeline: a branch or tag pipeline when its ref is
 * protected; a merge-request pipeline only from 18.1, with the project's "Allow merge request
 * pipelines to access protected variables and runners" on, both branches protected, source and
 * target in the same project, and a user who may push or merge to the target branch.
 */
export function grantsProtectedVariables(pipeline: {
  readonly source: "push" | "schedule" | "merge_request_event";
  readonly refProtected?: boolean;
  readonly mergeRequest?: { readonly gitlabAtLeast181: boolean; readonly settingOn: boolean; readonly sourceProtected: boolean; readonly targetProtected: boolean; readonly sameProject: boolean; readonly userMayMerge: boolean };
}): boolean {
  if (pipeline.source !== "merge_request_event") return pipeline.refProtected === true;
  const mr = pipeline.mergeRequest;
  return mr !== undefined && mr.gitlabAtLeast181 && mr.settingOn && mr.sourceProtected && mr.targetProtected && mr.sameProject && mr.userMayMerge;
}

function firstMatch(rules: readonly Rule[], variables: Record<string, string>, owner: string): boolean {
  for (const rule of rules) {
    if (rule.if === undefined) throw new Error(`${owner}: a rule without if is not modelled`);
    if (!evaluateRuleIf(rule.if, variables)) continue;
    if (rule.when !== undefined && rule.when !== "never" && rule.when !== "on_success" && rule.when !== "always") throw new Error(`${owner}: when: ${rule.when} is not modelled`);
    return rule.when !== "never";
  }
  return false;
}

function resolveExtends(document: Record<string, unknown>, name: string, job: JobDefinition, seen: readonly string[] = []): JobDefinition {
  if (seen.includes(name)) throw new Error(`extends loops through ${[...seen, name].join(" → ")}`);
  const parents = job.extends === undefined ? [] : typeof job.extends === "string" ? [job.extends] : job.extends;
  let merged: Record<string, unknown> = {};
  for (const parent of parents) {
    const template = document[parent] as JobDefinition | undefined;
    if (!template) throw new Error(`${name} extends ${parent}, which the file does not define`);
    merged = deepMerge(merged, resolveExtends(document, parent, template, [...seen, name]));
  }
  const { extends: _, ...own } = job;
  return deepMerge(merged, own) as JobDefinition;
}

function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const isHash = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) merged[key] = isHash(value) && isHash(base[key]) ? deepMerge(base[key] as Record<string, unknown>, value) : value;
  return merged;
}

/** $NAME and ${NAME} replaced by their values; an undefined variable expands to nothing. */
function expand(text: string, variables: Readonly<Record<string, string>>): string {
  return text.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (_, key: string) => variables[key] ?? "");
}

function scopeMatches(scope: string, environment: string | undefined): boolean {
  if (scope === "*") return true;
  if (environment === undefined) return false;
  const pattern = new RegExp(`^${scope.split("*").map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);
  return pattern.test(environment);
}
