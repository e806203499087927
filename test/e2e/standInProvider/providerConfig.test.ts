// The provider's configuration as the stand-in reads it: ConfigureRequest.args first (what the Node
// SDK's own provider server drops), then the `gitlab:config:*` variables, then GITLAB_BASE_URL and
// GITLAB_TOKEN; JSON-encoded booleans and numbers as the generated SDK sends them; a bad value named.

import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { checkConfig, diffConfig, providerSettings } from "./providerConfig";
import { secret } from "./propertyValues";

const FAKE_API_TOKEN = "glpat-FAKEconfigCanary01234";
const dirs: string[] = [];
after(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

describe("providerSettings", () => {
  it("reads baseUrl and the (secret) token from the args", () => {
    const settings = providerSettings({ baseUrl: "https://gitlab.example.com/api/v4", token: secret(FAKE_API_TOKEN) }, {}, {});
    assert.equal(settings.client.baseUrl, "https://gitlab.example.com/api/v4");
    assert.equal(settings.client.token, FAKE_API_TOKEN);
    assert.equal(settings.earlyAuthCheck, true);
  });

  it("falls back to the config variables, then to GITLAB_BASE_URL and GITLAB_TOKEN, then to gitlab.com", () => {
    assert.equal(providerSettings({}, { "gitlab:config:baseUrl": "https://from-variables.example/" }, {}).client.baseUrl, "https://from-variables.example/");
    const fromEnvironment = providerSettings({}, {}, { GITLAB_BASE_URL: "https://from-env.example/", GITLAB_TOKEN: FAKE_API_TOKEN });
    assert.deepEqual([fromEnvironment.client.baseUrl, fromEnvironment.client.token], ["https://from-env.example/", FAKE_API_TOKEN]);
    assert.equal(providerSettings({}, {}, {}).client.baseUrl, "https://gitlab.com/api/v4/");
  });

  it("decodes the SDK's JSON-encoded booleans, numbers and maps, and GITLAB_EARLY_AUTH_CHECK", () => {
    const settings = providerSettings({ insecure: "true", retries: "3", headers: '{"X-Team":"platform"}', earlyAuthCheck: "false" }, {}, {});
    assert.equal(settings.client.insecure, true);
    assert.equal(settings.client.retries, 3);
    assert.deepEqual(settings.client.headers, { "X-Team": "platform" });
    assert.equal(settings.earlyAuthCheck, false);
    assert.equal(providerSettings({}, {}, { GITLAB_EARLY_AUTH_CHECK: "false" }).earlyAuthCheck, false);
  });

  it("trusts the CA certificates of cacertFile and SSL_CERT_FILE (as the Go plugin does), and names a file it cannot read", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "standin-config-"));
    dirs.push(dir);
    const pem = path.join(dir, "ca.pem");
    await writeFile(pem, "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
    assert.equal(providerSettings({ cacertFile: pem }, {}, { SSL_CERT_FILE: pem }).client.ca?.length, 2);
    assert.throws(() => providerSettings({ cacertFile: path.join(dir, "missing.pem") }, {}, {}), /cannot read the CA certificate file .*missing\.pem named by gitlab:cacertFile: ENOENT/);
  });
});

describe("checkConfig and diffConfig", () => {
  it("names a value of the wrong type, never showing the token", () => {
    const { failures } = checkConfig({ insecure: "yes", retries: "many", token: ["not", FAKE_API_TOKEN] as never });
    assert.deepEqual(
      failures.map((f) => f.property),
      ["insecure", "retries", "token"],
    );
    assert.equal(failures[0].reason, 'gitlab:insecure must be a boolean (or its JSON encoding in a string), got "yes".');
    assert.ok(!failures[2].reason.includes(FAKE_API_TOKEN));
  });

  it("reports which settings changed, ignoring secret wrapping and the plugin version", () => {
    assert.deepEqual(diffConfig({ baseUrl: "a", token: secret(FAKE_API_TOKEN), version: "10.1.0" }, { baseUrl: "b", token: FAKE_API_TOKEN, version: "10.1.1" }), ["baseUrl"]);
  });
});
