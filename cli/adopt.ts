// `npm run adopt -- --stack dev [--out adopt.json] [--state state.json] [--today YYYY-MM-DD] [--dir PATH]`
//
// Writes the file `pulumi import --file` takes to bring hand-made variables (`adopt: true`) and
// hand-made tokens (`retiring.tokenId`) under the stack, derived by evaluating the real program offline.
// With --state (the output of `pulumi stack export`), it leaves out what the stack already holds and
// warns about `adopt: true` markers left in place after their import. Exit 0 when written or when
// nothing is to be adopted; 1 with a one-line error.

import { adoptStack } from "../lib/adoption/adoptStack";
import { commandOutput, CONSOLE, EVALUATION_OPTIONS, parseStackCommand, runCommand, type CliOutput } from "../lib/command/stackCommand";

const USAGE = "usage: npm run adopt -- --stack <name> [--out adopt.json] [--state <pulumi stack export output>] [--today YYYY-MM-DD] [--dir <folder with Pulumi.yaml>]";

/** Runs the command with `argv`, printing through `output`; returns its exit code. In-process for tests. */
export async function adoptCommand(argv: readonly string[], output: CliOutput = CONSOLE): Promise<number> {
  const { fail, redacted } = commandOutput(output);
  const flags = parseStackCommand(argv, { ...EVALUATION_OPTIONS, out: { type: "string" }, state: { type: "string" } }, USAGE, redacted);
  if (typeof flags === "number") return flags;
  try {
    await adoptStack({ dir: flags.dir ?? process.cwd(), stack: flags.stack, out: flags.out ?? "adopt.json", state: flags.state, today: flags.today }, redacted);
    return 0;
  } catch (error) {
    return fail((error as Error).message);
  }
}

if (require.main === module) runCommand("adopt", () => adoptCommand(process.argv.slice(2)));
