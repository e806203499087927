// Builds stack configs the way the Pulumi CLI hands them to the program, and evaluates the real
// program on them under mocks. Tests describe configs as plain objects and read registrations back.

import { fixedClock } from "../../config/clock";
import { evaluateStack, plainValue, type Evaluation, type Registration } from "../../lib/evaluation/evaluate";
import { registrationsOf } from "../../lib/evaluation/registrations";
import { toPulumiConfig } from "../../lib/stackFile/offlineConfig";

export const PROJECT = "gitlab-push-tokens";
export const TODAY = "2026-11-25";

/** The token value the mocks hand out for a generation: fake, distinct per generation, easy to spot. */
export const canaryToken = (generationName: string) => `glpat-CANARY-${Buffer.from(generationName).toString("hex")}`;

export interface ScenarioOptions {
  readonly today?: string;
  readonly stack?: string;
  /** Extra keys of the stack config, by their key within the project namespace. */
  readonly extra?: Record<string, unknown>;
  readonly secretKeys?: readonly string[];
}

/** Evaluates the program for `pushTokens` (and any other keys) on the given day. */
export async function evaluate(pushTokens: unknown, options: ScenarioOptions = {}): Promise<Evaluation> {
  const { config } = toPulumiConfig(PROJECT, { ...(pushTokens === undefined ? {} : { pushTokens }), ...options.extra });
  const secretKeys = (options.secretKeys ?? []).map((key) => `${PROJECT}:${key}`);
  // A developer's own token must not leak into what tests see.
  return withoutApiToken(() => evaluateStack({ config, secretKeys, project: PROJECT, stack: options.stack ?? "dev", clock: fixedClock(options.today ?? TODAY), tokenValue: canaryToken }));
}

/** Runs `body` with GITLAB_TOKEN unset, as the benchmark's children and `npm run plan` in CI see it. */
export async function withoutApiToken<T>(body: () => Promise<T>): Promise<T> {
  const saved = process.env.GITLAB_TOKEN;
  delete process.env.GITLAB_TOKEN;
  try {
    return await body();
  } finally {
    if (saved !== undefined) process.env.GITLAB_TOKEN = saved;
  }
}

/** The seed scenario of the issue: one token in the gitops repo, one consumer. */
export function seedToken(overrides: Record<string, unknown> = {}) {
  return {
    name: "GITLAB_CI_PUSHER",
    project: "xlink/xlink-k8s-gitops",
    expiresAt: "2027-02-15",
    consumers: [{ project: "xlink/xlink-app", key: "GITLAB_PUSHER_TOKEN" }],
    ...overrides,
  };
}

export const tokens = (evaluation: Evaluation) => registrationsOf(evaluation, "projectAccessToken");
export const variables = (evaluation: Evaluation) => registrationsOf(evaluation, "projectVariable");
export const providers = (evaluation: Evaluation) => registrationsOf(evaluation, "provider");
/** The provider and every resource of the provider's package. */
export const gitlabResources = (evaluation: Evaluation) =>
  evaluation.registrations.filter((r) => r.type.startsWith("gitlab:") || providers(evaluation).includes(r));

export function byName(registrations: readonly Registration[], name: string): Registration {
  const found = registrations.find((r) => r.name === name);
  if (!found) throw new Error(`no registration named ${name}; have ${registrations.map((r) => r.name).join(", ")}`);
  return found;
}

/** Which generation a variable holds, read from its registered (secret) value. */
export function heldGeneration(variable: Registration, generations: readonly Registration[]): string | undefined {
  const value = plainValue(variable.inputs.value);
  return generations.find((generation) => canaryToken(generation.name) === value)?.name;
}

/** Everything about a registration that reaches the engine, as comparable JSON. */
export function fingerprint(registrations: readonly Registration[]): string {
  return JSON.stringify([...registrations].sort((a, b) => a.urn.localeCompare(b.urn)));
}
