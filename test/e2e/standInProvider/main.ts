// The plugin's entry: `pulumi-resource-gitlab <engine address>` runs this file (see pluginPackage.ts).
// The engine reads the gRPC port from the first line of stdout; nothing else is ever printed there.

import { startServer } from "./server";

startServer().then(
  ({ port, server }) => {
    process.stdout.write(`${port}\n`);
    const stop = () => server.tryShutdown(() => process.exit(0));
    process.on("SIGTERM", stop);
    process.on("SIGINT", stop);
  },
  (error: unknown) => {
    process.stderr.write(`pulumi-resource-gitlab (stand-in): cannot start the gRPC server: ${String(error)}\n`);
    process.exit(1);
  },
);
