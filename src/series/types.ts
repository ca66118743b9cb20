/**
 * Shared types of the series area: commits, the per-commit build step, and
 * the "build one commit" interface a cell builds through (`series_cells.ts`).
 *
 * @module
 */
import type { Diagnostic } from "../diagnostics/types.ts";
import type { CellPhase } from "../matrix/types.ts";

/** One commit of a range, oldest first. */
export interface CommitInfo {
  /** Full 40-hex sha. */
  sha: string;
  /** First line of the commit message. */
  subject: string;
}

/** How building one commit ended (the runner's `BuildResult`). */
export type StepResult =
  | "pass"
  | "fail"
  | "infra-error"
  | "interrupted"
  | "empty";

/** What building one commit produced: the slice of a build outcome a series needs. */
export interface StepBuild {
  result: StepResult;
  /** Build record id (empty when no record was written). */
  recordId: string;
  recordDir: string;
  diagnostics: Diagnostic[];
  /** Phase timings in milliseconds, as the record has them. */
  timings: Record<string, number>;
  /** Objects compiled in this build (the `CC` lines of the log), when known. */
  compiled?: number;
  /** Per named target of the build (a matrix cell's `kernel`, `modules`…). */
  phases?: CellPhase[];
}

/** What `BuildCommit` is asked to build. */
export interface BuildCommitRequest {
  /** The worktree, already checked out at `commit`. */
  worktree: string;
  /** The shared O= dir (one per series, or per matrix cell). */
  outDir: string;
  commit: CommitInfo;
  /** Where the step's build record should go, when the caller decides it. */
  recordDir?: string;
  signal: AbortSignal;
}

/**
 * Builds the worktree as it is checked out now, into `outDir`. The real one
 * plans with the build options and calls `runBuild`; tests pass a fake.
 */
export type BuildCommit = (request: BuildCommitRequest) => Promise<StepBuild>;

/** One built commit, as stored in the series state and shown in the table. */
export interface SeriesStep {
  /** 1-based position in the range. */
  index: number;
  sha: string;
  subject: string;
  result: StepResult;
  recordId: string;
  recordDir: string;
  errors: number;
  warnings: number;
  /** Robot-style `>>` lines: diagnostics not present at the previous commit. */
  newDiagnostics: Diagnostic[];
  /** Every diagnostic of this build (kept to diff the next step against). */
  diagnostics: Diagnostic[];
  timings: Record<string, number>;
  compiled?: number;
  /** Per named target (the cell's targets `kernel`, `dtbs`…), when it had any. */
  phases?: CellPhase[];
  /** Matrix cell name, when the series runs a matrix. */
  cell?: string;
}
