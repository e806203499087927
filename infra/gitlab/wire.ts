// What is specific to the official GitLab provider (pulumi-gitlab v10.1.1): the plugin version and
// its type tokens. The values its inputs take are GitLab's own (config/gitlabVocabulary.ts).
// test/infra/gitlab/wire.test.ts checks all of this against the provider's published schema.

/** The provider plugin `pulumi up` installs and runs. Pinned here and nowhere else. */
export const GITLAB_PROVIDER_VERSION = "10.1.1";

export const GITLAB_TYPES = {
  provider: "pulumi:providers:gitlab",
  projectAccessToken: "gitlab:index/projectAccessToken:ProjectAccessToken",
  projectVariable: "gitlab:index/projectVariable:ProjectVariable",
} as const;
