// What `npm run rotate` does to one stack file: plans a rotation (or a cleanup) with the rules of
// config/rotation.ts, splices it into Pulumi.<stack>.yaml (lib/stackFile/stackDocument.ts), checks
// that the result passes the program's own validation, and only then writes it.

import { writeFileSync } from "node:fs";
import { utcDate } from "../../config/dates";
import { parseDayCount, validateAllowingExpired } from "../../config/expiry";
import { ConfigError } from "../../config/issues";
import { parseGrace, planCleanup, planRotation, type RotationPlan } from "../../config/rotation";
import { validateStackConfig } from "../../config/validate";
import { count } from "../command/reportText";
import { configMapOf, editPushTokens, rawStackConfig, readStackDocument } from "../stackFile/stackDocument";

export interface RotateRequest {
  /** The folder holding Pulumi.yaml and the stack file; the working directory when absent. */
  readonly dir?: string;
  readonly stack: string;
  /** The instant to rotate at. */
  readonly now: Date;
  /** Remove the retiring generations past revokeAfter instead of rotating. */
  readonly cleanup?: boolean;
  /** The flags of a rotation, as given: `--within` days, `--token` name, `--lifetime` days, `--grace` duration. */
  readonly within?: string;
  readonly token?: string;
  readonly lifetime?: string;
  readonly grace?: string;
}

/**
 * The lines to print once the file is written or found to need nothing, or the refusal (the file is
 * then untouched). Throws a UsageError for a bad flag or file, a ConfigError for an invalid config.
 */
export function rotateStack(request: RotateRequest): { readonly lines: readonly string[] } | { readonly refusal: string } {
  const today = utcDate(request.now);
  const rotation = {
    now: request.now,
    withinDays: request.within === undefined ? undefined : parseDayCount("--within", request.within, 0),
    token: request.token,
    lifetimeDays: request.lifetime === undefined ? undefined : parseDayCount("--lifetime", request.lifetime, 1),
    graceMs: request.grace === undefined ? undefined : parseGrace(request.grace),
  };
  const stack = readStackDocument(request.dir ?? process.cwd(), request.stack, "rotate");
  const settings = validateAllowingExpired(stack.raw, { today, configFile: stack.fileName });
  const plan: RotationPlan = request.cleanup ? planCleanup(settings, request.now) : planRotation(settings, rotation);

  if (plan.refusals.length > 0) return { refusal: [...plan.refusals, `${stack.fileName} was not changed.`].join("\n") };
  if (plan.changes.length === 0) {
    return {
      lines: [
        request.cleanup
          ? `Nothing to clean up: no retiring generation in ${stack.fileName} is past its revokeAfter; the file is unchanged.`
          : `Nothing to rotate: no token in ${stack.fileName} expires within ${rotation.withinDays ?? settings.expiryWarningDays} days of ${today}; the file is unchanged.`,
      ],
    };
  }

  const edited = editPushTokens(stack, plan.changes);
  try {
    validateStackConfig(rawStackConfig(stack.project, configMapOf(edited, stack.fileName), "rotate"), { today, configFile: stack.fileName });
  } catch (error) {
    if (error instanceof ConfigError) return { refusal: `${stack.fileName} was not changed: the result would not pass validation.\n${error.message}` };
    throw error;
  }
  writeFileSync(stack.file, edited);

  const what = request.cleanup ? `${count(plan.changes.length, "retiring generation")} removed` : `${count(plan.changes.length, "token")} rotated`;
  return {
    lines: [...plan.changes.map((change) => change.summary), `Updated ${stack.fileName} (${what}). Review the diff and let pulumi preview confirm it before merging.`],
  };
}
