// One measurement in a fresh process: `node --import tsx lib/bench/child.ts <program|baseline> <tokens>`
// prints one Sample as a JSON line. A process per measurement keeps the two sides from sharing a heap
// (so peak RSS is each one's own) and gives each evaluation a clean SDK runtime, as a `pulumi up` has.
// Both sides load the same modules (./sides imports both), so module loading weighs the same on each.

import { SIDES, type Side } from "./sample";
import { measureSide } from "./sides";

const [side, tokensText] = process.argv.slice(2);
const tokens = Number(tokensText);
if (!(SIDES as readonly string[]).includes(side) || !/^\d+$/.test(tokensText ?? "") || tokens < 1) {
  console.error(`usage: node --import tsx lib/bench/child.ts <${SIDES.join("|")}> <tokens of at least 1>`);
  process.exitCode = 2;
} else {
  // The provider's inputs must not depend on who runs the benchmark.
  delete process.env.GITLAB_TOKEN;
  measureSide(side as Side, tokens).then(
    (sample) => process.stdout.write(`${JSON.stringify(sample)}\n`),
    (error: unknown) => {
      console.error(`${side} evaluation of ${tokens} tokens failed: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
      process.exitCode = 1;
    },
  );
}
