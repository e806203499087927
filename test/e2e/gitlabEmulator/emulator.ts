// `startGitLabEmulator`: a stateful GitLab REST v4 emulator over HTTPS on 127.0.0.1, and the handle
// a test drives it with. An administrator (user 1, `root`) exists from the start with two tokens of
// its own: `apiToken` (scope api) and `readApiToken` (scope read_api). Neither expires, as a token
// made before GitLab 16.0 may not, so that a test clock moved far ahead still reaches the API.

import { inspect } from "node:util";
import { utcDate } from "../../../config/dates";
import { createCertificate, type EmulatorCertificate } from "./certificate";
import { createControl, type EmulatorControl } from "./control";
import { Faults } from "./faults";
import { stateView, type EmulatorStateView } from "./inspection";
import { settingsFrom, type EmulatorSettings, type GitLabEmulatorOptions } from "./options";
import { compareReleases, featuresOf } from "./version";
import { describeRequest, RequestLog, type EmulatorLog } from "./requestLog";
import { ROUTES } from "./routes";
import { API_PREFIX, startServer, type RunningServer } from "./server";
import { EmulatorState, ROOT_USER_ID } from "./state";

export interface StartOptions extends GitLabEmulatorOptions {
  /** The openssl executable that makes the certificate; default `openssl` on PATH. */
  readonly openssl?: string;
}

export interface GitLabEmulator {
  /** `https://127.0.0.1:<port>/api/v4/` */
  readonly baseUrl: string;
  /** `https://127.0.0.1:<port>` */
  readonly origin: string;
  /** The CA certificate to trust: NODE_EXTRA_CA_CERTS for a child process, `ca` in-process. */
  readonly caPath: string;
  readonly caPem: string;
  /** The administrator's token, scope `api` (not shown by util.inspect). */
  readonly apiToken: string;
  /** The administrator's read-only token, scope `read_api` (not shown by util.inspect). */
  readonly readApiToken: string;
  /** The administrator's user id (1). */
  readonly adminUserId: number;
  /** The release answered, e.g. "19.6.0". */
  readonly version: string;
  /** Test-only views of everything the instance holds, secrets included. */
  readonly state: EmulatorStateView;
  /** Out-of-band changes, seeding and fault injection. */
  readonly control: EmulatorControl;
  /** Every request answered, with secrets redacted. */
  readonly log: EmulatorLog;
  /** Today's date in UTC by the emulator's clock. */
  today(): string;
  /**
   * Throws, listing them, when any request hit a route the emulator does not know (GitLab answered
   * those 404) or made the emulator fail (answered 500). For a test's `after` hook.
   */
  assertNoUnknownRoutes(): void;
  close(): Promise<void>;
}

export async function startGitLabEmulator(options: StartOptions = {}): Promise<GitLabEmulator> {
  const settings = settingsFrom(options);
  const certificate = await createCertificate(options.openssl);
  try {
    const state = new EmulatorState(() => settings.clock.now());
    const root = state.addUser({ username: "root", name: "Administrator", admin: true });
    if (root.id !== ROOT_USER_ID) throw new Error("GitLab emulator: the administrator must be user 1");
    const adminToken = (name: string, scope: string) => state.addToken({ userId: root.id, name, description: null, scopes: [scope], expiresAt: null, previousId: null });
    const apiToken = adminToken("emulator api token", "api");
    const readApiToken = adminToken("emulator read_api token", "read_api");
    for (const seed of options.projects ?? []) state.addProject(seed);

    const log = new RequestLog();
    const faults = new Faults();
    const internalErrors: string[] = [];
    const server = await startServer({ state, settings, log, faults, routes: ROUTES, internalErrors }, certificate);
    const today = () => utcDate(settings.clock.now());
    // Routes read settings.features on every request, so an upgrade takes effect at the next one.
    const upgradeTo = (version: string) => {
      const next = featuresOf(version);
      if (compareReleases(next.version, settings.features.version) < 0) {
        throw new RangeError(`GitLab emulator: cannot go from ${settings.features.version} down to ${next.version}. Fix: start another emulator at that release.`);
      }
      (settings as { features: EmulatorSettings["features"] }).features = next;
    };
    const control = createControl(state, faults, today, upgradeTo);
    return new EmulatorHandle(server, certificate, { apiToken: apiToken.value, readApiToken: readApiToken.value }, () => settings.features.version, stateView(state, today), control, log, internalErrors, today);
  } catch (error) {
    await certificate.remove();
    throw error;
  }
}

class EmulatorHandle implements GitLabEmulator {
  readonly baseUrl: string;
  readonly origin: string;
  readonly caPath: string;
  readonly caPem: string;
  readonly adminUserId = ROOT_USER_ID;
  readonly #tokens: { readonly apiToken: string; readonly readApiToken: string };
  #closed = false;

  constructor(
    private readonly server: RunningServer,
    private readonly certificate: EmulatorCertificate,
    tokens: { readonly apiToken: string; readonly readApiToken: string },
    private readonly currentVersion: () => string,
    readonly state: EmulatorStateView,
    readonly control: EmulatorControl,
    readonly log: EmulatorLog,
    private readonly internalErrors: readonly string[],
    readonly today: () => string,
  ) {
    this.origin = server.origin;
    this.baseUrl = `${server.origin}${API_PREFIX}/`;
    this.caPath = certificate.caPath;
    this.caPem = certificate.caPem;
    this.#tokens = tokens;
  }

  /** The release answered now (control.upgradeTo changes it). */
  get version(): string {
    return this.currentVersion();
  }

  // Getters over private fields: printing the handle (a failed assertion, console.log) shows no token.
  get apiToken(): string {
    return this.#tokens.apiToken;
  }

  get readApiToken(): string {
    return this.#tokens.readApiToken;
  }

  assertNoUnknownRoutes(): void {
    const unknown = this.log.unknownRoutes().map((entry) => `  ${describeRequest(entry)} (answered ${entry.status})`);
    const failures = this.internalErrors.map((error) => `  ${error}`);
    if (unknown.length === 0 && failures.length === 0) return;
    const parts = [
      ...(unknown.length > 0 ? [`${unknown.length} request(s) to routes the GitLab emulator does not know:`, ...unknown] : []),
      ...(failures.length > 0 ? [`${failures.length} request(s) the emulator failed on (answered 500):`, ...failures] : []),
      "Fix: correct the client's path or method, or add the route to test/e2e/gitlabEmulator/routes/ if GitLab has it.",
    ];
    throw new Error(parts.join("\n"));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.server.close();
    await this.certificate.remove();
  }

  [inspect.custom](): string {
    return `GitLabEmulator { baseUrl: '${this.baseUrl}', version: '${this.version}' }`;
  }
}
