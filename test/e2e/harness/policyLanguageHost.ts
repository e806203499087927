// A stand-in for `pulumi-language-nodejs` that does one thing: run Node.js policy packs. The CLI
// (3.276, pkg/resource/plugin/analyzer_plugin.go) starts a policy pack folder only through the
// language host of the pack's runtime, calling its RunPlugin with kind "analyzer"; the old fallback
// to a `pulumi-analyzer-policy-nodejs` executable survives only in the sdk module's copy of that file,
// which the CLI no longer uses. The real host is not to be had here, so the engine environment puts
// this one on PATH (see shellScripts.ts). Programs never come here: the inline program is served to
// the CLI by the test process itself (`--client`); a command that asks this host to run the program
// gets an error saying so.
//
// What RunPlugin does, as the official host does it (sdk/nodejs/cmd/pulumi-language-nodejs, RunPlugin):
// resolve @pulumi/pulumi/cmd/run-policy-pack from the pack's folder, run it with Node in that folder
// with the request's arguments (the engine's address) and the folder last, and stream its stdout
// (the port the pack listens on), stderr and exit code back. Like the official host, it loads no tsx:
// run-policy-pack registers ts-node itself (its vendored 7.0.1 with the project's TypeScript), and a
// second TypeScript loader in front of it would hand ts-node already-compiled JavaScript to check.
// Unlike the official host, it does not proxy the pack's gRPC server to hand it the stack's config in
// PULUMI_CONFIG: this project's pack reads only its policy config, which the engine sends over gRPC.
//
// Started by the CLI as `pulumi-language-nodejs <engine address>`; prints its port, serves until killed.

import { spawn } from "node:child_process";
import * as path from "node:path";
import type * as grpcTypes from "@grpc/grpc-js";

const sdkDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
const grpc = require(require.resolve("@grpc/grpc-js", { paths: [sdkDir] })) as typeof grpcTypes;
const languageGrpc = require("@pulumi/pulumi/proto/language_grpc_pb") as { LanguageRuntimeService: grpcTypes.ServiceDefinition };
const languageProto = require("@pulumi/pulumi/proto/language_pb") as Record<string, new () => ProtoMessage>;
const pluginProto = require("@pulumi/pulumi/proto/plugin_pb") as Record<string, new () => ProtoMessage>;
const { version: sdkVersion } = require("@pulumi/pulumi/package.json") as { version: string };

interface ProtoMessage {
  [setter: string]: unknown;
}

interface RunPluginRequest {
  getKind(): string;
  getArgsList(): string[];
  getEnvList(): string[];
  getInfo(): { getProgramDirectory(): string } | undefined;
}

function response(field: "setStdout" | "setStderr" | "setExitcode", value: Uint8Array | number): ProtoMessage {
  const message = new languageProto.RunPluginResponse();
  (message[field] as (value: Uint8Array | number) => void)(value);
  return message;
}

function runPlugin(call: grpcTypes.ServerWritableStream<RunPluginRequest, ProtoMessage>): void {
  const request = call.request;
  const dir = request.getInfo()?.getProgramDirectory();
  if (request.getKind() !== "analyzer" || !dir) {
    call.destroy(Object.assign(new Error(`this stand-in language host runs only policy packs, not a ${request.getKind()} plugin`), { code: grpc.status.UNIMPLEMENTED }));
    return;
  }
  let entry: string;
  try {
    entry = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [dir] });
  } catch {
    // The words the CLI looks for to advise installing the pack's dependencies.
    call.write(response("setStderr", Buffer.from(`Cannot find module '@pulumi/pulumi/cmd/run-policy-pack' from ${dir}\n`)));
    call.write(response("setExitcode", 1));
    call.end();
    return;
  }
  const env = Object.fromEntries(request.getEnvList().map((entry) => [entry.slice(0, entry.indexOf("=")), entry.slice(entry.indexOf("=") + 1)]));
  const pack = spawn(process.execPath, [entry, ...request.getArgsList(), dir], { cwd: dir, env, stdio: ["ignore", "pipe", "pipe"] });
  pack.stdout.on("data", (chunk: Buffer) => call.write(response("setStdout", chunk)));
  pack.stderr.on("data", (chunk: Buffer) => call.write(response("setStderr", chunk)));
  pack.on("error", (error) => call.destroy(error));
  pack.on("close", (code) => {
    call.write(response("setExitcode", code ?? 1));
    call.end();
  });
  call.on("cancelled", () => pack.kill());
}

const server = new grpc.Server();
server.addService(languageGrpc.LanguageRuntimeService, {
  handshake: (_call: unknown, done: grpcTypes.sendUnaryData<ProtoMessage>) => done(null, new languageProto.LanguageHandshakeResponse()),
  getPluginInfo: (_call: unknown, done: grpcTypes.sendUnaryData<ProtoMessage>) => {
    const info = new pluginProto.PluginInfo();
    (info.setVersion as (version: string) => void)(sdkVersion);
    done(null, info);
  },
  runPlugin,
  // A command run without the inline program lands here: say what to do instead of "unimplemented".
  run: (_call: unknown, done: grpcTypes.sendUnaryData<ProtoMessage>) => {
    const response = new languageProto.RunResponse();
    (response.setError as (message: string) => void)(
      "the e2e harness runs programs inline, and its stand-in Node.js language host runs only policy packs: use E2eStack's up/preview/refresh/destroy, or cli(args, { program })",
    );
    done(null, response);
  },
});
server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, port) => {
  if (error) {
    console.error(`the stand-in language host could not listen: ${error.message}`);
    process.exit(1);
  }
  console.log(String(port));
});
