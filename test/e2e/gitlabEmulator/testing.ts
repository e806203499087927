// Helpers for the emulator's own tests: one emulator per test file on a pinned, movable clock, a
// fresh project per test (so tests never see each other's tokens), and short request helpers.

import { after, before } from "node:test";
import type { Clock } from "../../../config/clock";
import { addDays } from "../../../config/dates";
import { startGitLabEmulator, type GitLabEmulator, type StartOptions } from "./emulator";
import { gitlabRequest, type EmulatorResponse, type RequestOptions } from "./testClient";

/** The instant every emulator test starts at; dates in assertions are computed from it. */
export const TEST_NOW = "2026-12-01T12:00:00.000Z";
export const TEST_TODAY = TEST_NOW.slice(0, 10);

/** A clock that stays where it is put. */
export class TestClock implements Clock {
  private instant: Date;

  constructor(iso = TEST_NOW) {
    this.instant = new Date(iso);
  }

  now(): Date {
    return new Date(this.instant.getTime());
  }

  set(iso: string): void {
    this.instant = new Date(iso);
  }

  advanceMs(ms: number): void {
    this.instant = new Date(this.instant.getTime() + ms);
  }
}

/** `days` days after the test's today. */
export const inDays = (days: number) => addDays(TEST_TODAY, days);

export interface TestProject {
  readonly id: number;
  readonly path: string;
  /** The path as it goes in a URL: `group%2Fp3`. */
  readonly encoded: string;
}

export interface Harness {
  /** The emulator (started in `before`). */
  readonly emulator: GitLabEmulator;
  readonly clock: TestClock;
  /** A request as the administrator (its api token) unless `options.token` says otherwise. */
  call(method: string, path: string, options?: RequestOptions): Promise<EmulatorResponse>;
  /** A new project nobody else uses. */
  project(): TestProject;
  /** A user with a personal access token (scope api unless given) and `accessLevel` in `project`. */
  member(project: TestProject, accessLevel: number, scopes?: readonly string[]): { readonly userId: number; readonly token: string; readonly name: string };
  /** Creates a project access token through the API and returns the answer's body. */
  createToken(project: TestProject, fields?: Record<string, unknown>): Promise<Record<string, unknown>>;
}

/** Starts an emulator for the calling test file and checks, after it, that no request went astray. */
export function emulatorHarness(options: StartOptions = {}): Harness {
  const clock = new TestClock();
  let emulator: GitLabEmulator | undefined;
  let projects = 0;
  let users = 0;
  before(async () => {
    emulator = await startGitLabEmulator({ clock, ...options });
  });
  after(async () => {
    try {
      emulator?.assertNoUnknownRoutes();
    } finally {
      await emulator?.close();
    }
  });
  const harness: Harness = {
    get emulator() {
      if (!emulator) throw new Error("the emulator starts in before(); use it inside a test");
      return emulator;
    },
    clock,
    call: (method, path, requestOptions = {}) => gitlabRequest(harness.emulator, method, path, { token: harness.emulator.apiToken, ...requestOptions }),
    project: () => {
      const created = harness.emulator.control.addProject({ path: `group/p${++projects}` });
      return { ...created, encoded: encodeURIComponent(created.path) };
    },
    member: (project, accessLevel, scopes = ["api"]) => {
      const name = `member${++users}`;
      const user = harness.emulator.control.addUser({ username: name, name: `Member ${users}` });
      harness.emulator.control.addMember(project.id, user.id, accessLevel);
      const made = harness.emulator.control.createPersonalAccessToken(user.id, { scopes });
      return { userId: user.id, token: made.token, name: `Member ${users}` };
    },
    createToken: async (project, fields = {}) => {
      const response = await harness.call("POST", `/projects/${project.id}/access_tokens`, { json: { name: "push", scopes: ["write_repository"], access_level: 30, expires_at: inDays(30), ...fields } });
      if (response.status !== 201) throw new Error(`creating a token answered ${response.status}: ${response.text}`);
      return response.json as Record<string, unknown>;
    },
  };
  return harness;
}
