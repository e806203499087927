// What a stack's state says about GitLab, read through the CLI (`pulumi stack export --show-secrets`,
// so it works on any backend): each token generation with its GitLab id and value, each variable with
// the value Pulumi last wrote, and the operations an interrupted update left pending. The values are
// for comparisons in memory only; never print them.

import { GITLAB_TYPES } from "../../../infra/gitlab/wire";
import type { E2eStack } from "./stack";

export interface StateToken {
  readonly urn: string;
  /** The logical name, `xlink/xlink-k8s-gitops:GITLAB_CI_PUSHER@2027-02-15`. */
  readonly name: string;
  readonly project: string;
  /** GitLab's id, from the Terraform ID `<project>:<id>` (the `id` output, which a rotation changes). */
  readonly tokenId: number;
  /** The token's value; undefined for an imported token (GitLab never returns it after creation). */
  readonly value: string | undefined;
  readonly inputs: Readonly<Record<string, unknown>>;
}

export interface StateVariable {
  readonly urn: string;
  readonly name: string;
  readonly project: string;
  readonly key: string;
  readonly environmentScope: string;
  readonly value: string;
  readonly inputs: Readonly<Record<string, unknown>>;
}

export interface StackState {
  readonly tokens: readonly StateToken[];
  readonly variables: readonly StateVariable[];
  /** Every resource's type and logical name, in state order. */
  readonly resources: readonly { readonly type: string; readonly name: string; readonly urn: string }[];
  readonly pendingOperations: readonly { readonly type: string; readonly urn: string }[];
}

interface ExportedResource {
  readonly urn: string;
  readonly type: string;
  readonly id?: string;
  readonly inputs?: Record<string, unknown>;
  readonly outputs?: Record<string, unknown>;
}

const nameOf = (urn: string) => urn.slice(urn.lastIndexOf("::") + 2);
const SECRET_SIGNATURE = "4dabf18193072939515e22adb298388d";

/** `--show-secrets` writes a secret as `{<signature>: …, plaintext: "<JSON of the value>"}`. */
function revealed(value: unknown): unknown {
  if (value !== null && typeof value === "object" && SECRET_SIGNATURE in value && "plaintext" in value) return JSON.parse(String((value as { plaintext: unknown }).plaintext));
  return value;
}

export async function readStackState(stack: E2eStack): Promise<StackState> {
  const run = await stack.cli(["stack", "export", "--show-secrets"]);
  if (run.code !== 0) throw new Error(`pulumi stack export --show-secrets failed: ${run.stderr.trim()}`);
  const deployment = (JSON.parse(run.stdout) as { deployment: { resources?: ExportedResource[]; pending_operations?: { type: string; resource: { urn: string } }[] } }).deployment;
  const resources = deployment.resources ?? [];
  const outputsOf = (resource: ExportedResource) => resource.outputs ?? {};
  return {
    resources: resources.map((resource) => ({ type: resource.type, name: nameOf(resource.urn), urn: resource.urn })),
    tokens: resources
      .filter((resource) => resource.type === GITLAB_TYPES.projectAccessToken)
      .map((resource) => {
        const terraformId = String(outputsOf(resource).id ?? resource.id);
        return {
          urn: resource.urn,
          name: nameOf(resource.urn),
          project: terraformId.slice(0, terraformId.lastIndexOf(":")),
          tokenId: Number(terraformId.slice(terraformId.lastIndexOf(":") + 1)),
          value: revealed(outputsOf(resource).token) as string | undefined,
          inputs: resource.inputs ?? {},
        };
      }),
    variables: resources
      .filter((resource) => resource.type === GITLAB_TYPES.projectVariable)
      .map((resource) => ({
        urn: resource.urn,
        name: nameOf(resource.urn),
        project: String(outputsOf(resource).project),
        key: String(outputsOf(resource).key),
        environmentScope: String(outputsOf(resource).environmentScope),
        value: String(revealed(outputsOf(resource).value)),
        inputs: resource.inputs ?? {},
      })),
    pendingOperations: (deployment.pending_operations ?? []).map((operation) => ({ type: operation.type, urn: operation.resource.urn })),
  };
}
