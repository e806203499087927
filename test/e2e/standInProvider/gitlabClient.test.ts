// The stand-in's REST client where it must look like the official provider's go-gitlab client on the
// wire: the API root, Go's escaping of paths and queries, which answers it retries and how long it
// waits, and errors in go-gitlab's words with every secret replaced.

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { promisify } from "node:util";
import fc from "fast-check";
import { API_PREFIX, startRecordingServer, type RecordingServer, type ScriptedReply } from "../../support/recordingServer";
import { backoffMs, encodeQuery, GitLabApiError, GitLabClient, normaliseBaseUrl, pathEscape, redact } from "./gitlabClient";
import { goTimeString } from "./projectAccessToken";
import { providerSettings } from "./providerConfig";

const FAKE_API_TOKEN = "glpat-FAKEclientCanary012345";

const servers: RecordingServer[] = [];
after(() => Promise.all(servers.map((server) => server.close())));
async function clientOn(script: readonly ScriptedReply[], retries = 2) {
  const server = await startRecordingServer(script);
  servers.push(server);
  const sleeps: number[] = [];
  const client = new GitLabClient({ baseUrl: server.apiUrl, token: FAKE_API_TOKEN, retries, secrets: () => ["glpat-FAKEechoedCanary0123"], sleep: async (ms) => void sleeps.push(ms) });
  return { server, client, sleeps };
}

describe("the API root (go-gitlab setBaseURL)", () => {
  it("appends api/v4/ unless the URL ends with it, and always a trailing slash", () => {
    assert.equal(normaliseBaseUrl("https://gitlab.example.com").href, "https://gitlab.example.com/api/v4/");
    assert.equal(normaliseBaseUrl("https://gitlab.example.com/api/v4").href, "https://gitlab.example.com/api/v4/");
    assert.equal(normaliseBaseUrl("https://gitlab.example.com/api/v4/").href, "https://gitlab.example.com/api/v4/");
    assert.equal(normaliseBaseUrl("https://example.com/gitlab/").href, "https://example.com/gitlab/api/v4/");
  });
});

describe("Go's escaping", () => {
  it("escapes a path segment as url.PathEscape does: / ; , ? and the rest, but not $&+:=@", () => {
    assert.equal(pathEscape("xlink/xlink-app"), "xlink%2Fxlink-app");
    assert.equal(pathEscape("a b,c;d?e*f!g'h(i)"), "a%20b%2Cc%3Bd%3Fe%2Af%21g%27h%28i%29");
    assert.equal(pathEscape("$&+:=@~._-"), "$&+:=@~._-");
    fc.assert(fc.property(fc.string(), (segment) => decodeURIComponent(pathEscape(segment)) === segment && !pathEscape(segment).includes("/")));
  });

  it("encodes a query as url.Values.Encode does: keys sorted, brackets and * escaped, space as +", () => {
    assert.equal(encodeQuery({ "filter[environment_scope]": "*" }), "filter%5Benvironment_scope%5D=%2A");
    assert.equal(encodeQuery({ b: "review/* x", a: "1" }), "a=1&b=review%2F%2A+x");
  });
});

describe("retries (go-gitlab retryHTTPCheck and retryHTTPBackoff)", () => {
  it("backs off exponentially from 100 ms on 429, linearly 700-900 ms per attempt on 5xx", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 6 }), fc.double({ min: 0, max: 0.999, noNaN: true }), (attempt, random) => {
        const limited = backoffMs(429, attempt, {}, () => random);
        assert.ok(limited >= 100 * 2 ** attempt && limited < 100 * 2 ** attempt + 300);
        const failed = backoffMs(503, attempt, {}, () => random);
        assert.ok(failed >= 700 * (attempt + 1) && failed < 900 * (attempt + 1));
      }),
    );
    const reset = Math.floor(Date.now() / 1000) + 30;
    assert.ok(backoffMs(429, 0, { "ratelimit-reset": String(reset) }, () => 0) > 25_000, "waits until RateLimit-Reset");
  });

  it("retries 429 and 5xx up to the configured number, then fails with GitLab's last answer", async () => {
    const { server, client, sleeps } = await clientOn([{ status: 429, json: { message: "429 Too Many Requests" } }, { status: 500, text: "" }, { status: 503, json: { error: "unavailable" } }]);
    await assert.rejects(client.request({ method: "GET", path: "user" }), (error: GitLabApiError) => {
      assert.equal(error.status, 503);
      assert.equal(error.message, `GET ${server.apiUrl}/user: 503 {error: unavailable}`);
      return true;
    });
    assert.equal(server.requests.length, 3);
    assert.equal(sleeps.length, 2);
  });

  it("does not retry a 4xx answer or a connection that cannot be made", async () => {
    const { server, client } = await clientOn([{ status: 404, json: { message: "404 Not Found" } }]);
    await assert.rejects(client.request({ method: "GET", path: "projects/1/access_tokens/2" }), /: 404 \{message: 404 Not Found\}$/);
    assert.equal(server.requests.length, 1);
    const unreachable = new GitLabClient({ baseUrl: "http://127.0.0.1:1", token: FAKE_API_TOKEN });
    await assert.rejects(unreachable.request({ method: "GET", path: "user" }), /^Error: GET http:\/\/127\.0\.0\.1:1\/api\/v4\/user: connect ECONNREFUSED/);
  });
});

