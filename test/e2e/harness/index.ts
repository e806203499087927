// The end-to-end harness: everything a scenario suite needs to run the project's program through the
// real pulumi CLI. See docs/engine.md ("The end-to-end harness").

export { filesUnder, readCheckpoint, type Checkpoint, type StateResource, type StoredFile } from "./backendFiles";
export { pulumiCli } from "./cli";
export { createEngineEnv, type EngineEnv, type EngineEnvOptions, type PluginInstall } from "./engineEnv";
export type { CliRun, CliRunOptions } from "./runCli";
export { asCmdRunWould } from "./programErrors";
export { AUTOMATION_API_ERROR_TRAILER, E2eStack, OperationFailed, failureOf, type Operation, type OperationOptions, type PreviewOperation, type StackOptions, type UpOperation } from "./stack";
