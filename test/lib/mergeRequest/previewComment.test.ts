// `npm run preview-comment` from classic `pulumi preview --json` documents: our GitLab-shaped fixtures
// word for word, real CLI outputs of other providers by their counts and rows, the size limit,
// determinism, redaction and Markdown escaping. The event stream has its own suite
// (previewEvents.test.ts), and so do the verdict and what stopped a preview (previewOutcome.test.ts).

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";

import { parsePreviewJson, toPreviewDocument } from "../../../lib/mergeRequest/previewDocument";
import { PREVIEW_COMMENT_MARKER, stackMarker } from "../../../lib/mergeRequest/noteMarker";
import { GITLAB_NOTE_LIMIT, inputProblems, renderPreviewComment, type PreviewCapture } from "../../../lib/mergeRequest/previewComment";
import { readEventStream } from "../../../lib/mergeRequest/previewEvents";
import { stderrErrors } from "../../../lib/mergeRequest/previewOutcome";
import type { PreviewDocument } from "../../../lib/mergeRequest/previewDocument";
import { UNKNOWN_SENTINEL } from "../../../lib/mergeRequest/values";
import { PROJECT_ROOT, sharedFile } from "../../support/sharedData";
import { EventStream, tokenState, tokenUrn, variableState, variableUrn } from "../../support/engineEvents";

const FIXTURES = path.join(PROJECT_ROOT, "test", "fixtures", "preview");
const fixtureText = (name: string) => readFileSync(path.join(FIXTURES, name), "utf8");
const fixtureJson = (name: string): Record<string, any> => JSON.parse(fixtureText(name));
// The stack the document previews, so that the note does not add that it is of another one.
const renderDocument = (document: PreviewDocument, maxLength?: number) => renderPreviewComment({ document }, { stack: document.steps[0]?.parsed.stack ?? "dev", maxLength });
const render = (value: unknown, maxLength?: number) => renderDocument(toPreviewDocument(value, "test input"), maxLength);
const renderFixture = (name: string) => renderDocument(parsePreviewJson(fixtureText(name), name));
/** What every note made from the classic document says after its headline. */
const CLASSIC = "ℹ️ Made from the classic `pulumi preview --json` document, which holds no policy results: whether the policy packs passed cannot be shown. With `PULUMI_ENABLE_STREAMING_JSON_PREVIEW=1` the preview prints the engine's events, which hold them.";
const lines = (...text: string[]) => `${text.join("\n")}\n`;

const STACK_URN = "urn:pulumi:dev::gitlab-push-tokens::pulumi:pulumi:Stack::gitlab-push-tokens-dev";
const COMPONENT_URN = "urn:pulumi:dev::gitlab-push-tokens::gitlab-push-tokens:index:PushToken::xlink/xlink-k8s-gitops:GITLAB_CI_PUSHER";
const TOKEN_CHAIN = "urn:pulumi:dev::gitlab-push-tokens::gitlab-push-tokens:index:PushToken$gitlab:index/projectAccessToken:ProjectAccessToken::";
const VARIABLE_CHAIN = "urn:pulumi:dev::gitlab-push-tokens::gitlab-push-tokens:index:PushToken$gitlab:index/projectVariable:ProjectVariable::";
const TOKEN_TYPE = "gitlab:index/projectAccessToken:ProjectAccessToken";
const VARIABLE_TYPE = "gitlab:index/projectVariable:ProjectVariable";

