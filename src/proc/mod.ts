/**
 * Subprocesses: the only place kcross starts one. `runProcess` for builds
 * (process group, merged streams, line streaming), `runCaptured` for short
 * commands whose output is read, `spawnChild` for streaming, PATH lookup,
 * and the `ProcessRunner` seam over them.
 *
 * @module
 */
export { findExecutable } from "./find_executable.ts";
export {
  killGroup,
  type ProcessResult,
  runProcess,
  type RunProcessOptions,
} from "./run_process.ts";
export {
  type CapturedOutput,
  type CaptureOptions,
  CommandNotFoundError,
  type OutputMode,
  runCaptured,
  spawnChild,
  type SpawnOptions,
} from "./run_captured.ts";
export { type ProcessRunner, realProcessRunner } from "./process_runner.ts";
export { OVER_CAP_EXIT } from "./splice_tee.ts";
export {
  type PipelineOptions,
  type SideStage,
  spawnTeePipeline,
  type StageResult,
  type TeePipeline,
} from "./tee_pipeline.ts";
