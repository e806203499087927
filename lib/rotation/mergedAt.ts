// When each retiring block of a stack file reached the checked-out branch, read from the job's own git
// checkout, for `--since-merge`: `rotate` writes revokeAfter when it proposes a rotation, but the new
// token reaches the variables only when the proposal is merged and applied, which can be days later.
//
// The commit that brought a block is the newest one on the branch's first-parent line that changed the
// number of times its revokeAfter value appears in the file: on a branch that takes merge requests as
// merge commits (GitLab's default) or squashes them, that is the merge itself, dated when it was
// merged. A shallow clone that does not reach it finds its oldest commit, which is later: the grace
// then only lasts longer. Nothing is written, and no credentials are needed.

import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { UsageError, type SinceMerge } from "../../config/expiry";
import type { StackSettings } from "../../config/validate";
import type { OptionSpec } from "../command/commandLine";

/** The option of expiry and rotate that turns this on. */
export const SINCE_MERGE_OPTIONS = {
  "since-merge": {
    type: "boolean",
    description:
      "count a retiring generation's grace from the merge that brought it to the checked-out branch (read from git), not only from its revokeAfter: a rotation merged days after it was proposed keeps its full grace. The scheduled jobs pass it",
  },
} as const satisfies Record<string, OptionSpec>;

/** The merge time of every token's retiring block in `fileName` (in `dir`); undefined for a block not on the branch yet. */
export function retiringMergeTimes(dir: string, fileName: string, settings: StackSettings, graceMs: number): SinceMerge {
  const prefix = git(dir, ["rev-parse", "--show-prefix"]).trim();
  const repoPath = `${prefix}${fileName}`;
  const committed = gitOrUndefined(dir, ["show", `HEAD:${repoPath}`]);
  const times = settings.pushTokens.map((token) => {
    const revokeAfter = token.retiring?.revokeAfter;
    // Not in the checked-out commit: written by a rotation that is not merged yet, so its grace has not begun.
    if (revokeAfter === undefined || committed === undefined || !committed.includes(revokeAfter)) return undefined;
    const found = git(dir, ["log", "--first-parent", `-S${revokeAfter}`, "--format=%cI", "-1", "HEAD", "--", repoPath]).trim();
    const date = new Date(found || git(dir, ["log", "-1", "--format=%cI", "HEAD"]).trim());
    return Number.isNaN(date.getTime()) ? undefined : date;
  });
  return { landedAt: (tokenIndex) => times[tokenIndex], graceMs };
}

function gitOrUndefined(dir: string, args: readonly string[]): string | undefined {
  const result = run(dir, args);
  return result.status === 0 ? result.stdout : undefined;
}

function git(dir: string, args: readonly string[]): string {
  const result = run(dir, args);
  if (result.error) {
    const code = (result.error as NodeJS.ErrnoException).code;
    throw new UsageError(code === "ENOENT" ? "--since-merge reads the merge times from git, which is not installed. Fix: use an image with git, or drop --since-merge" : `--since-merge cannot run git in ${dir} (${code ?? result.error.message})`);
  }
  if (result.status !== 0) {
    const said = (result.stderr || "").split("\n").find((line) => line.trim() !== "")?.trim() ?? `exit ${result.status}`;
    throw new UsageError(`--since-merge reads the merge times from git, and git ${args[0]} failed in ${path.resolve(dir)}: ${said}. Fix: run it in the repository's checkout (the scheduled job's), or drop --since-merge`);
  }
  return result.stdout;
}

function run(dir: string, args: readonly string[]) {
  return spawnSync("git", args, { cwd: dir, encoding: "utf8", env: { ...process.env, GIT_OPTIONAL_LOCKS: "0", GIT_TERMINAL_PROMPT: "0" } });
}
