// The adoption scenario of issue 6, shared by its suites (the program, the import file, the command):
// several tokens; adopted and new consumers; environment scopes; numeric and path project IDs.

import { PROJECT } from "./scenarios";

export const RICH = [
  {
    name: "GITLAB_CI_PUSHER",
    project: "xlink/xlink-k8s-gitops",
    expiresAt: "2027-02-15",
    consumers: [
      { project: "xlink/xlink-app", key: "GITLAB_PUSHER_TOKEN", adopt: true },
      { project: 4711, key: "GITLAB_PUSHER_TOKEN", environmentScope: "production", adopt: true },
      { project: "xlink/xlink-worker", key: "GITLAB_PUSHER_TOKEN" },
    ],
    retiring: { tokenId: 8812, name: "gitops pusher", accessLevel: "maintainer", scopes: ["write_repository", "api"], expiresAt: "2026-12-31", revokeAfter: "2026-12-02T12:00:00Z" },
  },
  {
    name: "RELEASE_TAGGER",
    project: 1234,
    accessLevel: "maintainer",
    expiresAt: "2027-05-01",
    consumers: [{ project: "xlink/xlink-release", key: "CHARTS_PUSH_TOKEN", environmentScope: "review/*", adopt: true }],
    retiring: { tokenId: 9001, expiresAt: "2026-12-10", revokeAfter: "2026-12-01T00:00:00Z" },
  },
  {
    name: "DOCS_PUSHER",
    project: "xlink/docs",
    expiresAt: "2027-03-01",
    consumers: [{ project: "xlink/xlink-app", key: "DOCS_PUSH_TOKEN" }],
  },
];

export const component = (name: string) => `urn:pulumi:dev::${PROJECT}::gitlab-push-tokens:index:PushToken::${name}`;
export const PROVIDER_URN = `urn:pulumi:dev::${PROJECT}::pulumi:providers:gitlab::gitlab`;
