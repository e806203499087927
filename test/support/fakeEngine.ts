/**
 * A fake Pulumi engine + resource monitor, for loading a Pulumi program
 * through the real `@pulumi/pulumi/cmd/run` without the Pulumi CLI.
 *
 * One grpc-js server on 127.0.0.1 serves both `pulumirpc.ResourceMonitor`
 * and `pulumirpc.Engine`; pass `address` as both `--monitor` and `--engine`.
 * It records what the program registers, logs and invokes, and answers just
 * enough, the way the real engine would, for the SDK to run to completion.
 * Any RPC it does not implement gets UNIMPLEMENTED, so nothing can hang on it.
 */
import { createRequire } from "node:module";
import { asSecretValue, isSecretValue } from "../../lib/evaluation/secretValue";

// Types only: all of them are erased at run time. @grpc/grpc-js is not a
// direct dependency; its types resolve because @pulumi/pulumi's own .d.ts
// files need them too.
import type * as GrpcModule from "@grpc/grpc-js";
import type * as EngineGrpcModule from "@pulumi/pulumi/proto/engine_grpc_pb";
import type * as EnginePbModule from "@pulumi/pulumi/proto/engine_pb";
import type * as ResourceGrpcModule from "@pulumi/pulumi/proto/resource_grpc_pb";
import type * as ResourcePbModule from "@pulumi/pulumi/proto/resource_pb";
import type * as EmptyPbModule from "google-protobuf/google/protobuf/empty_pb";
import type * as StructPbModule from "google-protobuf/google/protobuf/struct_pb";

// Load everything the way @pulumi/pulumi itself resolves it. The generated
// service definitions check every message with `instanceof`, so the classes
// we build must come from the very same module instances they use.
const pulumiRequire = createRequire(require.resolve("@pulumi/pulumi"));
const grpc = pulumiRequire("@grpc/grpc-js") as typeof GrpcModule;
const resourceGrpc = pulumiRequire("./proto/resource_grpc_pb") as typeof ResourceGrpcModule;
const resourcePb = pulumiRequire("./proto/resource_pb") as typeof ResourcePbModule;
const engineGrpc = pulumiRequire("./proto/engine_grpc_pb") as typeof EngineGrpcModule;
const enginePb = pulumiRequire("./proto/engine_pb") as typeof EnginePbModule;
const emptyPb = pulumiRequire("google-protobuf/google/protobuf/empty_pb") as typeof EmptyPbModule;
const structPb = pulumiRequire("google-protobuf/google/protobuf/struct_pb") as typeof StructPbModule;

/** The type the SDK registers the implicit root stack resource with. */
const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";
/** What the engine sends for a value not known until the update (previews only). */
const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

const TOKEN_TYPE = "gitlab:index/projectAccessToken:ProjectAccessToken";

/**
 * What the monitor answers to `SupportsFeature`; anything not listed is
 * false. The 3.248 SDK asks for all of these in `awaitFeatureSupport`
 * (runtime/settings.js). True only where the answer merely shapes a request
 * field we record. The rest need machinery this fake does not have (a
 * callback server, package registration), or, for outputValues, would turn
 * plain inputs into Output wrappers that are harder to assert on. The SDK
 * fails loudly if a program needs one of them.
 */
const FEATURES: Readonly<Record<string, boolean>> = {
  secrets: true,
  resourceReferences: true,
  deletedWith: true,
  replaceWith: true,
  aliasSpecs: true,
  outputValues: false,
  transforms: false,
  invokeTransforms: false,
  parameterization: false,
  resourceHooks: false,
  errorHooks: false,
};

