// `npm run adopt -- --stack dev [--out adopt.json] [--state state.json] [--today YYYY-MM-DD | --now ISO] [--dir PATH]`
//
// Writes the file `pulumi import --file` takes to bring hand-made variables (`adopt: true`) and
// hand-made tokens (`retiring.tokenId`) under the stack, derived by evaluating the real program offline.
// With --state (the output of `pulumi stack export`), it leaves out what the stack already holds and
// warns about `adopt: true` markers left in place after their import. Exit 0 when written or when
// nothing is to be adopted; 1 with a one-line error.

import { systemClock, type Clock } from "../config/clock";
import { adoptStack } from "../lib/adoption/adoptStack";
import type { CommandSpec } from "../lib/command/commandLine";
import { commandOutput, CONSOLE, parseStackCommand, runCommand, STACK_OPTIONS, type CliOutput } from "../lib/command/stackCommand";

export const ADOPT: CommandSpec = {
  name: "adopt",
  usage: ["-- --stack <name> [--out adopt.json] [--state <file>] [--today YYYY-MM-DD | --now <ISO date-time>] [--dir <folder>]"],
  summary: [
    "Writes the file `pulumi import --file` takes to bring what was made by hand under the stack: the variables",
    "marked adopt: true and the hand-made token named by retiring.tokenId, under the names the program registers;",
    "then prints the commands to run next (README.md, Migration).",
  ].join("\n"),
  options: {
    ...STACK_OPTIONS,
    out: { type: "string", value: "<file>", description: "where to write the import file (default: adopt.json)", example: "--out adopt.json" },
    state: {
      type: "string",
      value: "<file>",
      description: "the output of pulumi stack export: what the stack already holds is left out, and adopt: true markers left after their import are warned about",
      example: "--state state.json",
    },
  },
  examples: ["npm run adopt -- --stack migration --out adopt.json", "pulumi stack export --stack migration > state.json && npm run adopt -- --stack migration --state state.json"],
  exitCodes: "0 the file is written, or there is nothing to adopt; 1 an error (an invalid config, an unreadable --state) or a usage error.",
};

/** Runs the command with `argv`, printing through `output`; returns its exit code. In-process for tests. */
export async function adoptCommand(argv: readonly string[], output: CliOutput = CONSOLE, clock: Clock = systemClock): Promise<number> {
  const { fail, redacted } = commandOutput(output);
  const line = parseStackCommand(ADOPT, argv, redacted, clock);
  if (typeof line === "number") return line;
  const { values } = line;
  try {
    await adoptStack({ dir: line.dir, stack: line.stack, out: (values.out as string | undefined) ?? "adopt.json", state: values.state as string | undefined, clock: line.clock }, redacted);
    return 0;
  } catch (error) {
    return fail((error as Error).message);
  }
}

if (require.main === module) runCommand("adopt", () => adoptCommand(process.argv.slice(2)));
