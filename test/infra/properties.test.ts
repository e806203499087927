// Property-based tests of the whole program under the SDK's mocks: for random valid stacks, what it
// registers keeps every invariant the README promises; for random single mutations of them, nothing
// at all is registered and the error names the mutated path. Generators: test/support/arbitraries.ts.
// fast-check picks a new seed each run and prints it with the shrunk counterexample on failure.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { addDays, dayNumber } from "../../config/dates";
import { GITLAB_TYPES } from "../../infra/gitlab/wire";
import { tokenDescription, variableDescription } from "../../infra/naming";
import { isSecretValue, plainValue, type Evaluation, type Registration } from "../../lib/evaluation/evaluate";
import { expectedInventory, maxLifetimeOf, mutatedStack, MUTATIONS, validDays, validStack, type GeneratedStack } from "../support/arbitraries";
import { canaryToken, evaluate, fingerprint, gitlabResources, heldGeneration, PROJECT, providers, tokens, variables } from "../support/scenarios";

// One evaluation takes about 30-150 ms on 2 cores (more tokens, more registrations): these keep the
// file to a few seconds while still covering every mutation several times per run.
const VALID_RUNS = 25;
const DETERMINISM_RUNS = 6;
const MUTATION_RUNS = 150;

const STACK_URN = `urn:pulumi:dev::${PROJECT}`;
const PROVIDER_REF = `${STACK_URN}::${GITLAB_TYPES.provider}::gitlab::gitlab_id`;
const COMPONENT_TYPE = "gitlab-push-tokens:index:PushToken";
const MANAGED_BY = `${PROJECT}/dev`;
const REPOSITORY_SCOPES = ["read_repository", "write_repository"];
const ADOPTED_TOKEN_INPUTS = ["project", "name", "scopes", "accessLevel", "expiresAt", "description"];
const CANARY_PREFIX = "glpat-CANARY-";

type Fields = Record<string, unknown>;

const run = (stack: GeneratedStack, today = stack.today): Promise<Evaluation> =>
  evaluate(stack.pushTokens, { today, extra: stack.extra, secretKeys: stack.secretKeys });

const componentUrn = (token: Fields) => `${STACK_URN}::${COMPONENT_TYPE}::${String(token.project)}:${String(token.name)}`;
const generationOf = (token: Fields, expiresAt: unknown) => `${String(token.project)}:${String(token.name)}@${String(expiresAt)}`;
const sorted = (values: readonly string[]) => [...values].sort();

