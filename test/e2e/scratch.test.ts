import { after, before, it } from "node:test";
import { addDays } from "../../config/dates";
import { startGitLabWorld, AS_CI_RUNS_IT, type GitLabWorld } from "./harness/gitlabWorld";
import { runPipelineJob } from "./harness/pipelineJobs";
import { today } from "./stacks";

let world: GitLabWorld;
before(async () => { world = await startGitLabWorld({ projects: ["a-gitops", "a-app"] }); });
after(() => world?.close());
it("where", async () => {
  const stack = await world.stack("dev", { pushTokens: [{ name: "P", project: world.project("a-gitops"), expiresAt: addDays(today(), 30), consumers: [{ project: world.project("a-app"), key: "GITLAB_PUSHER_TOKEN" }] }] });
  const up = await runPipelineJob(stack, "apply");
  const values = world.emulator!.state.tokens().map(t => t.value);
  const show = (label: string, text: string) => { for (const v of values) { let i = text.indexOf(v); while (i >= 0) { console.log(label, JSON.stringify(text.slice(Math.max(0, i - 600), i + 40)).replace(v, "<VALUE>")); i = text.indexOf(v, i + 1); } } };
  show("stdout", up.stdout); show("stderr", up.stderr);
  up.events.forEach((e, n) => show(`event ${n} ${Object.keys(e).join(",")}`, JSON.stringify(e)));
  const up2 = await stack.up(AS_CI_RUNS_IT);
  show("auto stdout", up2.stdout);
  up2.events.forEach((e, n) => show(`auto event ${n} ${Object.keys(e).join(",")}`, JSON.stringify(e)));
});
