// A small GitLab REST v4 client over Node's fetch: only the calls `mr-note` and `propose-rotation`
// make. Authentication is the `PRIVATE-TOKEN` header (personal, project and group access tokens all
// accept it). Retries, timeouts and error messages live in transport.ts.

import { checkApiUrl } from "./apiUrl";
import { GitLabApiError } from "./errors";
import { createTransport, type ApiRequest, type ApiResponse } from "./transport";

export interface GitLabClientOptions {
  /** API base such as `https://gitlab.example.com/api/v4`; https, or http on 127.0.0.1/localhost only. */
  readonly apiUrl: string;
  /** The access token, sent as `PRIVATE-TOKEN` and never shown. */
  readonly token: string;
  /** Where the token came from, named in messages; default "the API token". */
  readonly tokenName?: string;
  /** Where the API URL came from, named when it is refused; default "the API URL". */
  readonly apiUrlSource?: string;
  /** Sent as User-Agent; default "gitlab-push-tokens". */
  readonly userAgent?: string;
  /** Waits between attempts; default a real timer. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Per attempt; default 30 s. */
  readonly timeoutMs?: number;
  /** Attempts per request, the first included; default 4. */
  readonly maxAttempts?: number;
  /** First backoff delay, doubled per attempt; default 1 s. */
  readonly baseDelayMs?: number;
  /** Backoff cap; default 8 s. */
  readonly maxDelayMs?: number;
  /** Retry-After cap; default 60 s. */
  readonly maxRetryAfterMs?: number;
}

export interface GitLabUser {
  readonly id: number;
  readonly username: string;
}

export interface MergeRequestNote {
  readonly id: number;
  readonly body: string;
  /** The user who wrote it. */
  readonly authorId: number;
  /** GitLab's own notes ("added 1 commit"), which nobody edits. */
  readonly system: boolean;
}

export interface MergeRequest {
  readonly iid: number;
  readonly webUrl: string;
}

export interface CommitAction {
  /** `update` for a file the start commit has, `create` for a new one. */
  readonly action: "create" | "update";
  /** Path from the repository root. */
  readonly filePath: string;
  readonly content: string;
}

export interface NewCommit {
  readonly branch: string;
  /** The commit the new one is based on. */
  readonly startSha: string;
  readonly message: string;
  /** Overwrite `branch` when it exists (instead of GitLab refusing). */
  readonly force: boolean;
  readonly actions: readonly CommitAction[];
}

export interface Commit {
  readonly id: string;
  /** Absent on GitLab versions before 12.x. */
  readonly webUrl?: string;
}

export interface NewMergeRequest {
  readonly sourceBranch: string;
  readonly targetBranch: string;
  readonly title: string;
  readonly description: string;
  readonly removeSourceBranch: boolean;
}

export interface GitLabClient {
  /** The token's own user (a project access token's bot user). */
  currentUser(): Promise<GitLabUser>;
  /** Every note of a merge request, oldest first, across all pages. */
  listMergeRequestNotes(project: string, mergeRequestIid: number): Promise<MergeRequestNote[]>;
  /** Not repeated after a lost answer: re-read the notes before trying again (see GitLabApiError.outcomeUnknown). */
  createMergeRequestNote(project: string, mergeRequestIid: number, body: string): Promise<MergeRequestNote>;
  updateMergeRequestNote(project: string, mergeRequestIid: number, noteId: number, body: string): Promise<MergeRequestNote>;
  /** A file's content on a branch, or undefined when the branch or the file does not exist. */
  readFile(project: string, filePath: string, ref: string): Promise<string | undefined>;
  /** Repeated after a lost answer only when `force` is set: then a second run leaves the same branch. */
  createCommit(project: string, commit: NewCommit): Promise<Commit>;
  /** Open merge requests from `sourceBranch` into `targetBranch`. */
  listOpenMergeRequests(project: string, sourceBranch: string, targetBranch: string): Promise<MergeRequest[]>;
  /** Not repeated after a lost answer: list the open merge requests before trying again. */
  createMergeRequest(project: string, mergeRequest: NewMergeRequest): Promise<MergeRequest>;
}

/** Stops a runaway pagination (a proxy that always sends x-next-page): 10,000 notes. */
const MAX_NOTE_PAGES = 100;
const NOTES_PER_PAGE = 100;

