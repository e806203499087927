// What policy packs reported about a preview: every violation, and per pack which policies passed and
// failed. Read from the engine's events (previewEvents.ts) or made offline by running the pack on what
// the program registers under the SDK's mocks (lib/evaluation/policyRun.ts); both are rendered by
// policySection.ts. Pure.

import { compareText } from "./operations";

/** One violation, as the engine's PolicyEvent carries it. */
export interface PolicyViolation {
  readonly pack: string;
  readonly packVersion?: string;
  /** The policy's name: the rule that was broken. */
  readonly policy: string;
  /** mandatory, advisory, remediate or disabled; anything else is shown as it is. */
  readonly enforcementLevel: string;
  /** The resource it is about; absent for a stack policy that names none. */
  readonly urn?: string;
  /**
   * The message as the engine carries it. For a CrossGuard pack (@pulumi/policy's server.js), the
   * policy's description, a newline, then what the policy reported.
   */
  readonly message: string;
  /** Exceptions that matched: an excepted violation does not fail the preview, whatever its level. */
  readonly exceptions: readonly { readonly id: string; readonly reason?: string }[];
}

/** One pack's run. */
export interface PolicyPackResult {
  readonly name: string;
  readonly version?: string;
  /** Policies that reported no violation anywhere, by name, sorted. */
  readonly passed: readonly string[];
  /** Policies that reported a violation, by name, sorted. */
  readonly failed: readonly string[];
}

export interface PolicyResults {
  /** Every pack that ran, by name. */
  readonly packs: readonly PolicyPackResult[];
  /** Every violation, mandatory first, then by pack, policy, resource and message. */
  readonly violations: readonly PolicyViolation[];
}

/** True for a violation that stops the preview: mandatory and not excepted. */
export function isBlocking(violation: PolicyViolation): boolean {
  return violation.enforcementLevel === "mandatory" && violation.exceptions.length === 0;
}

const LEVEL_ORDER = ["mandatory", "advisory", "remediate"];

function levelRank(violation: PolicyViolation): number {
  if (violation.exceptions.length > 0) return LEVEL_ORDER.length + 1;
  const index = LEVEL_ORDER.indexOf(violation.enforcementLevel);
  return index === -1 ? LEVEL_ORDER.length : index;
}

/** The order the note lists violations in, whatever order the engine reported them. */
export function compareViolations(a: PolicyViolation, b: PolicyViolation): number {
  return (
    levelRank(a) - levelRank(b) ||
    compareText(a.enforcementLevel, b.enforcementLevel) ||
    compareText(a.pack, b.pack) ||
    compareText(a.policy, b.policy) ||
    compareText(a.urn ?? "", b.urn ?? "") ||
    compareText(a.message, b.message)
  );
}

/** Collects packs and violations as they are reported, then gives them in a stable order. */
export class PolicyResultsBuilder {
  private readonly packs = new Map<string, { version?: string; passed: Set<string>; failed: Set<string> }>();
  private readonly violations: PolicyViolation[] = [];

  /** A pack that ran, with the policies it says passed and failed (on one resource, or on the stack). */
  pack(name: string, version?: string, passed: readonly string[] = [], failed: readonly string[] = []): void {
    let pack = this.packs.get(name);
    if (!pack) {
      pack = { passed: new Set(), failed: new Set() };
      this.packs.set(name, pack);
    }
    if (version && !pack.version) pack.version = version;
    passed.forEach((policy) => pack.passed.add(policy));
    failed.forEach((policy) => pack.failed.add(policy));
  }

  violation(violation: PolicyViolation): void {
    this.pack(violation.pack, violation.packVersion, [], [violation.policy]);
    this.violations.push(violation);
  }

  build(): PolicyResults {
    const packs = [...this.packs.entries()]
      .map(([name, pack]) => ({
        name,
        ...(pack.version && { version: pack.version }),
        // A resource policy passes on some resources and fails on others: failing anywhere is failing.
        passed: [...pack.passed].filter((policy) => !pack.failed.has(policy)).sort(compareText),
        failed: [...pack.failed].sort(compareText),
      }))
      .sort((a, b) => compareText(a.name, b.name));
    return { packs, violations: [...this.violations].sort(compareViolations) };
  }
}
