// Builds stack configs the way the Pulumi CLI hands them to the program, and evaluates the real
// program on them under mocks. Tests describe configs as plain objects and read registrations back.

import { fixedClock } from "../../config/clock";
import { evaluateStack, plainValue, type Evaluation, type Registration } from "../../lib/evaluation/evaluate";
import { toPulumiConfig } from "../../lib/stackFile/offlineConfig";
import { GITLAB_TYPES } from "../../infra/gitlab/wire";

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
  const previousToken = process.env.GITLAB_TOKEN;
  delete process.env.GITLAB_TOKEN; // a developer's own token must not leak into what tests see
  try {
    return await evaluateStack({ config, secretKeys, project: PROJECT, stack: options.stack ?? "dev", clock: fixedClock(options.today ?? TODAY), tokenValue: canaryToken });
  } finally {
    if (previousToken !== undefined) process.env.GITLAB_TOKEN = previousToken;
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

export const ofType = (evaluation: Evaluation, type: string) => evaluation.registrations.filter((r) => r.type === type);
export const tokens = (evaluation: Evaluation) => ofType(evaluation, GITLAB_TYPES.projectAccessToken);
export const variables = (evaluation: Evaluation) => ofType(evaluation, GITLAB_TYPES.projectVariable);
export const providers = (evaluation: Evaluation) => ofType(evaluation, GITLAB_TYPES.provider);
export const gitlabResources = (evaluation: Evaluation) =>
  evaluation.registrations.filter((r) => r.type.startsWith("gitlab:") || r.type === GITLAB_TYPES.provider);

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
