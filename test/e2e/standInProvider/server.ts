// The pulumirpc.ResourceProvider service: protocol in, protocol out, with the decisions and the GitLab
// calls left to check.ts, diff.ts, providerConfig.ts and the two resource modules. Everything the
// engine calls for the two resource types and the provider is here; the rest answers UNIMPLEMENTED.
// Every secret the plugin sees (the API token, secret inputs, token values) is remembered so that no
// error it returns can carry one.

import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { PluginInfo, type PluginAttach } from "@pulumi/pulumi/proto/plugin_pb";
import * as rpc from "@pulumi/pulumi/proto/provider_pb";
import { ResourceProviderService, type IResourceProviderServer } from "@pulumi/pulumi/proto/provider_grpc_pb";
import { check, type AutonamingRequest, type CheckFailure } from "./check";
import { diff, plan, type DiffKind } from "./diff";
import { GitLabClient, redact } from "./gitlabClient";
import { PLUGIN_VERSION, TYPES } from "./model";
import { packageSchema } from "./packageSchema";
import { createProjectAccessToken, deleteProjectAccessToken, readProjectAccessToken, updateProjectAccessToken } from "./projectAccessToken";
import { createProjectVariable, deleteProjectVariable, readProjectVariable, updateProjectVariable } from "./projectVariable";
import { secretStrings, withoutNulls, type WireMap } from "./propertyValues";
import { checkConfig, diffConfig, earlyAuthCheck, providerSettings } from "./providerConfig";
import type { ResourceContext } from "./resourceContext";

export interface ProviderServiceOptions {
  readonly now?: () => Date;
  readonly env?: NodeJS.ProcessEnv;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly deleteTimeoutMs?: number;
}

const KINDS: Record<DiffKind, rpc.PropertyDiff.Kind> = {
  ADD: rpc.PropertyDiff.Kind.ADD,
  ADD_REPLACE: rpc.PropertyDiff.Kind.ADD_REPLACE,
  DELETE: rpc.PropertyDiff.Kind.DELETE,
  DELETE_REPLACE: rpc.PropertyDiff.Kind.DELETE_REPLACE,
  UPDATE: rpc.PropertyDiff.Kind.UPDATE,
  UPDATE_REPLACE: rpc.PropertyDiff.Kind.UPDATE_REPLACE,
};

const AUTONAMING_MODES: Record<number, AutonamingRequest["mode"]> = {
  [rpc.CheckRequest.AutonamingOptions.Mode.PROPOSE]: "propose",
  [rpc.CheckRequest.AutonamingOptions.Mode.ENFORCE]: "enforce",
  [rpc.CheckRequest.AutonamingOptions.Mode.DISABLE]: "disable",
};