describe("errors never show a secret", () => {
  it("replaces the API token, every secret the plugin was given, and anything shaped like a GitLab token", async () => {
    const { client } = await clientOn([{ status: 403, json: { message: `${FAKE_API_TOKEN} glpat-FAKEechoedCanary0123 gldt-abcdefghijkl` } }]);
    await assert.rejects(client.request({ method: "POST", path: "projects/1/access_tokens", body: {} }), (error: Error) => {
      assert.match(error.message, /: 403 \{message: \[secret\] \[secret\] \[secret\]\}$/);
      return true;
    });
    const around = fc.stringMatching(/^[ :{}"]{0,10}$/);
    fc.assert(fc.property(fc.stringMatching(/^[A-Za-z0-9_]{4,30}$/), around, around, (secret, before, later) => redact(`${before}${secret}${later}${secret}`, [secret]) === `${before}[secret]${later}[secret]`));
  });

  it("sends the provider's token as a bearer token, JSON bodies, and nothing else secret in headers", async () => {
    const { server, client } = await clientOn([{ status: 201, json: { id: 1 } }]);
    await client.request({ method: "POST", path: "projects/1/variables", body: { key: "K" } });
    const [request] = server.requests;
    assert.equal(request.path, `${API_PREFIX}/projects/1/variables`);
    assert.equal(request.headers.authorization, `Bearer ${FAKE_API_TOKEN}`);
    assert.equal(request.headers["content-type"], "application/json");
    assert.equal(request.body, '{"key":"K"}');
  });
});

describe("HTTPS with a self-signed certificate, as the emulator serves it", () => {
  it("refuses it by default, and trusts it through SSL_CERT_FILE (as the Go plugin does) or insecure", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "standin-tls-"));
    const [key, cert] = [path.join(dir, "key.pem"), path.join(dir, "cert.pem")];
    await promisify(execFile)("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"]);
    const server = createServer({ key: await readFile(key), cert: await readFile(cert) }, (request, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ path: request.url }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const baseUrl = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      await assert.rejects(new GitLabClient({ baseUrl, token: FAKE_API_TOKEN }).request({ method: "GET", path: "user" }), /: self-signed certificate/);
      const trusted = providerSettings({ baseUrl, token: FAKE_API_TOKEN }, {}, { SSL_CERT_FILE: cert });
      assert.deepEqual((await new GitLabClient(trusted.client).request({ method: "GET", path: "user" })).json, { path: "/api/v4/user" });
      const insecure = providerSettings({ baseUrl, token: FAKE_API_TOKEN, insecure: "true" }, {}, {});
      assert.deepEqual((await new GitLabClient(insecure.client).request({ method: "GET", path: "user" })).json, { path: "/api/v4/user" });
    } finally {
      server.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("Go's time.Time.String(), which the provider stores as createdAt", () => {
  it("prints GitLab's timestamps as Go does", () => {
    assert.equal(goTimeString("2021-01-20T22:11:48.151Z"), "2021-01-20 22:11:48.151 +0000 UTC");
    assert.equal(goTimeString("2021-01-20T22:11:48.000Z"), "2021-01-20 22:11:48 +0000 UTC");
    assert.equal(goTimeString("2021-01-20T22:11:48+02:00"), "2021-01-20 22:11:48 +0200 +0200");
  });
});
