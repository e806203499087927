// config/configSize.ts: the stack config measured as the Node.js host hands it to the program, in
// PULUMI_CONFIG, which Linux refuses past 128 KiB. The SDK's mocks and the Automation API's inline
// programs never meet that limit, so it is met here the way the host meets it: `node` is started
// with the variable in its environment.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import { CONFIG_WARNING_BYTES, configEnvironmentBytes, configSizeWarning, hostConfigJson, MAX_ENV_STRING_BYTES } from "../../config/configSize";
import { benchStackConfig } from "../../lib/bench/generate";
import { toPulumiConfig } from "../../lib/stackFile/offlineConfig";

const PROJECT = "gitlab-push-tokens";

/** What a program started with this PULUMI_CONFIG reads back: the keys, and the tokens they hold. */
const READ_BACK = `const config = JSON.parse(process.env.PULUMI_CONFIG);
const tokens = config["${PROJECT}:config:pushTokens"];
process.stdout.write(JSON.stringify({ keys: Object.keys(config), tokens: tokens === undefined ? null : JSON.parse(tokens).length, file: config["${PROJECT}:config:pushTokensFile"] ?? null }));`;

/** Starts `node` as the Node.js host starts the program: the stack config as PULUMI_CONFIG. */
function startWith(config: Record<string, string>) {
  return spawnSync(process.execPath, ["-e", READ_BACK], { env: { PATH: process.env.PATH, PULUMI_CONFIG: hostConfigJson(config) }, encoding: "utf8" });
}

/** A stack of `tokens` tokens × 3 consumers, as the CLI hands it over: with the tokens in the stack config, or in the declaration file. */
function stackConfig(tokens: number, form: "inline" | "declaration"): Record<string, string> {
  const { gitlab, expiryWarningDays, pushTokens } = benchStackConfig(tokens);
  const configMap = form === "inline" ? { gitlab, expiryWarningDays, pushTokens } : { gitlab, expiryWarningDays, pushTokensFile: "push-tokens/big.yaml" };
  return toPulumiConfig(PROJECT, configMap).config;
}

describe("hostConfigJson: PULUMI_CONFIG as pulumi-language-nodejs builds it", () => {
  it("respells keys namespace:config:name, sorts them and escapes as Go's json.Marshal does", () => {
    assert.equal(
      hostConfigJson({ "gitlab-push-tokens:pushTokensFile": "push-tokens/dev.yaml", "gitlab-push-tokens:gitlab": '{"baseUrl":"https://a/api/v4"}', "gitlab:token": "<a&b>\u2028" }),
      '{"gitlab-push-tokens:config:gitlab":"{\\"baseUrl\\":\\"https://a/api/v4\\"}","gitlab-push-tokens:config:pushTokensFile":"push-tokens/dev.yaml","gitlab:config:token":"\\u003ca\\u0026b\\u003e\\u2028"}',
    );
  });

  it("counts the environment string NAME=value and its NUL, in bytes", () => {
    assert.equal(configEnvironmentBytes({}), "PULUMI_CONFIG={}".length + 1);
    assert.equal(configEnvironmentBytes({ "p:k": "é" }), 'PULUMI_CONFIG={"p:config:k":"é"}'.length + 1 + 1);
  });
});

describe("the limit, met as the host meets it: node started with PULUMI_CONFIG", () => {
  /** A config whose environment string is exactly `bytes` long. */
  const sized = (bytes: number) => {
    const filler = bytes - configEnvironmentBytes({ [`${PROJECT}:filler`]: "" });
    return { [`${PROJECT}:filler`]: "x".repeat(filler) };
  };

  it("is exactly what configEnvironmentBytes measures: 128 KiB starts, one byte more is refused (E2BIG)", () => {
    assert.equal(configEnvironmentBytes(sized(MAX_ENV_STRING_BYTES)), MAX_ENV_STRING_BYTES);
    const at = startWith(sized(MAX_ENV_STRING_BYTES));
    assert.equal(at.error, undefined);
    assert.equal(at.status, 0, at.stderr);
    const over = startWith(sized(MAX_ENV_STRING_BYTES + 1));
    assert.equal((over.error as NodeJS.ErrnoException | undefined)?.code, "E2BIG");
  });

  it("10,000 tokens × 3 consumers in a declaration file: node starts, and the stack config stays small and of one size", () => {
    const config = stackConfig(10_000, "declaration");
    const started = startWith(config);
    assert.equal(started.error, undefined);
    assert.equal(started.status, 0, started.stderr);
    assert.deepEqual(JSON.parse(started.stdout), {
      keys: [`${PROJECT}:config:expiryWarningDays`, `${PROJECT}:config:gitlab`, `${PROJECT}:config:pushTokensFile`],
      tokens: null,
      file: "push-tokens/big.yaml",
    });
    const bytes = configEnvironmentBytes(config);
    assert.ok(bytes < 512, `${bytes} bytes`);
    assert.equal(configEnvironmentBytes(stackConfig(10, "declaration")), bytes);
    assert.equal(configSizeWarning(config, "big"), undefined);
  });

  it("the same 10,000 tokens inline in the stack config: refused before the program could start (E2BIG), and warned about", () => {
    const config = stackConfig(10_000, "inline");
    assert.ok(configEnvironmentBytes(config) > MAX_ENV_STRING_BYTES);
    const started = startWith(config);
    assert.equal((started.error as NodeJS.ErrnoException | undefined)?.code, "E2BIG");
    assert.match(configSizeWarning(config, "big")!, /^the stack config of big is \d+\.\d KiB as the Node\.js host passes it \(PULUMI_CONFIG\), over Linux's limit of 128 KiB .* "argument list too long" .*Fix: move pushTokens out of the stack config into a declaration file: npm run move-push-tokens -- --stack big \(docs\/scaling\.md\)$/);
  });

  it("inline, a few hundred tokens reach the limit, as the real engine showed at 450 (../shared/notes/engine-build.md); the warning comes before it", () => {
    const fits = (tokens: number) => configEnvironmentBytes(stackConfig(tokens, "inline")) <= MAX_ENV_STRING_BYTES;
    let last = 1;
    while (fits(last + 1)) last++;
    assert.ok(last >= 200 && last < 600, `${last} tokens fit`);
    assert.equal(startWith(stackConfig(last, "inline")).status, 0);
    assert.equal((startWith(stackConfig(last + 1, "inline")).error as NodeJS.ErrnoException | undefined)?.code, "E2BIG");
    // Warned from 96 KiB on: a quarter of the way below, while the stack still runs.
    const warnedFrom = [...Array(last).keys()].map((n) => n + 1).find((tokens) => configSizeWarning(stackConfig(tokens, "inline"), "s") !== undefined)!;
    assert.ok(configEnvironmentBytes(stackConfig(warnedFrom, "inline")) > CONFIG_WARNING_BYTES);
    assert.ok(configEnvironmentBytes(stackConfig(warnedFrom - 1, "inline")) <= CONFIG_WARNING_BYTES);
    assert.match(configSizeWarning(stackConfig(warnedFrom, "inline"), "s")!, /near Linux's limit of 128 KiB/);
  });
});
