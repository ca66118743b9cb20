/**
 * Carries out a `BuildPlan`: config steps, make, record.
 *
 * @module
 */
import type { Output } from "../cli/output.ts";
import type { Diagnostic } from "../diagnostics/types.ts";
import { InfraError } from "../errors.ts";
import type { BuildPlan } from "./types.ts";

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
}

/** Runs `plan` and records it. Not available until the builds runner lands. */
export function runBuild(
  _plan: BuildPlan,
  _options: RunBuildOptions,
): Promise<BuildOutcome> {
  return Promise.reject(
    new InfraError("The build runner is not available yet"),
  );
}
