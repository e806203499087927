// `--stack` as a user writes it: a bare name (`dev`), or qualified as `pulumi stack ls` and
// `pulumi stack select` show it (`org/dev`, `org/gitlab-push-tokens/dev`), turned into the name of its
// file, Pulumi.<name>.yaml; and, when there is no such file, the stacks that are there.

import { existsSync, readdirSync } from "node:fs";
import * as path from "node:path";
import { readProjectName, stackFileName } from "./offlineConfig";

/** Pulumi's rule for a stack name; it also keeps the file name and a branch named after it free of path tricks. */
const STACK_NAME = /^[A-Za-z0-9_.-]+$/;
const STACK_FILE = /^Pulumi\.([A-Za-z0-9_.-]+)\.yaml$/;

/** A `--stack` that names no stack here: the message says which stacks there are. */
export class StackNameError extends Error {
  override readonly name = "StackNameError";
}

/** The stacks with a file in `dir`, sorted. */
export function stacksIn(dir: string): string[] {
  try {
    return readdirSync(dir)
      .map((file) => STACK_FILE.exec(file)?.[1])
      .filter((stack): stack is string => stack !== undefined)
      .sort();
  } catch {
    return [];
  }
}

/** "dev, migration", or a sentence saying there is none. */
export function describeStacks(dir: string): string {
  const stacks = stacksIn(dir);
  return stacks.length === 0 ? `there is no Pulumi.<stack>.yaml in ${dir}` : `the stacks in ${dir}: ${stacks.join(", ")}`;
}

/**
 * The bare stack name of `given`. When `dir` holds a Pulumi.yaml, the project part of a qualified name
 * must be its project and the stack must have its file there; without one, the reader of the files
 * reports what is missing.
 */
export function resolveStackName(dir: string, given: string): string {
  const parts = given.split("/");
  const stack = parts[parts.length - 1];
  if (parts.length > 3 || parts.some((part) => !STACK_NAME.test(part) || part === "." || part === "..")) {
    throw new StackNameError(
      `--stack ${JSON.stringify(given.slice(0, 100))} is not a stack name. Fix: write the name (letters, digits, _ . -), e.g. --stack dev, or qualified as pulumi stack ls shows it, e.g. --stack acme/gitlab-push-tokens/dev`,
    );
  }
  if (!existsSync(path.join(dir, "Pulumi.yaml"))) return stack;
  if (parts.length === 3) {
    const project = projectName(dir);
    if (project !== undefined && parts[1] !== project) {
      throw new StackNameError(
        `--stack ${JSON.stringify(given)} names project ${JSON.stringify(parts[1])}, but ${path.join(dir, "Pulumi.yaml")} is project ${JSON.stringify(project)}. Fix: pass --stack ${parts[0]}/${project}/${stack}, or just --stack ${stack}, or --dir with the folder of project ${parts[1]}`,
      );
    }
  }
  if (!existsSync(path.join(dir, stackFileName(stack)))) {
    const stacks = stacksIn(dir);
    throw new StackNameError(
      `there is no stack ${JSON.stringify(stack)} in ${dir}: ${stackFileName(stack)} does not exist. Fix: ${
        stacks.length === 0 ? `create ${stackFileName(stack)} (see the config reference in README.md)` : `pass one of its stacks (${stacks.join(", ")}) or create ${stackFileName(stack)} (see the config reference in README.md)`
      }`,
    );
  }
  return stack;
}

function projectName(dir: string): string | undefined {
  try {
    return readProjectName(dir);
  } catch {
    return undefined;
  }
}