/** Asserts every invariant of a valid stack's evaluation. */
function assertInvariants(stack: GeneratedStack, evaluation: Evaluation): void {
  assert.equal(evaluation.error, undefined, `a valid stack must evaluate: ${evaluation.error}`);
  assert.deepEqual(evaluation.invokes, []);

  // Exactly the resources the config declares, nothing more.
  const generationCount = stack.pushTokens.reduce((count, token) => count + (token.retiring ? 2 : 1), 0);
  const consumerCount = stack.pushTokens.reduce((count, token) => count + (token.consumers as unknown[]).length, 0);
  assert.equal(evaluation.registrations.length, 1 + stack.pushTokens.length + generationCount + consumerCount);

  // One provider, and every GitLab resource goes through it.
  assert.equal(providers(evaluation).length, 1);
  for (const resource of gitlabResources(evaluation).filter((r) => r.type !== GITLAB_TYPES.provider)) {
    assert.equal(resource.provider, PROVIDER_REF, `${resource.name} must use the explicit provider`);
  }

  // Unique identities in state.
  const urns = evaluation.registrations.map((r) => r.urn);
  assert.equal(new Set(urns).size, urns.length, "URNs are unique");
  const names = evaluation.registrations.map((r) => `${r.type}::${r.name}`);
  assert.equal(new Set(names).size, names.length, "logical names are unique per type");

  const today = stack.today;
  const latest = addDays(today, maxLifetimeOf(stack));
  const generations = tokens(evaluation);
  const allVariables = variables(evaluation);

  for (const token of stack.pushTokens) {
    const parent = componentUrn(token);
    const children = evaluation.registrations.filter((r) => r.parent === parent);
    const scopes = sorted((token.scopes as string[] | undefined) ?? ["write_repository"]);
    const accessLevel = (token.accessLevel as string | undefined) ?? "developer";

    // The current generation: least privilege, an expiry the instance allows, no ignored inputs.
    const current = children.find((r) => r.name === generationOf(token, token.expiresAt));
    assert.ok(current, `no current generation for ${parent}`);
    assertLeastPrivilege(current);
    assert.ok(dayNumber(String(current.inputs.expiresAt)) > dayNumber(today) && dayNumber(String(current.inputs.expiresAt)) <= dayNumber(latest));
    assert.deepEqual(current.inputs, { project: String(token.project), name: token.name, scopes, accessLevel, expiresAt: token.expiresAt, description: tokenDescription(MANAGED_BY) });
    // The description is decided at creation: a later gitlab.version must not replace a live token.
    assert.deepEqual(current.ignoreChanges, ["description"]);

    // The retiring generation: one this stack created obeys the same rules; only an adopted,
    // hand-made token may hold more, and then every input is ignored for diffs.
    const retiring = token.retiring as Fields | undefined;
    const retiringGenerations = children.filter((r) => r.type === GITLAB_TYPES.projectAccessToken && r !== current);
    assert.equal(retiringGenerations.length, retiring ? 1 : 0);
    if (retiring) {
      const [old] = retiringGenerations;
      assert.equal(old.name, generationOf(token, retiring.expiresAt));
      const oldInputs = {
        project: String(token.project),
        name: retiring.name ?? token.name,
        scopes: retiring.scopes ? sorted(retiring.scopes as string[]) : scopes,
        accessLevel: retiring.accessLevel ?? accessLevel,
        expiresAt: retiring.expiresAt,
      };
      if (retiring.tokenId === undefined) {
        assertLeastPrivilege(old);
        assert.deepEqual(old.inputs, { ...oldInputs, description: tokenDescription(MANAGED_BY) });
        assert.deepEqual(old.ignoreChanges, ["description"]);
      } else {
        assert.deepEqual(old.inputs, oldInputs, "an adopted token gets no description");
        assert.deepEqual(sorted(old.ignoreChanges), sorted(ADOPTED_TOKEN_INPUTS));
      }
      assert.ok(dayNumber(String(retiring.expiresAt)) < dayNumber(String(token.expiresAt)));
    }

    // One variable per consumer, holding this token's current generation, as a secret.
    const consumers = token.consumers as Fields[];
    const held = children.filter((r) => r.type === GITLAB_TYPES.projectVariable);
    assert.equal(held.length, consumers.length);
    for (const consumer of consumers) {
      const scope = consumer.environmentScope ?? "*";
      const name = `${String(consumer.project)}:${String(consumer.key)}${scope === "*" ? "" : `[${String(scope)}]`}`;
      const variable = held.find((r) => r.name === name);
      assert.ok(variable, `no variable ${name} under ${parent}`);
      const { value, ...rest } = variable.inputs;
      assert.deepEqual(rest, {
        project: String(consumer.project),
        key: consumer.key,
        protected: consumer.protected ?? true,
        masked: true,
        hidden: consumer.hidden ?? false,
        environmentScope: consumer.environmentScope ?? "*",
        variableType: "env_var",
        raw: true,
        description: variableDescription({ project: String(token.project), name: String(token.name), expiresAt: String(token.expiresAt) }, MANAGED_BY),
      });
      assert.ok(isSecretValue(value), `${variable.name}: the value must reach the engine as a secret`);
      assert.equal(plainValue(value), canaryToken(current.name));
      assert.equal(heldGeneration(variable, generations), current.name);
      assert.equal(variable.deleteBeforeReplace, true);
    }
  }
  assert.equal(allVariables.length, consumerCount);

  // Token values reach nothing but variable values: no other input, no output, no warning.
  for (const registration of evaluation.registrations) {
    const { value: _variableValue, ...others } = registration.inputs;
    const visible = registration.type === GITLAB_TYPES.projectVariable ? others : registration.inputs;
    assert.ok(!JSON.stringify(visible).includes(CANARY_PREFIX), `${registration.name} carries a token value outside a variable value`);
    assert.ok(!registration.urn.includes(CANARY_PREFIX));
  }
  assert.ok(!JSON.stringify(evaluation.outputs).includes(CANARY_PREFIX));
  assert.ok(!evaluation.warnings.some((warning) => warning.includes(CANARY_PREFIX)));

  // The inventory is the config with its defaults, and nothing else.
  assert.deepEqual(evaluation.outputs, { inventory: expectedInventory(stack) });
}

function assertLeastPrivilege(generation: Registration): void {
  const scopes = generation.inputs.scopes as string[];
  assert.ok(scopes.length > 0 && scopes.every((scope) => REPOSITORY_SCOPES.includes(scope)), `${generation.name}: scopes ${scopes}`);
  assert.deepEqual(scopes, sorted(scopes), `${generation.name}: scopes are registered sorted`);
  assert.ok(["developer", "maintainer"].includes(String(generation.inputs.accessLevel)), `${generation.name}: role ${generation.inputs.accessLevel}`);
}

