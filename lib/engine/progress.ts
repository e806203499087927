// A build takes minutes on 2 cores; a silent CI log for that long looks hung. Each step prints when it
// starts and ends, and a heartbeat repeats, with the tool's latest output line, while it runs.

export type Print = (line: string) => void;

export interface StepTiming {
  readonly title: string;
  readonly ms: number;
}

export interface Progress {
  /** Runs one numbered step; `latest` takes the step's most recent output line for the heartbeat. */
  step<T>(title: string, run: (latest: (line: string) => void) => Promise<T>): Promise<T>;
  /** The steps run so far and how long each took. */
  readonly timings: readonly StepTiming[];
}

export interface ProgressOptions {
  readonly totalSteps: number;
  readonly heartbeatMs?: number;
  readonly now?: () => number;
}

export function progress(print: Print, options: ProgressOptions): Progress {
  const now = options.now ?? Date.now;
  const heartbeatMs = options.heartbeatMs ?? 20_000;
  const timings: StepTiming[] = [];
  return {
    timings,
    async step(title, run) {
      const number = `[${timings.length + 1}/${options.totalSteps}]`;
      const started = now();
      let latestLine = "";
      print(`${number} ${title}`);
      const heartbeat = setInterval(() => {
        print(`${number} ${title}: ${formatDuration(now() - started)} so far${latestLine ? ` (${latestLine})` : ""}`);
      }, heartbeatMs);
      heartbeat.unref();
      try {
        const result = await run((line) => (latestLine = line.trim().slice(0, 160)));
        const ms = now() - started;
        timings.push({ title, ms });
        print(`${number} ${title}: done in ${formatDuration(ms)}`);
        return result;
      } finally {
        clearInterval(heartbeat);
      }
    },
  };
}

/** "0.4s", "24s", "5m50s". */
export function formatDuration(ms: number): string {
  if (ms < 10_000) return `${(Math.max(0, ms) / 1000).toFixed(1)}s`;
  const seconds = Math.round(ms / 1000);
  return seconds < 60 ? `${seconds}s` : `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, "0")}s`;
}
