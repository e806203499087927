// A stack of the project on an engine environment, created from a config object written as
// Pulumi.<stack>.yaml (the very file `npm run plan`, `adopt`, `rotate` and `expiry` read), and driven
// with the Automation API's inline programs: the program runs in this test process, the CLI runs the
// engine, the stand-in plugin and the policy pack.

import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { CommandError, LocalWorkspace, Stack, type EngineEvent, type OutputMap, type PreviewResult, type PulumiFn, type UpdateSummary } from "@pulumi/pulumi/automation";
import { parseDocument, stringify } from "yaml";
import type { EngineEnv } from "./engineEnv";
import { asCmdRunWould } from "./programErrors";
import type { CliRun, CliRunOptions } from "./runCli";

// The CLI's YAML reader turns a plain 2027-03-01 into a timestamp, as YAML 1.1 does; written as YAML
// 1.1, every string that would be read so is quoted and reaches the program as the string it is.
const YAML_AS_THE_CLI_READS_IT = { version: "1.1" } as const;

export interface StackOptions {
  /** The stack's name: its file is Pulumi.<name>.yaml. */
  readonly name: string;
  /** The inline program, e.g. `() => pushTokenStack(clock)` with infra/index.ts's function. */
  readonly program: PulumiFn;
  /** The file's `config:` map, keys with their namespace ("gitlab-push-tokens:pushTokens"). */
  readonly config: Readonly<Record<string, unknown>>;
  /** Values set with `pulumi config set --secret`, so the file holds only their ciphertext. */
  readonly secrets?: Readonly<Record<string, string>>;
}

export interface OperationOptions {
  /** `--policy-pack`, relative to the work dir ("policy") or absolute. */
  readonly policyPacks?: readonly string[];
  /** `--policy-pack-config`, likewise. */
  readonly policyPackConfigs?: readonly string[];
  /** `--expect-no-changes`: the operation fails if it would change anything. */
  readonly expectNoChanges?: boolean;
}

export interface Operation {
  /** Every engine event, in order (the Automation API's onEvent). */
  readonly events: EngineEvent[];
  readonly stdout: string;
  readonly stderr: string;
}

export interface UpOperation extends Operation {
  readonly summary: UpdateSummary;
  readonly outputs: OutputMap;
}

export interface PreviewOperation extends Operation {
  readonly changeSummary: PreviewResult["changeSummary"];
}

/**
 * What the Automation API's language server adds, as a second error, after a program logged one; a
 * `pulumi up` through Pulumi.yaml (cmd/run) prints only the program's own.
 */
export const AUTOMATION_API_ERROR_TRAILER = "One or more errors occurred. Check logs for more details";

/** A failed operation, carrying what the engine said before it failed. */
export class OperationFailed extends Error implements Operation {
  /** The error diagnostics, as the program or the engine worded them (without the Automation API's trailer). */
  readonly errors: string[];

  constructor(
    readonly operation: string,
    readonly events: EngineEvent[],
    readonly stdout: string,
    readonly stderr: string,
    readonly exitCode: number | undefined,
  ) {
    const errors = events.flatMap((event) => (event.diagnosticEvent?.severity === "error" ? [event.diagnosticEvent.message.trim()] : [])).filter((message) => message !== AUTOMATION_API_ERROR_TRAILER);
    super(`pulumi ${operation} failed (exit ${exitCode ?? "?"}): ${[...errors, stderr.trim()].filter(Boolean).join("\n") || "no diagnostics"}`);
    this.name = "OperationFailed";
    this.errors = errors;
  }
}

/** The rejection of `operation`, which must fail; a success is an assertion error naming it. */
export async function failureOf(operation: Promise<unknown>): Promise<OperationFailed> {
  try {
    await operation;
  } catch (error) {
    if (error instanceof OperationFailed) return error;
    throw error;
  }
  throw new Error("expected the operation to fail, and it succeeded");
}

export class E2eStack {
  private constructor(
    readonly env: EngineEnv,
    readonly name: string,
    readonly program: PulumiFn,
    /** The Automation API's stack, for what this class does not wrap. */
    readonly stack: Stack,
  ) {}

  /** Writes Pulumi.<name>.yaml, creates the stack (`pulumi stack init` adds the encryption salt) and sets the secrets. */
  static async create(env: EngineEnv, options: StackOptions): Promise<E2eStack> {
    const file = path.join(env.workDir, `Pulumi.${options.name}.yaml`);
    writeFileSync(file, `# Written by test/e2e/harness/stack.ts for stack ${options.name}.\n${stringify({ config: options.config }, YAML_AS_THE_CLI_READS_IT)}`);
    const program = asCmdRunWould(options.program);
    const workspace = await LocalWorkspace.create({ workDir: env.workDir, program, pulumiHome: env.pulumiHome, envVars: { ...env.vars }, pulumiCommand: env.command });
    const stack = await Stack.create(options.name, workspace);
    for (const [key, value] of Object.entries(options.secrets ?? {})) await stack.setConfig(key, { value, secret: true });
    return new E2eStack(env, options.name, program, stack);
  }

