// The merge-request note for a pipeline that cannot run `pulumi preview` (a fork's merge request has
// no secrets): the offline `npm run plan` report, under the same markers as the preview note, so the
// note is found and replaced by the next pipeline whichever kind it is.

import { redactTokens } from "../../config/issues";
import { fitBlocks } from "./fit";
import { PREVIEW_COMMENT_MARKER, stackMarker } from "./noteMarker";
import { GITLAB_NOTE_LIMIT } from "./previewComment";

export interface PlanNoteOptions {
  readonly stack: string;
  /** The longest note to write; GitLab's limit by default. */
  readonly maxLength?: number;
}

const EXPLANATION = [
  "### Offline plan (no `pulumi preview`)",
  "",
  "This pipeline has no Pulumi credentials (a merge request from a fork gets no secrets), so it cannot read the stack's state and show what would change.",
  "Below is `npm run plan`: what the stack declares after this change, evaluated offline by the real program. A maintainer can run the pipeline in this project to get the preview.",
].join("\n");

/** The note for a plan report; the report is shown line by line, cut at the end if too long. */
export function renderPlanNote(planReport: string, options: PlanNoteOptions): string {
  const lines = redactTokens(planReport).replace(/\n+$/, "").split("\n");
  // A fence longer than any backtick run in the report, so no line can close it early.
  const longestRun = Math.max(0, ...lines.map((line) => Math.max(0, ...(line.match(/`+/g) ?? []).map((run) => run.length))));
  const fence = "`".repeat(Math.max(3, longestRun + 1));
  return fitBlocks(
    [
      { kind: "fixed", text: `${PREVIEW_COMMENT_MARKER}\n${stackMarker(options.stack)}\n${EXPLANATION}` },
      { kind: "rows", head: `${fence}text`, rows: lines, tail: fence, cutOrder: 0, unit: "row" },
    ],
    options.maxLength ?? GITLAB_NOTE_LIMIT,
  );
}
