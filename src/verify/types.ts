/**
 * Types of the verify area: how each reported diagnostic fares on the fix,
 * what the fix introduces, and the verdict.
 *
 * @module
 */
import type { Diagnostic } from "../diagnostics/types.ts";

/** What became of a reported diagnostic on the fix commit. */
export type FixStatus = "gone" | "still there" | "moved";

/** One reported diagnostic, on the report's commit and on the fix. */
export interface FixRow {
  status: FixStatus;
  /** A `>>` (new) line of the report. */
  new: boolean;
  file: string;
  line: number;
  column: number | null;
  severity: string;
  message: string;
  /** For `moved`: the line on the fix minus the reported line. */
  movedBy?: number;
  /**
   * Whether the build of the report's commit showed it (false: `gone` on
   * the fix proves nothing, this setup never had it).
   */
  seenAtReport: boolean;
  /**
   * `still there` because the fix's (incremental) build left every object
   * that printed it up to date: what it printed last still stands.
   */
  notRebuilt?: boolean;
}

/** `fixed` exits 0; the others exit 1. */
export type FixVerdict = "fixed" | "not-fixed" | "fixed-with-new-diagnostics";

/** The judgement of a fix, before it is printed. */
export interface FixJudgement {
  verdict: FixVerdict;
  /** Which reported lines the verdict rests on: the `>>` ones, all, or none. */
  basis: "new" | "all" | "none";
  rows: FixRow[];
  /** Diagnostics the fix has that the report's commit did not. */
  introduced: Diagnostic[];
  /** Why the verdict is what it is, when it is not plain. */
  notes: string[];
}