describe("properties of random valid stacks, evaluated by the real program", () => {
  it(`keeps every invariant (${VALID_RUNS} random stacks of 1-8 tokens, 1-5 consumers each)`, async () => {
    await fc.assert(
      fc.asyncProperty(validStack, async (stack) => {
        assertInvariants(stack, await run(stack));
      }),
      { numRuns: VALID_RUNS },
    );
  });

  it(`registers identical inputs and options when evaluated twice, or on another day it is still valid (${DETERMINISM_RUNS} stacks)`, async () => {
    await fc.assert(
      fc.asyncProperty(validStack, fc.nat(), async (stack, daySeed) => {
        const { first, last } = validDays(stack);
        const otherDay = addDays(first, daySeed % (dayNumber(last) - dayNumber(first) + 1));
        const [once, twice, later] = [await run(stack), await run(stack), await run(stack, otherDay)];
        assert.equal(once.error, undefined);
        assert.equal(later.error, undefined, `valid on ${otherDay} too`);
        assert.equal(fingerprint(twice.registrations), fingerprint(once.registrations));
        assert.equal(fingerprint(later.registrations), fingerprint(once.registrations));
        assert.deepEqual(later.outputs, once.outputs);
      }),
      { numRuns: DETERMINISM_RUNS },
    );
  });

  it("the generator reaches the interesting corners (adoption, rotation, numeric IDs, maximum lifetime)", () => {
    // A property is only as good as what its generator produces: sample and count.
    const sample = fc.sample(validStack, { numRuns: 200, seed: 42 });
    const tokensOf = sample.flatMap((stack) => stack.pushTokens);
    const consumersOf = tokensOf.flatMap((token) => token.consumers as Fields[]);
    const count = (predicate: (value: Fields) => boolean, values: readonly Fields[]) => values.filter(predicate).length;
    assert.ok(count((t) => (t.retiring as Fields | undefined)?.tokenId !== undefined, tokensOf) > 20, "adopted hand-made tokens");
    assert.ok(count((t) => t.retiring !== undefined && (t.retiring as Fields).tokenId === undefined, tokensOf) > 20, "rotations");
    assert.ok(count((t) => typeof t.project === "number", tokensOf) > 20, "numeric project IDs");
    assert.ok(count((c) => c.adopt === true, consumersOf) > 20, "adopted variables");
    assert.ok(count((c) => c.protected === false, consumersOf) > 20, "unprotected variables");
    assert.ok(sample.some((stack) => stack.pushTokens.length === 8), "eight tokens");
    assert.ok(sample.some((stack) => stack.pushTokens[0].expiresAt === addDays(stack.today, maxLifetimeOf(stack))), "an expiry at the maximum lifetime");
  });
});

describe("properties of random single mutations: always refused, by path, with nothing registered", () => {
  it(`refuses every mutation of a valid stack (${MUTATION_RUNS} runs over ${Object.keys(MUTATIONS).length} mutations)`, async () => {
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(mutatedStack, async ({ mutation, stack, path }) => {
        seen.add(mutation);
        const evaluation = await run(stack);
        assert.deepEqual(evaluation.registrations, [], `${mutation}: nothing may be registered, not even the provider`);
        const message = evaluation.error;
        assert.ok(message, `${mutation}: the program must fail`);
        const [headline, ...lines] = message.split("\n");
        assert.match(headline, /^Invalid gitlab-push-tokens config in Pulumi\.dev\.yaml \((\d+) problems?\); no GitLab resource was registered:$/);
        assert.equal(Number(/\((\d+) problem/.exec(headline)?.[1]), lines.length, "the count matches the listed problems");
        assert.ok(lines.every((line) => /^ {2}- \S.*: .+\. Fix: .+\.$/.test(line)), `${mutation}: every problem is one line with a fix:\n${message}`);
        assert.ok(
          lines.some((line) => line.startsWith(`  - ${path}: `)),
          `${mutation}: the message must name ${path}:\n${message}`,
        );
        assert.ok(!/glpat-[A-Za-z0-9]{8}/.test(message), `${mutation}: no token-shaped value is echoed`);
      }),
      { numRuns: MUTATION_RUNS },
    );
    // With this many runs every mutation is drawn; if one never is, the catalogue outgrew numRuns.
    assert.ok(seen.size >= Object.keys(MUTATIONS).length * 0.8, `only ${seen.size} mutations drawn`);
  });
});
