// Test data that lives beside the project in ../shared (CI has it; a user's clone does not).
// Tests read it from there and skip, saying why, when it is absent. It is never copied in.

import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";

export const PROJECT_ROOT = path.resolve(__dirname, "..", "..");
export const SHARED_DIR = path.resolve(PROJECT_ROOT, "..", "shared");

/** Where a shared file would be, and why a test must skip when it is not there. */
export function sharedFile(relative: string): { file: string; skip: string | false } {
  const file = path.join(SHARED_DIR, relative);
  return existsSync(file) ? { file, skip: false } : { file, skip: `${file} is absent: ../shared ships with the project's CI, not with a clone` };
}

export interface ProviderSchema {
  readonly source: string;
  readonly document: {
    readonly provider: SchemaResource;
    readonly resources: Record<string, SchemaResource>;
    readonly types?: Record<string, { properties?: Record<string, PropertySpec> }>;
    readonly _source?: { providerVersion?: string };
    readonly _derived?: {
      wireValues?: Record<string, unknown>;
      forcesReplacement?: Record<string, { replace?: string[] } | string>;
      validators?: Record<string, string>;
    };
  };
}

export interface SchemaResource {
  readonly inputProperties: Record<string, PropertySpec>;
  readonly requiredInputs?: string[];
  readonly properties?: Record<string, PropertySpec>;
}

export interface PropertySpec {
  readonly type?: string;
  readonly items?: PropertySpec;
  readonly additionalProperties?: PropertySpec;
  readonly $ref?: string;
  readonly secret?: boolean;
  readonly description?: string;
}

/**
 * The GitLab provider's package schema: $GITLAB_PROVIDER_SCHEMA when set (for example the output of
 * `pulumi package get-schema gitlab@10.1.1`), else the verbatim subset in ../shared.
 */
export function loadProviderSchema(): ProviderSchema | { skip: string } {
  const fromEnvironment = process.env.GITLAB_PROVIDER_SCHEMA;
  if (fromEnvironment) {
    // Asked for explicitly: a missing file is an error, not a reason to skip.
    return { source: fromEnvironment, document: JSON.parse(readFileSync(fromEnvironment, "utf8")) };
  }
  const { file, skip } = sharedFile("gitlab-provider/schema-subset.json");
  if (skip) return { skip: `${skip}; set GITLAB_PROVIDER_SCHEMA to a schema from \`pulumi package get-schema gitlab@10.1.1\` to run the contract test` };
  return { source: file, document: JSON.parse(readFileSync(file, "utf8")) };
}

/**
 * The values GitLab accepts for a property, read from its schema description. The Node.js rendering
 * there is camelCased (writeRepository); the `pulumi-lang-hcl` rendering is what goes on the wire.
 */
export function wireValuesFromDescription(description: string): string[] {
  const wireForm = description.replace(/<span [^>]*pulumi-lang-hcl="`([^`]*)`"[^>]*>.*?<\/span>/g, "`$1`");
  const listed = /[Vv]alid values are:(.*?)(?:\.\s|\.$|$)/s.exec(wireForm);
  return listed ? [...listed[1].matchAll(/`([^`]+)`/g)].map((match) => match[1]) : [];
}
