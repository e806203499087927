// The SDK would log this resource's answer, value and all, at debug level; ../sdkDebugLog.ts withholds
// it. infra/index.ts loads it first; this import keeps any other program over the binding covered too.
import "../sdkDebugLog";
import * as pulumi from "@pulumi/pulumi";
import type { VariableType } from "../../config/gitlabVocabulary";
import { GITLAB_TYPES } from "./wire";

export interface ProjectVariableArgs {
  /** Full path or numeric ID of the project that owns the variable. */
  readonly project: pulumi.Input<string>;
  /** Variable key, `^[A-Za-z0-9_]+$`. */
  readonly key: pulumi.Input<string>;
  /** The value; always stored as a Pulumi secret. */
  readonly value: pulumi.Input<string>;
  /** Only pipelines on protected branches and tags receive it. */
  readonly protected: pulumi.Input<boolean>;
  /** Masked in job logs. */
  readonly masked: pulumi.Input<boolean>;
  /** Also hidden in the CI/CD settings UI (GitLab 17.4+); changing it replaces the variable. */
  readonly hidden: pulumi.Input<boolean>;
  /** Environments that receive it; "*" for all. */
  readonly environmentScope: pulumi.Input<string>;
  /** env_var or file. */
  readonly variableType: pulumi.Input<VariableType>;
  /** When true, GitLab does not expand `$` references in the value. */
  readonly raw: pulumi.Input<boolean>;
  /** Free text shown in GitLab's CI/CD settings. */
  readonly description?: pulumi.Input<string>;
}

/** `gitlab:index/projectVariable:ProjectVariable`: a project-level CI/CD variable. */
export class ProjectVariable extends pulumi.CustomResource {
  constructor(name: string, args: ProjectVariableArgs, opts?: pulumi.CustomResourceOptions) {
    // The provider schema does not mark `value` secret, so the binding does, on the way in and out.
    const inputs = { ...args, value: pulumi.secret(args.value) };
    super(GITLAB_TYPES.projectVariable, name, inputs, { ...opts, additionalSecretOutputs: ["value"] });
  }
}