export interface Registration {
  urn: string;
  type: string;
  name: string;
  parent: string;
  custom: boolean;
  remote: boolean;
  /** Provider reference `<provider urn>::<provider id>`, "" for none (the default provider). */
  provider: string;
  /** Per-package provider references (component resources). */
  providers: Record<string, string>;
  version: string;
  pluginDownloadURL: string;
  /** The serialized inputs as plain JS; secrets stay wrapped in their wire form. */
  inputs: Record<string, unknown>;
  dependencies: string[];
  propertyDependencies: Record<string, string[]>;
  additionalSecretOutputs: string[];
  /** undefined when the program did not set the option. */
  deleteBeforeReplace: boolean | undefined;
  protect: boolean | undefined;
  retainOnDelete: boolean | undefined;
  ignoreChanges: string[];
  replaceOnChanges: string[];
  aliasCount: number;
  importId: string;
  deletedWith: string;
  /** The id we answered with ("" for components and for custom resources in a preview). */
  id: string;
}

export interface LogEntry {
  severity: "debug" | "info" | "warning" | "error";
  message: string;
  urn: string;
}

export interface RecordedCall {
  /** The monitor RPC, e.g. "invoke", "call", "readResource". */
  rpc: string;
  tok: string;
  args: Record<string, unknown>;
}

export interface FakeEngineOptions {
  /** Used to build URNs; pass what the program gets as --project / --stack. */
  project?: string;
  stack?: string;
  /** Answer like `pulumi preview` does (pass --dry-run to the program too). */
  preview?: boolean;
}

export interface FakeEngine {
  /** host:port of the single server; use it for both --monitor and --engine. */
  address: string;
  registrations: Registration[];
  logs: LogEntry[];
  /** Provider functions the program tried to call (invoke / call / readResource): all refused. */
  invokes: RecordedCall[];
  /** Every RPC received, in order, including unimplemented ones (handy when debugging). */
  calls: string[];
  /** The root stack's outputs (wire form: secrets stay wrapped), or undefined if never registered. */
  stackOutputs(): Record<string, unknown> | undefined;
  /** Outputs registered with RegisterResourceOutputs, by URN. */
  outputsByUrn: Map<string, Record<string, unknown>>;
  stop(): Promise<void>;
}

/** A failure to send back as a gRPC status instead of a response. */
class RpcError extends Error {
  constructor(
    readonly code: GrpcModule.status,
    message: string,
  ) {
    super(message);
  }
}

type Unary<Req, Res> = (request: Req) => Res | Promise<Res>;

