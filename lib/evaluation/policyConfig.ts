// The policy pack's config file, as `pulumi preview --policy-pack-config <file>` reads it: a JSON object
// whose keys are policy names (or `all`), each an enforcement level or an object with an optional
// `enforcementLevel` and the policy's own settings (pulumi/pulumi pkg/resource/plugin: the analyzer's
// policy config). Read with zod; a problem is one line naming the file, the key and the fix.

import { readFileSync } from "node:fs";
import { z } from "zod";
import { redactTokens } from "../../config/issues";

export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";

/** One policy's settings: its level, if the file sets one, and its knobs. */
export interface PolicySettings {
  readonly enforcementLevel?: EnforcementLevel;
  readonly properties: Readonly<Record<string, unknown>>;
}

/** The file's settings, by policy name; `all` sets the level of every policy without one. */
export type PolicyConfig = Readonly<Record<string, PolicySettings>>;

const level = z.enum(["advisory", "mandatory", "remediate", "disabled"], { error: "should be advisory, mandatory, remediate or disabled" });
const entry = z.union([level, z.looseObject({ enforcementLevel: level.optional() })], { error: "should be an enforcement level or an object of the policy's settings" });
const fileSchema = z.record(z.string(), entry, { error: "should be a JSON object whose keys are policy names" });

export class PolicyConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PolicyConfigError";
  }
}

/** Reads and checks the file; throws a PolicyConfigError with a one-line message when it cannot be used. */
export function readPolicyConfig(file: string): PolicyConfig {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new PolicyConfigError(`cannot read the policy pack's config ${file} (${(error as NodeJS.ErrnoException).code ?? "unreadable"}). Fix: pass the file the pipeline passes to pulumi (--policy-pack-config policy-config.json).`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new PolicyConfigError(`the policy pack's config ${file} is not valid JSON. Fix: correct it; pulumi preview --policy-pack-config reads the same file.`);
  }
  return parsePolicyConfig(value, file);
}

export function parsePolicyConfig(value: unknown, file: string): PolicyConfig {
  const parsed = fileSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.length > 0 ? ` at ${issue.path.map(String).join(".")}` : "";
    throw new PolicyConfigError(redactTokens(`the policy pack's config ${file}${where} ${issue.message}. Fix: correct it; pulumi preview --policy-pack-config reads the same file.`));
  }
  return Object.fromEntries(
    Object.entries(parsed.data).map(([policy, settings]) => {
      if (typeof settings === "string") return [policy, { enforcementLevel: settings, properties: {} }];
      const { enforcementLevel, ...properties } = settings;
      return [policy, { ...(enforcementLevel && { enforcementLevel }), properties }];
    }),
  );
}

/** A policy's level: the file's for it, else the file's `all`, else the policy's own, else the pack's. */
export function enforcementLevelOf(config: PolicyConfig, policy: string, own: EnforcementLevel | undefined, pack: EnforcementLevel): EnforcementLevel {
  return config[policy]?.enforcementLevel ?? config.all?.enforcementLevel ?? own ?? pack;
}
