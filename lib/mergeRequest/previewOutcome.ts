// What became of a preview, and what stopped it: the policy pack (a mandatory violation), the program
// (an error it logged or threw), or a provider (an error on a resource it manages, or on the provider
// itself: its configuration, a Check it refused, a read that failed). Read from the engine's verdict,
// the preview's exit code and its error messages. Pure.

import type { PreviewDiagnostic, PreviewDocument, PreviewStep } from "./previewDocument";
import { isBlocking, type PolicyViolation } from "./policyResults";
import { isProviderType, packageOf, ROOT_STACK_TYPE } from "./gitlabSubjects";
import { parseUrn } from "./urn";

/** An error that explains why the preview stopped, and whose it is. */
export interface PreviewError {
  /**
   * "provider": from a provider, about a resource it manages or about itself; "cli": printed on stderr
   * by the CLI itself (no stack, no backend, a plugin it cannot load); "program": anything else.
   */
  readonly kind: "provider" | "program" | "cli";
  readonly diagnostic: PreviewDiagnostic;
  /** The resource it belongs to, when it names one. */
  readonly urn?: string;
  /** The provider's package (`gitlab`), for a provider error. */
  readonly provider?: string;
}

export interface PreviewOutcome {
  /** `incomplete`: the output stops before the engine's end, and nothing says it failed. */
  readonly status: "succeeded" | "failed" | "canceled" | "incomplete";
  /** Mandatory violations without an exception: each one stops the preview. */
  readonly blocking: readonly PolicyViolation[];
  /** The errors that say why it stopped, in the input's order. */
  readonly errors: readonly PreviewError[];
  /** Errors that only say that it failed (`preview failed`): the reason is elsewhere, so they are not shown. */
  readonly bare: readonly PreviewDiagnostic[];
}

/**
 * What the engine says when an operation failed, and what the Automation API's language server adds
 * after a program's own error: neither says why.
 */
const BARE_FAILURES = [/^(preview|update|refresh|destroy|import) failed$/i, /^one or more errors occurred\. check logs for more details$/i];

/** `warning: `, `error: ` and the like, which the classic document folds into the message. */
export function withoutSeverityPrefix(message: string): string {
  return message.replace(/^\s*(?:warning|error|info|debug):\s*/i, "");
}

export function previewOutcome(document: PreviewDocument, extra: { readonly exitCode?: number; readonly stderrErrors?: readonly PreviewDiagnostic[] } = {}): PreviewOutcome {
  const blocking = (document.policy?.violations ?? []).filter(isBlocking);
  const errors: PreviewError[] = [];
  const bare: PreviewDiagnostic[] = [];
  for (const diagnostic of [...document.diagnostics.filter((candidate) => candidate.severity === "error"), ...(extra.stderrErrors ?? [])]) {
    const text = withoutSeverityPrefix(diagnostic.prefix && !diagnostic.message.startsWith(diagnostic.prefix) ? diagnostic.prefix + diagnostic.message : diagnostic.message).trim();
    if (BARE_FAILURES.some((pattern) => pattern.test(text))) bare.push(diagnostic);
    else errors.push(classify(diagnostic, document.steps, document.failedResources));
  }
  const failed = document.result === "failed" || (extra.exitCode !== undefined && extra.exitCode !== 0) || blocking.length > 0 || errors.length > 0 || bare.length > 0;
  const status = document.result === "canceled" ? "canceled" : failed ? "failed" : document.complete ? "succeeded" : "incomplete";
  return { status, blocking, errors, bare };
}

function classify(diagnostic: PreviewDiagnostic, steps: readonly PreviewStep[], failedResources: readonly string[]): PreviewError {
  const urn = diagnostic.urn ?? providerNamedIn(diagnostic.message);
  const parsed = urn ? parseUrn(urn) : undefined;
  if (!parsed && diagnostic.from === "stderr") return { kind: "cli", diagnostic };
  if (!urn || !parsed || parsed.type === ROOT_STACK_TYPE) return { kind: "program", diagnostic };
  if (isProviderType(parsed.type)) return { kind: "provider", diagnostic, urn, provider: packageOf(parsed.type) };
  // A resource a provider manages: the step says so, or its operation failed, or its type is not one of
  // the program's own components (those carry the project's name as their package).
  const state = steps.find((step) => step.urn === urn);
  const custom = (state?.newState ?? state?.oldState)?.custom;
  const byProvider = custom ?? (failedResources.includes(urn) || packageOf(parsed.type) !== parsed.project);
  return byProvider ? { kind: "provider", diagnostic, urn, provider: packageOf(parsed.type) } : { kind: "program", diagnostic, urn };
}

const URN_IN_TEXT = /urn:pulumi:[^\s'"]+/g;

/** The provider an engine error names (`could not create provider urn:…pulumi:providers:gitlab::gitlab::<id>: …`). */
function providerNamedIn(message: string): string | undefined {
  const urns = [...message.matchAll(URN_IN_TEXT)].map((match) => match[0].replace(/[:.,;]+$/, ""));
  return urns.find((urn) => isProviderType(parseUrn(urn)?.type ?? ""));
}

/** The lines of a preview's stderr that report errors (`error: …` and the lines that continue it). */
export function stderrErrors(text: string): PreviewDiagnostic[] {
  const errors: string[][] = [];
  let current: string[] | undefined;
  for (const raw of text.replace(/\r\n?/g, "\n").split("\n")) {
    // eslint-disable-next-line no-control-regex
    const line = raw.replace(/\u001b\[[0-?]*[ -/]*[@-~]/g, "");
    if (/^error: /.test(line)) {
      current = [line.slice("error: ".length)];
      errors.push(current);
    } else if (/^(warning|info|debug): /.test(line) || line.trim() === "") {
      current = undefined;
    } else if (current) {
      current.push(line);
    }
  }
  return errors.map((lines) => ({ message: lines.join("\n"), severity: "error", from: "stderr" as const }));
}
