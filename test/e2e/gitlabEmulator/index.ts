// The GitLab API emulator's public surface. See README.md beside this file.

export { startGitLabEmulator, type GitLabEmulator, type StartOptions } from "./emulator";
export type { GitLabEmulatorOptions } from "./options";
export type { EmulatorControl, HandMadeVariable, MadeToken, VariableChange } from "./control";
export type { EmulatorStateView, ProjectSnapshot, StateSnapshot, TokenSnapshot, VariableSnapshot } from "./inspection";
export type { FaultAction, FaultRule, InjectedFault } from "./faults";
export { REDACTED, type EmulatorLog, type LoggedRequest } from "./requestLog";
export { ACCESS, type ProjectSeed } from "./state";
export { DEFAULT_VERSION } from "./version";
export { gitlabRequest, type EmulatorResponse, type RequestOptions } from "./testClient";
