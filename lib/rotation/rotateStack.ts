// What `npm run rotate` does to one stack: plans a rotation (or a cleanup) with the rules of
// config/rotation.ts, splices it into the file its tokens are declared in (Pulumi.<stack>.yaml, or the
// declaration file its pushTokensFile names: lib/stackFile/stackDocument.ts), checks
// that the result passes the program's own validation, and only then writes it. A token that cannot be
// rotated (or cleaned up) is reported and left as it is; the others are done all the same.

import { writeFileSync } from "node:fs";
import { utcDate } from "../../config/dates";
import { UsageError } from "../../config/expiry";
import { ConfigError } from "../../config/issues";
import { planCleanup, planRotation, type RotationPlan, type TokenChange } from "../../config/rotation";
import { validateStackConfig } from "../../config/validate";
import { count } from "../command/reportText";
import { editPushTokens, rawStackConfigWith, readStackDocument, type StackDocument } from "../stackFile/stackDocument";
import { retiringMergeTimes } from "./mergedAt";

export interface RotateRequest {
  /** The folder holding Pulumi.yaml and the stack file; the working directory when absent. */
  readonly dir?: string;
  readonly stack: string;
  /** The instant to rotate at. */
  readonly now: Date;
  /** Remove the retiring generations past revokeAfter instead of rotating. */
  readonly cleanup?: boolean;
  /** `--within` days, `--token` name, `--lifetime` days, `--grace` as milliseconds: already checked by the command. */
  readonly withinDays?: number;
  readonly token?: string;
  readonly lifetimeDays?: number;
  readonly graceMs?: number;
  /** `--since-merge`: a retiring block counts as past its grace only `graceMs` (default 24h) after its merge. */
  readonly sinceMerge?: boolean;
}

export interface RotateOutcome {
  /** What was changed (or that nothing needed to be), for stdout. */
  readonly lines: readonly string[];
  /** What could not be done and why, for stderr; any makes the command exit 1. */
  readonly refusals: readonly string[];
}

const DAY_MS = 86_400_000;

/**
 * Writes what can be done and says what could not. Throws a UsageError for an unreadable file, a
 * ConfigError for an invalid config (then nothing is written).
 */
export function rotateStack(request: RotateRequest): RotateOutcome {
  const today = utcDate(request.now);
  const dir = request.dir ?? process.cwd();
  const stack = readStackDocument(dir, request.stack, "rotate");
  const settings = validateStackConfig(stack.raw, { today, configFile: stack.fileName });
  const tokensFile = stack.tokens.fileName;
  const sinceMerge = request.sinceMerge ? retiringMergeTimes(dir, tokensFile, settings, request.graceMs ?? DAY_MS) : undefined;
  const plan: RotationPlan = request.cleanup
    ? planCleanup(settings, request.now, { sinceMerge, stack: request.stack })
    : planRotation(settings, { now: request.now, withinDays: request.withinDays, token: request.token, lifetimeDays: request.lifetimeDays, graceMs: request.graceMs, sinceMerge, stack: request.stack });
  const unchanged = `${tokensFile} was not changed.`;
  if (plan.blocked) return { lines: [], refusals: [plan.blocked, unchanged] };

  // Each change is tried alone first: one the editor cannot make (a flow-style token) is reported, and
  // the others go ahead.
  const editable: TokenChange[] = [];
  const refusals = [...plan.refusals];
  for (const change of plan.changes) {
    try {
      editPushTokens(stack, [change]);
      editable.push(change);
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      refusals.push(`not ${request.cleanup ? "cleaned up" : "rotated"}: ${error.message}`);
    }
  }
  if (editable.length === 0) {
    if (refusals.length > 0) return { lines: [], refusals: [...refusals, unchanged] };
    return {
      lines: [
        request.cleanup
          ? `Nothing to clean up: no retiring generation in ${tokensFile} is past its revokeAfter${request.sinceMerge ? " and its grace after the merge" : ""}; the file is unchanged.`
          : `Nothing to rotate: no token in ${tokensFile} expires within ${request.withinDays ?? settings.expiryWarningDays} days of ${today}; the file is unchanged.`,
      ],
      refusals: [],
    };
  }

  const written = write(stack, editable, today);
  if ("refusal" in written) return { lines: [], refusals: [...refusals, written.refusal] };
  const what = request.cleanup ? `${count(editable.length, "retiring generation")} removed` : `${count(editable.length, "token")} rotated`;
  const left = refusals.length > 0 ? `; ${count(refusals.length, "token")} left as ${refusals.length === 1 ? "it was" : "they were"}, see the errors` : "";
  return {
    lines: [...editable.map((change) => change.summary), `Updated ${tokensFile} (${what}${left}). Review the diff and let pulumi preview confirm it before merging.`],
    refusals,
  };
}

/** Writes the edited file once it passes the program's validation, or says why it was not written. */
function write(stack: StackDocument, changes: readonly TokenChange[], today: string): { readonly written: true } | { readonly refusal: string } {
  const edited = editPushTokens(stack, changes);
  try {
    validateStackConfig(rawStackConfigWith(stack, edited, "rotate"), { today, configFile: stack.fileName });
  } catch (error) {
    if (error instanceof ConfigError) return { refusal: `${stack.tokens.fileName} was not changed: the result would not pass validation.\n${error.message}` };
    throw error;
  }
  writeFileSync(stack.tokens.file, edited);
  return { written: true };
}
