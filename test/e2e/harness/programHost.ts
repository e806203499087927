// Serves an inline program from a process of its own: `node --import tsx programHost.ts <module>
// [<export>]` prints the port of a language server running that module's program, and serves until
// killed. For a CLI run a test kills: in-process, the program of a killed `pulumi up` would keep
// running in the test process and its calls to the dead engine would fail there as unhandled
// rejections; in a process of its own it dies with the run, as the real language host does.

import { asCmdRunWould } from "./programErrors";
import { serveProgram } from "./languageServer";

const [modulePath, exportName] = process.argv.slice(2);
const loaded = require(modulePath) as Record<string, unknown> | (() => unknown);
const program = exportName ? (loaded as Record<string, unknown>)[exportName] : loaded;
if (typeof program !== "function") {
  console.error(`${modulePath}${exportName ? `#${exportName}` : ""} is not a program (a function): got ${typeof program}`);
  process.exit(1);
}
serveProgram(asCmdRunWould(async () => (program as () => unknown)() as Record<string, unknown> | void)).then(
  (served) => console.log(String(served.port)),
  (error: unknown) => {
    console.error(`the program host could not listen: ${(error as Error).message}`);
    process.exit(1);
  },
);
