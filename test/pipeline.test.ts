// The infra repository's own .gitlab-ci.yml: valid for GitLab (its official JSON schema), and it keeps
// the promises the README makes: previews on merge requests, one serialized apply in a protected
// environment, the expiry check and the rotation proposal on schedules, and only real npm scripts.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import Ajv from "ajv";
import { parse } from "yaml";
import { policies as packPolicies } from "../policy/policies";
import { sdkVersion } from "../lib/engine";
import { PROJECT_ROOT, sharedFile } from "./support/sharedData";

type Job = {
  stage?: string;
  rules?: { if?: string; when?: string }[];
  script?: string[];
  before_script?: string[];
  extends?: string;
  resource_group?: string;
  environment?: { name: string; deployment_tier?: string };
  interruptible?: boolean;
  variables?: Record<string, string>;
  allow_failure?: { exit_codes: number[] };
};

const pipeline = parse(readFileSync(path.join(PROJECT_ROOT, ".gitlab-ci.yml"), "utf8")) as Record<string, unknown> & { variables: Record<string, string> };
const job = (name: string) => pipeline[name] as Job;
const packageJson = JSON.parse(readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")) as { scripts: Record<string, string>; dependencies: Record<string, string> };
const scriptOf = (name: string) => [...((pipeline[job(name).extends ?? ""] as Job | undefined)?.before_script ?? []), ...(job(name).script ?? [])].join("\n");
const ruleOf = (name: string) => (job(name).rules ?? []).map((rule) => rule.if).join(" | ");

const ciSchema = sharedFile("schemas/gitlab-ci.json");
describe(".gitlab-ci.yml against GitLab's official CI schema", { skip: ciSchema.skip }, () => {
  it("is valid", () => {
    const validate = new Ajv({ strict: false, allErrors: true }).compile(JSON.parse(readFileSync(ciSchema.file, "utf8")));
    assert.ok(validate(pipeline), JSON.stringify(validate.errors, null, 2));
  });
});

describe(".gitlab-ci.yml keeps the workflow's promises", () => {
  it("runs only npm scripts that exist", () => {
    const text = readFileSync(path.join(PROJECT_ROOT, ".gitlab-ci.yml"), "utf8");
    const used = [...text.matchAll(/npm run (?:--silent )?([a-z-]+)/g)].map((match) => match[1]);
    assert.ok(used.length >= 6, used.join(", "));
    for (const script of used) assert.ok(packageJson.scripts[script], `npm run ${script} is not in package.json`);
  });

  it("previews merge requests with Pulumi credentials, posts the note even when the preview fails, then fails", () => {
    assert.equal(ruleOf("preview"), '$CI_PIPELINE_SOURCE == "merge_request_event" && $PULUMI_ACCESS_TOKEN');
    assert.equal(job("preview").variables?.GITLAB_TOKEN, "$GITLAB_PREVIEW_TOKEN");
    assert.deepEqual(job("preview").script, [
      "preview_status=0",
      'pulumi preview --stack "$STACK" --json --non-interactive --policy-pack policy --policy-pack-config policy-config.json > preview.json || preview_status=$?',
      "npm run --silent preview-comment -- preview.json > comment.md",
      "npm run --silent mr-note -- comment.md",
      'exit "$preview_status"',
    ]);
  });

  it("falls back to the offline plan without credentials, tolerating the fork's missing note token", () => {
    assert.match(ruleOf("preview:offline"), /\$PULUMI_ACCESS_TOKEN == null/);
    assert.match(scriptOf("preview:offline"), /npm run --silent plan-comment -- --stack "\$STACK" > comment\.md\n[^]*npm run --silent mr-note -- comment\.md/);
    assert.deepEqual(job("preview:offline").allow_failure, { exit_codes: [3] });
  });

  it("applies only from the default branch, serialized per stack, in a protected environment, never cancelled", () => {
    const apply = job("apply");
    assert.equal(ruleOf("apply"), '$CI_PIPELINE_SOURCE == "push" && $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH');
    assert.equal(apply.resource_group, "pulumi-$STACK");
    assert.deepEqual(apply.environment, { name: "gitlab-push-tokens/$STACK", deployment_tier: "production" });
    assert.equal(apply.interruptible, false);
    assert.match(scriptOf("apply"), /\npulumi up --stack "\$STACK" --yes --non-interactive --policy-pack policy --policy-pack-config policy-config.json$/);
  });

  it("installs the Pulumi CLI of the same release as the SDK the tests ran", () => {
    assert.equal(pipeline.variables.PULUMI_VERSION, packageJson.dependencies["@pulumi/pulumi"]);
    // The installed SDK is what lib/engine builds and the end-to-end suite runs the CLI at.
    assert.equal(pipeline.variables.PULUMI_VERSION, sdkVersion());
    assert.match(scriptOf("apply"), /get\.pulumi\.com \| sh -s -- --version "\$PULUMI_VERSION"/);
  });

  it("runs the tests, end-to-end suite included, on that CLI: installed and checked before npm test", () => {
    assert.equal(job("test").extends, ".pulumi-cli");
    assert.match(scriptOf("test"), /^npm ci\ncurl -fsSL https:\/\/get\.pulumi\.com \| sh -s -- --version "\$PULUMI_VERSION"\nexport PATH="\$HOME\/\.pulumi\/bin:\$PATH"\npulumi version\nnpm test$/);
    assert.match(packageJson.scripts.test, /^npm run --silent engine > \/dev\/null && tsc -p \. && node --import tsx --test /);
  });

  it("checks expiry on every schedule and proposes rotation only when asked", () => {
    assert.equal(ruleOf("expiry"), '$CI_PIPELINE_SOURCE == "schedule"');
    assert.match(scriptOf("expiry"), /npm run --silent expiry -- --stack "\$STACK" --since-merge$/);
    assert.equal(ruleOf("rotate"), '$CI_PIPELINE_SOURCE == "schedule" && $ROTATE == "true"');
    // What could be rotated is proposed even when one token could not be; the job still fails after.
    assert.deepEqual(job("rotate").script, [
      "npm ci",
      "rotate_status=0",
      'npm run --silent rotate -- --stack "$STACK" --since-merge || rotate_status=$?',
      'npm run --silent rotate -- --stack "$STACK" --cleanup --since-merge || rotate_status=$?',
      'npm run --silent propose-rotation -- --stack "$STACK"',
      'exit "$rotate_status"',
    ]);
  });

  it("never applies or previews on a schedule, and never tests twice for one change", () => {
    for (const name of ["test", "preview", "preview:offline", "apply"]) assert.doesNotMatch(ruleOf(name), /== "schedule"/, name);
    assert.deepEqual((pipeline.workflow as { rules: { if: string; when?: string }[] }).rules[2], { if: "$CI_COMMIT_BRANCH && $CI_OPEN_MERGE_REQUESTS", when: "never" });
  });
});

describe("policy-config.json, which the pipeline passes to the policy pack", () => {
  const config = JSON.parse(readFileSync(path.join(PROJECT_ROOT, "policy-config.json"), "utf8")) as Record<string, Record<string, unknown>>;

  it("configures only policies of the pack, each knob valid against the policy's own schema", () => {
    for (const [policyName, knobs] of Object.entries(config)) {
      const policy = packPolicies.find((candidate) => candidate.name === policyName);
      assert.ok(policy?.configSchema, `${policyName} is not a configurable policy of the pack`);
      const validate = new Ajv({ strict: false, allErrors: true }).compile({ type: "object", additionalProperties: false, ...policy.configSchema });
      assert.ok(validate(knobs), `${policyName}: ${JSON.stringify(validate.errors)}`);
    }
  });

  it("lists no hand-made token as retiring by default", () => {
    assert.deepEqual(config["gitlab-access-token-least-privilege"].retiringTokens, []);
    assert.deepEqual(config["gitlab-access-token-consumed"].retiringTokens, []);
  });
});