describe("our GitLab-shaped fixtures, word for word", () => {
  it("a rotation: one token created, both variables moved to it, the retiring generation unchanged, grouped by token", () => {
    assert.equal(
      renderFixture("rotation.json"),
      lines(
        "<!-- gitlab-push-tokens:preview-comment -->",
        "<!-- stack: dev -->",
        "### Pulumi preview: stack `dev` of `gitlab-push-tokens`",
        "",
        "**Resources:** 1 to create · 2 to update · 4 unchanged",
        "",
        CLASSIC,
        "",
        "#### GitLab tokens and variables",
        "",
        "- new token `GITLAB_CI_PUSHER` in `xlink/xlink-k8s-gitops`, developer, `write_repository`, expires 2027-05-01",
        "- token `GITLAB_CI_PUSHER` in `xlink/xlink-k8s-gitops` (expires 2027-02-15) is unchanged and stays valid",
        "- variable `GITLAB_PUSHER_TOKEN` in `xlink/xlink-app` now holds token `GITLAB_CI_PUSHER` of `xlink/xlink-k8s-gitops` expiring 2027-05-01 (generation `xlink/xlink-k8s-gitops:GITLAB_CI_PUSHER@2027-05-01`, created in this change)",
        "- variable `GITLAB_PUSHER_TOKEN` (environment `production`) in `xlink/xlink-worker` now holds token `GITLAB_CI_PUSHER` of `xlink/xlink-k8s-gitops` expiring 2027-05-01 (generation `xlink/xlink-k8s-gitops:GITLAB_CI_PUSHER@2027-05-01`, created in this change)",
        "",
        "#### Changes",
        "",
        "| Operation | Type | Name | Changed |",
        "| --- | --- | --- | --- |",
        "| create | `gitlab:ProjectAccessToken` | `xlink/xlink-k8s-gitops:GITLAB_CI_PUSHER@2027-05-01` |  |",
        "| update | `gitlab:ProjectVariable` | `xlink/xlink-app:GITLAB_PUSHER_TOKEN` | `description`, `value` |",
        "| update | `gitlab:ProjectVariable` | `xlink/xlink-worker:GITLAB_PUSHER_TOKEN[production]` | `description`, `value` |",
      ),
    );
  });

  it("a revocation: the warning at the top, and the tokens in info messages redacted", () => {
    assert.equal(
      renderFixture("revocation.json"),
      lines(
        "<!-- gitlab-push-tokens:preview-comment -->",
        "<!-- stack: dev -->",
        "### Pulumi preview: stack `dev` of `gitlab-push-tokens`",
        "",
        "**Resources:** 1 to delete · 6 unchanged",
        "",
        CLASSIC,
        "",
        "#### Needs attention",
        "",
        "- ⚠️ token `GITLAB_CI_PUSHER` in `xlink/xlink-k8s-gitops` (expires 2027-02-15) will be **revoked**: jobs holding it can no longer push",
        "",
        "#### GitLab tokens and variables",
        "",
        "- token `GITLAB_CI_PUSHER` in `xlink/xlink-k8s-gitops` (expires 2027-02-15) will be revoked",
        "",
        "#### Changes",
        "",
        "| Operation | Type | Name | Changed |",
        "| --- | --- | --- | --- |",
        "| **delete** | `gitlab:ProjectAccessToken` | `xlink/xlink-k8s-gitops:GITLAB_CI_PUSHER@2027-02-15` |  |",
        "",
        "<details><summary>Info messages (2)</summary>",
        "",
        "- **info**:",
        "  > GITLAB_TOKEN=\\[redacted token-like value\\]",
        "- **info (stderr)**:",
        "  > clone with https://deploy:\\[redacted token-like value\\]\\@gitlab.example.com/xlink/xlink-k8s-gitops.git",
        "",
        "</details>",
      ),
    );
    const input = fixtureText("revocation.json");
    assert.match(input, /glpat-7hQ2xv9LmN4pR8sT1wYz/, "the fixture must hold the token the note redacts");
    assert.match(input, /gldt-Xk29sLq0PwZr7YtN3mVb/);
  });

  it("a variable change: a replacement for `hidden`, an unprotected variable warned about, ANSI colours stripped", () => {
    assert.equal(
      renderFixture("variable-change.json"),
      lines(
        "<!-- gitlab-push-tokens:preview-comment -->",
        "<!-- stack: dev -->",
        "### Pulumi preview: stack `dev` of `gitlab-push-tokens`",
        "",
        "**Resources:** 1 to update · 1 to replace · 7 unchanged",
        "",
        CLASSIC,
        "",
        "#### Needs attention",
        "",
        "- ⚠️ variable `GITLAB_PUSHER_TOKEN` (environment `production`) in `xlink/xlink-worker` becomes **unprotected**: pipelines on any branch can read the value it holds",
        "",
        "#### GitLab tokens and variables",
        "",
        "- variable `CHARTS_PUSH_TOKEN` in `xlink/xlink-release` is replaced (because of `hidden`): now protected, masked, hidden, holding token `RELEASE_TAGGER` of `xlink/xlink-charts` expiring 2027-05-01 (generation `xlink/xlink-charts:RELEASE_TAGGER@2027-05-01`)",
        "- variable `GITLAB_PUSHER_TOKEN` (environment `production`) in `xlink/xlink-worker` is updated: protected yes → **no**",
        "",
        "#### Changes",
        "",
        "| Operation | Type | Name | Changed |",
        "| --- | --- | --- | --- |",
        "| update | `gitlab:ProjectVariable` | `xlink/xlink-worker:GITLAB_PUSHER_TOKEN[production]` | `protected` |",
        "| **replace** | `gitlab:ProjectVariable` | `xlink/xlink-release:CHARTS_PUSH_TOKEN` | `hidden`; replaced because of `hidden` |",
        "",
        "#### Diagnostics",
        "",
        "- **warning** on `xlink/xlink-k8s-gitops:GITLAB_CI_PUSHER` (`gitlab-push-tokens:PushToken`):",
        "  > variable GITLAB_PUSHER_TOKEN in xlink/xlink-worker is not protected: pipelines on any branch can read the push token for xlink/xlink-k8s-gitops; set protected: true unless unprotected branches must push",
        "",
        "<details><summary>Info messages (1)</summary>",
        "",
        "- **info**:",
        "  > ✔ config checked: 2 push tokens \\| 3 variables",
        "",
        "</details>",
      ),
    );
    assert.match(fixtureText("variable-change.json"), /\\u001b\[32m/, "the fixture must hold the colour codes the note strips");
  });

  it("a first create: provider, component, generation and two variables", () => {
    assert.equal(
      renderFixture("first-create.json"),
      lines(
        "<!-- gitlab-push-tokens:preview-comment -->",
        "<!-- stack: dev -->",
        "### Pulumi preview: stack `dev` of `gitlab-push-tokens`",
        "",
        "**Resources:** 6 to create",
        "",
        CLASSIC,
        "",
        "#### Needs attention",
        "",
        "- ⚠️ variable `GITLAB_PUSHER_TOKEN` (environment `production`) in `xlink/xlink-worker` is **unprotected**: pipelines on any branch can read the value it holds",
        "",
        "#### GitLab tokens and variables",
        "",
        "- new token `GITLAB_CI_PUSHER` in `xlink/xlink-k8s-gitops`, developer, `write_repository`, expires 2027-02-15",
        "- new variable `GITLAB_PUSHER_TOKEN` in `xlink/xlink-app` (protected, masked), holding token `GITLAB_CI_PUSHER` of `xlink/xlink-k8s-gitops` expiring 2027-02-15 (generation `xlink/xlink-k8s-gitops:GITLAB_CI_PUSHER@2027-02-15`, created in this change)",
        "- new variable `GITLAB_PUSHER_TOKEN` (environment `production`) in `xlink/xlink-worker` (**not protected**, masked), holding token `GITLAB_CI_PUSHER` of `xlink/xlink-k8s-gitops` expiring 2027-02-15 (generation `xlink/xlink-k8s-gitops:GITLAB_CI_PUSHER@2027-02-15`, created in this change)",
        "",
        "#### Changes",
        "",
        "| Operation | Type | Name | Changed |",
        "| --- | --- | --- | --- |",
        "| create | `provider:gitlab` | `gitlab` |  |",
        "| create | `pulumi:Stack` | `gitlab-push-tokens-dev` |  |",
        "| create | `gitlab:ProjectVariable` | `xlink/xlink-app:GITLAB_PUSHER_TOKEN` |  |",
        "| create | `gitlab-push-tokens:PushToken` | `xlink/xlink-k8s-gitops:GITLAB_CI_PUSHER` |  |",
        "| create | `gitlab:ProjectAccessToken` | `xlink/xlink-k8s-gitops:GITLAB_CI_PUSHER@2027-02-15` |  |",
        "| create | `gitlab:ProjectVariable` | `xlink/xlink-worker:GITLAB_PUSHER_TOKEN[production]` |  |",
        "",
        "#### Diagnostics",
        "",
        "- **warning** on `xlink/xlink-k8s-gitops:GITLAB_CI_PUSHER` (`gitlab-push-tokens:PushToken`):",
        "  > variable GITLAB_PUSHER_TOKEN in xlink/xlink-worker is not protected: pipelines on any branch can read the push token for xlink/xlink-k8s-gitops; set protected: true unless unprotected branches must push",
      ),
    );
  });

  it("another program's GitLab resources: group types, broad powers, replacement halves, rotation in place, adoption, unknowns", () => {
    const note = renderFixture("other-program.json");
    const attention = note.slice(note.indexOf("#### Needs attention"), note.indexOf("#### GitLab tokens"));
    assert.equal(
      attention,
      lines(
        "#### Needs attention",
        "",
        "- 🚨 token `bots-admin` in group _(known after apply)_ has scope `api`, which allows far more than pushing: a push token needs only `write_repository`, which also grants pull",
        "- 🚨 token `bots-admin` in group _(known after apply)_ has the **owner** role: developer can push, maintainer can push to protected branches",
        "- ⚠️ token `ci-bot` in `platform/ci` (expires 2027-02-01) will be **revoked and replaced** through GitLab's rotate API (new expiry 2027-06-01): jobs holding it can no longer push",
        "- ⚠️ token `mirror` in `platform/mirror` (expires 2027-01-31) will be **revoked and replaced** (because of `accessLevel`, `scopes`): jobs holding it can no longer push",
        "- ⚠️ token `mirror` in `platform/mirror`: scopes change from `read_repository` to `write_repository`",
        "- ⚠️ token `mirror` in `platform/mirror`: role changes from reporter to developer",
        "- ⚠️ variable `BOTS_ADMIN_TOKEN` in group `platform` is **unprotected**: pipelines on any branch can read the value it holds",
        "- ⚠️ variable `BOTS_ADMIN_TOKEN` in group `platform` is **unmasked**: the value it holds can show in job logs",
        "",
      ),
    );
    // No changeSummary: counted from the steps, the replacement's two halves not counted again.
    assert.match(note, /\n\*\*Resources:\*\* 3 to create · 2 to update · 1 to replace · 1 to import \(adopt\) · 1 to read · 1 unchanged \(counted from the steps listed; unchanged resources appear only with `--show-sames`\)\n/);
    assert.match(note, /\n- variable `MIRROR_PUSH_TOKEN` in `platform\/mirror-jobs` now holds the new token `mirror` in `platform\/mirror` expiring 2027-01-31 \(`mirror-token`, created in this change\)\n/);
    assert.match(note, /\n- new variable `BOTS_ADMIN_TOKEN` in group `platform` \(\*\*not protected\*\*, \*\*not masked\*\*\), holding a secret value not traced to a token in this preview\n/);
    assert.match(note, /\n- existing variable `DEPLOY_TOKEN` \(environment `production`\) in `platform\/site` adopted into the stack \(not created\): protected, masked\n/);
    assert.match(note, /\n\| import \(adopted\) \| `gitlab:ProjectVariable` \| `legacy-deploy-token` \|  \|\n\| read \| `gitlab:Project` \| `site` \|  \|\n/);
    // The replace step is the row: its halves (listed with --show-replacement-steps) would repeat it.
    assert.equal(note.match(/\| `mirror-token` \|/g)?.length, 1);
    assert.doesNotMatch(note, new RegExp(UNKNOWN_SENTINEL));
  });
});

describe("real `pulumi preview --json` outputs of other providers (../shared/preview-fixtures)", () => {
  const shared = (name: string) => sharedFile(`preview-fixtures/${name}`);
  const renderShared = (name: string) => renderDocument(parsePreviewJson(readFileSync(shared(name).file, "utf8"), name));
  const tableRows = (note: string) => note.split("\n").filter((line) => line.startsWith("| ") && !line.startsWith("| Operation") && !line.startsWith("| ---") && !line.startsWith("| Severity"));

  it("small_scale_10_replace.json: counts from changeSummary, a row per non-same step", { skip: shared("small_scale_10_replace.json").skip }, () => {
    const note = renderShared("small_scale_10_replace.json");
    assert.ok(note.startsWith(`${PREVIEW_COMMENT_MARKER}\n<!-- stack: test-a692d456 -->\n### Pulumi preview: stack \`test-a692d456\` of \`small-scale-10\`\n`));
    assert.match(note, /\n\*\*Resources:\*\* 1 to create · 1 to update · 2 to replace · 1 to delete · 7 unchanged\n/);
    assert.deepEqual(tableRows(note), [
      "| create | `command:local/Command` | `cmd-3` |  |",
      "| update | `command:local/Command` | `cmd-0` | `create`, `environment` |",
      "| **replace** | `random:RandomString` | `random-str-0` | `length`, `special`; replaced because of `length`, `special` |",
      "| **replace** | `tls:PrivateKey` | `tls-key-0` | `algorithm`, `ecdsaCurve`, `id`, `privateKeyOpenssh`, `privateKeyPem`, `privateKeyPemPkcs8`, `publicKeyFingerprintMd5`, `publicKeyFingerprintSha256` and 2 more; replaced because of `algorithm`, `ecdsaCurve` |",
      "| **delete** | `random:RandomString` | `random-str-extra-0` |  |",
    ]);
    // Non-secret outputs (a random string's `result`) are in the document, never in the note.
    assert.doesNotMatch(note, /NmO\$\?6|mooRWQ7ZnUwjiiOf|GitLab tokens|Needs attention/);
  });

  it("aws_secret_input.json: secret updates listed by property name only", { skip: shared("aws_secret_input.json").skip }, () => {
    const note = renderShared("aws_secret_input.json");
    assert.match(note, /\n\*\*Resources:\*\* 3 to update · 2 unchanged\n/);
    assert.deepEqual(tableRows(note), [
      "| update | `aws:ssm/Parameter` | `api-token` | `insecureValue`, `value`, `version` |",
      "| update | `aws:ssm/Parameter` | `app-config` | `description`, `insecureValue`, `tags`, `tagsAll`, `value`, `version` |",
      "| update | `aws:ssm/Parameter` | `db-password` | `description`, `insecureValue`, `tags`, `tagsAll`, `value`, `version` |",
    ]);
    assert.doesNotMatch(note, /\[secret\]|arn:aws/);
  });

  it("sample-preview-creates.json: 16 creates, nested component types shortened", { skip: shared("sample-preview-creates.json").skip }, () => {
    const note = renderShared("sample-preview-creates.json");
    assert.match(note, /\n\*\*Resources:\*\* 16 to create\n/);
    const rows = tableRows(note);
    assert.equal(rows.length, 16);
    assert.equal(rows.filter((row) => row.startsWith("| create | `aws:iam/RolePolicyAttachment` | `docsHandler-")).length, 9);
    assert.ok(rows.includes("| create | `aws:s3/BucketEventSubscription` | `docsHandler` |  |"));
    assert.ok(rows.includes("| create | `pulumi:Stack` | `sample-dev` |  |"));
  });

  it("sample-preview-deletes.json: 14 deletes in bold, the 2 sames not listed", { skip: shared("sample-preview-deletes.json").skip }, () => {
    const note = renderShared("sample-preview-deletes.json");
    assert.match(note, /\n\*\*Resources:\*\* 14 to delete · 2 unchanged\n/);
    const rows = tableRows(note);
    assert.equal(rows.length, 14);
    assert.ok(rows.every((row) => row.startsWith("| **delete** | ")));
    assert.equal(rows[0], "| **delete** | `aws:s3/BucketNotification` | `docsHandler` |  |");
    assert.doesNotMatch(note, /`docs` \|/);
  });

  it("sample-preview-update.json: one update among 15 sames", { skip: shared("sample-preview-update.json").skip }, () => {
    const note = renderShared("sample-preview-update.json");
    assert.match(note, /\n\*\*Resources:\*\* 1 to update · 15 unchanged\n/);
    assert.deepEqual(tableRows(note), ["| update | `aws:lambda/Function` | `docsHandler` | `code` |"]);
  });

  it("aws_tags_and_sets.json: nested diff paths summarised by top-level property", { skip: shared("aws_tags_and_sets.json").skip }, () => {
    const note = renderShared("aws_tags_and_sets.json");
    assert.match(note, /\n\*\*Resources:\*\* 3 to update · 1 to replace · 2 unchanged\n/);
    assert.ok(tableRows(note).includes("| **replace** | `aws:ec2/SecurityGroup` | `test-sg` | `description`, `ingress`; replaced because of `description` |"));
    assert.ok(tableRows(note).includes("| update | `aws:s3/BucketVersioningV2` | `test-bucket-versioning` | `versioningConfiguration` |"));
  });

  it("aws_cascading_deps.json: a chain of updates", { skip: shared("aws_cascading_deps.json").skip }, () => {
    const note = renderShared("aws_cascading_deps.json");
    assert.match(note, /\n\*\*Resources:\*\* 4 to update · 4 unchanged\n/);
    assert.deepEqual(tableRows(note).map((row) => row.split(" | ")[2]), ["`api-key`", "`app-handler`", "`app-key`", "`db-password`"]);
  });

  it("command_with_triggers.json and standard_json_replace.json: no changeSummary, counted from the steps", { skip: shared("command_with_triggers.json").skip || shared("standard_json_replace.json").skip }, () => {
    const commands = renderShared("command_with_triggers.json");
    assert.match(commands, /\n\*\*Resources:\*\* 1 to update · 2 to replace \(counted from the steps listed; unchanged resources appear only with `--show-sames`\)\n/);
    assert.deepEqual(tableRows(commands), [
      "| update | `command:local/Command` | `api-cmd` | `environment` |",
      "| **replace** | `command:local/Command` | `cache-cmd` | `environment`, `triggers` |",
      "| **replace** | `random:RandomPassword` | `cache-pass` | `length`; replaced because of `length` |",
    ]);
    const replace = renderShared("standard_json_replace.json");
    assert.match(replace, /\n<!-- stack: test-d569308b -->\n### Pulumi preview: stack `test-d569308b` of `large-scale-250`\n\n\*\*Resources:\*\* 1 to create · 1 to update · 1 to replace \(counted/);
    assert.equal(tableRows(replace).length, 3);
  });
});

describe("the note's size limit", () => {
  const name = (i: number, width: number) => `id-${String(i).padStart(width, "0")}`;
  const manySteps = (count: number, width = 3) => ({
    steps: Array.from({ length: count }, (_, i) => {
      const urn = `urn:pulumi:dev::big::random:index/randomId:RandomId::${name(i, width)}`;
      return { op: "create", urn, newState: { urn, type: "random:index/randomId:RandomId", inputs: {} } };
    }),
    changeSummary: { create: count },
  });
  const row = (i: number, width = 3) => `| create | \`random:RandomId\` | \`${name(i, width)}\` |  |`;
  const head = lines("<!-- gitlab-push-tokens:preview-comment -->", "<!-- stack: dev -->", "### Pulumi preview: stack `dev` of `big`", "", "**Resources:** 12 to create", "", CLASSIC, "", "#### Changes", "", "| Operation | Type | Name | Changed |", "| --- | --- | --- | --- |");

  it("keeps every row when the note fits", () => {
    const full = render(manySteps(12));
    assert.equal(full, head + Array.from({ length: 12 }, (_, i) => row(i)).join("\n") + "\n");
  });

  it("cuts the table from the end and says exactly how many rows it cut", () => {
    const cut = (n: number, limit: number) => `_${n} more rows not shown: the note would exceed GitLab's limit (${limit} characters here)._`;
    const withRows = (shown: number, limit: number) => head + Array.from({ length: shown }, (_, i) => row(i)).join("\n") + "\n\n" + cut(12 - shown, limit) + "\n";
    // The limit that 4 rows and the cut line fill exactly (the cut line names the limit, hence the loop).
    let limit = 0;
    while (withRows(4, limit).length !== limit) limit = withRows(4, limit).length;
    assert.ok(render(manySteps(12)).length > limit);
    assert.equal(render(manySteps(12), limit), withRows(4, limit));
    assert.equal(render(manySteps(12), limit - 1), withRows(3, limit - 1));
  });

  it("says 'row' for a single cut row, and refuses a limit smaller than the parts never cut", () => {
    // Rows longer than the cut line, so that cutting one is enough.
    const cutOne = (limit: number) => head + Array.from({ length: 11 }, (_, i) => row(i, 120)).join("\n") + `\n\n_1 more row not shown: the note would exceed GitLab's limit (${limit} characters here)._\n`;
    let limit = 0;
    while (cutOne(limit).length !== limit) limit = cutOne(limit).length;
    assert.ok(render(manySteps(12, 120)).length > limit);
    assert.equal(render(manySteps(12, 120), limit), cutOne(limit));
    assert.throws(() => render(manySteps(12), 100), /a note limit of 100 characters is too small: the parts that are never cut need \d+/);
  });

  it("defaults to GitLab's limit of 1,000,000 characters", () => {
    assert.equal(GITLAB_NOTE_LIMIT, 1_000_000);
    const huge = manySteps(30_000);
    const note = render(huge);
    assert.ok(note.length <= 1_000_000);
    assert.match(note, /\n\n_\d+ more rows not shown: the note would exceed GitLab's limit \(1000000 characters here\)\._\n$/);
  });
});

describe("determinism", () => {
  // Same content, every object's keys in reverse order.
  const reverseKeys = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(reverseKeys);
    if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).reverse().map(([key, item]) => [key, reverseKeys(item)]));
    return value;
  };

  for (const name of ["first-create.json", "rotation.json", "revocation.json", "variable-change.json", "other-program.json"]) {
    it(`${name}: the same note twice, whatever the key order of objects and the order of steps`, () => {
      const document = fixtureJson(name);
      const note = render(document);
      assert.equal(render(fixtureJson(name)), note);
      assert.equal(render(reverseKeys(document)), note);
      assert.equal(render({ ...document, steps: [...document.steps].reverse() }), note);
    });
  }
});

