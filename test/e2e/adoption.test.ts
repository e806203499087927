// The README's migration ("Migration: taking over what was made by hand"), followed to the letter on
// a GitLab where a person made a push token with `api` and two sloppy variables holding it: the
// commands are the ones the README names and `npm run adopt` prints, run as printed (only `--yes`
// added, which a person answers at the prompt). Each step's promise is checked against GitLab: the
// import replaces nothing, the preview is what step 4 says, the `up` moves every variable to a new
// least-privilege token without touching the hand-made one, and the cleanup revokes exactly it.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { addDays } from "../../config/dates";
import { PROJECT_ROOT } from "../../lib/engine";
import { itOnEmulator } from "./harness/e2eMode";
import { inconsistencies } from "./harness/consistency";
import { startGitLabWorld, type GitLabWorld } from "./harness/gitlabWorld";
import type { GitLabToken } from "./harness/gitlabTarget";
import { runPipelineJob } from "./harness/pipelineJobs";
import { runCli, type CliRun } from "./harness/runCli";
import { plaintextSecrets } from "./harness/secretScan";
import { readStackState } from "./harness/stackState";
import type { E2eStack } from "./harness/stack";
import { ACCESS_LEVEL, consumerVariable, today, variableDescription } from "./stacks";

const PROJECTS = ["xlink-k8s-gitops", "xlink-app", "xlink-worker", "xlink-ops"] as const;
const STACK = "migration"; // the README's commands name it
const handMadeExpiresAt = addDays(today(), 30);
const newExpiresAt = addDays(today(), 90);
const revokeAfter = new Date(Date.now() + 86_400_000).toISOString().replace(/\.\d{3}Z$/, "Z");

