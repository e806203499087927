// The end-to-end harness: everything a scenario suite needs to run the project's program through the
// real pulumi CLI. See docs/engine.md ("The end-to-end harness").

export { filesUnder, readCheckpoint, type Checkpoint, type StateResource, type StoredFile } from "./backendFiles";
export { pulumiCli } from "./cli";
export { createEngineEnv, type EngineEnv, type EngineEnvOptions, type PluginInstall } from "./engineEnv";
export type { CliRun, CliRunOptions } from "./runCli";
export { asCmdRunWould } from "./programErrors";
export { AUTOMATION_API_ERROR_TRAILER, E2eStack, OperationFailed, failureOf, type Operation, type OperationOptions, type PreviewOperation, type StackOptions, type UpOperation } from "./stack";
// The GitLab world the scenario suites share (docs/engine.md, "The GitLab world").
export { AS_CI_RUNS_IT, startGitLabWorld, type GitLabWorld, type StackConfig, type WorldOptions } from "./gitlabWorld";
export { describeOnEmulator, e2eMode, itOnEmulator, NEEDS_EMULATOR, type E2eMode } from "./e2eMode";
export type { GitLabTarget, GitLabToken, GitLabVariable, HandMadeToken, HandMadeVariable } from "./gitlabTarget";
export { pipelineCommand, runPipelineJob, type PipelineRun, type PulumiJob } from "./pipelineJobs";
export { readStackState, type StackState, type StateToken, type StateVariable } from "./stackState";
export { inconsistencies, type ConsistencyOptions } from "./consistency";
export { filesOfEngineEnv, plaintextSecrets, type Secret } from "./secretScan";
