// Logical names and descriptions of the resources. Pure, and stable on purpose: a logical name is a
// resource's identity in Pulumi state, so changing how one is built replaces live tokens.

import type { ConsumerSpec, PushTokenSpec } from "../config/schema";

/** The PushToken component: `xlink/xlink-k8s-gitops:GITLAB_CI_PUSHER`. */
export function pushTokenName(token: Pick<PushTokenSpec, "project" | "name">): string {
  return `${token.project}:${token.name}`;
}

/**
 * One generation of a token: `xlink/xlink-k8s-gitops:GITLAB_CI_PUSHER@2027-02-15`.
 * The expiry is part of the name, so a rotation creates a new resource next to the old one instead of
 * updating it in place (which would call GitLab's rotate API and revoke the old token at once), and
 * the generation keeps its name when it moves from `expiresAt` to `retiring`.
 */
export function generationName(pushToken: string, expiresAt: string): string {
  return `${pushToken}@${expiresAt}`;
}

/**
 * A consumer's CI/CD variable: `xlink/xlink-app:GITLAB_PUSHER_TOKEN`, with `[scope]` appended when the
 * environment scope is not "*". GitLab allows one variable per project, key and scope, so this is
 * unique across the stack without naming the token that feeds it.
 */
export function consumerVariableName(consumer: Pick<ConsumerSpec, "project" | "key" | "environmentScope">): string {
  const scope = consumer.environmentScope === "*" ? "" : `[${consumer.environmentScope}]`;
  return `${consumer.project}:${consumer.key}${scope}`;
}

/**
 * Description of every generation. Constant per stack on purpose: the provider may replace a token
 * whose description changes, and a retiring generation must keep the inputs it was created with.
 */
export function tokenDescription(managedBy: string): string {
  return `Push token managed by Pulumi (${managedBy}). Rotate or revoke it there, not in GitLab.`;
}

const VARIABLE_DESCRIPTION_LIMIT = 255;

/** Description of a consumer variable; it changes only when the token it holds does. */
export function variableDescription(token: Pick<PushTokenSpec, "project" | "name" | "expiresAt">, managedBy: string): string {
  const text = `Push token ${token.name} for ${token.project}, expires ${token.expiresAt}. Managed by Pulumi (${managedBy}).`;
  return text.length <= VARIABLE_DESCRIPTION_LIMIT ? text : `${text.slice(0, VARIABLE_DESCRIPTION_LIMIT - 1)}…`;
}