describe("secrets and token-shaped values", () => {
  const CANARY = "glpat-CANARYxPreviewx0123456789";

  it("a canary token planted anywhere in the input never reaches the note", () => {
    const document = fixtureJson("other-program.json");
    // Every string except the fields that select how a step is described, which get their own canaries below.
    const plant = (value: unknown, key = ""): unknown => {
      if (Array.isArray(value)) return value.map((item) => plant(item));
      if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, plant(item, name)]));
      return typeof value === "string" && !["op", "type", "urn", "parent"].includes(key) && value !== UNKNOWN_SENTINEL ? `${value} ${CANARY}` : value;
    };
    const planted = plant(document) as Record<string, any>;
    // URNs too: names, stacks and projects are free text.
    const plantUrn = (urn: string) => urn.replace("urn:pulumi:prod::platform-bootstrap::", `urn:pulumi:prod-${CANARY}::platform-${CANARY}::`) + `-${CANARY}`;
    planted.steps = planted.steps.map((step: Record<string, any>) => ({ ...step, urn: plantUrn(step.urn), diffReasons: [...(step.diffReasons ?? []), CANARY], replaceReasons: [...(step.replaceReasons ?? []), CANARY] }));
    planted.steps.push({ op: `custom-${CANARY}`, urn: plantUrn("urn:pulumi:prod::platform-bootstrap::gitlab:index/projectAccessToken:ProjectAccessToken::x"), newState: { type: CANARY, inputs: { name: CANARY } } });
    planted.diagnostics = [
      { urn: plantUrn("urn:pulumi:prod::platform-bootstrap::pulumi:pulumi:Stack::s"), prefix: `${CANARY}: `, message: `token ${CANARY} leaked`, severity: "warning" },
      { message: `${CANARY}`, severity: `error ${CANARY}` },
    ];
    planted.changeSummary = { [CANARY]: 1, create: 2 };
    planted.config = { "x:token": CANARY };
    const note = render(planted);
    assert.doesNotMatch(note, /glpat-|CANARY/);
    assert.match(note, /\[redacted token-like value\]/);
    assert.match(note, /\n- 🚨 token `bots-admin \[redacted token-like value\]` in group _\(known after apply\)_ has scopes `api \[redacted token-like value\]`, `write_repository \[redacted token-like value\]`, which allow/);
    assert.match(note, /\n- ⚠️ token `mirror \[redacted token-like value\]` in `platform\/mirror \[redacted token-like value\]` \(expires `2027-01-31 \[redacted token-like value\]`\) will be \*\*revoked and replaced\*\*/);
    assert.match(note, /\n<!-- stack: prod-\[redacted token-like value\] -->\n/);
  });

  it("every GitLab token prefix is redacted, in names, inputs and messages", () => {
    const prefixes = ["glpat", "gldt", "glrt", "glrtr", "glptt", "glft", "glimt", "glagent", "glcbt", "glsoat", "glffct", "gloas", "glwt"];
    const urn = "urn:pulumi:dev::p::gitlab:index/projectAccessToken:ProjectAccessToken::t";
    for (const prefix of prefixes) {
      const token = `${prefix}-AbCdEf123456_x`;
      const note = render({
        steps: [{ op: "create", urn: `${urn}${token}`, newState: { type: TOKEN_TYPE, inputs: { name: token, project: token, scopes: [token], accessLevel: token, expiresAt: token } } }],
        diagnostics: [{ message: token, severity: "warning" }],
      });
      assert.doesNotMatch(note, new RegExp(`${prefix}-`), prefix);
    }
  });

  it("[secret] stays [secret], and a variable value that is not secret is never shown but warned about", () => {
    const urn = `${VARIABLE_CHAIN}xlink/xlink-app:KEY`;
    const note = render({
      steps: [
        { op: "create", urn, newState: { type: VARIABLE_TYPE, parent: COMPONENT_URN, inputs: { project: "xlink/xlink-app", key: "[secret]", value: "plain-value-123", protected: true, masked: true } } },
        { op: "create", urn: `${urn}2`, newState: { type: VARIABLE_TYPE, inputs: { project: "[secret]", key: "K2", value: { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: "wrapped-plaintext-456" }, protected: true, masked: true } } },
      ],
    });
    assert.doesNotMatch(note, /plain-value-123|wrapped-plaintext-456/);
    assert.match(note, /\n- new variable `\[secret\]` in `xlink\/xlink-app` \(protected, masked\), holding a value that is \*\*not secret\*\* \(not shown\)\n/);
    assert.match(note, /\n- new variable `K2` in `\[secret\]` \(protected, masked\), holding a secret value not traced to a token in this preview\n/);
    assert.match(note, /- ⚠️ variable `\[secret\]` in `xlink\/xlink-app` holds a value that is \*\*not secret\*\* in Pulumi: the preview and the state show it in plain text \(not repeated here\)\n/);
  });
});

