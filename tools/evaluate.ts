// Evaluates the real program (infra/index.ts) under the Pulumi SDK's mock runtime and records what it
// registers: every resource with its inputs and options, the warnings it logs and its outputs. Used by
// `npm run plan` and by the tests, so both see exactly what `pulumi preview` would send to the engine.

import * as pulumi from "@pulumi/pulumi";
import type { Clock } from "../config/clock";
import { GITLAB_TYPES } from "../infra/gitlab/wire";
import pushTokenStack = require("../infra/index");

export { isSecretValue, plainValue } from "./secretValue";

export interface Registration {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly custom: boolean;
  /** Inputs as the engine would receive them; secret values stay wrapped (see `isSecretValue`). */
  readonly inputs: Record<string, unknown>;
  /** Provider reference, `<provider urn>::<id>`, for custom resources. */
  readonly provider: string;
  readonly parent: string;
  readonly version: string;
  readonly deleteBeforeReplace: boolean;
  readonly additionalSecretOutputs: readonly string[];
  readonly replaceOnChanges: readonly string[];
  readonly ignoreChanges: readonly string[];
  readonly protect: boolean;
  readonly retainOnDelete: boolean;
}

export interface Evaluation {
  readonly registrations: readonly Registration[];
  /** Messages the program logged with pulumi.log.warn. */
  readonly warnings: readonly string[];
  /** The program's stack outputs; undefined when it failed. */
  readonly outputs?: ReturnType<typeof pushTokenStack>;
  /** The program's error message (a validation error), when it failed. */
  readonly error?: string;
  /** The error the program threw, as `pulumi up`'s cmd/run would receive it. */
  readonly thrown?: Error;
  /** Provider function calls (lookups); the program makes none. */
  readonly invokes: readonly string[];
}

export interface EvaluateOptions {
  readonly config: Record<string, string>;
  readonly secretKeys?: readonly string[];
  readonly project?: string;
  readonly stack?: string;
  readonly clock: Clock;
  /** The value the mock provider returns as a generation's token; a fake derived from its name by default. */
  readonly tokenValue?: (generationName: string) => string;
}

// The runtime keeps its state in globals: evaluations must not overlap.
let running: Promise<unknown> = Promise.resolve();

export function evaluateStack(options: EvaluateOptions): Promise<Evaluation> {
  const result = running.then(() => evaluateOnce(options));
  running = result.catch(() => undefined);
  return result;
}

async function evaluateOnce(options: EvaluateOptions): Promise<Evaluation> {
  const project = options.project ?? "gitlab-push-tokens";
  const tokenValue = options.tokenValue ?? ((name: string) => `fake-token-of(${name})`);
  const inputsByUrn = new Map<string, { custom: boolean; inputs: Record<string, unknown> }>();
  const registrations: Registration[] = [];
  const invokes: string[] = [];
  const urnOf = (type: string, name: string) => `${type}::${name}`;

  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        inputsByUrn.set(urnOf(args.type, args.name), { custom: args.custom ?? false, inputs: args.inputs });
        const state = { ...args.inputs };
        if (args.type === GITLAB_TYPES.projectAccessToken) state.token = tokenValue(args.name);
        return { id: args.custom ? `${args.name}_id` : undefined, state };
      },
      call(args) {
        invokes.push(args.token);
        return {};
      },
    },
    project,
    options.stack ?? "dev",
  );
  pulumi.runtime.setAllConfig(options.config, [...(options.secretKeys ?? [])]);
  recordResourceOptions((request, urn) => {
    const recorded = inputsByUrn.get(urnOf(request.getType(), request.getName()));
    registrations.push({
      urn,
      type: request.getType(),
      name: request.getName(),
      custom: recorded?.custom ?? request.getCustom(),
      inputs: recorded?.inputs ?? {},
      provider: request.getProvider(),
      parent: request.getParent(),
      version: request.getVersion(),
      deleteBeforeReplace: request.getDeletebeforereplace(),
      additionalSecretOutputs: request.getAdditionalsecretoutputsList(),
      replaceOnChanges: request.getReplaceonchangesList(),
      ignoreChanges: request.getIgnorechangesList(),
      protect: request.getProtect() ?? false,
      retainOnDelete: request.getRetainondelete() ?? false,
    });
  });

  const warnings: string[] = [];
  const restoreConsole = captureRuntimeWarnings(warnings);
  try {
    const outputs = pushTokenStack(options.clock);
    await pulumi.runtime.disconnect();
    return { registrations, warnings, outputs, invokes };
  } catch (error) {
    await pulumi.runtime.disconnect();
    if (!(error instanceof pulumi.RunError)) throw error;
    return { registrations, warnings, error: error.message, thrown: error, invokes };
  } finally {
    restoreConsole();
  }
}

type RegisterRequest = {
  getType(): string;
  getName(): string;
  getCustom(): boolean;
  getProvider(): string;
  getParent(): string;
  getVersion(): string;
  getDeletebeforereplace(): boolean;
  getAdditionalsecretoutputsList(): string[];
  getReplaceonchangesList(): string[];
  getIgnorechangesList(): string[];
  getProtect(): boolean | undefined;
  getRetainondelete(): boolean | undefined;
};
type Callback = (error: unknown, response?: { getUrn(): string }) => void;

// Resource options are not part of what mocks see (pulumi/pulumi#14421), so read them off the
// request on its way to the mock monitor, and the URN off the monitor's answer.
function recordResourceOptions(record: (request: RegisterRequest, urn: string) => void): void {
  const monitor = pulumi.runtime.getMonitor() as unknown as { registerResource(request: RegisterRequest, callback: Callback): void };
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (request, callback) =>
    register(request, (error, response) => {
      if (!error && response) record(request, response.getUrn());
      callback(error, response);
    });
}

// Without an engine the SDK prints pulumi.log.warn messages to the console with this prefix.
const RUNTIME_WARNING = "warning: [runtime] ";

function captureRuntimeWarnings(into: string[]): () => void {
  const original = console.warn;
  console.warn = (...args: unknown[]) => {
    const text = args.map(String).join(" ");
    if (text.startsWith(RUNTIME_WARNING)) into.push(text.slice(RUNTIME_WARNING.length));
    else original(...args);
  };
  return () => {
    console.warn = original;
  };
}
