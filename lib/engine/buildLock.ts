// One build per version at a time on a machine: worktrees and test processes share the cache, and two
// parallel 6-minute builds on 2 cores would each take twice as long. The lock is a directory (mkdir is
// atomic) naming its owner's pid; a lock whose owner died (a killed build) is taken over. Correctness
// does not rest on it: the binary is only ever renamed into place whole.

import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

interface Owner {
  readonly pid: number;
  readonly host: string;
  readonly since: string;
}

export interface LockOptions {
  /** Told who holds the lock, every `reportEveryMs` while waiting. */
  readonly onWait?: (holder: string) => void;
  readonly pollMs?: number;
  readonly reportEveryMs?: number;
}

export async function withBuildLock<T>(lockDir: string, options: LockOptions, run: () => Promise<T>): Promise<T> {
  await acquire(lockDir, options);
  try {
    return await run();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

async function acquire(lockDir: string, options: LockOptions): Promise<void> {
  const pollMs = options.pollMs ?? 1000;
  const reportEveryMs = options.reportEveryMs ?? 20_000;
  let lastReport = 0;
  mkdirSync(path.dirname(lockDir), { recursive: true });
  for (;;) {
    try {
      mkdirSync(lockDir);
      const owner: Owner = { pid: process.pid, host: os.hostname(), since: new Date().toISOString() };
      writeFileSync(path.join(lockDir, "owner.json"), JSON.stringify(owner));
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const owner = readOwner(lockDir);
    if (isStale(lockDir, owner)) {
      // Re-read right before removing, so a lock just taken over by another waiter is not removed too.
      if (JSON.stringify(readOwner(lockDir)) === JSON.stringify(owner)) rmSync(lockDir, { recursive: true, force: true });
      continue;
    }
    if (Date.now() - lastReport >= reportEveryMs) {
      lastReport = Date.now();
      options.onWait?.(owner ? `process ${owner.pid} on ${owner.host}, building since ${owner.since}` : "a process that is just starting");
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

function readOwner(lockDir: string): Owner | undefined {
  try {
    return JSON.parse(readFileSync(path.join(lockDir, "owner.json"), "utf8")) as Owner;
  } catch {
    return undefined;
  }
}

function isStale(lockDir: string, owner: Owner | undefined): boolean {
  if (owner === undefined) {
    // The owner writes owner.json right after mkdir: without one for 10 s, the owner died in between.
    try {
      return Date.now() - statSync(lockDir).mtimeMs > 10_000;
    } catch {
      return true; // the lock is gone: try again
    }
  }
  if (owner.host !== os.hostname()) return false; // another machine's process cannot be checked: wait
  try {
    process.kill(owner.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}
