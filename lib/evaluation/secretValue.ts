// How a secret travels between the Pulumi SDK and the engine: wrapped in an object carrying a fixed
// signature (sdk/nodejs/runtime/rpc.ts). The mock harness and the fake engine read and write it. In a
// state or import file the same signature marks a secret, holding `ciphertext` or, unencrypted,
// `plaintext`: the JSON text of the value (pkg/resource/stack/deployment.go).

const SIGNATURE_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIGNATURE = "1b47061264138c4ac30d75fd1eb44270";

/** `value` wrapped as the engine sends a secret. */
export function asSecretValue(value: unknown): Record<string, unknown> {
  return { [SIGNATURE_KEY]: SECRET_SIGNATURE, value };
}

/** `value` as a secret in a state or import file, unencrypted: the CLI encrypts it on the way in. */
export function asFileSecret(value: unknown): Record<string, unknown> {
  return { [SIGNATURE_KEY]: SECRET_SIGNATURE, plaintext: JSON.stringify(value) };
}

/** True for a value wrapped as a secret. */
export function isSecretValue(value: unknown): value is { value: unknown } {
  return typeof value === "object" && value !== null && (value as Record<string, unknown>)[SIGNATURE_KEY] === SECRET_SIGNATURE;
}

/** The plain value, secret or not. */
export function plainValue(value: unknown): unknown {
  return isSecretValue(value) ? value.value : value;
}
