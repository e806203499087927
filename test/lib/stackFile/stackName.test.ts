// `--stack` as users write it (lib/stackFile/stackName.ts): bare, or qualified as `pulumi stack ls`
// shows it, and the stacks there are when it names none.

import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";

import { describeStacks, resolveStackName, StackNameError, stacksIn } from "../../../lib/stackFile/stackName";

const dir = mkdtempSync(path.join(tmpdir(), "stack-name-"));
const bare = mkdtempSync(path.join(tmpdir(), "stack-name-bare-"));
after(() => [dir, bare].forEach((folder) => rmSync(folder, { recursive: true, force: true })));
writeFileSync(path.join(dir, "Pulumi.yaml"), "name: gitlab-push-tokens\nruntime: nodejs\n");
for (const stack of ["dev", "acme", "prod.eu"]) writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), "config: {}\n");
writeFileSync(path.join(dir, "Pulumi.notes.txt"), "");

function refusal(given: string, folder = dir): string {
  try {
    resolveStackName(folder, given);
  } catch (error) {
    if (error instanceof StackNameError) return error.message;
    throw error;
  }
  assert.fail(`${given} was accepted`);
}

describe("resolveStackName", () => {
  it("takes a bare name, org/name and org/project/name as pulumi stack ls prints them", () => {
    assert.deepEqual(
      ["acme", "xlink/acme", "xlink/gitlab-push-tokens/acme", "prod.eu"].map((given) => resolveStackName(dir, given)),
      ["acme", "acme", "acme", "prod.eu"],
    );
  });

  it("refuses a qualified name of another project, saying which project this folder is", () => {
    assert.equal(
      refusal("xlink/other-project/acme"),
      `--stack "xlink/other-project/acme" names project "other-project", but ${path.join(dir, "Pulumi.yaml")} is project "gitlab-push-tokens". Fix: pass --stack xlink/gitlab-push-tokens/acme, or just --stack acme, or --dir with the folder of project other-project`,
    );
  });

  it("lists the stacks there are when the name has no file", () => {
    assert.equal(
      refusal("nosuch"),
      `there is no stack "nosuch" in ${dir}: Pulumi.nosuch.yaml does not exist. Fix: pass one of its stacks (acme, dev, prod.eu) or create Pulumi.nosuch.yaml (see the config reference in README.md)`,
    );
    assert.match(refusal("xlink/gitlab-push-tokens/nosuch"), /^there is no stack "nosuch" in /);
  });

  it("refuses what is not a stack name at all, before looking for files", () => {
    for (const given of ["a/b/c/d", "../dev", "dev/", "a//b", "de v", ""]) assert.match(refusal(given), /is not a stack name\. Fix: write the name \(letters, digits, _ \. -\), e\.g\. --stack dev/, given);
  });

  it("leaves a folder without Pulumi.yaml to the reader of the files, which says what is missing", () => {
    assert.equal(resolveStackName(bare, "xlink/any-project/dev"), "dev");
    assert.equal(resolveStackName(path.join(bare, "absent"), "dev"), "dev");
  });
});

describe("stacksIn and describeStacks", () => {
  it("lists Pulumi.<stack>.yaml files, sorted, and says when there is none", () => {
    assert.deepEqual(stacksIn(dir), ["acme", "dev", "prod.eu"]);
    assert.equal(describeStacks(dir), `the stacks in ${dir}: acme, dev, prod.eu`);
    assert.equal(describeStacks(bare), `there is no Pulumi.<stack>.yaml in ${bare}`);
    assert.deepEqual(stacksIn(path.join(bare, "absent")), []);
  });
});
