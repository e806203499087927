// `npm run engine`: prints the path of the pulumi CLI of the SDK's release, building it first when
// no such CLI is on this machine. Progress goes to stderr, the path alone to stdout.

import { readCommandLine, type CommandSpec } from "../lib/command/commandLine";
import { EngineError, ensurePulumiCli } from "../lib/engine";

export const ENGINE: CommandSpec = {
  name: "engine",
  usage: ["[-- --quiet]"],
  summary: [
    "Prints the path of the pulumi CLI at the @pulumi/pulumi SDK's release: PULUMI_CLI when set, else a pulumi of",
    "that exact version on PATH, else the one cached under ${XDG_CACHE_HOME:-~/.cache}/gitlab-push-tokens/pulumi/v<version>/,",
    "built there from the Go module proxy when missing (needs go; minutes on 2 cores). See docs/engine.md.",
  ].join("\n"),
  options: { quiet: { type: "boolean", description: "print only the path (and errors), no progress on stderr" } },
  examples: ["npm run engine", "npm run --silent engine -- --quiet"],
  exitCodes: "0 the path is on stdout; 1 no CLI can be had (the fix on stderr), or a usage error.",
};

async function main(argv: readonly string[]): Promise<number> {
  const line = readCommandLine(ENGINE, argv, { out: (text) => console.log(text), err: (text) => console.error(text) }, process.env);
  if (typeof line === "number") return line;
  const quiet = line.values.quiet === true;
  try {
    const cli = await ensurePulumiCli({ print: quiet ? undefined : (line) => console.error(`engine: ${line}`) });
    console.log(cli.path);
    return 0;
  } catch (error) {
    if (!(error instanceof EngineError)) throw error;
    console.error(`engine: ${error.message}`);
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      console.error(`engine failed unexpectedly: ${error instanceof Error ? error.stack : String(error)}`);
      process.exitCode = 1;
    },
  );
}
