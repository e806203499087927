// What the engine benchmark (test/e2e/bench/engineBench.ts) measures and reports back to
// `npm run bench -- --engine` (engineMode.ts): one `pulumi preview` of one side at one size.

import type { Side } from "./sample";

export interface EngineRunOptions {
  readonly sizes: readonly { readonly tokens: number; readonly runs: number }[];
  /** Which sides to preview: both (alternated in pairs), or the program alone (the once-off 10,000 run may). */
  readonly sides: readonly Side[];
  /** Discarded pairs at 10 tokens before measuring. */
  readonly warmup: number;
}

export interface EngineSample {
  readonly side: Side;
  readonly tokens: number;
  /** Wall time of the whole `pulumi preview`, CLI start to exit. */
  readonly elapsedMs: number;
  /** CPU time (user + system) of the process serving the program, from its start to the preview's end. */
  readonly programCpuMs: number;
  /** Peak RSS (VmHWM) of that process, KiB. */
  readonly programPeakRssKb: number;
  /** "+ N to create" of the preview's summary. */
  readonly creates: number;
  /** Warnings the preview printed. */
  readonly warnings: number;
}

export interface EngineSamples {
  /** The CLI's version. */
  readonly cli: string;
  readonly sizes: readonly {
    readonly tokens: number;
    /** The program's registrations plus the stack itself. */
    readonly expectedCreates: number;
    /** Size of Pulumi.<stack>.yaml: the same whatever the token count. */
    readonly stackConfigBytes: number;
    readonly samples: readonly EngineSample[];
  }[];
}
