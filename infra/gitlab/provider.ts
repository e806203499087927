import * as pulumi from "@pulumi/pulumi";
import { GITLAB_PROVIDER_VERSION } from "./wire";

export interface GitLabProviderArgs {
  /** The instance's API endpoint, ending in "/api/v4/". */
  readonly baseUrl: pulumi.Input<string>;
  /** API token of a user allowed to create project access tokens; absent under mocks and in `plan`. */
  readonly token?: pulumi.Input<string>;
}

/** The official GitLab provider (`pulumi:providers:gitlab`), pinned to GITLAB_PROVIDER_VERSION. */
export class GitLabProvider extends pulumi.ProviderResource {
  constructor(name: string, args: GitLabProviderArgs, opts?: pulumi.ResourceOptions) {
    const inputs = {
      baseUrl: args.baseUrl,
      // Made secret here, whatever the caller passed, so it is encrypted in state and hidden in previews.
      token: args.token === undefined ? undefined : pulumi.secret(args.token),
    };
    // `version` makes `pulumi up` install exactly this plugin when the machine lacks it.
    super("gitlab", name, inputs, { ...opts, version: GITLAB_PROVIDER_VERSION });
  }
}
