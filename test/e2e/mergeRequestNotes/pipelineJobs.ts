// The pipeline's own lines of .gitlab-ci.yml, run as its preview and apply jobs run them, on a stack
// of the notes suite: the variables the preview job exports, its `pulumi preview` line (stdout and
// stderr into the files the job names), then its `preview-comment` line on those files with `$STACK`
// and `$preview_status` filled in; and the apply job's `pulumi up` line. The program is served to
// the CLI from this process, as the harness does for every direct run.

import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { PROJECT_ROOT } from "../../../lib/engine";
import { runCli } from "../../support/cliRun";
import type { CliRun, E2eStack } from "../harness";

interface Job {
  readonly script: readonly string[];
}

const ci = parse(readFileSync(path.join(PROJECT_ROOT, ".gitlab-ci.yml"), "utf8")) as Record<string, Job>;

/** The one line of `job`'s script that matches, or an error naming the job. */
function lineOf(job: string, pattern: RegExp): string {
  const lines = ci[job].script.filter((line) => pattern.test(line));
  if (lines.length !== 1) throw new Error(`.gitlab-ci.yml: job ${job} has ${lines.length} lines matching ${pattern}, not one`);
  return lines[0];
}

/** A line's words up to its first redirection, with the job's variables filled in; the line's quotes hold no blanks. */
function words(line: string, variables: Readonly<Record<string, string>>): string[] {
  const command = line.replace(/\s+(?:\d?>|\|\|).*$/, "");
  return command.split(/\s+/).map((word) => word.replace(/^"\$(\w+)"$/, (_, name: string) => variables[name] ?? `$${name}`));
}

/** The files a line redirects to: `> file` (stdout) and `2> file` (stderr). */
function redirections(line: string): { stdout?: string; stderr?: string } {
  return { stdout: /(?:^|\s)>\s*(\S+)/.exec(line)?.[1], stderr: /\s2>\s*(\S+)/.exec(line)?.[1] };
}

export interface PreviewJobRun {
  /** The `pulumi preview` run. */
  readonly preview: CliRun;
  /** What the job wrote for preview-comment: the preview's stdout. */
  readonly output: string;
  /** The note preview-comment wrote (comment.md), its exit code and what it said on stderr. */
  readonly note: string;
  readonly noteExitCode: number | null;
  readonly noteStderr: string;
}

export interface PreviewJobOptions {
  /** Variables every CLI run of the world gets (the API token, the CA). */
  readonly vars: Readonly<Record<string, string>>;
  /** Leave out what the job exports: what a user who runs the classic `pulumi preview --json` by hand gets. */
  readonly classic?: boolean;
  /** The stack name `$STACK` holds; the stack's own by default. */
  readonly stackName?: string;
}

/** The preview job's lines on `stack`, in the stack's work dir, as the job runs them. */
export async function runPreviewJob(stack: E2eStack, options: PreviewJobOptions): Promise<PreviewJobRun> {
  const exported: Record<string, string> = {};
  for (const line of ci.preview.script) {
    const exporting = /^export (\w+)=(\S+)$/.exec(line);
    if (exporting) exported[exporting[1]] = exporting[2];
  }
  const variables = { STACK: options.stackName ?? stack.name };
  const previewLine = lineOf("preview", /^pulumi preview /);
  const [, ...args] = words(previewLine, variables);
  const preview = await stack.env.pulumi(args, { program: stack.program, env: { ...options.vars, ...(options.classic ? {} : exported) } });
  const files = redirections(previewLine);
  const workDir = stack.env.workDir;
  if (!files.stdout || !files.stderr) throw new Error(`.gitlab-ci.yml: the preview job's pulumi line does not keep both stdout and stderr: ${previewLine}`);
  writeFileSync(path.join(workDir, files.stdout), preview.stdout);
  writeFileSync(path.join(workDir, files.stderr), preview.stderr);

  const commentLine = lineOf("preview", /npm run --silent preview-comment /);
  const commentArgs = words(commentLine, { ...variables, preview_status: String(preview.code) });
  const note = await runCli("preview-comment.ts", commentArgs.slice(commentArgs.indexOf("--") + 1), {}, workDir);
  return { preview, output: preview.stdout, note: note.stdout, noteExitCode: note.code, noteStderr: note.stderr };
}

/** The apply job's `pulumi up` line on `stack`. */
export async function runApplyJob(stack: E2eStack, vars: Readonly<Record<string, string>>): Promise<CliRun> {
  const [, ...args] = words(lineOf("apply", /^pulumi up /), { STACK: stack.name });
  return stack.env.pulumi(args, { program: stack.program, env: { ...vars } });
}