describe("values known only after apply", () => {
  it("read as (known after apply), never as the sentinel", () => {
    const note = render({
      steps: [
        {
          op: "create",
          urn: `${TOKEN_CHAIN}p:N@x`,
          newState: { type: TOKEN_TYPE, inputs: { name: "N", project: UNKNOWN_SENTINEL, accessLevel: UNKNOWN_SENTINEL, scopes: UNKNOWN_SENTINEL, expiresAt: UNKNOWN_SENTINEL } },
        },
        { op: "create", urn: `${VARIABLE_CHAIN}v`, newState: { type: VARIABLE_TYPE, inputs: { key: "K", project: "p", value: UNKNOWN_SENTINEL, protected: UNKNOWN_SENTINEL, masked: true, environmentScope: UNKNOWN_SENTINEL } } },
      ],
    });
    assert.match(note, /\n- new token `N` in _\(known after apply\)_, _\(known after apply\)_, scopes _\(known after apply\)_, expires _\(known after apply\)_\n/);
    assert.match(note, /\n- new variable `K` \(environment _\(known after apply\)_\) in `p` \(protected _\(known after apply\)_, masked\), holding a value known after apply not traced to a token in this preview\n/);
    assert.doesNotMatch(note, new RegExp(UNKNOWN_SENTINEL));
  });
});