export function providerService(options: ProviderServiceOptions = {}): Partial<IResourceProviderServer> {
  const now = options.now ?? (() => new Date());
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const secrets = new Set<string>();
  const remember = (...values: unknown[]) => values.forEach((value) => secretStrings(value).forEach((s) => secrets.add(s)));
  let cancel = new AbortController();
  let configured: Promise<ResourceContext> | undefined;

  const context = (): Promise<ResourceContext> => configured ?? Promise.reject(new Error("the gitlab provider was used before Configure"));

  /** One RPC: errors become a failed call whose message names no secret. */
  function unary<Req, Res>(handler: (request: Req) => Promise<Res>): grpc.handleUnaryCall<Req, Res> {
    return (call, callback) => {
      handler(call.request).then(
        (response) => callback(null, response),
        (error: unknown) => callback({ code: grpc.status.UNKNOWN, details: redact(error instanceof Error ? error.message : String(error), secrets) }),
      );
    };
  }

  const resourceOps = (type: string) => {
    if (type === TYPES.projectAccessToken) return { create: createProjectAccessToken, read: readProjectAccessToken, update: updateProjectAccessToken, remove: deleteProjectAccessToken };
    if (type === TYPES.projectVariable) {
      return {
        create: createProjectVariable,
        read: readProjectVariable,
        update: (ctx: ResourceContext, _id: string, olds: WireMap, news: WireMap) => updateProjectVariable(ctx, olds, news),
        remove: (ctx: ResourceContext, _id: string, olds: WireMap) => deleteProjectVariable(ctx, olds),
      };
    }
    throw new Error(`the GitLab stand-in does not implement ${type}; it serves ${TYPES.projectAccessToken} and ${TYPES.projectVariable}`);
  };

  return {
    getPluginInfo: unary<Empty, PluginInfo>(async () => new PluginInfo().setVersion(PLUGIN_VERSION)),

    handshake: unary<rpc.ProviderHandshakeRequest, rpc.ProviderHandshakeResponse>(async () =>
      new rpc.ProviderHandshakeResponse().setAcceptSecrets(true).setAcceptResources(true).setAcceptOutputs(false).setSupportsAutonamingConfiguration(true),
    ),

    attach: unary<PluginAttach, Empty>(async () => new Empty()),

    getSchema: unary<rpc.GetSchemaRequest, rpc.GetSchemaResponse>(async () => new rpc.GetSchemaResponse().setSchema(JSON.stringify(packageSchema()))),

    checkConfig: unary<rpc.CheckRequest, rpc.CheckResponse>(async (request) => {
      const news = map(request.getNews());
      remember(news);
      const { inputs, failures } = checkConfig(news);
      return new rpc.CheckResponse().setInputs(struct(inputs)).setFailuresList(failures.map(failure));
    }),

    diffConfig: unary<rpc.DiffRequest, rpc.DiffResponse>(async (request) => {
      const changed = diffConfig(map(request.getOlds()), map(request.getNews()));
      const response = new rpc.DiffResponse()
        .setChanges(changed.length > 0 ? rpc.DiffResponse.DiffChanges.DIFF_SOME : rpc.DiffResponse.DiffChanges.DIFF_NONE)
        .setDiffsList(changed)
        .setHasdetaileddiff(true);
      for (const key of changed) response.getDetaileddiffMap().set(key, new rpc.PropertyDiff().setKind(rpc.PropertyDiff.Kind.UPDATE).setInputdiff(true));
      return response;
    }),

    configure: unary<rpc.ConfigureRequest, rpc.ConfigureResponse>(async (request) => {
      const args = map(request.getArgs());
      remember(args);
      const variables: Record<string, string> = {};
      request.getVariablesMap().forEach((value, key) => (variables[key] = value));
      const settings = providerSettings(args, variables, options.env ?? process.env);
      if (settings.client.token) secrets.add(settings.client.token);
      const client = new GitLabClient({ ...settings.client, secrets: () => secrets, signal: cancel.signal, sleep });
      const ready = (async (): Promise<ResourceContext> => {
        if (settings.earlyAuthCheck) await earlyAuthCheck(client);
        return { client, now, sleep, deleteTimeoutMs: options.deleteTimeoutMs ?? 5 * 60_000 };
      })();
      configured = ready;
      await ready;
      return new rpc.ConfigureResponse().setAcceptsecrets(true).setSupportspreview(true).setAcceptresources(true).setAcceptoutputs(false).setSupportsAutonamingConfiguration(true);
    }),

    check: unary<rpc.CheckRequest, rpc.CheckResponse>(async (request) => {
      const olds = map(request.getOlds());
      const news = map(request.getNews());
      remember(olds, news);
      const autonaming = request.getAutonaming();
      const result = check({
        type: typeOf(request),
        name: nameOf(request),
        olds,
        news,
        randomSeed: request.getRandomseed_asU8(),
        ...(autonaming ? { autonaming: { proposedName: autonaming.getProposedName(), mode: AUTONAMING_MODES[autonaming.getMode()] ?? "propose" } } : {}),
      });
      return new rpc.CheckResponse().setInputs(struct(result.inputs)).setFailuresList(result.failures.map(failure));
    }),

    diff: unary<rpc.DiffRequest, rpc.DiffResponse>(async (request) => {
      const ctx = await context();
      const prior = map(request.getOlds());
      const config = map(request.getNews());
      remember(prior, config);
      const result = diff({ type: typeOf(request), prior, config, now: ctx.now(), ignoreChanges: request.getIgnorechangesList() });
      const response = new rpc.DiffResponse()
        .setChanges(result.changed ? rpc.DiffResponse.DiffChanges.DIFF_SOME : rpc.DiffResponse.DiffChanges.DIFF_NONE)
        .setReplacesList([...result.replaces])
        .setDiffsList([...result.diffs])
        .setDeletebeforereplace(false)
        .setHasdetaileddiff(true);
      for (const [key, kind] of Object.entries(result.detailedDiff)) response.getDetaileddiffMap().set(key, new rpc.PropertyDiff().setKind(KINDS[kind]).setInputdiff(true));
      return response;
    }),

    create: unary<rpc.CreateRequest, rpc.CreateResponse>(async (request) => {
      const ctx = await context();
      const inputs = map(request.getProperties());
      remember(inputs);
      const type = typeOf(request);
      if (request.getPreview()) {
        const { planned } = plan({ type, config: inputs, now: ctx.now() });
        return new rpc.CreateResponse().setId("").setProperties(struct(planned));
      }
      const created = await resourceOps(type).create(ctx, inputs);
      remember(created.outputs);
      return new rpc.CreateResponse().setId(created.id).setProperties(struct(created.outputs));
    }),

    read: unary<rpc.ReadRequest, rpc.ReadResponse>(async (request) => {
      const ctx = await context();
      const state = map(request.getProperties());
      const oldInputs = request.getInputs() ? map(request.getInputs()) : undefined;
      remember(state, oldInputs);
      const read = await resourceOps(typeOf(request)).read(ctx, request.getId(), state, oldInputs);
      // An empty ID tells the engine the resource is gone: a refresh drops it, an import fails.
      if (!read) return new rpc.ReadResponse().setId("");
      remember(read.outputs, read.inputs);
      return new rpc.ReadResponse().setId(read.id).setProperties(struct(read.outputs)).setInputs(struct(read.inputs));
    }),

    update: unary<rpc.UpdateRequest, rpc.UpdateResponse>(async (request) => {
      const ctx = await context();
      const olds = map(request.getOlds());
      const news = map(request.getNews());
      remember(olds, news);
      const type = typeOf(request);
      if (request.getPreview()) {
        const { planned } = plan({ type, prior: olds, config: news, now: ctx.now(), ignoreChanges: request.getIgnorechangesList() });
        return new rpc.UpdateResponse().setProperties(struct(planned));
      }
      const outputs = await resourceOps(type).update(ctx, request.getId(), olds, news);
      remember(outputs);
      return new rpc.UpdateResponse().setProperties(struct(outputs));
    }),

    delete: unary<rpc.DeleteRequest, Empty>(async (request) => {
      const ctx = await context();
      const olds = map(request.getProperties());
      remember(olds);
      await resourceOps(typeOf(request)).remove(ctx, request.getId(), olds);
      return new Empty();
    }),

    cancel: unary<Empty, Empty>(async () => {
      // Stop in-flight GitLab calls; later calls get a fresh signal only after a new Configure.
      cancel.abort();
      cancel = new AbortController();
      return new Empty();
    }),
  };
}

/** Starts the service on 127.0.0.1 (port chosen by the OS) and returns the port. */
export function startServer(options: ProviderServiceOptions = {}): Promise<{ port: number; server: grpc.Server }> {
  const server = new grpc.Server();
  server.addService(ResourceProviderService, providerService(options) as IResourceProviderServer);
  return new Promise((resolve, reject) => {
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, port) => (error ? reject(error) : resolve({ port, server })));
  });
}

function map(value: Struct | undefined): WireMap {
  return (value?.toJavaScript() ?? {}) as WireMap;
}

function struct(value: WireMap): Struct {
  return Struct.fromJavaScript(withoutNulls(value) as Parameters<typeof Struct.fromJavaScript>[0]);
}

function failure(f: CheckFailure): rpc.CheckFailure {
  return new rpc.CheckFailure().setProperty(f.property).setReason(f.reason);
}

function typeOf(request: { getType(): string; getUrn(): string }): string {
  return request.getType() || (request.getUrn().split("::")[2] ?? "").split("$").pop() || "";
}

function nameOf(request: { getName(): string; getUrn(): string }): string {
  return request.getName() || (request.getUrn().split("::")[3] ?? "");
}