/** The Migration section's prose, inline code joined across line breaks as a reader sees it. */
const MIGRATION = (() => {
  const readme = readFileSync(path.join(PROJECT_ROOT, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Migration"), readme.indexOf("\n## ", readme.indexOf("## Migration") + 1));
  return [...section.matchAll(/`([^`]+)`/g)].map((match) => match[1].replace(/\s*\n\s*/g, " "));
})();
const readmeCommand = (prefix: string) => {
  const found = MIGRATION.filter((code) => code.startsWith(prefix));
  assert.equal(found.length, 1, `the README's Migration section names one \`${prefix}…\` command: ${found.join(" | ")}`);
  return found[0];
};

let world: GitLabWorld;
let stack: E2eStack;
/** What every command printed, by step; every token value seen (the hand-made one, then the new generation's). */
const printed: Record<string, string> = {};
const record = (step: string, run: { readonly stdout: string; readonly stderr: string }) => void (printed[step] = run.stdout + run.stderr);
const issued = new Map<string, string>();
const secrets = () => [{ label: "the API token", value: world.apiToken }, ...[...issued].map(([label, value]) => ({ label, value }))];
let handMade: { id: number; value: string };
const gitops = () => world.project("xlink-k8s-gitops");
const handMadeName = "gitops pusher";

/** Pulumi.migration.yaml's shape, on this GitLab: two adopted variables, one new one, the hand-made token retiring. */
function migrationConfig(options: { adopt: boolean; retiring: boolean }) {
  const adopt = options.adopt ? { adopt: true } : {};
  return [
    {
      name: "GITLAB_CI_PUSHER",
      project: gitops(),
      expiresAt: newExpiresAt,
      consumers: [
        { project: world.project("xlink-app"), key: "GITLAB_PUSHER_TOKEN", ...adopt },
        { project: world.projectId("xlink-worker"), key: "GITLAB_PUSHER_TOKEN", environmentScope: "production", ...adopt },
        { project: world.project("xlink-ops"), key: "GITLAB_PUSHER_TOKEN" },
      ],
      ...(options.retiring
        ? { retiring: { tokenId: handMade.id, name: handMadeName, accessLevel: "maintainer", scopes: ["api", "write_repository"], expiresAt: handMadeExpiresAt, revokeAfter } }
        : {}),
    },
  ];
}

function writeStackConfig(pushTokens: unknown): void {
  stack.writeConfig({ "gitlab-push-tokens:gitlab": { baseUrl: world.target.baseUrl }, "gitlab-push-tokens:pushTokens": pushTokens });
}

/** `npm run <script> -- args` in the world's clone, as a person runs it there. */
function npmRun(command: string): Promise<CliRun> {
  const words = command.split(/\s+/);
  assert.deepEqual(words.slice(0, 2), ["npm", "run"], command);
  return runCli("npm", ["run", "--silent", ...words.slice(2)], { cwd: world.env.workDir, env: world.env.vars });
}

/**
 * A printed `pulumi …` command run as printed (single-quoted words unquoted, as a shell would), plus
 * `--yes`; the program is served to the commands that run it (`pulumi import` does not).
 */
function pulumiAsPrinted(command: string): Promise<CliRun> {
  const words = [...command.matchAll(/'([^']*)'|(\S+)/g)].map((match) => match[1] ?? match[2]);
  assert.equal(words[0], "pulumi", command);
  return world.env.pulumi([...words.slice(1), "--yes", "--non-interactive"], words[1] === "import" ? {} : { program: stack.program, events: true });
}

/** The `pulumi …` command of step `n` of what `npm run adopt` printed (the text before its explanation). */
function printedStep(output: string, n: number): string {
  const line = output.split("\n").find((candidate) => candidate.startsWith(`  ${n}. `));
  assert.ok(line, `adopt printed no step ${n}:\n${output}`);
  return line.slice(`  ${n}. `.length).replace(/: .*$/, "");
}

const tokenSummary = ({ id, name, scopes, accessLevel, active, revoked }: GitLabToken) => ({ id, name, scopes, accessLevel, active, revoked });

before(async () => {
  world = await startGitLabWorld({ projects: [...PROJECTS] });
  // What a person did by hand, before this stack existed: an `api` token and two variables holding it,
  // unprotected, unmasked, expanded, without a description.
  handMade = await world.target.createToken(gitops(), { name: handMadeName, scopes: ["api", "write_repository"], accessLevel: ACCESS_LEVEL.maintainer, expiresAt: handMadeExpiresAt });
  issued.set("the hand-made token", handMade.value);
  await world.target.createVariable(world.project("xlink-app"), { key: "GITLAB_PUSHER_TOKEN", value: handMade.value });
  await world.target.createVariable(world.projectId("xlink-worker"), { key: "GITLAB_PUSHER_TOKEN", value: handMade.value, environmentScope: "production" });
  stack = await world.stack(STACK, { pushTokens: migrationConfig({ adopt: true, retiring: true }) });
  // The policy pack runs with the repository's policy-config.json, which lists no token (issue 15):
  // it recognises the adopted hand-made token, with its api scope, by the options the program gives it.
  assert.deepEqual(JSON.parse(readFileSync(path.join(world.env.workDir, "policy-config.json"), "utf8")), { "gitlab-access-token-least-privilege": { maxLifetimeDays: 365 } });
});
after(() => world?.close());

describe("the README's migration, step by step", () => {
  let adoptOutput: string;

  it("step 2: `npm run adopt` writes the import file and prints the next commands", async () => {
    const adopt = await npmRun(readmeCommand("npm run adopt -- --stack migration --out"));
    record("adopt", adopt);
    assert.equal(adopt.code, 0, adopt.stderr);
    adoptOutput = adopt.stdout;
    const importFile = JSON.parse(readFileSync(path.join(world.env.workDir, "adopt.json"), "utf8")) as { resources: { type: string; name: string; id: string }[] };
    assert.deepEqual(
      importFile.resources.map(({ type, name, id }) => ({ type, name, id })),
      [
        { type: "gitlab:index/projectAccessToken:ProjectAccessToken", name: `${gitops()}:GITLAB_CI_PUSHER@${handMadeExpiresAt}`, id: `${gitops()}:${handMade.id}` },
        { type: "gitlab:index/projectVariable:ProjectVariable", name: `${world.project("xlink-app")}:GITLAB_PUSHER_TOKEN`, id: `${world.project("xlink-app")}:GITLAB_PUSHER_TOKEN:*` },
        { type: "gitlab:index/projectVariable:ProjectVariable", name: `${world.projectId("xlink-worker")}:GITLAB_PUSHER_TOKEN[production]`, id: `${world.projectId("xlink-worker")}:GITLAB_PUSHER_TOKEN:production` },
      ],
    );
  });

  it("step 3: the printed targeted `pulumi up` creates only the provider and the component", async () => {
    const targeted = printedStep(adoptOutput, 1);
    assert.match(targeted, /^pulumi up --stack migration( --target '[^']+'){2}$/);
    const up = await pulumiAsPrinted(targeted);
    record("targeted up", up);
    assert.equal(up.code, 0, up.stdout + up.stderr);
    assert.deepEqual((await readStackState(stack)).resources.map((resource) => resource.type), ["pulumi:pulumi:Stack", "pulumi:providers:gitlab", "gitlab-push-tokens:index:PushToken"]);
    assert.deepEqual((await world.target.tokens(gitops())).map(tokenSummary), [{ id: handMade.id, name: handMadeName, scopes: ["api", "write_repository"], accessLevel: ACCESS_LEVEL.maintainer, active: true, revoked: false }]);
  });

  it("step 3: the printed `pulumi import` is the README's, and imports the token and both variables unchanged", async () => {
    const printed = printedStep(adoptOutput, 2);
    assert.equal(printed, readmeCommand("pulumi import --stack"));
    const imported = await pulumiAsPrinted(printed);
    record("import", imported);
    assert.equal(imported.code, 0, imported.stdout + imported.stderr);
    const state = await readStackState(stack);
    assert.deepEqual(state.tokens.map((token) => [token.name, token.tokenId]), [[`${gitops()}:GITLAB_CI_PUSHER@${handMadeExpiresAt}`, handMade.id]]);
    assert.deepEqual(state.variables.map((variable) => variable.name).sort(), [`${world.project("xlink-app")}:GITLAB_PUSHER_TOKEN`, `${world.projectId("xlink-worker")}:GITLAB_PUSHER_TOKEN[production]`].sort());
    // Reading GitLab changed nothing there.
    assert.equal((await world.target.variable(world.project("xlink-app"), "GITLAB_PUSHER_TOKEN"))?.value, handMade.value);
  });

  it("step 3: the import wrote the hand-made token's value, read from both variables, nowhere in plaintext", () => {
    assert.deepEqual(plaintextSecrets(world.env, secrets(), printed), []);
  });

  it("step 3: the printed `pulumi refresh` reads the imported token back from GitLab, deleting nothing", async () => {
    const printed = printedStep(adoptOutput, 3);
    const tokenUrn = (await readStackState(stack)).tokens[0].urn;
    assert.equal(`${printed.replace(` --target '${tokenUrn}'`, " --target …")}`, readmeCommand("pulumi refresh --stack"));
    const refresh = await pulumiAsPrinted(printed);
    record("refresh", refresh);
    assert.equal(refresh.code, 0, refresh.stdout + refresh.stderr);
    const changes = refresh.events.findLast((event) => event.summaryEvent)?.summaryEvent?.resourceChanges ?? {};
    assert.equal(changes.delete, undefined, JSON.stringify(changes));
    const [token] = (await readStackState(stack)).tokens;
    assert.equal(token.tokenId, handMade.id);
  });

  it("step 4: the preview shows each adopted variable an update, the new generation and variable creates, the hand-made token untouched, nothing replaced or deleted", async () => {
    assert.equal(printedStep(adoptOutput, 4), "pulumi preview --stack migration");
    const preview = await stack.previewJson();
    record("preview", preview);
    assert.equal(preview.code, 0, preview.stderr);
    const steps = (preview.document as { steps: { op: string; urn: string }[] }).steps;
    const ops = Object.fromEntries(steps.filter((step) => step.op !== "same").map((step) => [step.urn.slice(step.urn.lastIndexOf("::") + 2), step.op]));
    assert.deepEqual(ops, {
      [`${gitops()}:GITLAB_CI_PUSHER@${newExpiresAt}`]: "create",
      [`${world.project("xlink-app")}:GITLAB_PUSHER_TOKEN`]: "update",
      [`${world.projectId("xlink-worker")}:GITLAB_PUSHER_TOKEN[production]`]: "update",
      [`${world.project("xlink-ops")}:GITLAB_PUSHER_TOKEN`]: "create",
    });
  });

  it("step 5: with every adopt: true removed, the pipeline's up moves all three variables to the new token and leaves the hand-made one valid", async () => {
    writeStackConfig(migrationConfig({ adopt: false, retiring: true }));
    const up = await runPipelineJob(stack, "apply");
    record("up", up);
    assert.equal(up.code, 0, up.stdout + up.stderr);
    assert.deepEqual(up.changes, { create: 2, update: 2, same: 4 });
    const state = await readStackState(stack);
    const fresh = state.tokens.find((token) => token.name.endsWith(`@${newExpiresAt}`))!;
    assert.deepEqual((await world.target.tokens(gitops())).map(tokenSummary), [
      { id: handMade.id, name: handMadeName, scopes: ["api", "write_repository"], accessLevel: ACCESS_LEVEL.maintainer, active: true, revoked: false },
      { id: fresh.tokenId, name: "GITLAB_CI_PUSHER", scopes: ["write_repository"], accessLevel: ACCESS_LEVEL.developer, active: true, revoked: false },
    ]);
    const expected = (environmentScope: string) =>
      consumerVariable({ key: "GITLAB_PUSHER_TOKEN", value: fresh.value ?? null, environmentScope, description: variableDescription(STACK, "GITLAB_CI_PUSHER", gitops(), newExpiresAt) });
    assert.deepEqual(await world.target.variables(world.project("xlink-app")), [expected("*")]);
    assert.deepEqual(await world.target.variables(world.projectId("xlink-worker")), [expected("production")]);
    assert.deepEqual(await world.target.variables(world.project("xlink-ops")), [expected("*")]);
    // The hand-made token is live on purpose until revokeAfter: the state knows it.
    assert.deepEqual(await inconsistencies(world, stack), []);
  });

  itOnEmulator("and never rotated the hand-made token (no rotate call; it keeps its id and value)", () => {
    assert.deepEqual(world.emulator!.log.requests().filter((request) => request.route?.endsWith("/rotate")), []);
    assert.equal(world.emulator!.state.token(handMade.id)?.value, handMade.value);
  });

  it("step 6: after revokeAfter, `npm run rotate -- --stack migration --cleanup` drops the retiring block, and the pipeline's up revokes exactly the hand-made token", async () => {
    const cleanup = await npmRun(`${readmeCommand("npm run rotate -- --stack migration --cleanup")} --now ${new Date(Date.parse(revokeAfter) + 3_600_000).toISOString()}`);
    assert.equal(cleanup.code, 0, cleanup.stderr);
    assert.doesNotMatch(readFileSync(stack.stackFile, "utf8"), /retiring:/);
    world.emulator?.log.clear();
    const up = await runPipelineJob(stack, "apply");
    record("cleanup up", up);
    assert.equal(up.code, 0, up.stdout + up.stderr);
    assert.deepEqual(up.changes, { delete: 1, same: 7 });
    const tokens = await world.target.tokens(gitops());
    assert.deepEqual(tokens.map(({ id, active, revoked }) => ({ id, active, revoked })), [
      { id: handMade.id, active: false, revoked: true },
      { id: tokens[1].id, active: true, revoked: false },
    ]);
    if (world.emulator) assert.deepEqual(world.emulator.log.writes().map((request) => `${request.method} ${request.route}`), ["DELETE /projects/:id/access_tokens/:token_id"]);
    assert.deepEqual(await inconsistencies(world, stack), []);
  });

  it("and no file of the backend or PULUMI_HOME, and nothing the CLI or npm printed, ever held a token value or the API token in plaintext", async () => {
    for (const token of (await readStackState(stack)).tokens) if (token.value) issued.set(`token #${token.tokenId}`, token.value);
    assert.equal(issued.size, 2, "the hand-made token and the new generation");
    assert.deepEqual(plaintextSecrets(world.env, secrets(), printed), []);
  });
});
