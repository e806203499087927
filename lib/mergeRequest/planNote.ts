// The merge-request note for a pipeline that cannot run `pulumi preview` (a fork's merge request has
// no secrets): the policy pack's verdict, run offline on what the program registers, in the same
// section as the preview note's, then the offline `npm run plan` report; or, when there is no plan, why
// (the config's validation errors). Under the same markers as the preview note, so the note is found
// and replaced by the next pipeline whichever kind it is.

import { redactTokens } from "../../config/issues";
import { fitBlocks, type Block } from "./fit";
import { fenceFor, messageBody } from "./markdown";
import { PREVIEW_COMMENT_MARKER, stackMarker } from "./noteMarker";
import type { PolicyResults } from "./policyResults";
import { policySection } from "./policySection";
import { GITLAB_NOTE_LIMIT } from "./previewComment";

export interface PlanNoteOptions {
  readonly stack: string;
  /** The longest note to write; GitLab's limit by default. */
  readonly maxLength?: number;
}

export interface PlanPolicy {
  /** What the pack reported, run offline on the program's registrations. */
  readonly results: PolicyResults;
  /** How the note names the resource of a URN. */
  readonly resourceName: (urn: string) => string;
}

const TITLE = "### Offline plan (no `pulumi preview`)";
const EXPLANATION = [
  "This pipeline has no Pulumi credentials (a merge request from a fork gets no secrets), so it cannot read the stack's state and show what would change.",
  "Below is `npm run plan`: what the stack declares after this change, evaluated offline by the real program. A maintainer can run the pipeline in this project to get the preview.",
].join("\n");
const POLICY_OFFLINE = "The policy pack ran offline, on what the program registers: the same rules `pulumi preview` runs, without the stack's state.";

/** The note for a plan report, the pack's verdict first; the report is shown line by line, cut at the end if too long. */
export function renderPlanNote(planReport: string, options: PlanNoteOptions & { readonly policy?: PlanPolicy }): string {
  const lines = redactTokens(planReport).replace(/\n+$/, "").split("\n");
  const fence = fenceFor(lines);
  const policy: Block[] = options.policy
    ? [
        ...policySection(options.policy.results, { heading: "#### Policy packs", resourceName: options.policy.resourceName, whenNone: "The policy pack reported nothing.", cutOrder: 1 }),
        { kind: "fixed", text: POLICY_OFFLINE },
      ]
    : [];
  return fitBlocks(
    [
      { kind: "fixed", text: `${header(options.stack)}\n${EXPLANATION}` },
      ...policy,
      { kind: "rows", head: `${fence}text`, rows: lines, tail: fence, cutOrder: 0, unit: "row" },
    ],
    options.maxLength ?? GITLAB_NOTE_LIMIT,
  );
}

/** The note when there is no plan: what stopped it, in its own words, so a fork's merge request still learns why. */
export function renderPlanFailureNote(failure: { readonly error: string; readonly stage: "files" | "config" }, options: PlanNoteOptions): string {
  const what =
    failure.stage === "config"
      ? "❌ **The stack's config is invalid**, so the program registers nothing and `pulumi preview` would fail the same way. Fix what it says and push again:"
      : "❌ **The offline plan could not read the stack's files**:";
  return fitBlocks([{ kind: "fixed", text: `${header(options.stack)}\n${EXPLANATION}\n\n${what}\n\n${messageBody(redactTokens(failure.error), "")}` }], options.maxLength ?? GITLAB_NOTE_LIMIT);
}

function header(stack: string): string {
  return `${PREVIEW_COMMENT_MARKER}\n${stackMarker(stack)}\n${TITLE}\n`;
}
