// What every resource operation needs: the configured GitLab client, a clock, a way to wait, and the
// error type the gRPC layer turns into a failed RPC. Errors read like the provider's Terraform
// diagnostics ("<summary>: <detail>"), which the bridge passes on as the operation's error.

import type { GitLabClient } from "./gitlabClient";
import type { WireMap } from "./propertyValues";

export interface ResourceContext {
  readonly client: GitLabClient;
  readonly now: () => Date;
  readonly sleep: (ms: number) => Promise<void>;
  /** How long Delete waits for GitLab to report a revoked token revoked (Terraform: 5 minutes). */
  readonly deleteTimeoutMs: number;
}

export interface CreateResult {
  readonly id: string;
  readonly outputs: WireMap;
}

export interface ReadResult {
  readonly id: string;
  readonly outputs: WireMap;
  readonly inputs: WireMap;
}

export class ProviderError extends Error {
  constructor(summary: string, detail: string) {
    super(`${summary}: ${detail}`);
  }
}

/** utils.ParseTwoPartID: `<first>:<rest>`, split at the first colon. */
export function parseTwoPartId(id: string, expected: string): [string, string] {
  const at = id.indexOf(":");
  if (at <= 0 || at === id.length - 1) throw new ProviderError("Invalid resource ID format", `The resource ID ${JSON.stringify(id)} has an invalid format. It should be '${expected}'.`);
  return [id.slice(0, at), id.slice(at + 1)];
}
