// Test helper: runs the packaged stand-in as the engine does (its executable, one argument, the port on
// stdout) and talks to it with a pulumirpc.ResourceProvider gRPC client, in plain JavaScript values.

import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import type { PluginInfo } from "@pulumi/pulumi/proto/plugin_pb";
import * as rpc from "@pulumi/pulumi/proto/provider_pb";
import { ResourceProviderClient } from "@pulumi/pulumi/proto/provider_grpc_pb";
import { buildStandInProviderPackage, STAND_IN_EXECUTABLE } from "./pluginPackage";
import { TYPES } from "./model";
import type { WireMap } from "./propertyValues";

export interface RunningPlugin {
  readonly client: ResourceProviderClient;
  readonly rpc: ReturnType<typeof providerRpc>;
  /** Everything the plugin wrote to stderr so far. */
  stderr(): string;
  stop(): Promise<void>;
}

export async function startPlugin(env: Readonly<Record<string, string>> = {}): Promise<RunningPlugin> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "standin-plugin-"));
  await buildStandInProviderPackage(dir, { nodePath: process.execPath });
  const base = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("GITLAB_") && name !== "SSL_CERT_FILE"));
  const child: ChildProcess = spawn(path.join(dir, STAND_IN_EXECUTABLE), ["127.0.0.1:1"], { env: { ...base, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const port = await new Promise<string>((resolve, reject) => {
    let stdout = "";
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
      if (stdout.includes("\n")) resolve(stdout.split("\n")[0].trim());
    });
    child.on("exit", (code) => reject(new Error(`the plugin exited (${code}) before printing its port: ${stderr}`)));
  });
  const client = new ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  return {
    client,
    rpc: providerRpc(client),
    stderr: () => stderr,
    stop: async () => {
      client.close();
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
}

type Unary<Req, Res> = (request: Req, callback: (error: grpc.ServiceError | null, response: Res) => void) => grpc.ClientUnaryCall;

/** The unary methods the engine calls, as promises; a failed call rejects with the gRPC error (its `details` is the message). */
export function providerRpc(client: ResourceProviderClient) {
  const unary =
    <Req, Res>(method: Unary<Req, Res>) =>
    (request: Req): Promise<Res> =>
      new Promise((resolve, reject) => method.call(client, request, (error, response) => (error ? reject(error) : resolve(response))));
  return {
    getPluginInfo: unary<Empty, PluginInfo>(client.getPluginInfo),
    handshake: unary<rpc.ProviderHandshakeRequest, rpc.ProviderHandshakeResponse>(client.handshake),
    getSchema: unary<rpc.GetSchemaRequest, rpc.GetSchemaResponse>(client.getSchema),
    checkConfig: unary<rpc.CheckRequest, rpc.CheckResponse>(client.checkConfig),
    configure: unary<rpc.ConfigureRequest, rpc.ConfigureResponse>(client.configure),
    invoke: unary<rpc.InvokeRequest, rpc.InvokeResponse>(client.invoke),
    check: unary<rpc.CheckRequest, rpc.CheckResponse>(client.check),
    diff: unary<rpc.DiffRequest, rpc.DiffResponse>(client.diff),
    create: unary<rpc.CreateRequest, rpc.CreateResponse>(client.create),
    read: unary<rpc.ReadRequest, rpc.ReadResponse>(client.read),
    update: unary<rpc.UpdateRequest, rpc.UpdateResponse>(client.update),
    delete: unary<rpc.DeleteRequest, Empty>(client.delete),
  };
}

export const struct = (value: WireMap) => Struct.fromJavaScript(value as Parameters<typeof Struct.fromJavaScript>[0]);
export const plain = (value: Struct | undefined): WireMap => (value?.toJavaScript() ?? {}) as WireMap;
export const empty = () => new Empty();

export const urnOf = (type: string, name: string) => `urn:pulumi:dev::standin::${type}::${name}`;

/** A Configure call the way the engine sends it: args as a Struct, type and URN of the provider. */
export function configureRequest(args: WireMap): rpc.ConfigureRequest {
  const request = new rpc.ConfigureRequest()
    .setArgs(struct(args))
    .setAcceptsecrets(true)
    .setAcceptresources(true)
    .setType(TYPES.provider)
    .setName("gitlab")
    .setUrn(urnOf(TYPES.provider, "gitlab"));
  for (const [key, value] of Object.entries(args)) if (typeof value === "string") request.getVariablesMap().set(`gitlab:config:${key}`, value);
  return request;
}
