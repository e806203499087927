// The merge-request notes on real CLI output: the pipeline's own preview job lines (.gitlab-ci.yml) run
// through the real pulumi CLI v3.276 with the policy pack, the stand-in GitLab plugin and the GitLab
// emulator, and `preview-comment` on what they printed: the engine's event stream and, for comparison,
// the classic `--json` document. Each note is checked for the exact headline and the exact violations
// the pack reported; where `pulumi up` follows, GitLab is checked to do exactly what the note said.

import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { addDays, utcDate } from "../../config/dates";
import { GitLabProvider } from "../../infra/gitlab/provider";
import { ProjectAccessToken } from "../../infra/gitlab/projectAccessToken";
import { prose } from "../../lib/mergeRequest/markdown";
import { POLICY_NAMES } from "../../policy/policies";
import { DEFAULT_LEAST_PRIVILEGE, accessLevelFindings, describeResource, GITLAB_TYPES, scopeFindings, violationMessage } from "../../policy/rules";
import type { E2eStack } from "./harness";
import { assertGitLabDidWhatTheNoteSaid, noteClaims } from "./mergeRequestNotes/noteClaims";
import { startNotesWorld, type NotesWorld } from "./mergeRequestNotes/notesWorld";
import { runApplyJob, runPreviewJob, type PreviewJobRun } from "./mergeRequestNotes/pipelineJobs";

const GITOPS = "xlink/xlink-k8s-gitops";
const APP = "xlink/xlink-app";
const WORKER = "xlink/xlink-worker";
const PACK = "gitlab-push-token-guardrails";
// GitLab and the pack judge expiries against today: dates 90 and 120 days ahead are valid on any day.
const today = utcDate(new Date());
const EXPIRES = addDays(today, 90);
const LATER = addDays(today, 120);
const CLASSIC = "ℹ️ Made from the classic `pulumi preview --json` document, which holds no policy results: whether the policy packs passed cannot be shown. With `PULUMI_ENABLE_STREAMING_JSON_PREVIEW=1` the preview prints the engine's events, which hold them.";
const PASSING_PACK = "✅ Policy pack `gitlab-push-token-guardrails` `0.1.0`: 5 policies, no violation.";

