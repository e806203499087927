// Generates the benchmark's stack configs: N valid push tokens with 3 consumers each, in the shape a
// user writes in Pulumi.<stack>.yaml. Deterministic for a given size and day, so the program and the
// baseline (and the test) see byte-identical configs. Pure: no Pulumi import.

import { addDays } from "../../config/dates";

/** The day the benchmark's clock is stopped at; every generated date is valid relative to it. */
export const BENCH_TODAY = "2026-11-25";
export const CONSUMERS_PER_TOKEN = 3;
const BENCH_BASE_URL = "https://gitlab.example.com/api/v4/";

/** A consumer as written in the stack file; optional fields are omitted as often as a user would. */
export interface BenchConsumer {
  readonly project: string;
  readonly key: string;
  readonly protected?: boolean;
  readonly masked?: boolean;
  readonly hidden?: boolean;
  readonly environmentScope?: string;
}

/** A push token as written in the stack file. */
export interface BenchPushToken {
  readonly name: string;
  readonly project: string;
  readonly accessLevel?: "developer" | "maintainer";
  readonly scopes?: readonly ("read_repository" | "write_repository")[];
  readonly expiresAt: string;
  readonly consumers: readonly BenchConsumer[];
  readonly retiring?: {
    readonly expiresAt: string;
    readonly revokeAfter: string;
    readonly accessLevel?: "developer" | "maintainer";
    readonly scopes?: readonly ("read_repository" | "write_repository")[];
  };
}

/** The `config:` map of a generated stack, keys without the project namespace. */
export interface BenchStackConfig {
  readonly gitlab: { readonly baseUrl: string; readonly maxTokenLifetimeDays: number };
  readonly expiryWarningDays: number;
  readonly pushTokens: readonly BenchPushToken[];
}

const TOKEN_NAMES = ["GITLAB_CI_PUSHER", "RELEASE_TAGGER"] as const;
const CONSUMER_ROLES = ["web", "worker", "release"] as const;
const EXPIRY_WARNING_DAYS = 30;

const pad = (index: number) => String(index).padStart(5, "0");

/**
 * A healthy stack of `tokens` push tokens: every one valid on `today` and none warned about (expiries
 * beyond the warning window, retiring generations before their revokeAfter, every variable protected,
 * every token able to push), so the program's only work is the one the baseline also does.
 */
export function benchStackConfig(tokens: number, today: string = BENCH_TODAY): BenchStackConfig {
  if (!Number.isInteger(tokens) || tokens < 1) throw new RangeError(`tokens must be a whole number >= 1, got ${tokens}`);
  return {
    gitlab: { baseUrl: BENCH_BASE_URL, maxTokenLifetimeDays: 365 },
    expiryWarningDays: EXPIRY_WARNING_DAYS,
    pushTokens: Array.from({ length: tokens }, (_, index) => benchPushToken(index, today)),
  };
}

function benchPushToken(index: number, today: string): BenchPushToken {
  // Two tokens per gitops project (a pusher and a release tagger), so projects repeat as in real stacks.
  const project = `team-${pad(Math.floor(index / 2))}/gitops`;
  const name = TOKEN_NAMES[index % TOKEN_NAMES.length];
  const maintainer = index % 7 === 3;
  // write_repository already grants pull, so a token that also clones spells out the same one scope.
  const scopesSpelledOut = index % 6 === 5 || index % 4 === 0;
  return {
    name,
    project,
    // Defaults are mostly left out, sometimes spelled out, as people write them.
    ...(maintainer ? { accessLevel: "maintainer" as const } : index % 3 === 0 ? { accessLevel: "developer" as const } : {}),
    ...(scopesSpelledOut && { scopes: ["write_repository"] as const }),
    // 60 to 359 days ahead: within the instance's lifetime, outside the warning window.
    expiresAt: addDays(today, 60 + (index % 300)),
    consumers: CONSUMER_ROLES.map((role, consumerIndex) => benchConsumer(index, consumerIndex, role, name)),
    // One token in five is mid-rotation; its old generation is still valid and not yet revocable.
    ...(index % 5 === 2 && {
      retiring: {
        expiresAt: addDays(today, 5 + (index % 50)),
        revokeAfter: `${addDays(today, 2)}T12:00:00Z`,
        // A rotation that also raised the role states the old one.
        ...(maintainer && { accessLevel: "developer" as const }),
      },
    }),
  };
}

function benchConsumer(tokenIndex: number, consumerIndex: number, role: string, tokenName: string): BenchConsumer {
  const key = `${tokenName}_TOKEN`;
  // Every tenth token feeds the worker's staging environment from the same project as its production one.
  const sharesProject = consumerIndex === 2 && tokenIndex % 10 === 0;
  const project = `apps/${sharesProject ? CONSUMER_ROLES[1] : role}-${pad(tokenIndex)}`;
  const environmentScope = sharesProject
    ? "staging"
    : consumerIndex === 1 && tokenIndex % 4 === 1
      ? "production"
      : consumerIndex === 2 && tokenIndex % 8 === 3
        ? "review/*"
        : undefined;
  return {
    project,
    key,
    ...(environmentScope !== undefined && { environmentScope }),
    ...(sharesProject && { protected: true }),
    ...((tokenIndex + consumerIndex) % 9 === 0 && { hidden: true }),
    ...(tokenIndex % 11 === 4 && { masked: true }),
  };
}

/** How many resources the program registers for a generated stack: provider, components, generations, variables. */
export function expectedRegistrations(config: BenchStackConfig): number {
  const generations = config.pushTokens.reduce((sum, token) => sum + (token.retiring ? 2 : 1), 0);
  return 1 + config.pushTokens.length + generations + config.pushTokens.length * CONSUMERS_PER_TOKEN;
}
