// The provider's own configuration: CheckConfig and DiffConfig on the `pulumi:providers:gitlab`
// resource's inputs, and Configure, which reads `baseUrl` and `token` from ConfigureRequest.args (the
// Node SDK's main() drops those) and falls back to GITLAB_BASE_URL / GITLAB_TOKEN as the official
// provider does. The generated Node SDK sends booleans, numbers and maps JSON-encoded in strings
// (pulumi-gitlab sdk/nodejs/provider.ts), so both forms are accepted. With earlyAuthCheck (default
// true, or GITLAB_EARLY_AUTH_CHECK) Configure calls GET /user, as the provider does, and fails then.

import { readFileSync } from "node:fs";
import type { CheckFailure } from "./check";
import { GitLabClient, type GitLabClientOptions } from "./gitlabClient";
import { PROVIDER_CONFIG, type PropertyModel } from "./model";
import { containsUnknown, reveal, sameValue, secret, type WireMap, type WireValue } from "./propertyValues";
import { ProviderError } from "./resourceContext";

/** Keys the engine or SDK add to every provider's inputs, which are not provider configuration. */
const ENGINE_KEYS = new Set(["version", "pluginDownloadURL", "__internal"]);

export function checkConfig(news: WireMap): { inputs: WireMap; failures: CheckFailure[] } {
  const failures: CheckFailure[] = [];
  const known = new Map(PROVIDER_CONFIG.map((p) => [p.name, p]));
  for (const [key, value] of Object.entries(news)) {
    if (ENGINE_KEYS.has(key)) continue;
    const property = known.get(key);
    if (!property) {
      failures.push({ property: key, reason: `Invalid or unknown key: ${JSON.stringify(key)} is not a configuration key of the gitlab provider; the keys are ${[...known.keys()].join(", ")}.` });
      continue;
    }
    if (containsUnknown(value)) continue;
    if (decode(property, reveal(value)) === undefined) {
      failures.push({ property: key, reason: `gitlab:${key} must be ${property.kind === "stringMap" ? "a map of strings" : `a ${property.kind}`} (or its JSON encoding in a string), got ${describe(property, value)}.` });
    }
  }
  // MarkSchemaSecrets: the schema marks `token` secret, so it is stored encrypted whatever the program sent.
  const inputs: WireMap = { ...news };
  if (inputs.token !== undefined && inputs.token !== null) inputs.token = secret(inputs.token);
  return { inputs, failures };
}

export function diffConfig(olds: WireMap, news: WireMap): string[] {
  return [...new Set([...Object.keys(olds), ...Object.keys(news)])].filter((key) => !ENGINE_KEYS.has(key) && !sameValue(olds[key] ?? null, news[key] ?? null)).sort();
}

export interface ProviderSettings {
  readonly client: Omit<GitLabClientOptions, "secrets" | "signal" | "sleep">;
  readonly earlyAuthCheck: boolean;
}

/** The settings a Configure call yields, from its args, else the `gitlab:config:*` variables, else the environment. */
export function providerSettings(args: WireMap, variables: Readonly<Record<string, string>>, env: NodeJS.ProcessEnv = process.env): ProviderSettings {
  const read = (name: string): WireValue | undefined => {
    const property = PROVIDER_CONFIG.find((p) => p.name === name) as PropertyModel;
    const raw = args[name] ?? variables[`gitlab:config:${name}`];
    return raw === undefined || raw === null ? undefined : decode(property, reveal(raw));
  };
  const baseUrl = (read("baseUrl") as string | undefined) || env.GITLAB_BASE_URL || "https://gitlab.com/api/v4/";
  const token = (read("token") as string | undefined) ?? env.GITLAB_TOKEN ?? "";
  const ca: string[] = [];
  const cacertFile = read("cacertFile") as string | undefined;
  if (cacertFile) ca.push(readCertificate(cacertFile, "gitlab:cacertFile"));
  // Go reads SSL_CERT_FILE for its trust store; the official plugin trusts what it names, so does this one.
  if (env.SSL_CERT_FILE) ca.push(readCertificate(env.SSL_CERT_FILE, "SSL_CERT_FILE"));
  const earlyAuth = read("earlyAuthCheck") ?? (env.GITLAB_EARLY_AUTH_CHECK === undefined ? undefined : env.GITLAB_EARLY_AUTH_CHECK !== "false");
  const retries = read("retries") as number | undefined;
  return {
    client: {
      baseUrl,
      token,
      ca,
      insecure: read("insecure") === true,
      headers: (read("headers") as Record<string, string> | undefined) ?? {},
      ...(retries === undefined ? {} : { retries }),
    },
    earlyAuthCheck: earlyAuth !== false,
  };
}

/** The provider's early authentication check: GET /user with the configured token. */
export async function earlyAuthCheck(client: GitLabClient): Promise<void> {
  try {
    await client.request({ method: "GET", path: "user" });
  } catch (error) {
    throw new ProviderError(
      "Failed to configure the GitLab provider",
      `the early authentication check (GET /user) failed: ${(error as Error).message}. Check gitlab:token (or GITLAB_TOKEN) and gitlab:baseUrl (or GITLAB_BASE_URL), or set gitlab:earlyAuthCheck to false`,
    );
  }
}

function decode(property: PropertyModel, value: WireValue): WireValue | undefined {
  const parsed = typeof value === "string" && property.kind !== "string" ? parseJson(value) : value;
  switch (property.kind) {
    case "string":
      return typeof value === "string" ? value : undefined;
    case "boolean":
      return typeof parsed === "boolean" ? parsed : undefined;
    case "integer":
      return Number.isInteger(parsed) ? parsed : undefined;
    case "stringMap":
      return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) && Object.values(parsed).every((v) => typeof v === "string") ? parsed : undefined;
    default:
      return undefined;
  }
}

/** A failing value, described without showing it when it is the token. */
function describe(property: PropertyModel, value: WireValue): string {
  return property.secret ? "a value of the wrong type" : JSON.stringify(reveal(value));
}

function readCertificate(file: string, setting: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    throw new ProviderError("Failed to configure the GitLab provider", `cannot read the CA certificate file ${file} named by ${setting}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}

function parseJson(text: string): WireValue | undefined {
  try {
    return JSON.parse(text) as WireValue;
  } catch {
    return undefined;
  }
}
