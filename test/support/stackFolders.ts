// Stack folders for `npm run rotate` and `npm run expiry` as a user runs them: temp copies of stack
// files with comments and odd formatting, and the two CLIs run either spawned, as a user runs them
// (the main paths), or in this process (the variations, which saves a Node start-up each).

import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after } from "node:test";
import { expiryCli } from "../../cli/expiry";
import { rotateCli } from "../../cli/rotate";
import { PROJECT_ROOT } from "./sharedData";

/** Lines of a file, each ending in a newline. */
export const lines = (...text: string[]) => text.map((line) => `${line}\n`).join("");

export interface Run {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

const CLIS = { rotate: rotateCli, expiry: expiryCli };

/** Runs a CLI in this process, its output collected as a spawned run's would be. */
export function runHere(tool: keyof typeof CLIS, args: readonly string[]): Run {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const status = CLIS[tool](args, { out: (text) => stdout.push(`${text}\n`), err: (text) => stderr.push(`${text}\n`) });
  return { status, stdout: stdout.join(""), stderr: stderr.join("") };
}

/** Spawns `node --import tsx cli/<tool>.ts`, without the developer's GITLAB_TOKEN. */
export function run(tool: keyof typeof CLIS, args: readonly string[]): Promise<Run> {
  const { GITLAB_TOKEN: _ignored, ...env } = process.env;
  return new Promise((resolve) => {
    execFile(process.execPath, ["--import", "tsx", `cli/${tool}.ts`, ...args], { cwd: PROJECT_ROOT, env, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ status: error ? Number(error.code) : 0, stdout, stderr });
    });
  });
}

const dirs: string[] = [];
after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A folder with Pulumi.yaml and Pulumi.<stack>.yaml holding `text`; returns the stack file's path. */
export function stackFolder(stack: string, text: string): { dir: string; file: string } {
  const dir = mkdtempSync(path.join(tmpdir(), "rotate-test-"));
  dirs.push(dir);
  writeFileSync(path.join(dir, "Pulumi.yaml"), "name: gitlab-push-tokens\nruntime: nodejs\nmain: infra/index.ts\n");
  const file = path.join(dir, `Pulumi.${stack}.yaml`);
  writeFileSync(file, text);
  return { dir, file };
}

/** A folder holding the committed stack `stack`: Pulumi.yaml, Pulumi.<stack>.yaml and the declaration file it names; returns the declaration's path. */
export function committedStackFolder(stack: string): { dir: string; file: string; text: string } {
  const { dir } = stackFolder(stack, readFileSync(path.join(PROJECT_ROOT, `Pulumi.${stack}.yaml`), "utf8"));
  const declaration = `push-tokens/${stack}.yaml`;
  const text = readFileSync(path.join(PROJECT_ROOT, declaration), "utf8");
  mkdirSync(path.join(dir, "push-tokens"));
  writeFileSync(path.join(dir, declaration), text);
  return { dir, file: path.join(dir, declaration), text };
}

/** Odd but valid: 4-space indentation, extra spaces, trailing comments, a flow map, single quotes, blank lines. */
export const OPS_STACK = lines(
  '# Stack "ops": odd but valid formatting, to show that rotate edits only what it must.',
  "config:",
  '    gitlab-push-tokens:gitlab:   {baseUrl: "https://gitlab.example.com/api/v4", maxTokenLifetimeDays: 120}',
  "    gitlab-push-tokens:expiryWarningDays: 30",
  "",
  "",
  "    gitlab-push-tokens:pushTokens:",
  "        # The gitops repository.",
  "        -   name: GITLAB_CI_PUSHER      # shown in GitLab",
  '            project:   "xlink/xlink-k8s-gitops"',
  "            scopes: [ write_repository ]",
  "            expiresAt:   '2026-12-10'   # rotated by npm run rotate",
  "            consumers:",
  "              - project: xlink/xlink-app",
  "                key: GITLAB_PUSHER_TOKEN",
  "                # hidden: true   (GitLab 17.4+)",
  "",
  "            # The previous generation.",
  "            retiring:",
  '                expiresAt: "2026-11-30"',
  '                revokeAfter: "2026-11-20T12:00:00Z"   # long past',
  "        -   name: RELEASE_TAGGER",
  "            project: xlink/xlink-charts",
  "            accessLevel: maintainer",
  '            expiresAt: "2027-01-20"',
  "            consumers: [{project: xlink/xlink-release, key: CHARTS_PUSH_TOKEN}]",
  '        -   {name: FLOW_TOKEN, project: xlink/flow, expiresAt: "2027-03-01", consumers: [{project: xlink/app2, key: FLOW_TOKEN}]}',
);
