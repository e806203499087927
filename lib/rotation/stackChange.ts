// Whether the rotation job changed the stack file, read from the job's own git checkout: no
// credentials, and nothing in the checkout is written (GIT_OPTIONAL_LOCKS=0 keeps `git status` from
// refreshing the index).

import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";

export type StackFileChange =
  | { readonly changed: false }
  | {
      readonly changed: true;
      /** Path from the repository root, as the Commits API wants it. */
      readonly repoPath: string;
      /** The file as the rotation left it. */
      readonly content: string;
      /** Not in the checked-out commit: committed with `create` rather than `update`. */
      readonly isNew: boolean;
      /** The checked-out commit, which the proposal is based on. */
      readonly headSha: string;
    };

/** `fileName` (in `dir`) against the checked-out commit; an Error with a one-line message when git cannot tell. */
export function readStackFileChange(dir: string, fileName: string): StackFileChange {
  const prefix = git(dir, ["rev-parse", "--show-prefix"]).trim();
  const filePath = path.join(dir, fileName);
  const status = git(dir, ["status", "--porcelain=v1", "--untracked-files=all", "--", fileName]);
  if (status === "") {
    if (!existsSync(filePath)) throw new Error(`${fileName} not found in ${dir}. Fix: pass the --stack whose file the rotation edited, or --dir with the folder that holds it.`);
    return { changed: false };
  }
  const code = status.slice(0, 2);
  if (code.includes("D")) throw new Error(`${fileName} was deleted in ${dir}: only an edited stack file is proposed. Fix: restore it (git checkout -- ${fileName}).`);
  const headSha = git(dir, ["rev-parse", "--verify", "HEAD"]).trim();
  return { changed: true, repoPath: `${prefix}${fileName}`, content: readFileSync(filePath, "utf8"), isNew: code === "??" || code[0] === "A", headSha };
}

function git(dir: string, args: readonly string[]): string {
  const result = spawnSync("git", args, { cwd: dir, encoding: "utf8", env: { ...process.env, GIT_OPTIONAL_LOCKS: "0", GIT_TERMINAL_PROMPT: "0" } });
  if (result.error) {
    const code = (result.error as NodeJS.ErrnoException).code;
    throw new Error(code === "ENOENT" ? "git is not installed in the job's image. Fix: use an image that has git (node:20 has it; node:20-slim does not)." : `cannot run git in ${dir} (${code ?? result.error.message}).`);
  }
  if (result.status !== 0) {
    const said = (result.stderr || "").split("\n").find((line) => line.trim() !== "") ?? `exit ${result.status}`;
    throw new Error(`git ${args[0]} failed in ${dir}: ${said.trim()}. Fix: run this in the job's git checkout (CI_PROJECT_DIR), or pass --dir.`);
  }
  return result.stdout;
}
