// What the merge-request CLIs share: one-line user errors with an exit code, required environment
// variables, and a top level that never prints a stack trace or a token.

import { redactSecrets, redactTokens } from "../../config/issues";
import { ApiUrlError } from "../gitlabApi/apiUrl";
import { GitLabApiError } from "../gitlabApi/errors";
import type { CliOutput } from "./stackCommand";

/** A user error: printed as one line, ending the process with `exitCode`. */
export class CliError extends Error {
  override readonly name = "CliError";

  constructor(
    message: string,
    /** 1 for a failure; a CLI documents any other code it uses. */
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

export type Environment = Readonly<Record<string, string | undefined>>;

/** The variable's value, trimmed, or a CliError naming it and the fix. */
export function requireEnv(env: Environment, name: string, fix: string): string {
  const value = env[name]?.trim();
  if (!value) throw new CliError(`${name} is not set. Fix: ${fix}.`);
  return value;
}

/** Printing through the console with `secrets` and anything token-shaped redacted (redactSecrets, redactTokens). */
export function redactingConsole(secrets: readonly (string | undefined)[]): CliOutput {
  const clean = (text: string) => redactTokens(redactSecrets(text, secrets));
  return { out: (text) => console.log(clean(text)), err: (text) => console.error(clean(text)) };
}

/**
 * Runs `main` and sets the exit code. Every error message passes through the redaction of the secrets
 * `main` may hold, so that not even an unexpected error can print a token.
 */
export function runCli(tool: string, main: () => Promise<number>, secrets: readonly (string | undefined)[]): void {
  const clean = (text: string) => redactTokens(redactSecrets(text, secrets)).replace(/\s+/g, " ").trim();
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      const known = error instanceof CliError || error instanceof GitLabApiError || error instanceof ApiUrlError;
      const message = error instanceof Error ? error.message : String(error);
      console.error(`${tool}: ${clean(known ? message : `failed unexpectedly: ${message}`)}`);
      process.exitCode = error instanceof CliError ? error.exitCode : 1;
    },
  );
}
