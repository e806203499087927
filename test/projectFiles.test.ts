// The project's own files: Pulumi.yaml is valid for the Pulumi CLI and really points at the program
// through tsx, and package.json's engines tell the truth about @pulumi/pulumi's Node requirement.

import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import Ajv2020 from "ajv/dist/2020";
import { parse } from "yaml";
import { PROJECT_ROOT, sharedFile } from "./support/sharedData";

const readJson = (file: string) => JSON.parse(readFileSync(file, "utf8"));
const project = parse(readFileSync(path.join(PROJECT_ROOT, "Pulumi.yaml"), "utf8"));
const packageJson = readJson(path.join(PROJECT_ROOT, "package.json"));

const projectSchema = sharedFile("schemas/pulumi-project.json");
describe("Pulumi.yaml against Pulumi's official project schema", { skip: projectSchema.skip }, () => {
  it("is valid", () => {
    const validate = new Ajv2020({ strict: false, allErrors: true }).compile(readJson(projectSchema.file));
    assert.ok(validate(project), JSON.stringify(validate.errors, null, 2));
  });
});

describe("Pulumi.yaml runs infra/index.ts through tsx", () => {
  it("names the project and the entry", () => {
    assert.equal(project.name, "gitlab-push-tokens");
    assert.equal(project.main, "infra/index.ts");
    assert.ok(existsSync(path.join(PROJECT_ROOT, project.main)));
  });

  it("loads TypeScript with tsx instead of the SDK's ts-node", () => {
    assert.equal(project.runtime.name, "nodejs");
    assert.equal(project.runtime.options.typescript, false);
    assert.equal(project.runtime.options.nodeargs, "--import tsx");
    assert.ok(packageJson.devDependencies.tsx, "tsx is installed by npm ci");
  });
});

describe("package.json", () => {
  const minimumMajor = (range: string) => Number(/^>=\s*(\d+)/.exec(range)?.[1]);

  it("pins @pulumi/pulumi to a release that supports the Node.js it declares", () => {
    assert.match(packageJson.dependencies["@pulumi/pulumi"], /^\d+\.\d+\.\d+$/, "pinned exactly: 3.249 and later need Node 22");
    const sdk = readJson(path.join(PROJECT_ROOT, "node_modules/@pulumi/pulumi/package.json"));
    assert.equal(sdk.version, packageJson.dependencies["@pulumi/pulumi"]);
    assert.ok(minimumMajor(packageJson.engines.node) >= minimumMajor(sdk.engines.node), `${packageJson.engines.node} vs the SDK's ${sdk.engines.node}`);
  });

  it("runs on the Node.js executing these tests", () => {
    const [major, minor] = process.versions.node.split(".").map(Number);
    const [, wantMajor, wantMinor] = /^>=(\d+)\.(\d+)$/.exec(packageJson.engines.node)?.map(Number) ?? [];
    assert.ok(major > wantMajor || (major === wantMajor && minor >= wantMinor), `${process.versions.node} does not satisfy ${packageJson.engines.node}`);
  });

  it("has only @pulumi/pulumi, zod and yaml as runtime dependencies", () => {
    // yaml since the program reads its declaration file (config/declaration.ts) at pulumi up.
    assert.deepEqual(Object.keys(packageJson.dependencies).sort(), ["@pulumi/pulumi", "yaml", "zod"]);
  });
});
