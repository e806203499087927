// What one measurement (one side, one size, one fresh child process) reports back to the benchmark.

export const SIDES = ["program", "baseline"] as const;
export type Side = (typeof SIDES)[number];

export interface Sample {
  readonly side: Side;
  readonly tokens: number;
  /** From calling the program until the runtime had answered its last registration. */
  readonly elapsedMs: number;
  /** CPU time of the process over the same interval (user + system, all threads). */
  readonly cpuMs: number;
  /** The child's peak resident set size at the end of the evaluation (process.resourceUsage().maxRSS), in KiB. */
  readonly peakRssKb: number;
  /** The child's peak RSS just before the evaluation (modules loaded, config generated), in KiB. */
  readonly startRssKb: number;
  /** How many resources were registered. */
  readonly registrations: number;
  /** Lookups (provider function calls, reads) made during the evaluation. */
  readonly invokes: readonly string[];
  /** How many warnings were logged. */
  readonly warnings: number;
  /** registrationDigest of what was registered. */
  readonly digest: string;
}