/** The note's first lines, up to the blank line after its title. */
const head = (stack: string, project = true) => `<!-- gitlab-push-tokens:preview-comment -->\n<!-- stack: ${stack} -->\n### Pulumi preview: stack \`${stack}\`${project ? " of `gitlab-push-tokens`" : ""}\n\n`;
const section = (note: string, title: string) => note.slice(note.indexOf(`\n#### ${title}\n`) + 1).split(/\n(?=#### |<details>)/)[0];
/** The violations in the engine's own events, as the note should list them. */
const violationsIn = (output: string) =>
  output
    .split("\n")
    .filter((line) => line.includes('"policyEvent"'))
    .map((line) => (JSON.parse(line) as { policyEvent: { policyName: string; enforcementLevel: string; message: string; resourceUrn: string } }).policyEvent);
const seed = (expiresAt: string, consumers: unknown[], extra: Record<string, unknown> = {}) => ({ pushTokens: [{ name: "GITLAB_CI_PUSHER", project: GITOPS, expiresAt, consumers, ...extra }] });

describe("merge-request notes on the real CLI's output", { timeout: 900_000 }, () => {
  let world: NotesWorld;
  /** Every note and preview output of the suite, for the last check: no secret in any of them. */
  const printed: string[] = [];
  const previewJob = async (...args: Parameters<typeof runPreviewJob>): Promise<PreviewJobRun> => {
    const job = await runPreviewJob(...args);
    printed.push(job.note, job.output, job.preview.stderr, job.noteStderr);
    return job;
  };
  before(async () => (world = await startNotesWorld([GITOPS, APP, WORKER])));
  after(() => world?.close());

  describe("a passing preview, then the changes after it, each note checked against what `pulumi up` did", () => {
    let stack: E2eStack;
    before(async () => (stack = await world.stack("notes", seed(EXPIRES, [{ project: APP, key: "GITLAB_PUSHER_TOKEN" }, { project: WORKER, key: "GITLAB_PUSHER_TOKEN" }]))));

    it("the first preview passes: the counts, the pack in one line, every token and variable to be made", async () => {
      const job = await previewJob(stack, { vars: world.vars });
      assert.equal(job.preview.code, 0, job.preview.stderr);
      assert.deepEqual([job.noteExitCode, job.noteStderr], [0, ""]);
      const generation = `${GITOPS}:GITLAB_CI_PUSHER@${EXPIRES}`;
      const holding = `holding token \`GITLAB_CI_PUSHER\` of \`${GITOPS}\` expiring ${EXPIRES} (generation \`${generation}\`, created in this change)`;
      assert.equal(
        job.note,
        head("notes") +
        [
          "**Resources:** 6 to create",
          "",
          "#### Policy packs",
          "",
          PASSING_PACK,
          "",
          "#### GitLab tokens and variables",
          "",
          `- new token \`GITLAB_CI_PUSHER\` in \`${GITOPS}\`, developer, \`write_repository\`, expires ${EXPIRES}`,
          `- new variable \`GITLAB_PUSHER_TOKEN\` in \`${APP}\` (protected, masked), ${holding}`,
          `- new variable \`GITLAB_PUSHER_TOKEN\` in \`${WORKER}\` (protected, masked), ${holding}`,
          "",
          "#### Changes",
          "",
          "| Operation | Type | Name | Changed |",
          "| --- | --- | --- | --- |",
          "| create | `provider:gitlab` | `gitlab` |  |",
          "| create | `pulumi:Stack` | `gitlab-push-tokens-notes` |  |",
          `| create | \`gitlab:ProjectVariable\` | \`${APP}:GITLAB_PUSHER_TOKEN\` |  |`,
          `| create | \`gitlab-push-tokens:PushToken\` | \`${GITOPS}:GITLAB_CI_PUSHER\` |  |`,
          `| create | \`gitlab:ProjectAccessToken\` | \`${generation}\` |  |`,
          `| create | \`gitlab:ProjectVariable\` | \`${WORKER}:GITLAB_PUSHER_TOKEN\` |  |`,
          "",
        ].join("\n"),
      );
      // The classic document gives the same plan, and says it cannot tell the pack's verdict.
      const classic = await previewJob(stack, { vars: world.vars, classic: true });
      assert.ok(classic.note.startsWith(`${head("notes")}**Resources:** 6 to create\n\n${CLASSIC}\n\n#### GitLab tokens and variables\n`), classic.note);
      assert.equal(section(classic.note, "GitLab tokens and variables"), section(job.note, "GitLab tokens and variables"));
      assert.deepEqual(world.gitlab.log.writes(), [], "a preview writes nothing to GitLab");

      const before = world.gitlab.state.snapshot();
      const up = await runApplyJob(stack, world.vars);
      assert.equal(up.code, 0, up.stderr);
      assertGitLabDidWhatTheNoteSaid(noteClaims(job.note), before, world.gitlab.state.snapshot());
    });

    it("a scope change and a removed consumer: the live token revoked and replaced, the consumer's variable deleted, under Needs attention", async () => {
      stack.writeConfig(world.configOf(seed(EXPIRES, [{ project: APP, key: "GITLAB_PUSHER_TOKEN" }], { scopes: ["write_repository", "read_repository"] })));
      const job = await previewJob(stack, { vars: world.vars });
      assert.equal(job.preview.code, 0, job.preview.stderr);
      assert.ok(job.note.startsWith(`${head("notes")}**Resources:** 1 to update · 1 to replace · 1 to delete · 3 unchanged\n\n#### Policy packs\n\n${PASSING_PACK}\n\n`), job.note);
      assert.equal(
        section(job.note, "Needs attention"),
        [
          "#### Needs attention",
          "",
          `- ⚠️ token \`GITLAB_CI_PUSHER\` in \`${GITOPS}\` (expires ${EXPIRES}) will be **revoked and replaced** (because of \`scopes\`): jobs holding it can no longer push`,
          // The program registers scopes sorted.
          `- ⚠️ token \`GITLAB_CI_PUSHER\` in \`${GITOPS}\`: scopes change from \`write_repository\` to \`read_repository\`, \`write_repository\``,
          `- ⚠️ variable \`GITLAB_PUSHER_TOKEN\` in \`${WORKER}\` will be **deleted**: the pipelines in \`${WORKER}\` that push with it will fail`,
          "",
        ].join("\n"),
      );
      assert.match(job.note, new RegExp(`\\n- variable \`GITLAB_PUSHER_TOKEN\` in \`${WORKER}\` will be deleted; it held token \`GITLAB_CI_PUSHER\` of \`${GITOPS}\` expiring ${EXPIRES} \\(generation \`${GITOPS}:GITLAB_CI_PUSHER@${EXPIRES}\`, \\*\\*revoked in this change\\*\\*\\)\\n`));

      const before = world.gitlab.state.snapshot();
      const up = await runApplyJob(stack, world.vars);
      assert.equal(up.code, 0, up.stderr);
      assertGitLabDidWhatTheNoteSaid(noteClaims(job.note), before, world.gitlab.state.snapshot());
    });

    it("a respelled project: the live token revoked and replaced by a new one, in words, and the variables move to it", async () => {
      stack.writeConfig(world.configOf(seed(LATER, [{ project: APP, key: "GITLAB_PUSHER_TOKEN" }], { project: "XLINK/xlink-k8s-gitops", scopes: ["write_repository", "read_repository"] })));
      const job = await previewJob(stack, { vars: world.vars });
      assert.equal(job.preview.code, 0, job.preview.stderr);
      assert.match(
        section(job.note, "Needs attention"),
        new RegExp(`\\n- ⚠️ token \`GITLAB_CI_PUSHER\` in \`${GITOPS}\` \\(expires ${EXPIRES}\\) will be \\*\\*revoked and replaced\\*\\* by token \`GITLAB_CI_PUSHER\` in \`XLINK/xlink-k8s-gitops\` expiring ${LATER}: jobs holding it can no longer push\\n`),
      );
      const before = world.gitlab.state.snapshot();
      const up = await runApplyJob(stack, world.vars);
      assert.equal(up.code, 0, up.stderr);
      assertGitLabDidWhatTheNoteSaid(noteClaims(job.note), before, world.gitlab.state.snapshot());
    });
  });

  it("a preview the pack refuses (api scope, owner role, held by no variable): the headline names the pack, the section lists exactly the pack's three mandatory violations", async () => {
    const name = "too-broad";
    const stack = await world.stack("notes-blocked", {}, async () => {
      const provider = new GitLabProvider("gitlab", { baseUrl: world.gitlab.baseUrl });
      new ProjectAccessToken(name, { project: GITOPS, name, scopes: ["write_repository", "api"], accessLevel: "owner", expiresAt: EXPIRES }, { provider });
    });
    const job = await previewJob(stack, { vars: world.vars });
    assert.notEqual(job.preview.code, 0);
    assert.deepEqual([job.noteExitCode, job.noteStderr], [0, ""]);

    // What the pack reported, in the engine's own events: the three findings policy/rules.ts words.
    const subject = describeResource(GITLAB_TYPES.projectAccessToken, name);
    const settings = { ...DEFAULT_LEAST_PRIVILEGE, maxLifetimeDays: 365 };
    const byPolicyThenText = (a: { policy: string; text: string }, b: { policy: string; text: string }) => (a.policy + a.text < b.policy + b.text ? -1 : 1);
    const expected = [
      { policy: POLICY_NAMES.tokenConsumed, text: `${subject} is held by no CI/CD variable in this stack, yet stays valid until it expires. Fix: make a variable's value this token's \`token\` output, or delete the token (deleting it revokes it).` },
      ...[...scopeFindings(["write_repository", "api"], settings), ...accessLevelFindings("owner", settings)].map((finding) => ({ policy: POLICY_NAMES.leastPrivilege, text: violationMessage(subject, finding) })),
    ].sort(byPolicyThenText);
    const reported = violationsIn(job.output).map((violation) => ({ policy: violation.policyName, text: violation.message.split("\n").slice(1).join("\n").trim() }));
    assert.deepEqual(reported.sort(byPolicyThenText), expected);

    const on = `token \`${name}\` in \`${GITOPS}\``;
    assert.ok(
      job.note.startsWith(
        head("notes-blocked") +
        [
          `❌ **The policy pack \`${PACK}\` refused this preview**: 3 mandatory violations, on ${on} (listed under Policy packs below). Fix them and push again: \`pulumi up\` refuses them too.`,
          "",
          "**Planned when it stopped:** 3 to create",
          "",
          "#### Policy packs",
          "",
          `❌ Policy pack \`${PACK}\` \`0.1.0\`: 3 mandatory violations (\`pulumi up\` refuses them); 3 of 5 policies passed.`,
          "",
          ...expected.map(({ policy, text }) => `- ❌ **mandatory** \`${policy}\` on ${on}:\n  > ${prose(text)}`),
          "",
        ].join("\n"),
      ),
      job.note,
    );
    assert.match(job.note, /\n- 🚨 token `too-broad` in `xlink\/xlink-k8s-gitops` has scope `api`, which allows far more than pushing/);

    // The classic document has none of it: the note says it cannot tell why the preview failed.
    const classic = await previewJob(stack, { vars: world.vars, classic: true });
    assert.match(classic.note, new RegExp(`^${escape(head("notes-blocked"))}❌ \\*\\*The preview failed\\*\\* \\(\`pulumi preview\` exited ${classic.preview.code}\\), and this \`pulumi preview --json\` document does not say why: it holds no policy results, so a policy pack may have refused the preview\\. The job log has what \`pulumi preview\` printed\\.\\n\\n\\*\\*Planned when it stopped:\\*\\* 3 to create\\n\\n${escape(CLASSIC)}\\n`));

    // And the apply job refuses it too, before touching GitLab.
    const writes = world.gitlab.log.writes().length;
    assert.notEqual((await runApplyJob(stack, world.vars)).code, 0);
    assert.equal(world.gitlab.log.writes().length, writes);
  });

  it("an advisory-only preview (the pack's config sets two rules advisory): it passes, the violations listed apart, and `pulumi up` makes the unprotected variable the note announced", async () => {
    const configFile = path.join(world.env.workDir, "policy-config.json");
    const original = readFileSync(configFile, "utf8");
    const advisory = { ...JSON.parse(original), [POLICY_NAMES.credentialVariable]: { enforcementLevel: "advisory" }, [POLICY_NAMES.tokenVariable]: { enforcementLevel: "advisory" } };
    writeFileSync(configFile, JSON.stringify(advisory));
    try {
      const stack = await world.stack("notes-advisory", { pushTokens: [{ name: "RELEASE_TAGGER", project: GITOPS, expiresAt: EXPIRES, consumers: [{ project: APP, key: "RELEASE_PUSH_TOKEN", protected: false }] }] });
      const job = await previewJob(stack, { vars: world.vars });
      assert.equal(job.preview.code, 0, job.preview.stderr);
      const reported = violationsIn(job.output);
      assert.deepEqual(reported.map((violation) => `${violation.enforcementLevel} ${violation.policyName}`).sort(), [`advisory ${POLICY_NAMES.credentialVariable}`, `advisory ${POLICY_NAMES.tokenVariable}`]);
      const on = `variable \`RELEASE_PUSH_TOKEN\` in \`${APP}\``;
      assert.ok(
        job.note.startsWith(
          head("notes-advisory") +
          [
            "**Resources:** 5 to create",
            "",
            "#### Policy packs",
            "",
            `⚠️ Policy pack \`${PACK}\` \`0.1.0\`: 2 advisory violations (reported, not enforced); 3 of 5 policies passed.`,
            "",
            ...[POLICY_NAMES.credentialVariable, POLICY_NAMES.tokenVariable].map((policy) => `- ⚠️ **advisory** \`${policy}\` on ${on}:\n  > ${prose(reported.find((violation) => violation.policyName === policy)!.message.split("\n")[1])}`),
            "",
            "#### Needs attention",
            "",
            `- ⚠️ ${on} is **unprotected**: pipelines on any branch can read the value it holds`,
          ].join("\n"),
        ),
        job.note,
      );
      const before = world.gitlab.state.snapshot();
      const up = await runApplyJob(stack, world.vars);
      assert.equal(up.code, 0, up.stderr);
      assertGitLabDidWhatTheNoteSaid(noteClaims(job.note), before, world.gitlab.state.snapshot());
    } finally {
      writeFileSync(configFile, original);
    }
  });

  it("a program error (a bad config): the program's own message as a block, never 'No changes.'", async () => {
    const stack = await world.stack("notes-badconfig", { pushTokens: [{ name: "X", project: APP, scopes: ["api"], expiresAt: EXPIRES, consumers: [] }] });
    const job = await previewJob(stack, { vars: world.vars });
    assert.notEqual(job.preview.code, 0);
    assert.equal(job.noteExitCode, 0);
    const [message] = job.output
      .split("\n")
      .filter((line) => line.includes('"severity":"error"') && line.includes("Invalid gitlab-push-tokens config"))
      .map((line) => (JSON.parse(line) as { diagnosticEvent: { message: string } }).diagnosticEvent.message.trimEnd());
    assert.match(message, /^Invalid gitlab-push-tokens config in Pulumi\.notes-badconfig\.yaml \(2 problems\); no GitLab resource was registered:\n {2}- pushTokens\[0\]\.scopes\[0\]: /);
    assert.ok(job.note.startsWith(`${head("notes-badconfig")}❌ **The program failed**:\n\n\`\`\`text\n${message}\n\`\`\`\n\n**Planned when it stopped:** 1 to create\n\n#### Policy packs\n\n`), job.note);
    assert.doesNotMatch(job.note, /No changes|One or more errors occurred/);
  });

  it("a provider error (GitLab answers 401 to the provider's first read): the provider, its resource and its message", async () => {
    const stack = await world.stack("notes-provider", seed(EXPIRES, [{ project: APP, key: "GITLAB_PUSHER_TOKEN" }]));
    const fault = world.gitlab.control.injectFault({ method: "GET", path: "/user", fault: { kind: "status", status: 401, body: { message: "401 Unauthorized" } } });
    const job = await previewJob(stack, { vars: world.vars });
    assert.equal(fault.remaining, 0, "the fault was hit");
    assert.notEqual(job.preview.code, 0);
    assert.equal(job.noteExitCode, 0);
    assert.ok(
      job.note.startsWith(
        `${head("notes-provider")}❌ **The \`gitlab\` provider failed** on provider \`gitlab\`:\n\n> Preview failed: Failed to configure the GitLab provider: the early authentication check (GET /user) failed: GET ${world.gitlab.baseUrl}user: 401 {message: 401 Unauthorized}. Check gitlab:token (or GITLAB_TOKEN) and gitlab:baseUrl (or GITLAB_BASE_URL), or set gitlab:earlyAuthCheck to false\n\n**Planned when it stopped:** `,
      ),
      job.note,
    );
  });

  it("an input the provider's Check refuses, which the pack refuses too: both said, each with its resource and message", async () => {
    // A Check that fails leaves no step: the note names the token by its logical name.
    const stack = await world.stack("notes-check", {}, async () => {
      const provider = new GitLabProvider("gitlab", { baseUrl: world.gitlab.baseUrl });
      new ProjectAccessToken("misspelt", { project: GITOPS, name: "misspelt", scopes: ["write_repositry" as "write_repository"], accessLevel: "developer", expiresAt: EXPIRES }, { provider });
    });
    const job = await previewJob(stack, { vars: world.vars });
    assert.notEqual(job.preview.code, 0);
    const on = "token `misspelt`";
    assert.match(job.note, new RegExp(`^${escape(head("notes-check"))}❌ \\*\\*The policy pack \`${PACK}\` refused this preview\\*\\*: 1 mandatory violation, on ${escape(on)} \\(listed under Policy packs below\\)\\. [^\\n]*\\n\\n❌ \\*\\*The \`gitlab\` provider failed\\*\\* on ${escape(on)}:\\n\\n> gitlab:index/projectAccessToken:ProjectAccessToken resource 'misspelt': property scopes value [^\\n]* has a problem: [^\\n]*got: "write_repositry"\\.`));
  });

  it("a preview that prints nothing (no such stack): a note that says so, with the error the CLI printed on stderr; preview-comment exits 2", async () => {
    const stack = await world.stack("notes-exists", seed(EXPIRES, [{ project: APP, key: "GITLAB_PUSHER_TOKEN" }]));
    const job = await previewJob(stack, { vars: world.vars, stackName: "notes-nosuch" });
    assert.notEqual(job.preview.code, 0);
    assert.equal(job.output, "");
    assert.equal(job.noteExitCode, 2);
    assert.equal(job.noteStderr, "preview-comment: wrote a note that says so, but preview.jsonl is empty (`pulumi preview` printed nothing on stdout)\n");
    assert.equal(
      job.note,
      `${head("notes-nosuch", false)}❌ **There is no preview to show** (\`pulumi preview\` exited ${job.preview.code}): preview.jsonl is empty (\`pulumi preview\` printed nothing on stdout).\n\n❌ **\`pulumi preview\` failed** (printed on stderr):\n\n> no stack named 'notes-nosuch' found\n`,
    );
  });

  it("no note and no preview output holds a token value or the API token", () => {
    const secrets = [world.gitlab.apiToken, ...world.gitlab.state.tokens().map((token) => token.value)];
    assert.ok(secrets.length > 5, `${secrets.length} secrets to look for`);
    assert.ok(printed.length > 30, `${printed.length} outputs looked at`);
    assert.deepEqual(printed.filter((text) => secrets.some((secret) => text.includes(secret))).map((text) => text.slice(0, 200)), []);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
