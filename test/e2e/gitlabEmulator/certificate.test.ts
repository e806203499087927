// The emulator's TLS: a per-run CA and a certificate for IP:127.0.0.1 and DNS:localhost, trusted by
// a child process through NODE_EXTRA_CA_CERTS (as the stand-in plugin is) and by nothing else; made
// with the machine's openssl, with a clear message when that is missing.

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { connect, type TLSSocket } from "node:tls";
import { promisify } from "node:util";
import { describe, it } from "node:test";
import { startGitLabEmulator } from "./emulator";
import { gitlabRequest } from "./testClient";
import { emulatorHarness } from "./testing";

const gitlab = emulatorHarness();
const run = promisify(execFile);

function peerCertificate(options: { host: string; ca?: string }): Promise<ReturnType<TLSSocket["getPeerCertificate"]>> {
  const { port } = new URL(gitlab.emulator.origin);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port: Number(port), servername: options.host === "localhost" ? "localhost" : undefined, ca: options.ca }, () => {
      const certificate = socket.getPeerCertificate();
      socket.end();
      resolve(certificate);
    });
    socket.on("error", reject);
  });
}

describe("the certificate", () => {
  it("is issued by the run's CA for IP 127.0.0.1 and DNS localhost", async () => {
    const certificate = await peerCertificate({ host: "127.0.0.1", ca: gitlab.emulator.caPem });
    assert.equal(certificate.subjectaltname, "IP Address:127.0.0.1, DNS:localhost");
    assert.equal(certificate.issuer.CN, "GitLab emulator test CA");
    assert.equal(readFileSync(gitlab.emulator.caPath, "utf8"), gitlab.emulator.caPem);
  });

  it("is not trusted without the CA", async () => {
    await assert.rejects(gitlabRequest({ origin: gitlab.emulator.origin, caPem: "" as string }, "GET", "/version"), (error: NodeJS.ErrnoException) => {
      assert.match(String(error.code), /UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT_LOCALLY/);
      return true;
    });
  });

  it("serves https://localhost too", async () => {
    const localhost = gitlab.emulator.origin.replace("127.0.0.1", "localhost");
    const response = await gitlabRequest({ origin: localhost, caPem: gitlab.emulator.caPem }, "GET", "/user", { token: gitlab.emulator.apiToken });
    assert.equal(response.status, 200);
  });

  it("is trusted by a child Node.js process through NODE_EXTRA_CA_CERTS, as the stand-in plugin is", async () => {
    const script = "fetch(process.env.URL, { headers: { 'PRIVATE-TOKEN': process.env.TOKEN } }).then(async (r) => console.log(r.status, (await r.json()).username), (e) => { console.error(e.cause?.code ?? e.message); process.exit(1); })";
    const { stdout } = await run(process.execPath, ["-e", script], {
      env: { PATH: process.env.PATH, NODE_EXTRA_CA_CERTS: gitlab.emulator.caPath, URL: `${gitlab.emulator.baseUrl}user`, TOKEN: gitlab.emulator.apiToken },
      timeout: 20_000,
    });
    assert.equal(stdout.trim(), "200 root");
  });

  it("has baseUrl https://127.0.0.1:<port>/api/v4/", () => {
    assert.match(gitlab.emulator.baseUrl, /^https:\/\/127\.0\.0\.1:\d+\/api\/v4\/$/);
    assert.equal(gitlab.emulator.baseUrl, `${gitlab.emulator.origin}/api/v4/`);
  });
});

describe("the certificate's files", () => {
  it("keeps only the CA certificate and the server's files, and removes them on close", async () => {
    const emulator = await startGitLabEmulator();
    const directory = path.dirname(emulator.caPath);
    assert.deepEqual(readdirSync(directory).sort(), ["ca.pem", "server.csr", "server.ext", "server.key", "server.pem"]);
    await emulator.close();
    assert.equal(existsSync(directory), false);
    await emulator.close();
  });

  it("fails with the fix when openssl is missing", async () => {
    await assert.rejects(startGitLabEmulator({ openssl: "/nonexistent/openssl" }), {
      message: "GitLab emulator: the /nonexistent/openssl command was not found; it makes the emulator's TLS certificate. Fix: install OpenSSL (Debian: apt-get install openssl) or put it on PATH.",
    });
  });

  it("fails naming the step when openssl itself fails", async () => {
    await assert.rejects(startGitLabEmulator({ openssl: "/bin/false" }), /^Error: GitLab emulator: \/bin\/false req failed while making the TLS certificate: .*Fix: check that \/bin\/false is OpenSSL 1\.1\.1 or later\.$/);
  });
});
