// Logical names are resources' identities in state: they must be unique wherever the config's own
// identities are, and must never depend on anything but those identities.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { consumerVariableName, generationName, pushTokenName, tokenDescription, variableDescription } from "../../infra/naming";

// What validation lets through: project paths or IDs, token names, variable keys, environment scopes.
const segment = fc.stringMatching(/^[A-Za-z0-9_.][A-Za-z0-9_.-]{0,8}$/);
const project = fc.oneof(fc.array(segment, { minLength: 2, maxLength: 3 }).map((parts) => parts.join("/")), fc.integer({ min: 1, max: 99999 }).map(String));
const tokenName = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 _.-]{0,10}$/);
const key = fc.stringMatching(/^[A-Za-z0-9_]{1,10}$/);
const scope = fc.oneof(fc.constant("*"), fc.stringMatching(/^[a-z*/[\]-]{1,10}$/));
const date = fc.date({ min: new Date("2026-01-01"), max: new Date("2030-12-31"), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));

describe("logical names", () => {
  it("name the seed scenario as the README shows", () => {
    const component = pushTokenName({ project: "xlink/xlink-k8s-gitops", name: "GITLAB_CI_PUSHER" });
    assert.equal(component, "xlink/xlink-k8s-gitops:GITLAB_CI_PUSHER");
    assert.equal(generationName(component, "2027-02-15"), "xlink/xlink-k8s-gitops:GITLAB_CI_PUSHER@2027-02-15");
    assert.equal(consumerVariableName({ project: "xlink/xlink-app", key: "GITLAB_PUSHER_TOKEN", environmentScope: "*" }), "xlink/xlink-app:GITLAB_PUSHER_TOKEN");
    assert.equal(consumerVariableName({ project: "xlink/xlink-app", key: "GITLAB_PUSHER_TOKEN", environmentScope: "production" }), "xlink/xlink-app:GITLAB_PUSHER_TOKEN[production]");
  });

  it("give distinct tokens distinct component names", () => {
    fc.assert(
      fc.property(project, tokenName, project, tokenName, (p1, n1, p2, n2) => {
        fc.pre(p1 !== p2 || n1 !== n2);
        assert.notEqual(pushTokenName({ project: p1, name: n1 }), pushTokenName({ project: p2, name: n2 }));
      }),
    );
  });

  it("give distinct generations distinct names, across tokens too", () => {
    fc.assert(
      fc.property(project, tokenName, date, project, tokenName, date, (p1, n1, d1, p2, n2, d2) => {
        fc.pre(p1 !== p2 || n1 !== n2 || d1 !== d2);
        const first = generationName(pushTokenName({ project: p1, name: n1 }), d1);
        assert.notEqual(first, generationName(pushTokenName({ project: p2, name: n2 }), d2));
      }),
    );
  });

  it("give distinct variables (project, key, scope) distinct names", () => {
    fc.assert(
      fc.property(project, key, scope, project, key, scope, (p1, k1, s1, p2, k2, s2) => {
        fc.pre(p1 !== p2 || k1 !== k2 || s1 !== s2);
        const name = (p: string, k: string, s: string) => consumerVariableName({ project: p, key: k, environmentScope: s });
        assert.notEqual(name(p1, k1, s1), name(p2, k2, s2));
      }),
    );
  });
});

describe("descriptions", () => {
  it("pins the token description: changing it may make the provider replace every live token", () => {
    assert.equal(tokenDescription("gitlab-push-tokens/dev"), "Push token managed by Pulumi (gitlab-push-tokens/dev). Rotate or revoke it there, not in GitLab.");
  });

  it("keeps variable descriptions within GitLab's 255 characters", () => {
    fc.assert(
      fc.property(project, tokenName, date, fc.string({ maxLength: 300 }), (p, n, d, managedBy) => {
        const text = variableDescription({ project: p, name: n, expiresAt: d }, managedBy);
        assert.ok(text.length <= 255);
        if (text.length < 255) assert.ok(text.includes(d));
      }),
    );
  });
});
