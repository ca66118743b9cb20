/**
 * Subprocesses: PATH lookup and the process-group runner with line streaming.
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
