// Evaluates the real program (infra/index.ts) under the Pulumi SDK's mock runtime and records what it
// registers: every resource with its inputs and options, the warnings it logs and its outputs. Used by
// `npm run plan` and by the tests, so both see exactly what `pulumi preview` would send to the engine.

import { performance } from "node:perf_hooks";
import * as pulumi from "@pulumi/pulumi";
import type { Clock } from "../../config/clock";
import { GITLAB_TYPES } from "../../infra/gitlab/wire";
import pushTokenStack = require("../../infra/index");

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
  /** Former identities: an alias by name (same type and parent) or by full URN. */
  readonly aliases: readonly RegisteredAlias[];
  readonly protect: boolean;
  readonly retainOnDelete: boolean;
  /** URNs of the resources the inputs were computed from, as the SDK sends them (what the engine hands policies). */
  readonly dependencies: readonly string[];
  /** The same, per input that has any. */
  readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
}

export type RegisteredAlias = { readonly name: string } | { readonly urn: string };

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
  /** Called after each registration with how many there are so far (for progress on a terminal). */
  readonly onRegistration?: (registered: number) => void;
  /** The project's folder, where a declaration file (pushTokensFile) is read from; the working directory by default. */
  readonly root?: string;
}

/** How to run any program under the mocks: `evaluateProgram` (the benchmark runs its baseline this way). */
export interface ProgramRunOptions {
  readonly config: Record<string, string>;
  readonly secretKeys?: readonly string[];
  readonly project: string;
  readonly stack: string;
  /** The value the mock provider returns as a generation's token. */
  readonly tokenValue: (generationName: string) => string;
  /** Called after each registration with how many there are so far. */
  readonly onRegistration?: (registered: number) => void;
}

export interface ProgramRun {
  readonly registrations: readonly Registration[];
  /** Messages logged with pulumi.log.warn. */
  readonly warnings: readonly string[];
  /** Every lookup that reached the monitor: invokes (by function token) and reads (`read:<type>`). */
  readonly invokes: readonly string[];
  /** What the program returned; undefined when it threw. */
  readonly outputs: unknown;
  /** What the program threw, if it did. */
  readonly thrown?: unknown;
  /** Milliseconds from calling the program until the last registration has been answered. */
  readonly elapsedMs: number;
  /** CPU time (user + system) over the same interval, ms: steadier than wall time on a shared machine. */
  readonly cpuMs: number;
}

// The runtime keeps its state in globals: evaluations must not overlap.
let running: Promise<unknown> = Promise.resolve();

/** Evaluates the real program, one evaluation at a time. */
export function evaluateStack(options: EvaluateOptions): Promise<Evaluation> {
  const result = running.then(() => evaluateOnce(options));
  running = result.catch(() => undefined);
  return result;
}

async function evaluateOnce(options: EvaluateOptions): Promise<Evaluation> {
  const run = await evaluateProgram(
    {
      config: options.config,
      secretKeys: options.secretKeys,
      project: options.project ?? "gitlab-push-tokens",
      stack: options.stack ?? "dev",
      tokenValue: options.tokenValue ?? ((name: string) => `fake-token-of(${name})`),
      ...(options.onRegistration && { onRegistration: options.onRegistration }),
    },
    () => pushTokenStack(options.clock, options.root),
  );
  const { registrations, warnings, invokes } = run;
  if (run.thrown === undefined) return { registrations, warnings, invokes, outputs: run.outputs as ReturnType<typeof pushTokenStack> };
  if (!(run.thrown instanceof pulumi.RunError)) throw run.thrown;
  return { registrations, warnings, invokes, error: run.thrown.message, thrown: run.thrown };
}

/**
 * Runs `program` once under the mocks and records every registration with its options, the warnings
 * it logs and the lookups it makes, timing it from the call until the last registration is answered.
 * Callers must not overlap runs (the runtime's state is global).
 */
