// The policy packs' verdict as a section of a note, the same for the preview note (the engine's events)
// and the offline plan note (the pack run under the SDK's mocks): per pack one line, then every
// violation with its enforcement level, rule, resource and message; mandatory ones first, advisory ones
// apart; a pack with nothing to report is said in that one line. Pure.

import type { RowsBlock } from "./fit";
import { code, messageBody } from "./markdown";
import type { PolicyPackResult, PolicyResults, PolicyViolation } from "./policyResults";
import { isBlocking } from "./policyResults";

export interface PolicySectionOptions {
  /** The section's heading line. */
  readonly heading: string;
  /** How the note names the resource of a URN. */
  readonly resourceName: (urn: string) => string;
  /** Said when no pack reported anything. */
  readonly whenNone: string;
  /** The fit order of the violation lists (policy verdicts are cut last). */
  readonly cutOrder: number;
}

/** The section's blocks: one per pack, its violations as the rows that may be cut. */
export function policySection(results: PolicyResults, options: PolicySectionOptions): RowsBlock[] {
  if (results.packs.length === 0) return [{ kind: "rows", head: `${options.heading}\n\n${options.whenNone}`, rows: [], cutOrder: options.cutOrder, unit: "item" }];
  return results.packs.map((pack, index) => {
    const violations = results.violations.filter((violation) => violation.pack === pack.name);
    const head = `${index === 0 ? `${options.heading}\n\n` : ""}${packLine(pack, violations)}${violations.length > 0 ? "\n" : ""}`;
    return { kind: "rows", head, rows: violations.map((violation) => violationItem(violation, options.resourceName)), cutOrder: options.cutOrder, unit: "item" };
  });
}

/** `❌ \`pack\` 1.2.0: 2 mandatory violations and 1 advisory; 3 of 5 policies passed.` */
function packLine(pack: PolicyPackResult, violations: readonly PolicyViolation[]): string {
  const name = `${code(pack.name)}${pack.version ? ` ${code(pack.version)}` : ""}`;
  const total = pack.passed.length + pack.failed.length;
  if (violations.length === 0) return `✅ Policy pack ${name}: ${total > 0 ? `${total} ${total === 1 ? "policy" : "policies"}, ` : ""}no violation.`;
  const blocking = violations.filter(isBlocking).length;
  const advisory = violations.filter((violation) => violation.enforcementLevel === "advisory" && violation.exceptions.length === 0).length;
  const other = violations.length - blocking - advisory;
  const parts = [
    ...(blocking > 0 ? [`${blocking} mandatory ${blocking === 1 ? "violation" : "violations"} (\`pulumi up\` refuses ${blocking === 1 ? "it" : "them"})`] : []),
    ...(advisory > 0 ? [`${advisory} advisory ${advisory === 1 ? "violation" : "violations"} (reported, not enforced)`] : []),
    ...(other > 0 ? [`${other} other ${other === 1 ? "finding" : "findings"}`] : []),
  ];
  const passed = total > 0 ? `; ${pack.passed.length} of ${total} ${total === 1 ? "policy" : "policies"} passed` : "";
  return `${blocking > 0 ? "❌" : "⚠️"} Policy pack ${name}: ${parts.join(", ")}${passed}.`;
}

function violationItem(violation: PolicyViolation, resourceName: (urn: string) => string): string {
  const level = violation.exceptions.length > 0 ? `ℹ️ **${violation.enforcementLevel}, excepted** (${violation.exceptions.map((exception) => code(exception.id)).join(", ")})` : violation.enforcementLevel === "mandatory" ? "❌ **mandatory**" : violation.enforcementLevel === "advisory" ? "⚠️ **advisory**" : `**${code(violation.enforcementLevel)}**`;
  const resource = violation.urn ? resourceName(violation.urn) : "the stack";
  return `- ${level} ${code(violation.policy)} on ${resource}:\n${messageBody(reportedText(violation.message))}`;
}

/**
 * What the policy reported. A CrossGuard pack's message is the policy's description, a newline, then
 * the policy's own words (@pulumi/policy server.js, makeReportViolationFun); the rule's name is shown
 * already, so its description is left out. A message of one line is the description alone.
 */
export function reportedText(message: string): string {
  const lines = message.replace(/\r\n?/g, "\n").replace(/\n+$/, "").split("\n");
  return lines.length > 1 ? lines.slice(1).join("\n") : lines[0];
}
