// The `inventory` stack output: what the stack declares, for people and tools. It is built from the
// validated config alone, so it can never contain a token value.

import type { AccessLevel, GitLabRole, RepositoryScope, TokenScope } from "../config/schema";
import type { StackSettings } from "../config/validate";

export interface InventoryConsumer {
  readonly project: string;
  readonly key: string;
  readonly environmentScope: string;
  readonly protected: boolean;
  readonly masked: boolean;
  readonly hidden: boolean;
  /** The variable existed before the stack and is imported by `npm run adopt`. */
  readonly adopt: boolean;
}

export interface InventoryToken {
  readonly project: string;
  readonly name: string;
  readonly accessLevel: AccessLevel;
  readonly scopes: readonly RepositoryScope[];
  readonly expiresAt: string;
  readonly retiring: {
    readonly expiresAt: string;
    readonly revokeAfter: string;
    readonly accessLevel: GitLabRole;
    readonly scopes: readonly TokenScope[];
    readonly name: string;
    /** GitLab's ID of a hand-made token being adopted; null for a generation this stack created. */
    readonly tokenId: number | null;
  } | null;
  readonly consumers: readonly InventoryConsumer[];
}

export function inventoryOf(settings: StackSettings): InventoryToken[] {
  return settings.pushTokens.map((token) => ({
    project: token.project,
    name: token.name,
    accessLevel: token.accessLevel,
    scopes: token.scopes,
    expiresAt: token.expiresAt,
    retiring: token.retiring
      ? {
          expiresAt: token.retiring.expiresAt,
          revokeAfter: token.retiring.revokeAfter,
          accessLevel: token.retiring.accessLevel,
          scopes: token.retiring.scopes,
          name: token.retiring.name,
          tokenId: token.retiring.tokenId ?? null,
        }
      : null,
    consumers: token.consumers.map((consumer) => ({
      project: consumer.project,
      key: consumer.key,
      environmentScope: consumer.environmentScope,
      protected: consumer.protected,
      masked: consumer.masked,
      hidden: consumer.hidden,
      adopt: consumer.adopt,
    })),
  }));
}
