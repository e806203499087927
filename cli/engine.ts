// `npm run engine`: prints the path of the pulumi CLI of the SDK's release, building it first when
// no such CLI is on this machine. Progress goes to stderr, the path alone to stdout.

import { parseArgs } from "node:util";
import { EngineError, ensurePulumiCli } from "../lib/engine";

const USAGE = `usage: npm run engine [-- --quiet]

Prints the path of the pulumi CLI at the @pulumi/pulumi SDK's release: PULUMI_CLI when set, else a
pulumi of that exact version on PATH, else the one cached under
\${XDG_CACHE_HOME:-~/.cache}/gitlab-push-tokens/pulumi/v<version>/, built there from the Go module proxy
when missing (needs go; minutes on 2 cores). See docs/engine.md.

  --quiet   print only the path (and errors)`;

async function main(argv: readonly string[]): Promise<number> {
  let quiet = false;
  try {
    const { values } = parseArgs({ args: [...argv], options: { quiet: { type: "boolean", short: "q" }, help: { type: "boolean", short: "h" } } });
    if (values.help) {
      console.log(USAGE);
      return 0;
    }
    quiet = values.quiet === true;
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 1;
  }
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

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(`engine failed unexpectedly: ${error instanceof Error ? error.stack : String(error)}`);
    process.exitCode = 1;
  },
);
