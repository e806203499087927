// Starts the stand-in Node.js language host (policyLanguageHost.ts) for one engine environment and
// tells the CLI to attach to it (PULUMI_DEBUG_LANGUAGES=nodejs:<port>) instead of looking for
// `pulumi-language-nodejs`. The other ways to offer one are worse: `pulumi plugin install language
// nodejs` refuses (the nodejs host is bundled with the CLI), and one found on PATH makes the CLI warn
// "using pulumi-language-nodejs from $PATH" on the stack of every run, where previews and merge-request
// notes would show it.

import { spawn } from "node:child_process";
import * as path from "node:path";
import { createInterface } from "node:readline";
import { tsxLoaderUrl } from "./shellScripts";
import { atProcessEnd } from "./tempRoots";

export interface RunningLanguageHost {
  /** The variable that makes the CLI attach to it. */
  readonly env: { readonly PULUMI_DEBUG_LANGUAGES: string };
  stop(): void;
}

export async function startPolicyLanguageHost(): Promise<RunningLanguageHost> {
  const child = spawn(process.execPath, ["--import", tsxLoaderUrl(), path.join(__dirname, "policyLanguageHost.ts")], { stdio: ["ignore", "pipe", "inherit"] });
  const withdraw = atProcessEnd(() => child.kill());
  const port = await new Promise<number>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once("line", (line) => (/^\d+$/.test(line) ? resolve(Number(line)) : reject(new Error(`the stand-in language host printed ${JSON.stringify(line)} instead of its port`))));
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`the stand-in language host exited (${code}) before printing its port`)));
  });
  // It prints nothing more; let the test process exit even if a suite forgets to stop it.
  child.stdout!.destroy();
  child.unref();
  return {
    env: { PULUMI_DEBUG_LANGUAGES: `nodejs:${port}` },
    stop: () => {
      child.kill();
      withdraw();
    },
  };
}
