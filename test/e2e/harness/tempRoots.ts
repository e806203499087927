// Every engine environment lives in one temp folder and may run a child process or two. Suites
// remove theirs in after(); this is the net under them: whatever a crashed or interrupted suite left
// is removed when its process exits, or is ended by SIGINT or SIGTERM (a timeout, Ctrl-C).

import { mkdtempSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const atEnd = new Set<() => void>();
let hooked = false;

/** Runs `undo` when the process ends, unless it is withdrawn (the returned function) before. */
export function atProcessEnd(undo: () => void): () => void {
  if (!hooked) {
    hooked = true;
    const runAll = () => atEnd.forEach((each) => each());
    process.on("exit", runAll);
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
      process.once(signal, () => {
        runAll();
        process.kill(process.pid, signal); // then end as the signal would have, without this handler
      });
    }
  }
  atEnd.add(undo);
  return () => atEnd.delete(undo);
}

const withdrawals = new Map<string, () => void>();

/** A fresh temp folder, removed by `removeTempRoot` or, at the latest, when the process ends. */
export function makeTempRoot(prefix: string): string {
  const root = mkdtempSync(path.join(os.tmpdir(), prefix));
  withdrawals.set(root, atProcessEnd(() => rmSync(root, { recursive: true, force: true })));
  return root;
}

export function removeTempRoot(root: string): void {
  rmSync(root, { recursive: true, force: true });
  withdrawals.get(root)?.();
  withdrawals.delete(root);
}
