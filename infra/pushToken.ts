import * as pulumi from "@pulumi/pulumi";
import type { PushTokenSpec } from "../config/schema";
import { ProjectAccessToken } from "./gitlab/projectAccessToken";
import { ProjectVariable } from "./gitlab/projectVariable";
import { consumerVariableName, generationName, tokenDescription, variableDescription } from "./naming";

export interface PushTokenArgs {
  /** The validated declaration: project, name, role, scopes, expiry, consumers, retiring generation. */
  readonly spec: PushTokenSpec;
  /** "<pulumi project>/<stack>", written into descriptions so GitLab users see where it is managed. */
  readonly managedBy: string;
}

/**
 * A push token in one project and the CI/CD variables that hand it to the pipelines that push there.
 *
 * Rotation keeps two generations alive: the current one, which every variable holds, and the retiring
 * one, which jobs that already read the variable may still be using until `revokeAfter`.
 */
export class PushToken extends pulumi.ComponentResource {
  /** The generation every consumer variable holds. */
  readonly currentGeneration: ProjectAccessToken;
  /** The previous generation, left untouched until its retiring block is removed (which revokes it). */
  readonly retiringGeneration?: ProjectAccessToken;
  /** One protected, masked variable per consumer, holding the current generation's token. */
  readonly consumerVariables: readonly ProjectVariable[];

  constructor(name: string, args: PushTokenArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gitlab-push-tokens:index:PushToken", name, {}, opts);
    const { spec, managedBy } = args;

    // Both generations are built the same way, so the current generation's inputs are exactly those it
    // keeps once a later rotation moves its date under `retiring`: Pulumi sees no change to it.
    const generation = ({ expiresAt, accessLevel, scopes }: Pick<PushTokenSpec, "expiresAt" | "accessLevel" | "scopes">) =>
      new ProjectAccessToken(
        generationName(name, expiresAt),
        {
          project: spec.project,
          name: spec.name,
          scopes: [...scopes],
          accessLevel,
          expiresAt,
          description: tokenDescription(managedBy),
        },
        { parent: this },
      );

    this.currentGeneration = generation(spec);
    this.retiringGeneration = spec.retiring ? generation(spec.retiring) : undefined;

    this.consumerVariables = spec.consumers.map(
      (consumer) =>
        new ProjectVariable(
          consumerVariableName(consumer),
          {
            project: consumer.project,
            key: consumer.key,
            value: this.currentGeneration.token,
            protected: consumer.protected,
            masked: consumer.masked,
            hidden: consumer.hidden,
            environmentScope: consumer.environmentScope,
            variableType: "env_var",
            // A token is a literal: never let GitLab expand `$` inside it.
            raw: true,
            description: variableDescription(spec, managedBy),
          },
          // GitLab allows one variable per project, key and scope, so a replacement (e.g. of `hidden`)
          // must delete the old variable before creating the new one.
          { parent: this, deleteBeforeReplace: true },
        ),
    );

    // Nothing to export: token values must not become component outputs.
    this.registerOutputs({});
  }
}