export async function startFakeEngine(options: FakeEngineOptions = {}): Promise<FakeEngine> {
  const project = options.project ?? "project";
  const stack = options.stack ?? "stack";
  const preview = options.preview ?? false;

  const registrations: Registration[] = [];
  const logs: LogEntry[] = [];
  const invokes: RecordedCall[] = [];
  const calls: string[] = [];
  const outputsByUrn = new Map<string, Record<string, unknown>>();
  const byUrn = new Map<string, Registration>();
  let rootUrn = "";
  let nextId = 1;

  // Turns a handler into a grpc-js unary handler that records the call and
  // maps thrown errors to gRPC statuses (a bug in here must not hang the child).
  function unary<Req, Res>(rpc: string, handler: Unary<Req, Res>): GrpcModule.handleUnaryCall<Req, Res> {
    return (call, callback) => {
      calls.push(rpc);
      Promise.resolve()
        .then(() => handler(call.request))
        .then(
          (response) => callback(null, response),
          (err: unknown) => {
            const code = err instanceof RpcError ? err.code : grpc.status.INTERNAL;
            callback({ code, details: `fake engine: ${rpc}: ${String((err as Error)?.message ?? err)}` });
          },
        );
    };
  }

  // The urn the engine gives a resource (resource.NewURN): the parent's type
  // qualifies the child's, except when the parent is the root stack.
  function makeUrn(type: string, name: string, parent: string): string {
    let qualifiedType = type;
    if (parent !== "") {
      const parentType = parent.split("::")[2] ?? "";
      if (parentType !== ROOT_STACK_TYPE) qualifiedType = `${parentType}$${type}`;
    }
    return `urn:pulumi:${stack}::${project}::${qualifiedType}::${name}`;
  }

  const toObject = (s: StructPbModule.Struct | undefined): Record<string, unknown> =>
    (s?.toJavaScript() ?? {}) as Record<string, unknown>;
  const secret = asSecretValue;
  const isSecret = isSecretValue;

  function refuse(rpc: string, tok: string, args: Record<string, unknown>): never {
    invokes.push({ rpc, tok, args });
    throw new RpcError(grpc.status.FAILED_PRECONDITION, `refusing ${tok}: this program must not call provider functions`);
  }

  const monitor: Partial<GrpcModule.UntypedServiceImplementation> = {
    supportsFeature: unary("supportsFeature", (req: ResourcePbModule.SupportsFeatureRequest) =>
      new resourcePb.SupportsFeatureResponse().setHassupport(FEATURES[req.getId()] ?? false),
    ),

    registerResource: unary("registerResource", (req: ResourcePbModule.RegisterResourceRequest) => {
      const type = req.getType();
      const name = req.getName();
      const parent = req.getParent();
      const custom = req.getCustom();
      const urn = makeUrn(type, name, parent);

      // Two checks the real engine makes that a program can easily trip.
      if (byUrn.has(urn)) {
        throw new RpcError(grpc.status.INVALID_ARGUMENT, `Duplicate resource URN '${urn}'; try giving it a unique name`);
      }
      const provider = req.getProvider();
      if (provider !== "") {
        const providerUrn = provider.slice(0, provider.lastIndexOf("::"));
        if (!byUrn.get(providerUrn)?.type.startsWith("pulumi:providers:")) {
          throw new RpcError(grpc.status.INVALID_ARGUMENT, `unknown provider '${provider}' for ${urn}`);
        }
      }

      const isProvider = type.startsWith("pulumi:providers:");
      // In a preview new resources have no id yet; new providers get the unknown id.
      const id = !custom ? "" : !preview ? `fake-id-${nextId++}` : isProvider ? UNKNOWN_VALUE : "";

      const propertyDependencies: Record<string, string[]> = {};
      req.getPropertydependenciesMap().forEach((deps, key) => {
        propertyDependencies[key] = deps.getUrnsList();
      });
      const providers: Record<string, string> = {};
      req.getProvidersMap().forEach((ref, pkg) => {
        providers[pkg] = ref;
      });

      const inputs = toObject(req.getObject());
      const registration: Registration = {
        urn,
        type,
        name,
        parent,
        custom,
        remote: req.getRemote(),
        provider,
        providers,
        version: req.getVersion(),
        pluginDownloadURL: req.getPlugindownloadurl(),
        inputs,
        dependencies: req.getDependenciesList(),
        propertyDependencies,
        additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
        deleteBeforeReplace: req.getDeletebeforereplacedefined() ? req.getDeletebeforereplace() : undefined,
        protect: req.getProtect(),
        retainOnDelete: req.getRetainondelete(),
        ignoreChanges: req.getIgnorechangesList(),
        replaceOnChanges: req.getReplaceonchangesList(),
        aliasCount: req.getAliasesList().length + req.getAliasurnsList().length,
        importId: req.getImportid(),
        deletedWith: req.getDeletedwith(),
        id,
      };
      registrations.push(registration);
      byUrn.set(urn, registration);

      // Outputs: the inputs echoed back, as a provider that computes nothing would.
      const outputs: Record<string, unknown> = { ...inputs };
      if (type === TOKEN_TYPE) {
        // The provider computes the token; its schema marks it secret, so the
        // engine hands it back wrapped as a secret.
        outputs.token = secret(preview ? UNKNOWN_VALUE : `glpat-fake-${name}`);
      }
      for (const key of registration.additionalSecretOutputs) {
        if (key in outputs && !isSecret(outputs[key])) outputs[key] = secret(outputs[key]);
      }

      return new resourcePb.RegisterResourceResponse()
        .setUrn(urn)
        .setId(id)
        .setObject(structPb.Struct.fromJavaScript(outputs as Record<string, StructPbModule.JavaScriptValue>))
        .setResult(resourcePb.Result.SUCCESS);
    }),

    // The SDK registers the stack's outputs this way, on the root stack resource.
    registerResourceOutputs: unary("registerResourceOutputs", (req: ResourcePbModule.RegisterResourceOutputsRequest) => {
      const urn = req.getUrn();
      if (!byUrn.has(urn)) throw new RpcError(grpc.status.NOT_FOUND, `unknown resource ${urn}`);
      outputsByUrn.set(urn, toObject(req.getOutputs()));
      return new emptyPb.Empty();
    }),

    invoke: unary("invoke", (req: ResourcePbModule.ResourceInvokeRequest) =>
      refuse("invoke", req.getTok(), toObject(req.getArgs())),
    ),
    call: unary("call", (req: ResourcePbModule.ResourceCallRequest) => refuse("call", req.getTok(), toObject(req.getArgs()))),
    readResource: unary("readResource", (req: ResourcePbModule.ReadResourceRequest) =>
      refuse("readResource", req.getType(), toObject(req.getProperties())),
    ),

    // Called once the program's event loop drains; nothing to wait for here.
    signalAndWaitForShutdown: unary("signalAndWaitForShutdown", () => new emptyPb.Empty()),
  };

  const engine: Partial<GrpcModule.UntypedServiceImplementation> = {
    log: unary("log", (req: EnginePbModule.LogRequest) => {
      const severities = ["debug", "info", "warning", "error"] as const;
      logs.push({ severity: severities[req.getSeverity()] ?? "error", message: req.getMessage(), urn: req.getUrn() });
      return new emptyPb.Empty();
    }),
    getRootResource: unary("getRootResource", () => new enginePb.GetRootResourceResponse().setUrn(rootUrn)),
    setRootResource: unary("setRootResource", (req: EnginePbModule.SetRootResourceRequest) => {
      rootUrn = req.getUrn();
      return new enginePb.SetRootResourceResponse();
    }),
    // We do not know which CLI the real run will use; accept any range.
    requirePulumiVersion: unary("requirePulumiVersion", () => new enginePb.RequirePulumiVersionResponse()),
  };

  // Every method of a service gets a handler: ours, or one that records the
  // call and answers UNIMPLEMENTED (the SDK treats that as "not supported").
  function implement(
    service: GrpcModule.ServiceDefinition,
    handlers: Partial<GrpcModule.UntypedServiceImplementation>,
  ): GrpcModule.UntypedServiceImplementation {
    const implementation: GrpcModule.UntypedServiceImplementation = {};
    for (const [method, definition] of Object.entries(service)) {
      const handler = handlers[method];
      if (handler) {
        implementation[method] = handler;
      } else if (!definition.requestStream && !definition.responseStream) {
        implementation[method] = unary(method, () => {
          throw new RpcError(grpc.status.UNIMPLEMENTED, "not implemented by the fake engine");
        });
      } // Streaming methods (none today) fall back to grpc-js's own UNIMPLEMENTED handler.
    }
    return implementation;
  }

  const server = new grpc.Server({ "grpc.max_receive_message_length": 400 * 1024 * 1024 });
  server.addService(resourceGrpc.ResourceMonitorService, implement(resourceGrpc.ResourceMonitorService, monitor));
  server.addService(engineGrpc.EngineService, implement(engineGrpc.EngineService, engine));
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, boundPort) =>
      err ? reject(err) : resolve(boundPort),
    ),
  );

  return {
    address: `127.0.0.1:${port}`,
    registrations,
    logs,
    invokes,
    calls,
    outputsByUrn,
    stackOutputs() {
      const root = registrations.find((r) => r.type === ROOT_STACK_TYPE && r.parent === "");
      return root ? outputsByUrn.get(root.urn) : undefined;
    },
    stop() {
      // Graceful first; a client that never lets go must not hang the test.
      return new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, 2000);
        server.tryShutdown(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    },
  };
}
