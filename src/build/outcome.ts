/**
 * What running a build takes and gives back: the options of `runBuild()`
 * and `runNativeBuild()`, the result and the outcome with the record.
 *
 * @module
 */
import type { Output } from "../util/output.ts";
import type { Diagnostic } from "../diagnostics/types.ts";
import type { RecordMetadata } from "../record/types.ts";
import type { BuildPlan } from "./types.ts";
import type { ProcessRunner } from "../proc/process_runner.ts";

/** How a build ended. */
export type BuildResult =
  | "pass"
  | "fail"
  | "infra-error"
  | "interrupted"
  | "empty";

/** Options for `runBuild`. */
export interface RunBuildOptions {
  out: Output;
  signal: AbortSignal;
  /** Record directory override (default: a new dir under the state dir). */
  recordDir?: string;
  /** Stream make's output to `out` (default true). */
  echo?: boolean;
  /** The environment make starts from (default: this process's). */
  baseEnv?: Record<string, string>;
  /** Phase timings measured by the caller (e.g. `fetch` of the toolchain), in ms. */
  timings?: Record<string, number>;
  /** The fetch used for config URLs (default: the global one). */
  fetch?: typeof fetch;
  /** How make starts (default `realProcessRunner`; the context's `proc`). */
  proc?: ProcessRunner;
}

/** What a build produced. */
export interface BuildOutcome {
  result: BuildResult;
  /** Record id and directory. */
  id: string;
  recordDir: string;
  exitCode: number | null;
  diagnostics: Diagnostic[];
  /** Phase timings in milliseconds. */
  timings: Record<string, number>;
  /** Why, for results other than pass (one line). */
  reason?: string | null;
  /** The record as written (`metadata.json`). */
  record: RecordMetadata;
  /** The plan make ran with (a provisional triple settled), when known. */
  plan?: BuildPlan;
}

/** The exit code kcross uses for a build result (0, 1, 3 or 130). */
export function exitCodeForResult(result: BuildResult): number {
  switch (result) {
    case "pass":
      return 0;
    case "fail":
    case "empty":
      return 1;
    case "infra-error":
      return 3;
    case "interrupted":
      return 130;
  }
}
