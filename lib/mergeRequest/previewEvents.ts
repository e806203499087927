// The engine events `PULUMI_ENABLE_STREAMING_JSON_PREVIEW=1 pulumi preview --json` prints, one a line,
// read into the note's model (previewDocument.ts). Unlike the classic document, the stream carries the
// policy packs' results and the engine's verdict. Reading is forgiving, since a note must be posted
// even for a preview that died half-way: a line cut off at the end, a line that is not an event, or an
// event of the wrong shape is left out and said so (by line number, never quoting it). Pure.

import { engineEventSchema, firstProblem, type EngineEventRecord, type StepMetadata } from "./engineEventSchema";
import { PolicyResultsBuilder } from "./policyResults";
import { toDiagnostic, toStep, type PreviewDiagnostic, type PreviewDocument, type PreviewStep } from "./previewDocument";
import { parseUrn } from "./urn";
import { safeLine } from "./values";

/** True when `text` begins like the engine's event stream rather than like a classic document. */
export function looksLikeEventStream(text: string): boolean {
  const firstLine = text.trimStart().split("\n", 1)[0];
  // Each event is one compact object whose first key is its sequence number (apitype.EngineEvent).
  return /^\{\s*"sequence"\s*:/.test(firstLine);
}

/** How many reading problems the note lists one by one; the rest are counted. */
const LISTED_PROBLEMS = 5;

export function readEventStream(text: string): PreviewDocument {
  const lines = text.split("\n");
  const lastLine = lines.reduce((last, line, index) => (line.trim() === "" ? last : index), -1);
  const problems: string[] = [];
  const events: EngineEventRecord[] = [];
  lines.forEach((line, index) => {
    if (line.trim() === "") return;
    const number = index + 1;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      problems.push(index === lastLine ? `the last line (${number}) is cut off: the stream ends early` : `line ${number} is not an engine event (not JSON)`);
      return;
    }
    const parsed = engineEventSchema.safeParse(value);
    if (parsed.success) events.push(parsed.data);
    else problems.push(`line ${number} is not an engine event: ${safeLine(firstProblem(parsed.error), 200)}`);
  });
  return fromEvents(events, problems);
}

function fromEvents(events: readonly EngineEventRecord[], problems: readonly string[]): PreviewDocument {
  const steps = new Map<string, PreviewStep>();
  const diagnostics: PreviewDiagnostic[] = [];
  const policy = new PolicyResultsBuilder();
  const failedResources: string[] = [];
  const readProblems = [...problems];
  let summary: EngineEventRecord["summaryEvent"];

  const addStep = (metadata: StepMetadata, sequence: number) => {
    if (!parseUrn(metadata.urn)) {
      readProblems.push(`the event with sequence ${sequence} names a resource by something that is not a Pulumi URN`);
      return;
    }
    // One step per resource and operation: the outputs event repeats the pre event's step.
    const key = `${metadata.op}\n${metadata.urn}`;
    if (!steps.has(key)) steps.set(key, toStep(metadata.op, metadata.urn, metadata.old, metadata.new, metadata.diffs, metadata.keys, metadata.detailedDiff));
  };

  for (const event of [...events].sort((a, b) => a.sequence - b.sequence)) {
    if (event.resourcePreEvent) addStep(event.resourcePreEvent.metadata, event.sequence);
    if (event.resOutputsEvent) addStep(event.resOutputsEvent.metadata, event.sequence);
    if (event.resOpFailedEvent) failedResources.push(event.resOpFailedEvent.metadata.urn);
    if (event.diagnosticEvent) {
      const diagnostic = toDiagnostic(event.diagnosticEvent);
      if (diagnostic) diagnostics.push(diagnostic);
    }
    // The classic document keeps the CLI's own messages as info; so does the note.
    if (event.stdoutEvent?.message) diagnostics.push({ message: event.stdoutEvent.message, severity: "info" });
    if (event.policyEvent) {
      const { resourceUrn, message, policyName, policyPackName, policyPackVersion, enforcementLevel, exceptions } = event.policyEvent;
      policy.violation({
        pack: policyPackName,
        ...(policyPackVersion && { packVersion: policyPackVersion }),
        policy: policyName,
        enforcementLevel,
        ...(resourceUrn && { urn: resourceUrn }),
        message,
        exceptions: (exceptions ?? []).map(({ id, reason }) => ({ id, ...(reason && { reason }) })),
      });
    }
    for (const summaryOfPack of [event.policyAnalyzeSummaryEvent, event.policyAnalyzeStackSummaryEvent]) {
      if (summaryOfPack) policy.pack(summaryOfPack.policyPackName, summaryOfPack.policyPackVersion ?? undefined, summaryOfPack.passed ?? [], summaryOfPack.failed ?? []);
    }
    if (event.policyRemediateSummaryEvent) policy.pack(event.policyRemediateSummaryEvent.policyPackName, event.policyRemediateSummaryEvent.policyPackVersion ?? undefined);
    if (event.summaryEvent) summary = event.summaryEvent;
  }
  // The summary names every pack that ran, even one that analyzed nothing (3.276: `<name>|<kind>|<location>`).
  for (const [key, version] of Object.entries(summary?.PolicyPacks ?? {})) policy.pack(key.split("|")[0], version);

  if (!summary && readProblems.every((problem) => !problem.includes("cut off"))) readProblems.push("the stream ends before the engine's summary: the preview was cut short");
  return {
    source: "events",
    steps: [...steps.values()],
    diagnostics,
    changeSummary: summary?.resourceChanges ?? undefined,
    maybeCorrupt: summary?.maybeCorrupt === true,
    policy: policy.build(),
    ...(summary?.result && { result: summary.result }),
    complete: summary !== undefined,
    failedResources,
    readProblems: listed(readProblems),
  };
}

function listed(problems: readonly string[]): string[] {
  if (problems.length <= LISTED_PROBLEMS) return [...problems];
  return [...problems.slice(0, LISTED_PROBLEMS), `and ${problems.length - LISTED_PROBLEMS} more lines left out`];
}
