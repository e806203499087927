// How big the stack config is where the real engine meets a limit: the Node.js language host hands
// the program the whole config as one environment variable, PULUMI_CONFIG, and Linux refuses any
// single environment string over 128 KiB (MAX_ARG_STRLEN, the `NAME=value` and its NUL included):
// `fork/exec …/node: argument list too long`, before the program runs a line (pulumi/pulumi#8680).
// Policy packs receive the config the same way (#20402). The SDK's mocks and the Automation API's
// inline programs never see it, so it is measured here, as the host builds it.

/** Linux's limit on one environment string (32 pages of 4 KiB), the terminating NUL included. */
export const MAX_ENV_STRING_BYTES = 128 * 1024;
/** Past this, the program and `npm run plan` warn: a quarter below the limit, before a rotation's growth meets it. */
export const CONFIG_WARNING_BYTES = 96 * 1024;
const VARIABLE = "PULUMI_CONFIG";

/**
 * PULUMI_CONFIG as pulumi-language-nodejs builds it (`constructConfig` in
 * sdk/nodejs/cmd/pulumi-language-nodejs/main.go): every `<namespace>:<name>` key respelled
 * `<namespace>:config:<name>`, each value the CLI's string, encoded by Go's json.Marshal — keys
 * sorted, and `<`, `>`, `&`, U+2028 and U+2029 escaped as `\u003c` and so on.
 */
export function hostConfigJson(config: Readonly<Record<string, string>>): string {
  const entries = Object.keys(config)
    .map((key) => [hostKey(key), config[key]] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const json = `{${entries.map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value)}`).join(",")}}`;
  return json.replace(/[<>&\u2028\u2029]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

function hostKey(key: string): string {
  const colon = key.indexOf(":");
  if (colon < 0) return key;
  const name = key.slice(colon + 1);
  // The SDK hands the program keys without `config:`; one that still has it is already the host's.
  return name.startsWith("config:") ? key : `${key.slice(0, colon)}:config:${name}`;
}

/** The bytes of the environment string `PULUMI_CONFIG=<json>` with its NUL: what MAX_ENV_STRING_BYTES caps. */
export function configEnvironmentBytes(config: Readonly<Record<string, string>>): number {
  return Buffer.byteLength(`${VARIABLE}=${hostConfigJson(config)}`) + 1;
}

/** The warning to give for a config of this size, or undefined when it is well below the limit. */
export function configSizeWarning(config: Readonly<Record<string, string>>, stack: string): string | undefined {
  const bytes = configEnvironmentBytes(config);
  if (bytes <= CONFIG_WARNING_BYTES) return undefined;
  const kib = (value: number) => `${(value / 1024).toFixed(1)} KiB`;
  const fix = `move pushTokens out of the stack config into a declaration file: npm run move-push-tokens -- --stack ${stack} (docs/scaling.md)`;
  if (bytes > MAX_ENV_STRING_BYTES) {
    return `the stack config of ${stack} is ${kib(bytes)} as the Node.js host passes it (PULUMI_CONFIG), over Linux's limit of 128 KiB for one environment variable: pulumi preview and pulumi up fail with "argument list too long" before the program starts. Fix: ${fix}`;
  }
  return `the stack config of ${stack} is ${kib(bytes)} as the Node.js host passes it (PULUMI_CONFIG), near Linux's limit of 128 KiB for one environment variable: past it, pulumi preview and pulumi up fail with "argument list too long" before the program starts. Fix: ${fix}`;
}
