/**
 * Shared types of the presubmit area: the commits and cells of a run, what
 * one (cell, commit) build produced, and the per-cell verdict that says
 * what the robot would likely have reported.
 *
 * @module
 */
import type { Diagnostic } from "../diagnostics/types.ts";
import type { CellInputs, CellResult } from "../matrix/types.ts";

/** A commit of the run: index 0 is the base, 1…n the series. */
export interface PresubmitCommit {
  index: number;
  /** Full sha. */
  sha: string;
  subject: string;
}

/** A profile cell, independent of the commit it is built at. */
export interface PresubmitCell {
  /** The matrix key, e.g. `powerpc/allmodconfig/gcc-15`. */
  key: string;
  axes: Record<string, string>;
  inputs: CellInputs;
}

/** What building one cell at one commit produced. */
export interface StepOutcome {
  /** The cell's digest at this commit (the matrix record / queue job id). */
  digest: string;
  result: CellResult;
  /** Why, for infra results and builds that never started (one line). */
  message: string | null;
  diagnostics: Diagnostic[];
  recordId: string | null;
  recordDir: string | null;
  durationMs: number;
  toolchain: { id: string; version: string; exact: boolean } | null;
  /** A command that replays this build. */
  reproducer: string;
  /** `local` or the worker that built it. */
  ranOn: string;
}

/**
 * How a cell ends: `reported` (some commit adds diagnostics the base does
 * not have), `clean`, `not-run` (the base build could not start: no such
 * compiler here, a config that cannot be had…), `infra` (a later build hit
 * an infrastructure error), `interrupted`.
 */
export type CellStatus =
  | "reported"
  | "clean"
  | "not-run"
  | "infra"
  | "interrupted";

/** One report the robot would likely send: a cell at the commit that first shows it. */
export interface CellReport {
  commit: PresubmitCommit;
  /** `error` when a new diagnostic is an error (the robot's "build errors"). */
  kind: "error" | "warning";
  /** Diagnostics new relative to the base, not already reported at an earlier commit. */
  newDiagnostics: Diagnostic[];
  /** Robot-style lines: the commit's diagnostics in the files concerned, new ones `>> `. */
  lines: string[];
  /** Whether that build failed. */
  failed: boolean;
  reproducer: string;
  recordId: string | null;
}

/** One cell's verdict over the whole run. */
export interface CellVerdict extends PresubmitCell {
  status: CellStatus;
  /** Why it is not-run / infra / interrupted. */
  reason: string | null;
  toolchain: { id: string; version: string; exact: boolean } | null;
  /** One per commit (base first); null where it was not built. */
  steps: (StepOutcome | null)[];
  /** Per commit (base first): diagnostics new relative to the base. */
  newCounts: number[];
  reports: CellReport[];
}

/** Counts over every cell. */
export interface PresubmitTotals {
  cells: number;
  reported: number;
  clean: number;
  notRun: number;
  infra: number;
  interrupted: number;
  /** New diagnostics over all reports. */
  newDiagnostics: number;
}

/** A whole presubmit run (`result.json`). */
export interface PresubmitResult {
  version: 1;
  id: string;
  /** The range as given (`base..head`). */
  range: string;
  /** The profile file. */
  profile: string;
  /** The profile's `name`. */
  name: string;
  mode: "local" | "queue";
  repo: string;
  /** Base first, then the series. */
  commits: PresubmitCommit[];
  cells: CellVerdict[];
  totals: PresubmitTotals;
  /** 1 something new would be reported, 3 nothing new but some cell could not be checked, 0 clean. */
  exitCode: 0 | 1 | 3;
  /** The run directory (result.json, summary.md, summary.html). */
  dir: string;
  createdAt: string;
  finishedAt: string;
}
