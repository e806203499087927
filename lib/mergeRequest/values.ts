// How a value read from a preview document becomes safe text: Pulumi's placeholders recognised,
// terminal colours and control characters removed, anything shaped like a GitLab token redacted.
// Every string this tool prints from its input passes through `safeText` first.

import { redactTokens } from "../../config/issues";
import { isSecretValue } from "../evaluation/secretValue";

/** What the CLI prints for a value that is only known once `pulumi up` has run. */
export const UNKNOWN_SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** What the CLI prints for a secret value (it never shows secrets in `--json`). */
const SECRET_PLACEHOLDER = "[secret]";

/** A chosen input of a resource, as the renderer needs to tell its cases apart. */
export type InputValue =
  | { readonly kind: "absent" }
  | { readonly kind: "unknown" }
  | { readonly kind: "secret" }
  | { readonly kind: "known"; readonly value: unknown };

export function classify(value: unknown): InputValue {
  if (value === undefined || value === null) return { kind: "absent" };
  if (value === UNKNOWN_SENTINEL) return { kind: "unknown" };
  // A wrapped secret can carry its plaintext: never look inside.
  if (value === SECRET_PLACEHOLDER || isSecretValue(value)) return { kind: "secret" };
  return { kind: "known", value };
}

// CSI sequences (colours, cursor moves), other ESC sequences, and Pulumi's own colour markup
// (`<{%fg 3%}>`), which `--json` strips from engine messages but not from a program's raw output.
const ANSI_CSI = /\u001b\[[0-?]*[ -/]*[@-~]/g;
const ANSI_OTHER = /\u001b[@-Z\\-_]/g;
const PULUMI_COLOR_MARKUP = /<\{%[^%]*%\}>/g;
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

/** Colours and control characters removed, tokens redacted; line breaks kept. */
export function safeText(text: string): string {
  const plain = text.replace(ANSI_CSI, "").replace(ANSI_OTHER, "").replace(PULUMI_COLOR_MARKUP, "").replace(CONTROL_CHARACTERS, "");
  return redactTokens(plain);
}

/** `safeText` on one line: line breaks and runs of blanks become single spaces, capped at `maxLength`. */
export function safeLine(text: string, maxLength = 1000): string {
  const line = safeText(text).replace(/\s+/g, " ").trim();
  return line.length <= maxLength ? line : `${line.slice(0, maxLength - 1)}…`;
}
