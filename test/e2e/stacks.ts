// The stacks the scenario suites share, as config for a GitLab world: the README's dev stack (its
// shape, with expiries counted from today so the suites never rot) and a fan-out stack (one token,
// consumers in every variable setting the program offers). Dates are from the real clock, which the
// emulator and a real GitLab share.

import { addDays, utcDate } from "../../config/dates";
import type { GitLabWorld } from "./harness/gitlabWorld";
import type { GitLabVariable } from "./harness/gitlabTarget";

export const today = () => utcDate(new Date());

/** The dev stack's projects (Pulumi.dev.yaml). */
export const DEV_PROJECTS = ["xlink-k8s-gitops", "xlink-app", "xlink-worker", "xlink-charts", "xlink-release"] as const;

/** Pulumi.dev.yaml without its retiring block (rotation.test.ts rotates it): 82 and 157 days ahead, as the README's example on its day. */
export function devPushTokens(world: GitLabWorld, options: { readonly pusherExpiresAt?: string; readonly taggerExpiresAt?: string } = {}) {
  return [
    {
      name: "GITLAB_CI_PUSHER",
      project: world.project("xlink-k8s-gitops"),
      accessLevel: "developer",
      scopes: ["write_repository"],
      expiresAt: options.pusherExpiresAt ?? addDays(today(), 82),
      consumers: [
        { project: world.project("xlink-app"), key: "GITLAB_PUSHER_TOKEN" },
        { project: world.project("xlink-worker"), key: "GITLAB_PUSHER_TOKEN", environmentScope: "production" },
      ],
    },
    {
      name: "RELEASE_TAGGER",
      project: world.project("xlink-charts"),
      accessLevel: "maintainer",
      expiresAt: options.taggerExpiresAt ?? addDays(today(), 157),
      consumers: [{ project: world.project("xlink-release"), key: "CHARTS_PUSH_TOKEN", hidden: true }],
    },
  ];
}

/** The token description every generation of a stack gets (infra/naming.ts). */
export const tokenDescription = (stack: string) => `Push token managed by Pulumi (gitlab-push-tokens/${stack}). Rotate or revoke it there, not in GitLab.`;

/** The description of a variable holding generation `expiresAt` of token `name` in `project`. */
export const variableDescription = (stack: string, name: string, project: string, expiresAt: string) => `Push token ${name} for ${project}, expires ${expiresAt}. Managed by Pulumi (gitlab-push-tokens/${stack}).`;

/** GitLab's numbers for the two push roles. */
export const ACCESS_LEVEL = { developer: 30, maintainer: 40 } as const;

/**
 * The seed scenario: GITLAB_CI_PUSHER in xlink-k8s-gitops, held by GITLAB_PUSHER_TOKEN in xlink-app and
 * xlink-worker (in `workerScope`); the world must declare those three projects.
 */
export function seedPushTokens(world: GitLabWorld, options: { readonly expiresAt: string; readonly retiring?: { readonly expiresAt: string; readonly revokeAfter: string }; readonly workerScope?: string }) {
  return [
    {
      name: "GITLAB_CI_PUSHER",
      project: world.project("xlink-k8s-gitops"),
      expiresAt: options.expiresAt,
      consumers: [
        { project: world.project("xlink-app"), key: "GITLAB_PUSHER_TOKEN" },
        { project: world.project("xlink-worker"), key: "GITLAB_PUSHER_TOKEN", ...(options.workerScope === undefined ? {} : { environmentScope: options.workerScope }) },
      ],
      ...(options.retiring ? { retiring: options.retiring } : {}),
    },
  ];
}

/** A consumer variable as GitLab returns it when the program made it: protected, masked, raw, an env var; `fields` say the rest. */
export function consumerVariable(fields: Pick<GitLabVariable, "key" | "value" | "description"> & Partial<GitLabVariable>): GitLabVariable {
  return { variableType: "env_var", protected: true, masked: true, hidden: false, raw: true, environmentScope: "*", ...fields };
}