export async function evaluateProgram(options: ProgramRunOptions, program: () => unknown): Promise<ProgramRun> {
  const inputsByUrn = new Map<string, { custom: boolean; inputs: Record<string, unknown> }>();
  const registrations: Registration[] = [];
  const invokes: string[] = [];
  const urnOf = (type: string, name: string) => `${type}::${name}`;

  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        inputsByUrn.set(urnOf(args.type, args.name), { custom: args.custom ?? false, inputs: args.inputs });
        const state = { ...args.inputs };
        if (args.type === GITLAB_TYPES.projectAccessToken) state.token = options.tokenValue(args.name);
        return { id: args.custom ? `${args.name}_id` : undefined, state };
      },
      call() {
        return {};
      },
    },
    options.project,
    options.stack,
  );
  pulumi.runtime.setAllConfig(options.config, [...(options.secretKeys ?? [])]);
  const monitor = pulumi.runtime.getMonitor() as unknown as Monitor;
  recordResourceOptions(monitor, (request, urn) => {
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
      aliases: request.getAliasesList().map((alias) => (alias.hasSpec() ? { name: alias.getSpec()!.getName() } : { urn: alias.getUrn() })),
      protect: request.getProtect() ?? false,
      retainOnDelete: request.getRetainondelete() ?? false,
      dependencies: request.getDependenciesList(),
      propertyDependencies: propertyDependenciesOf(request),
    });
    options.onRegistration?.(registrations.length);
  });
  // Counted at the monitor rather than in mocks.call, so lookups the mocks answer themselves
  // (pulumi:pulumi:getResource) and resource reads count too.
  recordLookups(monitor, invokes);

  const warnings: string[] = [];
  const restoreConsole = captureRuntimeWarnings(warnings);
  const started = performance.now();
  const cpuAtStart = process.cpuUsage();
  let outputs: unknown;
  let thrown: unknown;
  try {
    outputs = program();
  } catch (error) {
    thrown = error;
  }
  try {
    await pulumi.runtime.disconnect();
  } finally {
    restoreConsole();
  }
  const cpu = process.cpuUsage(cpuAtStart);
  const elapsedMs = performance.now() - started;
  return { registrations, warnings, invokes, outputs, ...(thrown !== undefined && { thrown }), elapsedMs, cpuMs: (cpu.user + cpu.system) / 1000 };
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
  getAliasesList(): { hasSpec(): boolean; getSpec(): { getName(): string } | undefined; getUrn(): string }[];
  getProtect(): boolean | undefined;
  getRetainondelete(): boolean | undefined;
  getDependenciesList(): string[];
  getPropertydependenciesMap(): { forEach(visit: (dependencies: { getUrnsList(): string[] }, key: string) => void): void };
};

function propertyDependenciesOf(request: RegisterRequest): Record<string, string[]> {
  const byProperty: Record<string, string[]> = {};
  request.getPropertydependenciesMap().forEach((dependencies, key) => {
    if (dependencies.getUrnsList().length > 0) byProperty[key] = dependencies.getUrnsList();
  });
  return byProperty;
}
type Callback<R> = (error: unknown, response?: R) => void;
interface Monitor {
  registerResource(request: RegisterRequest, callback: Callback<{ getUrn(): string }>): void;
  invoke(request: { getTok(): string }, callback: Callback<unknown>): void;
  readResource(request: { getType(): string }, callback: Callback<unknown>): void;
}

// Resource options are not part of what mocks see (pulumi/pulumi#14421), so read them off the
// request on its way to the mock monitor, and the URN off the monitor's answer.
function recordResourceOptions(monitor: Monitor, record: (request: RegisterRequest, urn: string) => void): void {
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (request, callback) =>
    register(request, (error, response) => {
      if (!error && response) record(request, response.getUrn());
      callback(error, response);
    });
}

function recordLookups(monitor: Monitor, into: string[]): void {
  const invoke = monitor.invoke.bind(monitor);
  monitor.invoke = (request, callback) => {
    into.push(request.getTok());
    invoke(request, callback);
  };
  const read = monitor.readResource.bind(monitor);
  monitor.readResource = (request, callback) => {
    into.push(`read:${request.getType()}`);
    read(request, callback);
  };
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
