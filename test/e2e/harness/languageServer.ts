// The Automation API's language server (the service behind the CLI's `--client`), on the grpc-js and
// generated service of the SDK itself: LanguageServer implements exactly those.

import * as path from "node:path";
import type * as grpcTypes from "@grpc/grpc-js";
import type { PulumiFn } from "@pulumi/pulumi/automation";

const sdkDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
export const grpc = require(require.resolve("@grpc/grpc-js", { paths: [sdkDir] })) as typeof grpcTypes;
const languageService = (require("@pulumi/pulumi/proto/language_grpc_pb") as { LanguageRuntimeService: grpcTypes.ServiceDefinition }).LanguageRuntimeService;
const { LanguageServer } = require("@pulumi/pulumi/automation/server") as {
  LanguageServer: new (program: PulumiFn) => grpcTypes.UntypedServiceImplementation & { onPulumiExit(hasError: boolean): void };
};
const { grpcChannelOptions } = require("@pulumi/pulumi/runtime/settings") as { grpcChannelOptions: Record<string, unknown> };

export interface ServedProgram {
  readonly port: number;
  /** Tells the server how the CLI ended, and stops it. */
  stop(hasError: boolean): void;
}

/** Serves `program` on a loopback port, for `pulumi … --client=127.0.0.1:<port>`. */
export async function serveProgram(program: PulumiFn): Promise<ServedProgram> {
  const server = new grpc.Server(grpcChannelOptions);
  const language = new LanguageServer(program);
  server.addService(languageService, language);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  return {
    port,
    stop: (hasError) => {
      language.onPulumiExit(hasError);
      server.forceShutdown();
    },
  };
}
