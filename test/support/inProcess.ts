// Runs a command's exported entry in this process, as its CLI would run it, and captures what it
// prints: much faster than spawning `node --import tsx` for every case. Each command keeps at least
// one test that spawns the real CLI.

import type { CliOutput } from "../../lib/command/stackCommand";

export interface CommandRun {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

export type Command = (argv: readonly string[], output: CliOutput) => Promise<number> | number;

/** Runs `command` with `argv` and, while it runs, `env` over the environment (undefined removes a variable). */
export async function runInProcess(command: Command, argv: readonly string[], env: Readonly<Record<string, string | undefined>> = {}): Promise<CommandRun> {
  let stdout = "";
  let stderr = "";
  const saved = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
  const apply = (values: Readonly<Record<string, string | undefined>>) => {
    for (const [name, value] of Object.entries(values)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  apply(env);
  try {
    const status = await command(argv, { out: (text) => (stdout += `${text}\n`), err: (text) => (stderr += `${text}\n`) });
    return { status, stdout, stderr };
  } finally {
    apply(saved);
  }
}
