// The SDK would log this resource's answer, value and all, at debug level; ../sdkDebugLog.ts withholds
// it. infra/index.ts loads it first; this import keeps any other program over the binding covered too.
import "../sdkDebugLog";
import * as pulumi from "@pulumi/pulumi";
import type { GitLabRole, ProjectAccessTokenScope } from "../../config/gitlabVocabulary";
import { GITLAB_TYPES } from "./wire";

export interface ProjectAccessTokenArgs {
  /** Full path or numeric ID of the project the token grants access to. */
  readonly project: pulumi.Input<string>;
  /** Token name shown in GitLab; several generations may share it. */
  readonly name: pulumi.Input<string>;
  /** Scopes, as GitLab spells them (write_repository). */
  readonly scopes: pulumi.Input<pulumi.Input<ProjectAccessTokenScope>[]>;
  /** Role of the token's bot user in the project. */
  readonly accessLevel: pulumi.Input<GitLabRole>;
  /** Expiry date, YYYY-MM-DD. Changing it in place makes the provider call GitLab's rotate API. */
  readonly expiresAt: pulumi.Input<string>;
  /** Free text shown in GitLab. Changing it may replace the token. */
  readonly description?: pulumi.Input<string>;
}

/** `gitlab:index/projectAccessToken:ProjectAccessToken`: a project access token; deleting it revokes it. */
export class ProjectAccessToken extends pulumi.CustomResource {
  /** The token value. Secret: the provider marks it so, and so does this binding. */
  declare readonly token: pulumi.Output<string>;

  constructor(name: string, args: ProjectAccessTokenArgs, opts?: pulumi.CustomResourceOptions) {
    const inputs = { ...args, token: undefined };
    super(GITLAB_TYPES.projectAccessToken, name, inputs, { ...opts, additionalSecretOutputs: ["token"] });
  }
}
