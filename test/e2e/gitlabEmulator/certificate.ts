// A TLS certificate for the emulator, made per run with the machine's openssl: a throwaway CA and a
// server certificate it signs for IP:127.0.0.1 and DNS:localhost. Clients trust the CA file
// (NODE_EXTRA_CA_CERTS for a child process, `ca` for an in-process request); nothing is installed
// system-wide and the keys live only in a private temp directory removed on close.

import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const VALID_DAYS = "7";

export interface EmulatorCertificate {
  /** The directory holding the files; removed by `remove`. */
  readonly directory: string;
  /** The CA certificate (PEM) to trust. */
  readonly caPath: string;
  readonly caPem: string;
  readonly keyPem: string;
  readonly certPem: string;
  remove(): Promise<void>;
}

export async function createCertificate(openssl = "openssl"): Promise<EmulatorCertificate> {
  const directory = await mkdtemp(path.join(tmpdir(), "gitlab-emulator-"));
  const file = (name: string) => path.join(directory, name);
  const ecKey = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  try {
    await openSsl(openssl, ["req", "-x509", "-new", ...ecKey, "-keyout", file("ca.key"), "-out", file("ca.pem"), "-days", VALID_DAYS, "-subj", "/CN=GitLab emulator test CA", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"]);
    await openSsl(openssl, ["req", "-new", ...ecKey, "-keyout", file("server.key"), "-out", file("server.csr"), "-subj", "/CN=127.0.0.1"]);
    await writeFile(file("server.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n");
    await openSsl(openssl, ["x509", "-req", "-in", file("server.csr"), "-CA", file("ca.pem"), "-CAkey", file("ca.key"), "-set_serial", `0x${randomBytes(8).toString("hex")}`, "-days", VALID_DAYS, "-extfile", file("server.ext"), "-out", file("server.pem")]);
    const [caPem, keyPem, certPem] = await Promise.all([readFile(file("ca.pem"), "utf8"), readFile(file("server.key"), "utf8"), readFile(file("server.pem"), "utf8")]);
    // The CA's key has signed the one certificate it ever will: nothing needs it again.
    await rm(file("ca.key"));
    return { directory, caPath: file("ca.pem"), caPem, keyPem, certPem, remove: () => rm(directory, { recursive: true, force: true }) };
  } catch (error) {
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
}

async function openSsl(openssl: string, args: readonly string[]): Promise<void> {
  try {
    await run(openssl, [...args], { timeout: 30_000 });
  } catch (error) {
    const failure = error as NodeJS.ErrnoException & { stderr?: string };
    if (failure.code === "ENOENT") {
      throw new Error(`GitLab emulator: the ${openssl} command was not found; it makes the emulator's TLS certificate. Fix: install OpenSSL (Debian: apt-get install openssl) or put it on PATH.`);
    }
    const said = (failure.stderr ?? failure.message).trim().split("\n").slice(-2).join(" ");
    throw new Error(`GitLab emulator: ${openssl} ${args[0]} failed while making the TLS certificate: ${said}. Fix: check that ${openssl} is OpenSSL 1.1.1 or later.`);
  }
}
