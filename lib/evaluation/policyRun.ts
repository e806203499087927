// The policy pack run offline, on what the program registered under the SDK's mocks: every policy of
// policy/ called the way @pulumi/policy's server calls it (each resource policy on each resource, each
// stack policy once on every resource, with the policy's settings from the pack's config file), and
// what it reports collected as the engine would report it. `plan-comment` shows the result in the same
// section as the preview note's policy verdict, for a merge request whose pipeline cannot preview.
//
// What differs from the engine: values are never unknown here (the mocks answer every output), and a
// resource's outputs are its inputs plus what the mocks return, so a policy that needs a provider's real
// outputs would judge those instead.

import type { Policies, PolicyResource, PolicyResourceOptions, ResourceValidationArgs, StackValidationArgs } from "@pulumi/policy";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { createPolicies, POLICY_PACK_NAME, type PolicyClock } from "../../policy/policies";
import { PolicyResultsBuilder, type PolicyResults } from "../mergeRequest/policyResults";
import type { Registration } from "./evaluate";
import { isSecretValue } from "./secretValue";
import { enforcementLevelOf, type PolicyConfig } from "./policyConfig";

export interface PolicyRunOptions {
  /** The pack's config file, read (policyConfig.ts). */
  readonly config: PolicyConfig;
  /** The day the pack judges expiries against (the plan's day). */
  readonly clock: PolicyClock;
}

/** The pack's version, as policy/package.json gives it to the engine. */
function packVersion(): string | undefined {
  try {
    return (JSON.parse(readFileSync(path.join(__dirname, "..", "..", "policy", "package.json"), "utf8")) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

/** Runs every policy of the pack on the registrations; throws only when a policy itself throws (a bug). */
export async function runPolicyPack(registrations: readonly Registration[], options: PolicyRunOptions): Promise<PolicyResults> {
  return runPolicies(createPolicies(options.clock), registrations, { ...options, pack: POLICY_PACK_NAME, version: packVersion() });
}

/** Runs `policies` as pack `pack`: exposed so tests can run a pack of their own. */
export async function runPolicies(policies: Policies, registrations: readonly Registration[], options: PolicyRunOptions & { readonly pack: string; readonly version?: string }): Promise<PolicyResults> {
  const results = new PolicyResultsBuilder();
  results.pack(options.pack, options.version);
  const resources = policyResources(registrations);
  for (const policy of policies) {
    const level = enforcementLevelOf(options.config, policy.name, policy.enforcementLevel, "mandatory");
    if (level === "disabled") continue;
    const settings = options.config[policy.name]?.properties ?? {};
    let violated = false;
    const report = (subject: string | undefined) => (message: string, urn?: string) => {
      violated = true;
      const reportedUrn = urn ?? subject;
      results.violation({
        pack: options.pack,
        ...(options.version && { packVersion: options.version }),
        policy: policy.name,
        enforcementLevel: level,
        ...(reportedUrn && { urn: reportedUrn }),
        // As @pulumi/policy's server words it for the engine: the description, then the message.
        message: message ? `${policy.description}\n${message}` : policy.description,
        exceptions: [],
      });
    };
    if ("validateStack" in policy && policy.validateStack) {
      const args: StackValidationArgs = { resources, stackTags: new Map(), getConfig: <T extends object>() => settings as T, notApplicable };
      await applicable(() => policy.validateStack(args, report(undefined)));
    } else if ("validateResource" in policy && policy.validateResource) {
      const validations = Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource];
      for (const resource of resources) {
        const { type, props, urn, name, opts } = resource;
        const args: ResourceValidationArgs = { type, props, urn, name, opts, stackTags: new Map(), isType: () => false, asType: () => undefined, getConfig: <T extends object>() => settings as T, notApplicable };
        for (const validate of validations) await applicable(() => validate(args, report(resource.urn)));
      }
    }
    results.pack(options.pack, options.version, violated ? [] : [policy.name], violated ? [policy.name] : []);
  }
  return results.build();
}

/** A policy may call notApplicable(); the engine then counts it as neither passed nor failed for that resource. */
function notApplicable(reason?: string): never {
  throw new NotApplicable(reason);
}

class NotApplicable extends Error {}

async function applicable(validation: () => void | Promise<void>): Promise<void> {
  try {
    await validation();
  } catch (error) {
    if (!(error instanceof NotApplicable)) throw error;
  }
}

const OPTIONS: Omit<PolicyResourceOptions, "deleteBeforeReplace" | "protect" | "ignoreChanges" | "additionalSecretOutputs"> = {
  aliases: [],
  customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
};

/**
 * The registrations as the engine hands them to policies: parents and dependencies resolved, props
 * as `propsOf` reads them (by default the inputs with secrets unwrapped, as the policy SDK does).
 */
export function policyResources(registrations: readonly Registration[], propsOf: (registration: Registration) => Record<string, unknown> = (registration) => unwrapSecrets(registration.inputs) as Record<string, unknown>): PolicyResource[] {
  const byUrn = new Map<string, PolicyResource>();
  for (const registration of registrations) {
    byUrn.set(registration.urn, {
      type: registration.type,
      name: registration.name,
      urn: registration.urn,
      props: propsOf(registration),
      opts: {
        ...OPTIONS,
        protect: registration.protect,
        ignoreChanges: [...registration.ignoreChanges],
        additionalSecretOutputs: [...registration.additionalSecretOutputs],
        deleteBeforeReplace: registration.deleteBeforeReplace,
      },
      dependencies: [],
      propertyDependencies: {},
      isType: () => false,
      asType: () => undefined,
    });
  }
  const resolve = (urns: readonly string[]) => urns.flatMap((urn) => byUrn.get(urn) ?? []);
  for (const registration of registrations) {
    const resource = byUrn.get(registration.urn)!;
    resource.parent = byUrn.get(registration.parent);
    resource.dependencies = resolve(registration.dependencies);
    resource.propertyDependencies = Object.fromEntries(Object.entries(registration.propertyDependencies).map(([key, urns]) => [key, resolve(urns)]));
  }
  return [...byUrn.values()];
}

// The policy SDK deserializes with secrets unwrapped (deserialize.js, proxySecrets false).
function unwrapSecrets(value: unknown): unknown {
  if (isSecretValue(value)) return unwrapSecrets(value.value);
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (typeof value === "object" && value !== null) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, unwrapSecrets(item)]));
  return value;
}