describe("operations and wording", () => {
  const tokenStep = (op: string, extra: Record<string, unknown> = {}) => ({
    op,
    urn: `${TOKEN_CHAIN}xlink/x:T@2027-01-01`,
    oldState: op === "create" || op === "import" || op === "read" ? undefined : { type: TOKEN_TYPE, inputs: { name: "T", project: "xlink/x", scopes: ["write_repository"], accessLevel: "developer", expiresAt: "2027-01-01" } },
    newState: op === "delete" || op === "discard" ? undefined : { type: TOKEN_TYPE, inputs: { name: "T", project: "xlink/x", scopes: ["write_repository"], accessLevel: "developer", expiresAt: "2027-01-01" } },
    ...extra,
  });
  const gitlabLines = (note: string) => note.split("\n").filter((line) => line.startsWith("- ") && !line.startsWith("- ⚠️") && !line.startsWith("- 🚨"));

  it("import says adopted, read and discard change nothing in GitLab", () => {
    assert.deepEqual(gitlabLines(render({ steps: [tokenStep("import")] })), ["- existing token `T` in `xlink/x` adopted into the stack (not created): developer, `write_repository`, expires 2027-01-01"]);
    assert.deepEqual(gitlabLines(render({ steps: [tokenStep("read")] })), ["- existing token `T` in `xlink/x` read, not managed by this stack"]);
    assert.deepEqual(gitlabLines(render({ steps: [tokenStep("discard")] })), ["- token `T` in `xlink/x` is no longer read by this stack (nothing changes in GitLab)"]);
    assert.match(render({ steps: [tokenStep("discard")] }), /\n\| discard \| `gitlab:ProjectAccessToken` \| `xlink\/x:T@2027-01-01` \|  \|\n/);
    assert.match(render({ steps: [tokenStep("import")] }), /\*\*Resources:\*\* 1 to import \(adopt\) \(counted/);
  });

  it("a replacement shown as its halves (no replace step) still says the live token is revoked and replaced", () => {
    const note = render({ steps: [tokenStep("create-replacement"), tokenStep("delete-replaced")] });
    assert.match(note, /\n- ⚠️ token `T` in `xlink\/x` \(expires 2027-01-01\) will be \*\*revoked and replaced\*\* by token `T` in `xlink\/x` expiring 2027-01-01: jobs holding it can no longer push\n/);
    assert.deepEqual(gitlabLines(note).slice(0, 2), ["- new token `T` in `xlink/x`, developer, `write_repository`, expires 2027-01-01", "- token `T` in `xlink/x` (expires 2027-01-01) will be revoked and replaced by token `T` in `xlink/x` expiring 2027-01-01"]);
  });

  it("read_repository and write_repository are not flagged; any other scope is, loudly", () => {
    assert.doesNotMatch(render({ steps: [tokenStep("create")] }), /🚨|Needs attention/);
    const broad = tokenStep("create");
    (broad.newState as any).inputs.scopes = ["read_repository", "read_api", "write_repository", "api"];
    assert.match(render({ steps: [broad] }), /\n- 🚨 token `T` in `xlink\/x` has scopes `read_api`, `api`, which allow far more than pushing/);
  });

  it("no changes: says so, with the unchanged count and no table", () => {
    const note = render({ steps: [{ op: "same", urn: STACK_URN }], changeSummary: { same: 9 } });
    assert.equal(note, lines(PREVIEW_COMMENT_MARKER, stackMarker("dev"), "### Pulumi preview: stack `dev` of `gitlab-push-tokens`", "", "**No changes.** Resources: 9 unchanged", "", CLASSIC));
  });

  it("a failed preview: the program's error as a block under the headline, never 'No changes.', the warnings below (issue 11, items 4 and 5)", () => {
    const note = render({
      steps: [{ op: "same", urn: STACK_URN }],
      diagnostics: [
        { urn: COMPONENT_URN, message: "warning: expiring soon\n", severity: "warning" },
        { urn: STACK_URN, message: "error: Invalid gitlab-push-tokens config in Pulumi.dev.yaml (1 problem)\n  - pushTokens[0].scopes[0]: scope \"api\" is refused\n", severity: "error" },
      ],
    });
    assert.equal(
      note,
      lines(
        PREVIEW_COMMENT_MARKER,
        stackMarker("dev"),
        "### Pulumi preview: stack `dev` of `gitlab-push-tokens`",
        "",
        "❌ **The program failed**:",
        "",
        "```text",
        "Invalid gitlab-push-tokens config in Pulumi.dev.yaml (1 problem)",
        '  - pushTokens[0].scopes[0]: scope "api" is refused',
        "```",
        "",
        "**Planned when it stopped:** 1 unchanged (counted from the steps listed; unchanged resources appear only with `--show-sames`)",
        "",
        CLASSIC,
        "",
        "#### Diagnostics",
        "",
        "- **warning** on `xlink/xlink-k8s-gitops:GITLAB_CI_PUSHER` (`gitlab-push-tokens:PushToken`):",
        "  > expiring soon",
      ),
    );
    assert.doesNotMatch(note, /No changes/);
  });

  it("only a bare 'preview failed' in a classic document: failed, and says the document cannot tell why", () => {
    const note = render({ steps: [{ op: "create", urn: STACK_URN }], diagnostics: [{ message: "error: preview failed\n", severity: "error" }], changeSummary: { create: 1 } });
    assert.match(
      note,
      /\n❌ \*\*The preview failed\*\*, and this `pulumi preview --json` document does not say why: it holds no policy results, so a policy pack may have refused the preview\. The job log has what `pulumi preview` printed\.\n\n\*\*Planned when it stopped:\*\* 1 to create\n/,
    );
    assert.doesNotMatch(note, /preview failed\n|Diagnostics/);
  });

  it("flags maybeCorrupt", () => {
    assert.match(render({ steps: [{ op: "same", urn: STACK_URN }], maybeCorrupt: true }), /\n- ⚠️ Pulumi reports that some resources \*\*may be corrupt\*\*/);
  });
});

describe("Markdown escaping", () => {
  it("a | or a line break in a name stays in its cell; backticks stay in their code span", () => {
    const urn = "urn:pulumi:dev::p::random:index/randomId:RandomId::a|b\nc`d``e";
    const note = render({ steps: [{ op: "create", urn, newState: {} }], diagnostics: [{ message: "line one\nline | two `x`", severity: "warning" }, { message: "one ```line``` with `ticks`", severity: "warning" }] });
    assert.match(note, /\n\| create \| `random:RandomId` \| ```a\\\|b c`d``e``` \|  \|\n/);
    // A multi-line message keeps its lines in a fence longer than any run of backticks inside.
    assert.match(note, /\n- \*\*warning\*\*:\n {2}```text\n {2}line one\n {2}line \| two `x`\n {2}```\n/);
    assert.match(note, /\n- \*\*warning\*\*:\n {2}> one \\`\\`\\`line\\`\\`\\` with \\`ticks\\`\n/);
  });

  it("a stack name cannot close the HTML comment that marks the note", () => {
    assert.equal(stackMarker("dev"), "<!-- stack: dev -->");
    assert.equal(stackMarker("a-->b<c\nd"), "<!-- stack: a-_b_c d -->");
  });

  it("text that GitLab would turn into mentions, references, emphasis or HTML is escaped, character by character", () => {
    const note = render({ steps: [{ op: "same", urn: STACK_URN }], diagnostics: [{ message: "ping @maintainers about #12, !3, $4, %5, &6, ~7 and ^8 <script>alert(1)</script> *bold* _em_ [a](b) KEEP_THIS", severity: "warning" }] });
    assert.match(note, /\n {2}> ping \\@maintainers about \\#12, \\!3, \\\$4, \\%5, \\&6, \\~7 and \\\^8 \\<script\\>alert\(1\)\\<\/script\\> \\\*bold\\\* \\_em\\_ \\\[a\\\]\(b\) KEEP_THIS\n/);
  });
});

describe("from the engine's events, word for word", () => {
  const noteOf = (stream: EventStream, extra: Omit<PreviewCapture, "document"> = {}, stack = "dev") => renderPreviewComment({ document: readEventStream(stream.text()), ...extra }, { stack });
  const GENERATION = "xlink/xlink-k8s-gitops:GITLAB_CI_PUSHER@2027-03-01";
  const VARIABLE = "xlink/xlink-app:GITLAB_PUSHER_TOKEN";
  const head = (stack = "dev") => [PREVIEW_COMMENT_MARKER, stackMarker(stack), `### Pulumi preview: stack \`${stack}\` of \`gitlab-push-tokens\``, ""];
  const creates = (stream: EventStream) =>
    stream
      .step({ op: "create", urn: STACK_URN, type: "pulumi:pulumi:Stack", new: { type: "pulumi:pulumi:Stack", urn: STACK_URN } })
      .step({ op: "create", urn: tokenUrn(GENERATION), type: TOKEN_TYPE, new: tokenState(GENERATION) })
      .step({ op: "create", urn: variableUrn(VARIABLE), type: VARIABLE_TYPE, new: variableState(VARIABLE, GENERATION) });
  const GITLAB_LINES = [
    "#### GitLab tokens and variables",
    "",
    "- new token `GITLAB_CI_PUSHER` in `xlink/xlink-k8s-gitops`, developer, `write_repository`, expires 2027-03-01",
    "- new variable `GITLAB_PUSHER_TOKEN` in `xlink/xlink-app` (protected, masked), holding token `GITLAB_CI_PUSHER` of `xlink/xlink-k8s-gitops` expiring 2027-03-01 (generation `xlink/xlink-k8s-gitops:GITLAB_CI_PUSHER@2027-03-01`, created in this change)",
    "",
    "#### Changes",
    "",
    "| Operation | Type | Name | Changed |",
    "| --- | --- | --- | --- |",
    "| create | `pulumi:Stack` | `gitlab-push-tokens-dev` |  |",
    "| create | `gitlab:ProjectVariable` | `xlink/xlink-app:GITLAB_PUSHER_TOKEN` |  |",
    "| create | `gitlab:ProjectAccessToken` | `xlink/xlink-k8s-gitops:GITLAB_CI_PUSHER@2027-03-01` |  |",
  ];

  it("a passing preview: the counts, the pack in one line", () => {
    const note = noteOf(creates(new EventStream().policyLoad()).stackAnalyzed(["a", "b"]).analyzed(tokenUrn(GENERATION), ["c"]).end({ create: 3 }));
    assert.equal(note, lines(...head(), "**Resources:** 3 to create", "", "#### Policy packs", "", "✅ Policy pack `gitlab-push-token-guardrails` `0.1.0`: 3 policies, no violation.", "", ...GITLAB_LINES));
  });

  it("a preview the pack refused: the headline names the pack and the resources, the section every violation", () => {
    const note = noteOf(
      creates(new EventStream())
        .violation({ urn: variableUrn(VARIABLE), policy: "gitlab-credential-variable-masked-protected", message: 'project variable "xlink/xlink-app:GITLAB_PUSHER_TOKEN" is not protected. Fix: set protected: true.' })
        .violation({ urn: tokenUrn(GENERATION), policy: "gitlab-access-token-consumed", message: "held by no variable", level: "advisory" })
        .diagnostic({ prefix: "error: ", message: "preview failed\n", severity: "error" })
        .end({ create: 3 }, "failed"),
      { exitCode: 255 },
    );
    assert.equal(
      note,
      lines(
        ...head(),
        "❌ **The policy pack `gitlab-push-token-guardrails` refused this preview**: 1 mandatory violation, on variable `GITLAB_PUSHER_TOKEN` in `xlink/xlink-app` (listed under Policy packs below). Fix it and push again: `pulumi up` refuses it too.",
        "",
        "**Planned when it stopped:** 3 to create",
        "",
        "#### Policy packs",
        "",
        "❌ Policy pack `gitlab-push-token-guardrails` `0.1.0`: 1 mandatory violation (`pulumi up` refuses it), 1 advisory violation (reported, not enforced); 0 of 2 policies passed.",
        "",
        "- ❌ **mandatory** `gitlab-credential-variable-masked-protected` on variable `GITLAB_PUSHER_TOKEN` in `xlink/xlink-app`:",
        '  > project variable "xlink/xlink-app:GITLAB_PUSHER_TOKEN" is not protected. Fix: set protected: true.',
        "- ⚠️ **advisory** `gitlab-access-token-consumed` on token `GITLAB_CI_PUSHER` in `xlink/xlink-k8s-gitops`:",
        "  > held by no variable",
        "",
        ...GITLAB_LINES,
      ),
    );
  });

  it("a program error before anything was registered: the stack from --stack in the marker, the message as a block, never 'No changes.' (issue 11, items 3 to 5)", () => {
    const note = noteOf(new EventStream().diagnostic({ prefix: "error: ", message: "Invalid config (2 problems):\n  - a: bad\n  - b: worse\n", severity: "error" }).end({}, "failed"), {}, "prod");
    assert.equal(
      note,
      lines(PREVIEW_COMMENT_MARKER, stackMarker("prod"), "### Pulumi preview: stack `prod`", "", "❌ **The program failed**:", "", "```text", "Invalid config (2 problems):", "  - a: bad", "  - b: worse", "```", "", "Nothing was planned when it stopped.", "", "#### Policy packs", "", "✅ Policy pack `gitlab-push-token-guardrails` `0.1.0`: no violation."),
    );
  });

  it("a provider error: the provider, the resource it is about, and its message", () => {
    const note = noteOf(
      new EventStream()
        .step({ op: "create", urn: "urn:pulumi:dev::gitlab-push-tokens::pulumi:providers:gitlab::gitlab", type: "pulumi:providers:gitlab", new: { type: "pulumi:providers:gitlab", urn: "urn:pulumi:dev::gitlab-push-tokens::pulumi:providers:gitlab::gitlab", custom: true } }, { outputs: false })
        .diagnostic({ urn: "urn:pulumi:dev::gitlab-push-tokens::pulumi:providers:gitlab::gitlab", prefix: "error: ", message: "Preview failed: GET /user: 401 Unauthorized\n", severity: "error" })
        .diagnostic({ prefix: "error: ", message: "preview failed\n", severity: "error" })
        .end({ create: 1 }, "failed", {}),
    );
    assert.equal(
      note,
      lines(...head(), "❌ **The `gitlab` provider failed** on provider `gitlab`:", "", "> Preview failed: GET /user: 401 Unauthorized", "", "**Planned when it stopped:** 1 to create", "", "#### Policy packs", "", "No policy pack reported on this preview: it ran without `--policy-pack`, or stopped before the packs ran.", "", "#### Changes", "", "| Operation | Type | Name | Changed |", "| --- | --- | --- | --- |", "| create | `provider:gitlab` | `gitlab` |  |"),
    );
  });

  it("a failed preview whose output says nothing: the exit code, and where to look", () => {
    assert.equal(
      noteOf(new EventStream().end({}, "failed", {}), { exitCode: 1 }),
      lines(PREVIEW_COMMENT_MARKER, stackMarker("dev"), "### Pulumi preview: stack `dev`", "", "❌ **The preview failed** (`pulumi preview` exited 1), and its output does not say why. The job log has what `pulumi preview` printed.", "", "Nothing was planned when it stopped.", "", "#### Policy packs", "", "No policy pack reported on this preview: it ran without `--policy-pack`, or stopped before the packs ran."),
    );
  });

  it("a canceled preview, and one cut short: said under the headline", () => {
    assert.match(noteOf(creates(new EventStream()).end({ create: 3 }, "canceled")), /\n⚠️ \*\*The preview was canceled\*\* before it finished: what follows is what it had planned by then\.\n\n\*\*Planned when it stopped:\*\* 3 to create\n/);
    const cut = noteOf(creates(new EventStream()));
    assert.match(cut, /\n⚠️ \*\*The preview's output stops before its end\*\*, so whether it passed is not known: what follows is what it had planned by then\.\n\n\*\*Planned when it stopped:\*\* 3 to create \(counted from the steps the events list\)\n/);
    // With the exit code, a failure.
    assert.match(noteOf(creates(new EventStream()), { exitCode: 2 }), /\n❌ \*\*The preview failed\*\* \(`pulumi preview` exited 2\), and its output does not say why\./);
    assert.match(cut, /\n⚠️ Not all of the preview's output could be used, so the note may be incomplete: the stream ends before the engine's summary: the preview was cut short\.\n/);
  });

  it("a preview of another stack than --stack: the note is --stack's, and says so", () => {
    const note = noteOf(creates(new EventStream()).end({ create: 3 }), {}, "prod");
    assert.ok(note.startsWith(`${PREVIEW_COMMENT_MARKER}\n${stackMarker("prod")}\n### Pulumi preview: stack \`prod\` of \`gitlab-push-tokens\`\n`));
    assert.match(note, /\n⚠️ Not all of the preview's output could be used, so the note may be incomplete: it previews stack dev, not prod \(--stack\)\.\n/);
    assert.deepEqual(inputProblems({ document: readEventStream(creates(new EventStream()).end({ create: 3 }).text()) }, "prod"), ["it previews stack dev, not prod (--stack)"]);
  });

  it("nothing readable at all: a note that says so, with the errors pulumi printed on stderr", () => {
    assert.equal(
      renderPreviewComment({ unreadable: "preview.jsonl is empty (`pulumi preview` printed nothing on stdout)", exitCode: 255 }, { stack: "dev" }),
      lines(PREVIEW_COMMENT_MARKER, stackMarker("dev"), "### Pulumi preview: stack `dev`", "", "❌ **There is no preview to show** (`pulumi preview` exited 255): preview.jsonl is empty (`pulumi preview` printed nothing on stdout). The job log has what `pulumi preview` printed."),
    );
    assert.equal(
      renderPreviewComment({ unreadable: "preview.jsonl is empty", exitCode: 255, stderrErrors: stderrErrors("error: no stack named 'dev' found\n") }, { stack: "dev" }),
      lines(PREVIEW_COMMENT_MARKER, stackMarker("dev"), "### Pulumi preview: stack `dev`", "", "❌ **There is no preview to show** (`pulumi preview` exited 255): preview.jsonl is empty.", "", "❌ **`pulumi preview` failed** (printed on stderr):", "", "> no stack named 'dev' found"),
    );
  });
});
