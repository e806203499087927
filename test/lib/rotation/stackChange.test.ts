// Whether the rotation job changed the stack file, read from a real git checkout.

import assert from "node:assert/strict";
import { mkdirSync, unlinkSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { readStackFileChange } from "../../../lib/rotation/stackChange";
import { AFTER, BEFORE, checkout, scratch } from "../../support/rotationRepo";

describe("readStackFileChange", () => {
  it("reports an unchanged file as unchanged", () => {
    const { dir } = checkout({ "Pulumi.dev.yaml": BEFORE });
    assert.deepEqual(readStackFileChange(dir, "Pulumi.dev.yaml"), { changed: false });
  });

  it("reports an edit with the path from the repository root, the content and the checked-out commit", () => {
    const { dir, head } = checkout({ "deploy/Pulumi.dev.yaml": BEFORE, "README.md": "x\n" });
    const folder = path.join(dir, "deploy");
    writeFileSync(path.join(folder, "Pulumi.dev.yaml"), AFTER);
    writeFileSync(path.join(dir, "README.md"), "another change, not proposed\n");
    assert.deepEqual(readStackFileChange(folder, "Pulumi.dev.yaml"), { changed: true, repoPath: "deploy/Pulumi.dev.yaml", content: AFTER, isNew: false, headSha: head });
  });

  it("marks a file the commit does not have as new", () => {
    const { dir, head } = checkout({ "Pulumi.yaml": "name: x\n" });
    writeFileSync(path.join(dir, "Pulumi.qa.yaml"), AFTER);
    assert.deepEqual(readStackFileChange(dir, "Pulumi.qa.yaml"), { changed: true, repoPath: "Pulumi.qa.yaml", content: AFTER, isNew: true, headSha: head });
  });

  it("refuses a deleted or missing file, and a folder that is not a checkout", () => {
    const { dir } = checkout({ "Pulumi.dev.yaml": BEFORE });
    assert.throws(() => readStackFileChange(dir, "Pulumi.prod.yaml"), { message: `Pulumi.prod.yaml not found in ${dir}. Fix: pass the --stack whose file the rotation edited, or --dir with the folder that holds it.` });
    unlinkSync(path.join(dir, "Pulumi.dev.yaml"));
    assert.throws(() => readStackFileChange(dir, "Pulumi.dev.yaml"), /^Error: Pulumi\.dev\.yaml was deleted in .*: only an edited stack file is proposed\./);
    const plain = path.join(scratch, "not-a-checkout");
    mkdirSync(plain);
    assert.throws(() => readStackFileChange(plain, "Pulumi.dev.yaml"), /^Error: git rev-parse failed in .*not-a-checkout: fatal: not a git repository/);
  });
});
