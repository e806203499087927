// `npm run move-push-tokens -- --stack dev [--file push-tokens/dev.yaml] [--dir PATH]`
//
// Moves the stack's pushTokens out of Pulumi.<stack>.yaml into a declaration file of the repository,
// keeping their comments and layout, and names the file in the stack config (pushTokensFile): the
// stack config then stays a few hundred bytes whatever the token count (docs/scaling.md).
// Exit 0 when moved, 1 when nothing could be moved (nothing is written then).

import { UsageError } from "../config/expiry";
import type { CommandSpec } from "../lib/command/commandLine";
import { commandOutput, CONSOLE, parseStackCommand, runCommand, STACK_OPTIONS, type CliOutput } from "../lib/command/stackCommand";
import { movePushTokens } from "../lib/stackFile/movePushTokens";

const { stack, dir } = STACK_OPTIONS;

export const MOVE_PUSH_TOKENS: CommandSpec = {
  name: "move-push-tokens",
  usage: ["-- --stack <name> [--file <path>] [--dir <folder>]"],
  summary: [
    "Moves the stack's pushTokens out of Pulumi.<stack>.yaml into a declaration file, comments and layout kept, and",
    "sets pushTokensFile in their place: the stack config the Node.js host passes in one environment variable (at most",
    "128 KiB) then stays small whatever the token count. Offline: writes the two files, never GitLab.",
  ].join("\n"),
  options: {
    stack,
    dir,
    file: { type: "string", value: "<path>", description: "the declaration file, relative to the folder of Pulumi.yaml (default: push-tokens/<stack>.yaml)", example: "--file push-tokens/dev.yaml" },
  },
  examples: ["npm run move-push-tokens -- --stack dev", "npm run move-push-tokens -- --stack dev --file tokens/dev.yaml"],
  exitCodes: "0 the tokens were moved; 1 they were not (the stack names a declaration file already, the file exists, the layout cannot be kept), or a usage error: nothing is written then.",
};

/** Runs the command; returns its exit code. Exported so that tests can run it in-process. */
export function movePushTokensCli(argv: readonly string[], output: CliOutput = CONSOLE): number {
  const { print, fail, redacted } = commandOutput(output);
  const line = parseStackCommand(MOVE_PUSH_TOKENS, argv, redacted);
  if (typeof line === "number") return line;
  const file = line.values.file as string | undefined;
  try {
    for (const text of movePushTokens({ dir: line.dir, stack: line.stack, ...(file !== undefined && { file }) })) print(text);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) return fail(error.message);
    return fail(`move-push-tokens failed unexpectedly: ${(error as Error).message}`);
  }
}

if (require.main === module) runCommand("move-push-tokens", () => movePushTokensCli(process.argv.slice(2)));
