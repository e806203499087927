// `npm run plan -- --stack dev [--today YYYY-MM-DD] [--dir PATH]`
//
// The offline main job: evaluates the real program for Pulumi.<stack>.yaml under the Pulumi SDK's mock
// runtime (no Pulumi CLI, no GitLab, no credentials) and prints what the stack declares, read off what
// the program registered. Exit 0 when the config is valid, 1 with the validation error otherwise.

import { parseArgs } from "node:util";
import { fixedClock, systemClock, today as todayOf } from "../config/clock";
import { isIsoDate } from "../config/dates";
import { evaluateStack } from "./evaluate";
import { generationMarker, renderPlan } from "./planReport";
import { readProjectName, readStackConfigMap, stackFileName, toPulumiConfig } from "./stackFiles";

const USAGE = "usage: npm run plan -- --stack <name> [--today YYYY-MM-DD] [--dir <folder with Pulumi.yaml>]";

async function main(argv: string[]): Promise<number> {
  let values: { stack?: string; today?: string; dir?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { stack: { type: "string" }, today: { type: "string" }, dir: { type: "string" }, help: { type: "boolean", short: "h" } },
    }));
  } catch (error) {
    return fail(`${(error as Error).message}\n${USAGE}`);
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (!values.stack) return fail(`--stack is required\n${USAGE}`);
  if (values.today !== undefined && !isIsoDate(values.today)) return fail(`--today must be a date like 2026-11-25, got ${JSON.stringify(values.today)}`);

  const dir = values.dir ?? process.cwd();
  const clock = values.today ? fixedClock(values.today) : systemClock;
  let project: string;
  let configMap: Record<string, unknown>;
  try {
    project = readProjectName(dir);
    configMap = readStackConfigMap(dir, values.stack);
  } catch (error) {
    return fail((error as Error).message);
  }

  const { config, secretKeys } = toPulumiConfig(project, configMap);
  // Only the API token is ever secret here; anything else encrypted cannot be checked offline.
  const undecryptable = secretKeys.filter((key) => key !== `${project}:gitlabToken`);
  if (undecryptable.length > 0) {
    return fail(`${undecryptable.join(", ")} ${undecryptable.length === 1 ? "is a secure value" : "are secure values"}, which plan cannot decrypt offline: keep ${undecryptable.length === 1 ? "it" : "them"} in plain text (only gitlabToken holds a secret)`);
  }
  const evaluation = await evaluateStack({ config, secretKeys, project, stack: values.stack, clock, tokenValue: generationMarker });
  if (evaluation.error) return fail(evaluation.error);

  console.log(renderPlan(evaluation, { project, stack: values.stack, stackFile: stackFileName(values.stack), today: todayOf(clock) }));
  return 0;
}

function fail(message: string): number {
  console.error(message);
  return 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`plan failed unexpectedly: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
