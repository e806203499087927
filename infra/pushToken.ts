import * as pulumi from "@pulumi/pulumi";
import type { GitLabRole, PushTokenSpec, RetiringSpec, TokenScope } from "../config/schema";
import { ProjectAccessToken } from "./gitlab/projectAccessToken";
import { ProjectVariable } from "./gitlab/projectVariable";
import { consumerVariableName, generationName, pushTokenName, variableDescription } from "./naming";

export interface PushTokenArgs {
  /** The validated declaration: project, name, role, scopes, expiry, consumers, retiring generation. */
  readonly spec: PushTokenSpec;
  /** "<pulumi project>/<stack>", written into variable descriptions so GitLab users see where it is managed. */
  readonly managedBy: string;
  /** The description of each generation this stack creates; absent when the declared GitLab release has none (before 17.7). */
  readonly tokenDescription?: string;
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
  /** The previous generation (possibly a hand-made token), left untouched until its retiring block is removed, which revokes it. */
  readonly retiringGeneration?: ProjectAccessToken;
  /** One protected, masked variable per consumer, holding the current generation's token. */
  readonly consumerVariables: readonly ProjectVariable[];

  constructor(name: string, args: PushTokenArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gitlab-push-tokens:index:PushToken", name, {}, opts);
    const { spec, managedBy } = args;
    // Both generations are built the same way, so the current generation's inputs are exactly those it
    // keeps once a later rotation moves its date under `retiring`: Pulumi sees no change to it.
    this.currentGeneration = new ProjectAccessToken(
      generationName(name, spec.expiresAt),
      { ...generationInputs(spec, spec), description: args.tokenDescription },
      { parent: this, ...generationOptions(spec, spec.expiresAt) },
    );
    this.retiringGeneration = spec.retiring && retiringGeneration(name, spec, spec.retiring, args.tokenDescription, this);

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
          { parent: this, deleteBeforeReplace: true, ...variableRespelling(consumer.previousProject && consumerVariableName({ ...consumer, project: consumer.previousProject })) },
        ),
    );

    // Nothing to export: token values must not become component outputs.
    this.registerOutputs({});
  }
}

type Generation = Pick<PushTokenSpec, "expiresAt" | "name"> & { readonly accessLevel: GitLabRole; readonly scopes: readonly TokenScope[] };

function generationInputs(spec: PushTokenSpec, generation: Generation) {
  return { project: spec.project, name: generation.name, scopes: [...generation.scopes], accessLevel: generation.accessLevel, expiresAt: generation.expiresAt };
}

/**
 * The previous generation. One this stack created keeps the inputs it was created with. A hand-made
 * token (`tokenId`) is imported by `npm run adopt` and declared as GitLab holds it, but every input is
 * ignored for diffs: any mismatch would make the provider replace it (revoking it at once) or, for
 * its expiry, rotate it in place. Its only future is deletion, which revokes it.
 */
function retiringGeneration(name: string, spec: PushTokenSpec, retiring: RetiringSpec, description: string | undefined, parent: PushToken): ProjectAccessToken {
  const inputs = generationInputs(spec, retiring);
  const options = generationOptions(spec, retiring.expiresAt);
  if (retiring.tokenId === undefined) {
    return new ProjectAccessToken(generationName(name, retiring.expiresAt), { ...inputs, description }, { parent, ...options });
  }
  return new ProjectAccessToken(generationName(name, retiring.expiresAt), inputs, { parent, aliases: options.aliases, ignoreChanges: [...ADOPTED_TOKEN_INPUTS] });
}

/**
 * Every generation's options. `description` is decided once, at creation: raising gitlab.version
 * across 17.7 (which adds one to new generations) must not replace, i.e. revoke, a live token whose
 * provider marks description as forcing replacement. A respelled project (`previousProject`) keeps the
 * generations made under the old spelling: aliased to their old names, and `project` ignored for
 * diffs, so the provider still sees the spelling they were created with (a changed project forces a
 * replacement); a generation created later takes the new spelling, since ignoreChanges does not
 * apply to a create.
 */
function generationOptions(spec: PushTokenSpec, expiresAt: string): { ignoreChanges: string[]; aliases?: pulumi.Alias[] } {
  const respelled = respelledOptions(spec.previousProject && generationName(pushTokenName({ ...spec, project: spec.previousProject }), expiresAt));
  return { ignoreChanges: ["description", ...respelled.ignoreChanges], ...(respelled.aliases && { aliases: respelled.aliases }) };
}

function variableRespelling(previousName: string | undefined): { ignoreChanges?: string[]; aliases?: pulumi.Alias[] } {
  const options = respelledOptions(previousName);
  return options.aliases ? options : {};
}

/** For a resource whose project was spelt otherwise before: its old logical name as an alias, `project` ignored for diffs. */
function respelledOptions(previousName: string | undefined): { ignoreChanges: string[]; aliases?: pulumi.Alias[] } {
  return previousName === undefined ? { ignoreChanges: [] } : { ignoreChanges: ["project"], aliases: [{ name: previousName }] };
}

/** Every input of an adopted token, including the description it was made with, which we never set. */
const ADOPTED_TOKEN_INPUTS = ["project", "name", "scopes", "accessLevel", "expiresAt", "description"] as const;
