// Entry point of the gitlab-push-token-guardrails CrossGuard pack: `pulumi preview --policy-pack ./policy`
// loads this file (see PulumiPolicy.yaml). It only builds the pack: constructing a PolicyPack starts its
// gRPC server and reads ./package.json for the version, so tests import policies.ts, never this file.

import { PolicyPack } from "@pulumi/policy";
import { POLICY_PACK_NAME, policies } from "./policies";

new PolicyPack(POLICY_PACK_NAME, {
  description:
    "Guardrails for GitLab push tokens: least-privilege, expiring access tokens rotated without in-place revocation, each held by a masked, protected CI/CD variable.",
  enforcementLevel: "mandatory",
  policies,
});
