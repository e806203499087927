import * as pulumi from "@pulumi/pulumi";
import { GITLAB_PROVIDER_VERSION } from "./wire";

export interface GitLabProviderArgs {
  /** The instance's API endpoint, ending in "/api/v4/". */
  readonly baseUrl: pulumi.Input<string>;
}

/**
 * The official GitLab provider (`pulumi:providers:gitlab`), pinned to GITLAB_PROVIDER_VERSION.
 *
 * It takes no `token` input on purpose: the engine stores a provider's inputs in the stack's state, and
 * whoever can decrypt that state (every preview can) would read the API token there. The provider
 * reads GITLAB_TOKEN from its own environment instead (its schema: "It may be sourced from the
 * `GITLAB_TOKEN` environment variable"; the token has no bridged environment default in the v10.1.1
 * schema, so the bridge never copies it into the inputs), and only the apply job holds it.
 */
export class GitLabProvider extends pulumi.ProviderResource {
  constructor(name: string, args: GitLabProviderArgs, opts?: pulumi.ResourceOptions) {
    // `version` makes `pulumi up` install exactly this plugin when the machine lacks it.
    super("gitlab", name, { baseUrl: args.baseUrl }, { ...opts, version: GITLAB_PROVIDER_VERSION });
  }
}
