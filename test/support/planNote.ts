// The fixed head of the offline plan note (lib/mergeRequest/planNote.ts), word for word: the note's
// own suite and plan-comment's check it.

import { PREVIEW_COMMENT_MARKER } from "../../lib/mergeRequest/noteMarker";

export const PLAN_NOTE_HEAD = `${PREVIEW_COMMENT_MARKER}
<!-- stack: dev -->
### Offline plan (no \`pulumi preview\`)

This pipeline has no Pulumi credentials (a merge request from a fork gets no secrets), so it cannot read the stack's state and show what would change.
Below is \`npm run plan\`: what the stack declares after this change, evaluated offline by the real program. A maintainer can run the pipeline in this project to get the preview.
`;