const PROJECT_FIX = "check the project ID (CI_PROJECT_ID) and that the token's user is a member of that project";

export function createGitLabClient(options: GitLabClientOptions): GitLabClient {
  const tokenName = options.tokenName ?? "the API token";
  const send = createTransport({
    apiUrl: checkApiUrl(options.apiUrl, options.apiUrlSource ?? "the API URL"),
    token: options.token,
    tokenName,
    userAgent: options.userAgent ?? "gitlab-push-tokens",
    sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    timeoutMs: options.timeoutMs ?? 30_000,
    maxAttempts: Math.max(1, options.maxAttempts ?? 4),
    baseDelayMs: options.baseDelayMs ?? 1_000,
    maxDelayMs: options.maxDelayMs ?? 8_000,
    maxRetryAfterMs: options.maxRetryAfterMs ?? 60_000,
  });

  async function sendJson(request: ApiRequest): Promise<{ response: ApiResponse; json: unknown }> {
    const response = await send(request);
    try {
      return { response, json: JSON.parse(response.text) };
    } catch {
      throw badResponse(request, "a body that is not JSON; the API URL probably points at a web page rather than at /api/v4");
    }
  }

  const noteRequest = (project: string, iid: number) => ({
    subject: `merge request !${iid} in project ${project}`,
    notFoundFix: "check CI_MERGE_REQUEST_PROJECT_ID and CI_MERGE_REQUEST_IID, and that the token's user is a member of that project (a project access token sees only its own project)",
    needs: "the api scope and at least the Reporter role in that project",
  });
  const mergeRequestsPath = (project: string, iid: number) => `/projects/${projectId(project)}/merge_requests/${iid}`;

  return {
    async currentUser() {
      const request: ApiRequest = { method: "GET", path: "/user", repeatable: true, subject: "current user", notFoundFix: "check the API URL", needs: "the api scope" };
      const { json } = await sendJson(request);
      return toUser(request, json);
    },

    async listMergeRequestNotes(project, iid) {
      const notes: MergeRequestNote[] = [];
      let page = "1";
      for (let pages = 0; pages < MAX_NOTE_PAGES; pages++) {
        const request: ApiRequest = {
          method: "GET",
          path: `${mergeRequestsPath(project, iid)}/notes?sort=asc&order_by=created_at&per_page=${NOTES_PER_PAGE}&page=${encodeURIComponent(page)}`,
          repeatable: true,
          ...noteRequest(project, iid),
        };
        const { response, json } = await sendJson(request);
        if (!Array.isArray(json)) throw badResponse(request, "something other than a list of notes");
        notes.push(...json.map((note) => toNote(request, note)));
        const next = response.headers.get("x-next-page")?.trim();
        if (!next) return notes;
        page = next;
      }
      throw new GitLabApiError(`GitLab API: merge request !${iid} in project ${project} has more than ${MAX_NOTE_PAGES * NOTES_PER_PAGE} notes, more than this tool reads. Fix: post the preview in a new merge request.`, "bad-response", undefined);
    },

    async createMergeRequestNote(project, iid, body) {
      const request: ApiRequest = { method: "POST", path: `${mergeRequestsPath(project, iid)}/notes`, body: { body }, repeatable: false, ...noteRequest(project, iid) };
      const { json } = await sendJson(request);
      return toNote(request, json);
    },

    async updateMergeRequestNote(project, iid, noteId, body) {
      const request: ApiRequest = {
        method: "PUT",
        path: `${mergeRequestsPath(project, iid)}/notes/${noteId}`,
        body: { body },
        repeatable: true,
        ...noteRequest(project, iid),
        subject: `note ${noteId} on merge request !${iid} in project ${project}`,
      };
      const { json } = await sendJson(request);
      return toNote(request, json);
    },

    async readFile(project, filePath, ref) {
      const request: ApiRequest = {
        method: "GET",
        path: `/projects/${projectId(project)}/repository/files/${encodeURIComponent(filePath)}/raw?ref=${encodeURIComponent(ref)}`,
        repeatable: true,
        subject: `project ${project}`,
        notFoundFix: PROJECT_FIX,
        needs: "the api scope and at least the Reporter role in that project",
        accept: [404],
      };
      const response = await send(request);
      // A missing project is a 404 too; the commit that follows then names it.
      return response.status === 404 ? undefined : response.text;
    },

    async createCommit(project, commit) {
      const request: ApiRequest = {
        method: "POST",
        path: `/projects/${projectId(project)}/repository/commits`,
        body: {
          branch: commit.branch,
          start_sha: commit.startSha,
          commit_message: commit.message,
          force: commit.force,
          actions: commit.actions.map((action) => ({ action: action.action, file_path: action.filePath, content: action.content })),
        },
        repeatable: commit.force,
        subject: `project ${project} (or its commit ${commit.startSha.slice(0, 12)})`,
        notFoundFix: `${PROJECT_FIX}, and that the job's commit has been pushed`,
        needs: `the api scope and a role that may push to branch ${commit.branch} (Developer, when the branch is not protected)`,
      };
      const { json } = await sendJson(request);
      const value = json as { id?: unknown; web_url?: unknown } | null;
      if (typeof value?.id !== "string") throw badResponse(request, "a commit without an id");
      return { id: value.id, ...(typeof value.web_url === "string" ? { webUrl: value.web_url } : {}) };
    },

    async listOpenMergeRequests(project, sourceBranch, targetBranch) {
      const request: ApiRequest = {
        method: "GET",
        path: `/projects/${projectId(project)}/merge_requests?state=opened&source_branch=${encodeURIComponent(sourceBranch)}&target_branch=${encodeURIComponent(targetBranch)}`,
        repeatable: true,
        subject: `project ${project}`,
        notFoundFix: PROJECT_FIX,
        needs: "the api scope and at least the Reporter role in that project",
      };
      const { json } = await sendJson(request);
      if (!Array.isArray(json)) throw badResponse(request, "something other than a list of merge requests");
      return json.map((item) => toMergeRequest(request, item));
    },

    async createMergeRequest(project, mergeRequest) {
      const request: ApiRequest = {
        method: "POST",
        path: `/projects/${projectId(project)}/merge_requests`,
        body: {
          source_branch: mergeRequest.sourceBranch,
          target_branch: mergeRequest.targetBranch,
          title: mergeRequest.title,
          description: mergeRequest.description,
          remove_source_branch: mergeRequest.removeSourceBranch,
        },
        repeatable: false,
        subject: `project ${project}`,
        notFoundFix: PROJECT_FIX,
        needs: "the api scope and at least the Developer role in that project",
      };
      const { json } = await sendJson(request);
      return toMergeRequest(request, json);
    },
  };

  function badResponse(request: ApiRequest, what: string): GitLabApiError {
    return new GitLabApiError(`GitLab API ${request.method} ${request.path}: answered with ${what}. Fix: check that the API URL is the instance's /api/v4 address.`, "bad-response", undefined);
  }

  function toUser(request: ApiRequest, value: unknown): GitLabUser {
    const user = value as { id?: unknown; username?: unknown } | null;
    if (typeof user?.id !== "number") throw badResponse(request, "a user without an id");
    return { id: user.id, username: typeof user.username === "string" ? user.username : "" };
  }

  function toNote(request: ApiRequest, value: unknown): MergeRequestNote {
    const note = value as { id?: unknown; body?: unknown; author?: { id?: unknown } | null; system?: unknown } | null;
    if (typeof note?.id !== "number" || typeof note.body !== "string") throw badResponse(request, "a note without an id or body");
    return { id: note.id, body: note.body, authorId: typeof note.author?.id === "number" ? note.author.id : -1, system: note.system === true };
  }

  function toMergeRequest(request: ApiRequest, value: unknown): MergeRequest {
    const item = value as { iid?: unknown; web_url?: unknown } | null;
    if (typeof item?.iid !== "number") throw badResponse(request, "a merge request without an iid");
    return { iid: item.iid, webUrl: typeof item.web_url === "string" ? item.web_url : "" };
  }
}

/** A numeric project ID as it is, a path such as `xlink/infra` URL-encoded (`xlink%2Finfra`). */
export function projectId(project: string): string {
  return /^\d+$/.test(project) ? project : encodeURIComponent(project);
}
