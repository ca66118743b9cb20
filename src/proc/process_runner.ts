/**
 * The subprocess seam: one interface over the ways kcross starts a process,
 * with the real runner as the default. Code that starts processes takes a
 * `ProcessRunner` (tests hand in a fake) instead of inventing its own.
 *
 * @module
 */
import {
  type CapturedOutput,
  type CaptureOptions,
  runCaptured,
} from "./run_captured.ts";
import {
  type ProcessResult,
  runProcess,
  type RunProcessOptions,
} from "./run_process.ts";

/** How kcross starts processes. */
export interface ProcessRunner {
  /** A long command streamed line by line, in its own process group (make). */
  run(argv: string[], options: RunProcessOptions): Promise<ProcessResult>;
  /** A short command whose output is read whole (`gcc --version`). */
  capture(argv: string[], options?: CaptureOptions): Promise<CapturedOutput>;
}

/** The real runner. */
export const realProcessRunner: ProcessRunner = {
  run: runProcess,
  capture: runCaptured,
};
