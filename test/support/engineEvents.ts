// Engine event streams for the renderer's suites, built the way the CLI prints them: one JSON object a
// line, each with a sequence number and a timestamp, in the shapes of pulumi/pulumi
// `sdk/go/common/apitype/events.go`. The end-to-end suite produces real ones; these are for the fast,
// exhaustive unit tests.

export const STACK = "dev";
export const PROJECT = "gitlab-push-tokens";
export const PACK = "gitlab-push-token-guardrails";
export const TOKEN_TYPE = "gitlab:index/projectAccessToken:ProjectAccessToken";
export const VARIABLE_TYPE = "gitlab:index/projectVariable:ProjectVariable";
export const COMPONENT_TYPE = "gitlab-push-tokens:index:PushToken";

const base = `urn:pulumi:${STACK}::${PROJECT}::`;
export const STACK_URN = `${base}pulumi:pulumi:Stack::${PROJECT}-${STACK}`;
export const PROVIDER_URN = `${base}pulumi:providers:gitlab::gitlab`;
export const componentUrn = (project: string, name: string) => `${base}${COMPONENT_TYPE}::${project}:${name}`;
export const tokenUrn = (generation: string) => `${base}${COMPONENT_TYPE}$${TOKEN_TYPE}::${generation}`;
export const variableUrn = (name: string) => `${base}${COMPONENT_TYPE}$${VARIABLE_TYPE}::${name}`;

type Fields = Record<string, unknown>;

export interface StateSpec {
  readonly type: string;
  readonly urn: string;
  readonly custom?: boolean;
  readonly parent?: string;
  readonly inputs?: Fields;
  readonly outputs?: Fields;
}

export interface StepSpec {
  readonly op: string;
  readonly urn: string;
  readonly type: string;
  readonly old?: StateSpec;
  readonly new?: StateSpec;
  readonly keys?: string[];
  readonly diffs?: string[];
  readonly detailedDiff?: Fields | null;
}

/** A stream, event by event; `text()` is what the CLI prints. */
export class EventStream {
  private readonly events: Fields[] = [];

  private add(event: Fields): this {
    this.events.push({ sequence: this.events.length, timestamp: 1_764_600_000 + this.events.length, ...event });
    return this;
  }

  policyLoad(): this {
    return this.add({ policyLoadEvent: {} });
  }

  prelude(config: Record<string, string> = {}): this {
    return this.add({ preludeEvent: { config } });
  }

  /** A step as the engine reports it: a pre event, then (unless it failed) an outputs event. */
  step(step: StepSpec, options: { readonly outputs?: boolean } = {}): this {
    const metadata = { provider: "", detailedDiff: null, ...step, old: step.old ?? null, new: step.new ?? null };
    this.add({ resourcePreEvent: { metadata, planning: true } });
    return options.outputs === false ? this : this.add({ resOutputsEvent: { metadata, planning: true } });
  }

  failed(step: StepSpec): this {
    return this.add({ resOpFailedEvent: { metadata: { ...step, old: step.old ?? null, new: step.new ?? null }, status: 1, steps: 0 } });
  }

  diagnostic(diagnostic: { readonly urn?: string; readonly prefix?: string; readonly message: string; readonly severity: string; readonly ephemeral?: boolean }): this {
    return this.add({ diagnosticEvent: { color: "never", ...diagnostic } });
  }

  stdout(message: string): this {
    return this.add({ stdoutEvent: { message, color: "never" } });
  }

  /** A violation as @pulumi/policy reports it: the policy's description, a newline, the message. */
  violation(violation: { readonly urn?: string; readonly policy: string; readonly description?: string; readonly message: string; readonly level?: string; readonly pack?: string; readonly exceptions?: { id: string; reason: string }[] }): this {
    return this.add({
      policyEvent: {
        ...(violation.urn && { resourceUrn: violation.urn }),
        message: `${violation.description ?? `The ${violation.policy} rule.`}\n${violation.message}\n`,
        color: "never",
        policyName: violation.policy,
        policyPackName: violation.pack ?? PACK,
        policyPackVersion: "0.1.0",
        policyPackVersionTag: "0.1.0",
        enforcementLevel: violation.level ?? "mandatory",
        ...(violation.exceptions && { exceptions: violation.exceptions }),
      },
    });
  }

  analyzed(urn: string, passed: string[], failed: string[] = [], pack = PACK): this {
    return this.add({ policyAnalyzeSummaryEvent: { resourceUrn: urn, policyPackName: pack, policyPackVersion: "0.1.0", policyPackVersionTag: "0.1.0", ...(passed.length && { passed }), ...(failed.length && { failed }) } });
  }

  stackAnalyzed(passed: string[], failed: string[] = [], pack = PACK): this {
    return this.add({ policyAnalyzeStackSummaryEvent: { policyPackName: pack, policyPackVersion: "0.1.0", policyPackVersionTag: "0.1.0", ...(passed.length && { passed }), ...(failed.length && { failed }) } });
  }

  /** The end of the run: the summary, then the cancel event the CLI always ends with. */
  end(resourceChanges: Record<string, number>, result: "succeeded" | "failed" | "canceled" = "succeeded", packs: Record<string, string> = { [`${PACK}|local|policy`]: "0.1.0" }): this {
    this.add({ summaryEvent: { maybeCorrupt: false, durationSeconds: 1, resourceChanges, PolicyPacks: packs, isPreview: true, result } });
    return this.add({ cancelEvent: {} });
  }

  raw(event: Fields): this {
    return this.add(event);
  }

  text(): string {
    return this.events.map((event) => `${JSON.stringify(event)}\n`).join("");
  }
}

/** A token generation's state, as this project's program registers it. */
export function tokenState(generation: string, inputs: Fields = {}): StateSpec {
  const [project, name, expiresAt] = generationParts(generation);
  return {
    type: TOKEN_TYPE,
    urn: tokenUrn(generation),
    custom: true,
    parent: componentUrn(project, name),
    inputs: { project, name, accessLevel: "developer", scopes: ["write_repository"], expiresAt, description: "Push token managed by Pulumi (gitlab-push-tokens/dev). Rotate or revoke it there, not in GitLab.", ...inputs },
  };
}

/** A consumer variable's state, holding `generation` (its description names it, as infra/naming.ts writes it). */
export function variableState(name: string, generation: string, inputs: Fields = {}): StateSpec {
  const [project, key] = [name.slice(0, name.lastIndexOf(":")), name.slice(name.lastIndexOf(":") + 1)];
  const [tokenProject, tokenName, expiresAt] = generationParts(generation);
  return {
    type: VARIABLE_TYPE,
    urn: variableUrn(name),
    custom: true,
    parent: componentUrn(tokenProject, tokenName),
    inputs: {
      project,
      key,
      protected: true,
      masked: true,
      raw: true,
      environmentScope: "*",
      value: { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", ciphertext: "v1:blinded" },
      description: `Push token ${tokenName} for ${tokenProject}, expires ${expiresAt}. Managed by Pulumi (gitlab-push-tokens/dev).`,
      ...inputs,
    },
  };
}

function generationParts(generation: string): [string, string, string] {
  const colon = generation.lastIndexOf(":");
  const [name, expiresAt] = generation.slice(colon + 1).split("@");
  return [generation.slice(0, colon), name, expiresAt];
}

