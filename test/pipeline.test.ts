// The infra repository's own .gitlab-ci.yml: valid for GitLab (its official JSON schema), and it keeps
// the promises the README makes: previews on merge requests, one serialized apply in a protected
// environment, the expiry check and the rotation proposal on schedules, and only real npm scripts.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { describe, it } from "node:test";
import Ajv from "ajv";
import { parse } from "yaml";
import { policies as packPolicies } from "../policy/policies";
import { sdkVersion } from "../lib/engine";
import { grantsProtectedVariables, planPipeline, readPipelineFile, type PipelineCase, type ProjectVariable } from "./support/gitlabPipeline";
import { PROJECT_ROOT, sharedFile } from "./support/sharedData";

type Job = {
  stage?: string;
  rules?: { if?: string; when?: string }[];
  script?: string[];
  before_script?: string[];
  extends?: string | string[];
  parallel?: { matrix: Record<string, string[]>[] };
  resource_group?: string;
  environment?: { name: string; deployment_tier?: string };
  interruptible?: boolean;
  variables?: Record<string, string>;
  allow_failure?: { exit_codes: number[] };
};

const pipeline = parse(readFileSync(path.join(PROJECT_ROOT, ".gitlab-ci.yml"), "utf8")) as Record<string, unknown> & { variables: Record<string, string> };
const job = (name: string) => pipeline[name] as Job;
const packageJson = JSON.parse(readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")) as { scripts: Record<string, string>; dependencies: Record<string, string> };
const parentsOf = (name: string) => [job(name).extends ?? []].flat().map((parent) => pipeline[parent] as Job);
const scriptOf = (name: string) => [...parentsOf(name).flatMap((parent) => parent.before_script ?? []), ...(job(name).script ?? [])].join("\n");
const ruleOf = (name: string) => (job(name).rules ?? []).map((rule) => rule.if).join(" | ");

/**
 * Runs a job's script lines as GitLab's shell runner does (one `sh -e` script, STACK set), in a temp
 * folder, with `pulumi` and `npm` replaced by shell functions: what each was called with, and how the
 * job ends.
 */
async function runJobScript(name: string, standIns: { readonly pulumi?: string; readonly npm: string }): Promise<{ code: number | null; calls: string[]; stderr: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), "ci-job-"));
  try {
    // A function whose body is a subshell: `exit` in it ends the call, as the program's own exit would.
    const functions = [`pulumi() ( ${standIns.pulumi ?? "exit 99"} )`, `npm() ( ${standIns.npm} )`].join("\n");
    const script = `${functions}\n${(job(name).script ?? []).join("\n")}\n`;
    const result = spawnSync("sh", ["-e", "-c", script], { cwd: dir, env: { PATH: process.env.PATH, STACK: "dev" }, encoding: "utf8" });
    const calls = existsSync(path.join(dir, "calls.txt")) ? readFileSync(path.join(dir, "calls.txt"), "utf8").trimEnd().split("\n") : [];
    return { code: result.status, calls, stderr: result.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

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

  it("previews merge requests GitLab trusts with protected variables, as engine events, posts the note whatever the preview printed, then fails if it did", () => {
    assert.equal(
      ruleOf("preview"),
      '$CI_PIPELINE_SOURCE == "merge_request_event" && $CI_MERGE_REQUEST_SOURCE_BRANCH_PROTECTED == "true" && $CI_MERGE_REQUEST_TARGET_BRANCH_PROTECTED == "true" && $CI_MERGE_REQUEST_SOURCE_PROJECT_ID == $CI_MERGE_REQUEST_PROJECT_ID && $GITLAB_PREVIEW_TOKEN',
    );
    assert.equal(job("preview").variables?.GITLAB_TOKEN, "$GITLAB_PREVIEW_TOKEN");
    assert.deepEqual(job("preview").script, [
      "export PULUMI_ENABLE_STREAMING_JSON_PREVIEW=1",
      "preview_status=0",
      'pulumi preview --stack "$STACK" --json --non-interactive --policy-pack policy --policy-pack-config policy-config.json > preview.jsonl 2> preview-stderr.txt || preview_status=$?',
      "cat preview-stderr.txt >&2",
      "note_status=0",
      'npm run --silent preview-comment -- preview.jsonl --stack "$STACK" --exit-code "$preview_status" --stderr preview-stderr.txt > comment.md || note_status=$?',
      "npm run --silent mr-note -- comment.md",
      'test "$preview_status" -eq 0 || exit "$preview_status"',
      'exit "$note_status"',
    ]);
  });

  it("runs the preview job's script as a shell would: the note is posted, then the job ends with the preview's exit code, else preview-comment's", async () => {
    // The job's lines with pulumi, npm and the note's poster replaced by stand-ins that record what they get.
    const outcome = (pulumiExit: number, commentExit: number) => runJobScript("preview", { pulumi: `echo '{"sequence":0}'; echo 'error: boom' >&2; exit ${pulumiExit}`, npm: `echo "npm $*" >> calls.txt; case "$*" in *preview-comment*) echo note; exit ${commentExit};; esac` });
    assert.deepEqual(await outcome(0, 0), { code: 0, calls: ['npm run --silent preview-comment -- preview.jsonl --stack dev --exit-code 0 --stderr preview-stderr.txt', "npm run --silent mr-note -- comment.md"], stderr: "error: boom\n" });
    assert.deepEqual(await outcome(255, 0), { code: 255, calls: ['npm run --silent preview-comment -- preview.jsonl --stack dev --exit-code 255 --stderr preview-stderr.txt', "npm run --silent mr-note -- comment.md"], stderr: "error: boom\n" });
    assert.deepEqual(await outcome(0, 2), { code: 2, calls: ['npm run --silent preview-comment -- preview.jsonl --stack dev --exit-code 0 --stderr preview-stderr.txt', "npm run --silent mr-note -- comment.md"], stderr: "error: boom\n" });
  });

  it("falls back to the offline plan in every other merge request: the note posted even for an invalid config, the fork's missing note token tolerated", async () => {
    // The trusted rule, excluded by the very same text (a YAML alias), then every merge request.
    assert.deepEqual(job("preview:offline").rules, [{ if: job("preview").rules?.[0].if, when: "never" }, { if: '$CI_PIPELINE_SOURCE == "merge_request_event"' }]);
    assert.match(scriptOf("preview:offline"), /npm run --silent plan-comment -- --stack "\$STACK" > comment\.md \|\| plan_status=\$\?\n[^]*npm run --silent mr-note -- comment\.md \|\| note_status=\$\?/);
    assert.deepEqual(job("preview:offline").allow_failure, { exit_codes: [3] });
    const outcome = (planExit: number, noteExit: number) => runJobScript("preview:offline", { npm: `echo "npm $*" >> calls.txt; case "$*" in *plan-comment*) echo note; exit ${planExit};; *mr-note*) exit ${noteExit};; esac` });
    const calls = ["npm ci", 'npm run --silent plan-comment -- --stack dev', "npm run --silent mr-note -- comment.md"];
    // An invalid config (exit 2) fails the job even in a fork, whose note cannot be posted (exit 3, allowed).
    assert.deepEqual(await outcome(2, 3), { code: 2, calls, stderr: "" });
    assert.deepEqual(await outcome(0, 3), { code: 3, calls, stderr: "" });
    assert.deepEqual(await outcome(0, 0), { code: 0, calls, stderr: "" });
  });

  it("applies only from the default branch, serialized per stack, in a protected environment, never cancelled", () => {
    const apply = job("apply");
    assert.equal(ruleOf("apply"), '$CI_PIPELINE_SOURCE == "push" && $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH');
    assert.equal(apply.resource_group, "pulumi-$STACK");
    assert.deepEqual(apply.environment, { name: "gitlab-push-tokens/$STACK", deployment_tier: "production" });
    assert.equal(apply.interruptible, false);
    // The refresh alone, then an up that previews (and so runs the policy pack) before it changes anything.
    assert.match(scriptOf("apply"), /\npulumi refresh --stack "\$STACK" --skip-preview --yes --non-interactive\npulumi up --stack "\$STACK" --yes --non-interactive --policy-pack policy --policy-pack-config policy-config.json$/);
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

  it("checks for drift on every schedule with the read-only token, failing the pipeline and rendering what differs", () => {
    assert.equal(ruleOf("drift"), '$CI_PIPELINE_SOURCE == "schedule"');
    assert.equal(job("drift").variables?.GITLAB_TOKEN, "$GITLAB_PREVIEW_TOKEN");
    assert.equal(job("drift").resource_group, "pulumi-$STACK");
    assert.deepEqual(job("drift").script, [
      "drift_status=0",
      'pulumi preview --stack "$STACK" --refresh --expect-no-changes --json --non-interactive > drift.json 2> drift-stderr.txt || drift_status=$?',
      "cat drift-stderr.txt >&2",
      'npm run --silent preview-comment -- drift.json --stack "$STACK" --exit-code "$drift_status" --stderr drift-stderr.txt > drift.md || true',
      "cat drift.md",
      'exit "$drift_status"',
    ]);
  });

  it("never applies or previews on a schedule, and never tests twice for one change", () => {
    for (const name of ["test", "preview", "preview:offline", "apply", "exposure-check"]) assert.doesNotMatch(ruleOf(name), /== "schedule"/, name);
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

  it("holds nothing that grows with the stack: no list of tokens (the pack reads adopted tokens off their options)", () => {
    // Changed with the declaration files (issue 15): retiringTokens is no longer needed, so not written.
    assert.deepEqual(config, { "gitlab-access-token-least-privilege": { maxLifetimeDays: 365 } });
  });
});

// --- who sees what ---------------------------------------------------------------------------
// The real .gitlab-ci.yml, evaluated for each kind of pipeline (test/support/gitlabPipeline.ts), with
// the CI/CD variables README.md's setup table asks for. Values are labels, so a job's environment
// reads as the list of secrets it holds.

const SECRETS = {
  apiToken: "the API token",
  previewToken: "the read-only API token",
  backend: "the backend credential",
  noteToken: "the note token",
  rotationToken: "the rotation MR token",
} as const;

const SETUP: readonly ProjectVariable[] = [
  { key: "GITLAB_TOKEN", value: SECRETS.apiToken, protected: true, environmentScope: "gitlab-push-tokens/*" },
  { key: "GITLAB_PREVIEW_TOKEN", value: SECRETS.previewToken, protected: true, environmentScope: "*" },
  { key: "PULUMI_ACCESS_TOKEN", value: SECRETS.backend, protected: true, environmentScope: "*" },
  { key: "PREVIEW_NOTE_TOKEN", value: SECRETS.noteToken, protected: false, environmentScope: "*" },
  { key: "ROTATION_MR_TOKEN", value: SECRETS.rotationToken, protected: true, environmentScope: "*" },
];

const PROJECT_ID = "100";
const FORK_ID = "200";

function mergeRequest(source: { branchProtected: boolean; projectId?: string; runsIn?: string }): Record<string, string> {
  return {
    CI_PIPELINE_SOURCE: "merge_request_event",
    CI_DEFAULT_BRANCH: "main",
    CI_PROJECT_ID: source.runsIn ?? source.projectId ?? PROJECT_ID,
    CI_COMMIT_REF_NAME: "feature",
    CI_MERGE_REQUEST_IID: "7",
    CI_MERGE_REQUEST_PROJECT_ID: PROJECT_ID,
    CI_MERGE_REQUEST_SOURCE_PROJECT_ID: source.projectId ?? PROJECT_ID,
    CI_MERGE_REQUEST_SOURCE_BRANCH_NAME: "feature",
    CI_MERGE_REQUEST_SOURCE_BRANCH_PROTECTED: String(source.branchProtected),
    CI_MERGE_REQUEST_TARGET_BRANCH_NAME: "main",
    CI_MERGE_REQUEST_TARGET_BRANCH_PROTECTED: "true",
  };
}

const onDefaultBranch = (source: "push" | "schedule", extra: Record<string, string> = {}) => ({
  CI_PIPELINE_SOURCE: source,
  CI_DEFAULT_BRANCH: "main",
  CI_PROJECT_ID: PROJECT_ID,
  CI_COMMIT_BRANCH: "main",
  CI_COMMIT_REF_NAME: "main",
  CI_COMMIT_REF_PROTECTED: "true",
  ...extra,
});

const trustedMergeRequest = { gitlabAtLeast181: true, settingOn: true, sourceProtected: true, targetProtected: true, sameProject: true, userMayMerge: true };

/** job → the secrets in its environment, by variable key. */
function secretsByJob(pipeline: PipelineCase): Record<string, Record<string, string>> {
  const labels = new Set<string>(Object.values(SECRETS));
  return Object.fromEntries(
    planPipeline(readPipelineFile(), pipeline).map((planned) => [planned.name, Object.fromEntries(Object.entries(planned.variables).filter(([, value]) => labels.has(value)).sort())]),
  );
}

const onlyTheNoteToken = { PREVIEW_NOTE_TOKEN: SECRETS.noteToken };
const protectedSet = { GITLAB_PREVIEW_TOKEN: SECRETS.previewToken, PREVIEW_NOTE_TOKEN: SECRETS.noteToken, PULUMI_ACCESS_TOKEN: SECRETS.backend, ROTATION_MR_TOKEN: SECRETS.rotationToken };

describe("the pipeline, per kind of pipeline: which jobs run and which secrets each can read", () => {
  // Every job but test and exposure-check is a matrix job, one per stack (`.per-stack`): GitLab names them `<job>: [<stack>]`.
  it("a merge request from an unprotected branch: tests and the offline plan, with the note token only", () => {
    assert.deepEqual(
      secretsByJob({ predefined: mergeRequest({ branchProtected: false }), protectedVariables: grantsProtectedVariables({ source: "merge_request_event", mergeRequest: { ...trustedMergeRequest, sourceProtected: false } }), projectVariables: SETUP }),
      { test: onlyTheNoteToken, "preview:offline: [dev]": onlyTheNoteToken },
    );
  });

  it("a merge request from a protected branch, protected merge-request pipelines on (18.1+): the state-backed preview, with the read-only token as GITLAB_TOKEN", () => {
    assert.equal(grantsProtectedVariables({ source: "merge_request_event", mergeRequest: trustedMergeRequest }), true);
    assert.deepEqual(secretsByJob({ predefined: mergeRequest({ branchProtected: true }), protectedVariables: true, projectVariables: SETUP }), {
      test: protectedSet,
      // The API token is scoped to the apply job's environment: it never reaches a preview.
      "preview: [dev]": { ...protectedSet, GITLAB_TOKEN: SECRETS.previewToken },
    });
  });

  it("the same merge request where GitLab withholds protected variables (before 18.1, setting off, a user who may not merge): the offline plan", () => {
    for (const withheld of [{ gitlabAtLeast181: false }, { settingOn: false }, { userMayMerge: false }]) {
      const protectedVariables = grantsProtectedVariables({ source: "merge_request_event", mergeRequest: { ...trustedMergeRequest, ...withheld } });
      assert.equal(protectedVariables, false, JSON.stringify(withheld));
      assert.deepEqual(secretsByJob({ predefined: mergeRequest({ branchProtected: true }), protectedVariables, projectVariables: SETUP }), { test: onlyTheNoteToken, "preview:offline: [dev]": onlyTheNoteToken });
    }
  });

  it("a fork's merge request, in the fork (its own branch protected there): the offline plan and none of our secrets", () => {
    assert.deepEqual(
      secretsByJob({ predefined: mergeRequest({ branchProtected: true, projectId: FORK_ID }), protectedVariables: grantsProtectedVariables({ source: "merge_request_event", mergeRequest: { ...trustedMergeRequest, sameProject: false } }), projectVariables: [] }),
      { test: {}, "preview:offline: [dev]": {} },
    );
  });

  it("a fork's merge request run in this project by a member: the offline plan, the note token only", () => {
    assert.deepEqual(
      secretsByJob({ predefined: mergeRequest({ branchProtected: true, projectId: FORK_ID, runsIn: PROJECT_ID }), protectedVariables: false, projectVariables: SETUP }),
      { test: onlyTheNoteToken, "preview:offline: [dev]": onlyTheNoteToken },
    );
  });

  it("a push to the default branch: tests and the apply, the only job that holds the API token", () => {
    assert.deepEqual(secretsByJob({ predefined: onDefaultBranch("push"), protectedVariables: grantsProtectedVariables({ source: "push", refProtected: true }), projectVariables: SETUP }), {
      test: protectedSet,
      "apply: [dev]": { ...protectedSet, GITLAB_TOKEN: SECRETS.apiToken },
    });
  });

  it("a schedule: the expiry check and the drift check, which reads GitLab with the read-only token", () => {
    assert.deepEqual(secretsByJob({ predefined: onDefaultBranch("schedule"), protectedVariables: true, projectVariables: SETUP }), {
      "expiry: [dev]": protectedSet,
      "drift: [dev]": { ...protectedSet, GITLAB_TOKEN: SECRETS.previewToken },
    });
  });

  it("a schedule with ROTATE=true: the rotation proposal too", () => {
    assert.deepEqual(Object.keys(secretsByJob({ predefined: onDefaultBranch("schedule", { ROTATE: "true" }), protectedVariables: true, projectVariables: SETUP })), ["expiry: [dev]", "drift: [dev]", "rotate: [dev]"]);
  });

  it("a push to a branch: no pipeline, with or without an open merge request (the merge request's pipeline covers it)", () => {
    const branch = { CI_PIPELINE_SOURCE: "push", CI_DEFAULT_BRANCH: "main", CI_PROJECT_ID: PROJECT_ID, CI_COMMIT_BRANCH: "feature", CI_COMMIT_REF_PROTECTED: "false" };
    assert.deepEqual(secretsByJob({ predefined: branch, protectedVariables: false, projectVariables: SETUP }), {});
    assert.deepEqual(secretsByJob({ predefined: { ...branch, CI_OPEN_MERGE_REQUESTS: "xlink/infra!7" }, protectedVariables: false, projectVariables: SETUP }), {});
  });

  it("a credential left unprotected: exposure-check fails the merge request's pipeline, naming it", () => {
    const leaky = SETUP.map((variable) => (variable.key === "PULUMI_ACCESS_TOKEN" ? { ...variable, protected: false } : variable));
    const jobs = planPipeline(readPipelineFile(), { predefined: mergeRequest({ branchProtected: false }), protectedVariables: false, projectVariables: leaky });
    assert.deepEqual(jobs.map((planned) => planned.name), ["test", "preview:offline: [dev]", "exposure-check"]);
    const check = jobs.find((planned) => planned.name === "exposure-check")!;
    assert.deepEqual(check.definition.script?.slice(-1), ["exit 1"]);
    assert.match(check.definition.script?.[0] ?? "", /for name in GITLAB_PREVIEW_TOKEN PULUMI_ACCESS_TOKEN PULUMI_CONFIG_PASSPHRASE ROTATION_MR_TOKEN; do .* echo "\$name is visible to a merge request from an unprotected branch or a fork; make it a protected variable/);
    // In a trusted pipeline the same variables are expected, and nothing fails.
    assert.equal(planPipeline(readPipelineFile(), { predefined: mergeRequest({ branchProtected: true }), protectedVariables: true, projectVariables: leaky }).some((planned) => planned.name === "exposure-check"), false);
  });
});

describe("past one stack: every stack job once per stack, side by side, each with its own files, lock and environment", () => {
  const stacksOf = (document: Record<string, unknown>) => ((document[".per-stack"] as Job).parallel!.matrix[0].STACK);
  /** The file, with these stacks in its matrix: what a platform team that splits its tokens writes. */
  const withStacks = (stacks: string[]) => {
    const document = readPipelineFile();
    (document[".per-stack"] as Job).parallel = { matrix: [{ STACK: stacks }] };
    return document;
  };

  it("lists the repository's stacks, each with its stack file and the declaration file it names", () => {
    const stacks = stacksOf(readPipelineFile());
    assert.deepEqual(stacks, ["dev"]);
    for (const stack of stacks) {
      const config = (parse(readFileSync(path.join(PROJECT_ROOT, `Pulumi.${stack}.yaml`), "utf8")) as { config: Record<string, unknown> }).config;
      assert.equal(config["gitlab-push-tokens:pushTokensFile"], `push-tokens/${stack}.yaml`);
      assert.ok(statSync(path.join(PROJECT_ROOT, `push-tokens/${stack}.yaml`)).isFile());
    }
  });

  it("every job that reads or changes a stack runs once per stack; the tests and the exposure check once", () => {
    const perStack = Object.entries(pipeline).filter(([, definition]) => [(definition as Job).extends ?? []].flat().includes(".per-stack")).map(([name]) => name);
    assert.deepEqual(perStack, ["preview", "preview:offline", "apply", "expiry", "drift", "rotate"]);
    for (const name of perStack) assert.match(JSON.stringify(job(name)) + scriptOf(name), /\$STACK/, `${name} names its stack`);
  });

  it("a merge request of a team split over three stacks previews the three in parallel jobs, with one note each", () => {
    const jobs = planPipeline(withStacks(["team-a", "team-b", "team-c"]), { predefined: mergeRequest({ branchProtected: true }), protectedVariables: true, projectVariables: SETUP });
    assert.deepEqual(jobs.map((planned) => planned.name), ["test", "preview: [team-a]", "preview: [team-b]", "preview: [team-c]"]);
    assert.deepEqual(jobs.slice(1).map((planned) => [planned.variables.STACK, planned.definition.stage]), [["team-a", "preview"], ["team-b", "preview"], ["team-c", "preview"]]);
    // One stage: GitLab starts them together, so the pipeline takes about as long as the largest stack's preview.
    const offline = planPipeline(withStacks(["team-a", "team-b"]), { predefined: mergeRequest({ branchProtected: false }), protectedVariables: false, projectVariables: SETUP });
    assert.deepEqual(offline.map((planned) => planned.name), ["test", "preview:offline: [team-a]", "preview:offline: [team-b]"]);
  });

  it("on the default branch each stack applies under its own lock, in its own environment, and only there holds the API token", () => {
    const scoped = SETUP.map((variable) => (variable.key === "GITLAB_TOKEN" ? { ...variable, environmentScope: "gitlab-push-tokens/team-a" } : variable));
    const jobs = planPipeline(withStacks(["team-a", "team-b"]), { predefined: onDefaultBranch("push"), protectedVariables: true, projectVariables: scoped });
    const applies = jobs.filter((planned) => planned.key === "apply");
    assert.deepEqual(
      applies.map((planned) => [planned.name, planned.environment, planned.definition.resource_group, planned.variables.GITLAB_TOKEN]),
      [
        ["apply: [team-a]", "gitlab-push-tokens/team-a", "pulumi-$STACK", SECRETS.apiToken],
        // Scoped to team-a's environment, the API token never reaches team-b's job.
        ["apply: [team-b]", "gitlab-push-tokens/team-b", "pulumi-$STACK", undefined],
      ],
    );
    // GitLab expands resource_group with the job's variables: one lock per stack, so two stacks apply side by side and two merges to one stack queue.
    assert.deepEqual(applies.map((planned) => (planned.definition.resource_group as string).replace("$STACK", planned.variables.STACK)), ["pulumi-team-a", "pulumi-team-b"]);
  });

  it("a schedule checks, drift-checks and rotates every stack on its own", () => {
    const jobs = planPipeline(withStacks(["team-a", "team-b"]), { predefined: onDefaultBranch("schedule", { ROTATE: "true" }), protectedVariables: true, projectVariables: SETUP });
    assert.deepEqual(jobs.map((planned) => planned.name), ["expiry: [team-a]", "expiry: [team-b]", "drift: [team-a]", "drift: [team-b]", "rotate: [team-a]", "rotate: [team-b]"]);
  });
});

describe("README.md's setup table asks for exactly the protection the pipeline relies on", () => {
  const readme = readFileSync(path.join(PROJECT_ROOT, "README.md"), "utf8");
  const row = (key: string) => readme.split("\n").find((line) => line.startsWith(`| \`${key}\` |`)) ?? "";

  for (const variable of SETUP) {
    it(`${variable.key}: ${variable.protected ? "protected" : "not protected"}${variable.environmentScope === "*" ? "" : `, scoped to ${variable.environmentScope}`}`, () => {
      assert.notEqual(row(variable.key), "", `no row for ${variable.key}`);
      if (variable.protected) assert.match(row(variable.key), /\*\*protected\*\*/);
      else assert.match(row(variable.key), /not protected/);
      if (variable.environmentScope !== "*") assert.match(row(variable.key), /scoped to the `gitlab-push-tokens\/<stack>` environment/);
    });
  }
});
