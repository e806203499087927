// What the CLI leaves on disk, read as files: a test of "no token in plaintext" must see every byte
// the engine wrote (the stack's checkpoint, its .bak, backups, history) and not only what
// `pulumi stack export` chooses to hand out.

import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { gunzipSync } from "node:zlib";

export interface StoredFile {
  /** Relative to the folder read. */
  readonly path: string;
  /** The file's text (gunzipped when the CLI gzipped it). */
  readonly text: string;
}

/** Every file under `dir`, recursively, in path order. */
export function filesUnder(dir: string): StoredFile[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort()
    .map((file) => ({ path: path.relative(dir, file), text: textOf(readFileSync(file)) }));
}

/** The checkpoint of `stack` in a file backend: `.pulumi/stacks/<project>/<stack>.json`. */
export function readCheckpoint(backendDir: string, project: string, stack: string): Checkpoint {
  return JSON.parse(textOf(readFileSync(path.join(backendDir, ".pulumi", "stacks", project, `${stack}.json`)))) as Checkpoint;
}

export interface StateResource {
  readonly urn: string;
  readonly type: string;
  readonly custom?: boolean;
  readonly id?: string;
  readonly parent?: string;
  readonly inputs?: Record<string, unknown>;
  readonly outputs?: Record<string, unknown>;
}

export interface Checkpoint {
  readonly version: number;
  readonly checkpoint: { readonly stack: string; readonly latest?: { readonly resources?: StateResource[]; readonly pending_operations?: unknown[] } };
}

// The CLI's own logs under PULUMI_HOME/logs are gzip until a stack's secrets manager is known.
function textOf(bytes: Buffer): string {
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      return gunzipSync(bytes, { finishFlush: 2 /* Z_SYNC_FLUSH: a log still being written has no gzip trailer */ }).toString("utf8");
    } catch {
      // not gzip after all: read it as it is
    }
  }
  return bytes.toString("utf8");
}
