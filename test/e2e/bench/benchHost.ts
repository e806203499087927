// One side of the engine benchmark, served to the real CLI from a process of its own, so that its
// peak RSS and CPU time are the program's alone (engineBench.ts reads them from /proc when the
// preview is over): `node --import tsx benchHost.ts <program|baseline> <tokens>`, started in the
// stack's work dir, prints the port of its language server and serves until killed.
//
// Both sides load the same modules and generate the same tokens before serving, so that neither pays
// for what the other does not: the program then reads and validates the declaration file the stack
// config names (as `pulumi up` would), the baseline registers the generated tokens as they are.

import * as pulumi from "@pulumi/pulumi";
import { fixedClock } from "../../../config/clock";
import pushTokenStack = require("../../../infra/index");
import { registerBare } from "../../../lib/bench/baseline";
import { BENCH_TODAY, benchStackConfig } from "../../../lib/bench/generate";
import { SIDES, type Side } from "../../../lib/bench/sample";
import { serveProgram } from "../harness/languageServer";
import { asCmdRunWould } from "../harness/programErrors";

const [side, tokensText] = process.argv.slice(2);
if (!(SIDES as readonly string[]).includes(side) || !/^\d+$/.test(tokensText ?? "")) {
  console.error(`usage: node --import tsx test/e2e/bench/benchHost.ts <${SIDES.join("|")}> <tokens>`);
  process.exit(2);
}
// The provider's inputs must not depend on who runs the benchmark.
delete process.env.GITLAB_TOKEN;
const generated = benchStackConfig(Number(tokensText), BENCH_TODAY);
const program =
  (side as Side) === "program"
    ? async () => pushTokenStack(fixedClock(BENCH_TODAY), process.cwd())
    : async () => registerBare(generated.pushTokens, new pulumi.Config().getObject<{ baseUrl?: string }>("gitlab")?.baseUrl);

serveProgram(asCmdRunWould(program as () => Promise<Record<string, unknown> | void>)).then(
  (served) => console.log(String(served.port)),
  (error: unknown) => {
    console.error(`the bench host could not listen: ${(error as Error).message}`);
    process.exit(1);
  },
);