  /** Pulumi.<name>.yaml in the work dir. */
  get stackFile(): string {
    return path.join(this.env.workDir, `Pulumi.${this.name}.yaml`);
  }

  /** Replaces the file's `config:` map, keeping its encryption salt and any `secure:` values not replaced. */
  writeConfig(config: Readonly<Record<string, unknown>>): void {
    const document = parseDocument(readFileSync(this.stackFile, "utf8"), YAML_AS_THE_CLI_READS_IT);
    const secure = Object.entries((document.toJS() as { config?: Record<string, unknown> }).config ?? {}).filter(
      ([key, value]) => !(key in config) && typeof value === "object" && value !== null && "secure" in value,
    );
    document.set("config", { ...config, ...Object.fromEntries(secure) });
    writeFileSync(this.stackFile, document.toString());
  }

  up(options: OperationOptions = {}): Promise<UpOperation> {
    return this.operation("up", async (onEvent) => {
      const result = await this.stack.up({ ...automationOptions(options), onEvent });
      return { stdout: result.stdout, stderr: result.stderr, summary: result.summary, outputs: result.outputs };
    });
  }

  preview(options: OperationOptions = {}): Promise<PreviewOperation> {
    return this.operation("preview", async (onEvent) => {
      const result = await this.stack.preview({ ...automationOptions(options), onEvent });
      return { stdout: result.stdout, stderr: result.stderr, changeSummary: result.changeSummary };
    });
  }

  refresh(options: Pick<OperationOptions, "expectNoChanges"> = {}): Promise<UpOperation> {
    return this.operation("refresh", async (onEvent) => {
      const result = await this.stack.refresh({ expectNoChanges: options.expectNoChanges, onEvent });
      return { stdout: result.stdout, stderr: result.stderr, summary: result.summary, outputs: {} };
    });
  }

  destroy(): Promise<UpOperation> {
    return this.operation("destroy", async (onEvent) => {
      const result = await this.stack.destroy({ onEvent });
      return { stdout: result.stdout, stderr: result.stderr, summary: result.summary, outputs: {} };
    });
  }

  /**
   * `pulumi <args> --stack <name>` run directly, the program served when the command runs it. For
   * `preview --json`, `import --file`, `stack export`, `cancel`, a run to kill, a README's command.
   */
  cli(args: readonly string[], options: Partial<CliRunOptions> = {}): Promise<CliRun> {
    return this.env.pulumi([...args, "--stack", this.name, "--non-interactive"], options);
  }

  /** `pulumi preview --json` with the program served, and the engine events of the same run. */
  async previewJson(args: readonly string[] = []): Promise<CliRun & { readonly document: unknown }> {
    const run = await this.cli(["preview", "--json", ...args], { program: this.program, events: true });
    let document: unknown;
    try {
      document = JSON.parse(run.stdout);
    } catch {
      throw new Error(`pulumi preview --json printed no JSON document (exit ${run.code}): ${run.stdout.slice(0, 400)} ${run.stderr.slice(0, 400)}`);
    }
    return { ...run, document };
  }

  /** `pulumi stack export`: the deployment as the CLI hands it out (secrets as ciphertext). */
  async exportState(): Promise<{ version: number; deployment: { resources?: { urn: string; type: string; id?: string; inputs?: Record<string, unknown>; outputs?: Record<string, unknown> }[] } & Record<string, unknown> }> {
    const run = await this.cli(["stack", "export"]);
    if (run.code !== 0) throw new Error(`pulumi stack export failed: ${run.stderr.trim()}`);
    return JSON.parse(run.stdout);
  }

  /** `pulumi cancel --yes`: unlocks the stack after a killed update. */
  async cancel(): Promise<CliRun> {
    return this.cli(["cancel", "--yes"]);
  }

  private async operation<T extends Omit<Operation, "events">>(name: string, run: (onEvent: (event: EngineEvent) => void) => Promise<T>): Promise<T & Operation> {
    const events: EngineEvent[] = [];
    try {
      const result = await run((event) => events.push(event));
      return { ...result, events };
    } catch (error) {
      if (!(error instanceof CommandError)) throw error;
      const { stdout, stderr, err } = (error as unknown as { commandResult: { stdout: string; stderr: string; err?: { exitCode?: number } } }).commandResult;
      throw new OperationFailed(name, events, stdout, stderr, err?.exitCode);
    }
  }
}

function automationOptions(options: OperationOptions) {
  return { policyPacks: options.policyPacks && [...options.policyPacks], policyPackConfigs: options.policyPackConfigs && [...options.policyPackConfigs], expectNoChanges: options.expectNoChanges };
}
