// The benchmark's baseline: the least a program can do to register what infra/index.ts registers for
// a generated stack. It is handed the generated tokens (no reading, no validation, no inventory, no warnings),
// and registers the same provider, PushToken components, generations and variables, with the same
// inputs, secrets and options, straight through @pulumi/pulumi. The difference in time and memory
// between the two is the price of the program's own structure.

import * as pulumi from "@pulumi/pulumi";
import { GITLAB_PROVIDER_VERSION, GITLAB_TYPES } from "../../infra/gitlab/wire";
import { consumerVariableName, generationName, pushTokenName, tokenDescription, variableDescription } from "../../infra/naming";
import type { BenchPushToken } from "./generate";

// The SDK's resource classes are abstract or keep registerOutputs protected; these add nothing else.
class BareProvider extends pulumi.ProviderResource {}
class BareResource extends pulumi.CustomResource {
  /** Present on generations: the output the variables hold. */
  declare readonly token: pulumi.Output<string>;
}
class BareComponent extends pulumi.ComponentResource {
  /** Registers no outputs, as the PushToken component does, which tells the engine it is complete. */
  complete(): void {
    this.registerOutputs({});
  }
}

const PUSH_TOKEN_TYPE = "gitlab-push-tokens:index:PushToken";
const GITLAB_PACKAGE = GITLAB_TYPES.provider.split(":")[2];
const DEFAULT_BASE_URL = "https://gitlab.com/api/v4/";

/**
 * The baseline's registrations for tokens it is handed as they are, with no reading at all: under the
 * mocks (sides.ts) and through the engine (test/e2e/bench/), the tokens are in a declaration file that
 * only the program reads.
 */
export function registerBare(pushTokens: readonly BenchPushToken[], baseUrlOrDefault: string | undefined): void {
  const baseUrl = baseUrlOrDefault ?? DEFAULT_BASE_URL;
  const managedBy = `${pulumi.getProject()}/${pulumi.getStack()}`;

  const provider = new BareProvider(GITLAB_PACKAGE, "gitlab", { baseUrl }, { version: GITLAB_PROVIDER_VERSION });

  for (const token of pushTokens) {
    const name = pushTokenName(token);
    // A bare component, only so that the children get the same parent and URNs as the program's.
    const component = new BareComponent(PUSH_TOKEN_TYPE, name, {}, { providers: [provider] });
    const accessLevel = token.accessLevel ?? "developer";
    const scopes = [...(token.scopes ?? ["write_repository"])].sort();
    const generation = (expiresAt: string, level: string, scopeList: readonly string[]) =>
      new BareResource(
        GITLAB_TYPES.projectAccessToken,
        generationName(name, expiresAt),
        { project: token.project, name: token.name, scopes: [...scopeList], accessLevel: level, expiresAt, description: tokenDescription(managedBy), token: undefined },
        { parent: component, additionalSecretOutputs: ["token"], ignoreChanges: ["description"] },
      );
    const current = generation(token.expiresAt, accessLevel, scopes);
    if (token.retiring) {
      generation(token.retiring.expiresAt, token.retiring.accessLevel ?? accessLevel, [...(token.retiring.scopes ?? scopes)].sort());
    }
    for (const consumer of token.consumers) {
      const environmentScope = consumer.environmentScope ?? "*";
      new BareResource(
        GITLAB_TYPES.projectVariable,
        consumerVariableName({ project: consumer.project, key: consumer.key, environmentScope }),
        {
          project: consumer.project,
          key: consumer.key,
          value: pulumi.secret(current.token),
          protected: consumer.protected ?? true,
          masked: true,
          hidden: consumer.hidden ?? false,
          environmentScope,
          variableType: "env_var",
          raw: true,
          description: variableDescription({ project: token.project, name: token.name, expiresAt: token.expiresAt }, managedBy),
        },
        { parent: component, deleteBeforeReplace: true, additionalSecretOutputs: ["value"] },
      );
    }
    component.complete();
  }
}
