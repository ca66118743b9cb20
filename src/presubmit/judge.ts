/**
 * What the robot would likely report, from the builds of a run: per cell,
 * the diagnostics each commit adds relative to the base (built with the same
 * cell), each reported once, at the first commit that shows it. Pure.
 *
 * @module
 */
import {
  type Diagnostic,
  formatRobot,
  movedKey,
  normalizePath,
} from "../diagnostics/mod.ts";
import type {
  CellReport,
  CellVerdict,
  PresubmitCell,
  PresubmitCommit,
  PresubmitTotals,
  StepOutcome,
} from "./types.ts";

function isError(d: Diagnostic): boolean {
  return d.severity.toLowerCase().includes("error");
}

/** make's own `*** [...] Error 2` lines are consequences, never what the robot quotes. */
function quotable(d: Diagnostic): boolean {
  return d.tool !== "make";
}

/**
 * A build that never started: no record (no compiler here, a config that
 * cannot be had…).
 *
 * @example
 * ```ts
 * import { neverStarted } from "./judge.ts";
 * if (!neverStarted({ recordId: null, result: "infra" })) throw new Error();
 * if (neverStarted({ recordId: "r", result: "infra" })) throw new Error();
 * ```
 */
export function neverStarted(
  s: Pick<StepOutcome, "recordId" | "result">,
): boolean {
  return s.recordId === null && (s.result === "infra" || s.result === "fail");
}

/**
 * The robot-style lines of one report: the commit's diagnostics in the files
 * of the new ones (the robot quotes a file's other warnings too), in build
 * order, new ones prefixed by `>> `.
 */
function robotLines(all: Diagnostic[], fresh: Diagnostic[]): string[] {
  const files = new Set(fresh.map((d) => normalizePath(d.file) ?? ""));
  const freshSet = new Set(fresh);
  const shown = all.filter((d) =>
    freshSet.has(d) ||
    (quotable(d) && d.file !== null && files.has(normalizePath(d.file) ?? ""))
  );
  return formatRobot(shown, { newSet: freshSet });
}

/**
 * Judges one cell over the run.
 *
 * @param cell the profile cell
 * @param commits base first, then the series
 * @param steps one per commit (same order); null where it was not built
 * @returns the verdict: `reported` when some commit adds a diagnostic the
 *   base does not have (line moves are not new), else why not
 *
 * @example
 * ```ts
 * import { judgeCell } from "./judge.ts";
 * const d = (message: string) => ({ tool: "compiler" as const, file: "a.c", line: 1, column: 1, severity: "error", message, flag: null, count: 1, objects: [] });
 * const step = (diagnostics: ReturnType<typeof d>[]) => ({ digest: "x", result: diagnostics.length ? "fail" as const : "pass" as const, message: null, diagnostics, recordId: "r", recordDir: "/r", durationMs: 1, toolchain: null, reproducer: "", ranOn: "local" });
 * const commits = [0, 1, 2].map((index) => ({ index, sha: `${index}`.repeat(40), subject: `c${index}` }));
 * const cell = { key: "powerpc/allnoconfig/gcc-12", axes: {}, inputs: {} as never };
 * const v = judgeCell(cell, commits, [step([d("old")]), step([d("old"), d("boom")]), step([d("old"), d("boom")])]);
 * if (v.status !== "reported" || v.reports.length !== 1 || v.reports[0]!.commit.index !== 1) throw new Error();
 * if (v.reports[0]!.lines.join("|") !== "   a.c:1:1: error: old|>> a.c:1:1: error: boom") throw new Error(v.reports[0]!.lines.join("|"));
 * ```
 */
export function judgeCell(
  cell: PresubmitCell,
  commits: readonly PresubmitCommit[],
  steps: readonly (StepOutcome | null)[],
): CellVerdict {
  const verdict: CellVerdict = {
    ...cell,
    status: "clean",
    reason: null,
    toolchain: steps.find((s) => s?.toolchain)?.toolchain ?? null,
    steps: commits.map((_, i) => steps[i] ?? null),
    newCounts: commits.map(() => 0),
    reports: [],
  };
  const base = steps[0] ?? null;
  if (base === null || base.result === "interrupted") {
    return {
      ...verdict,
      status: "interrupted",
      reason: "the base was not built",
    };
  }
  if (neverStarted(base)) {
    return {
      ...verdict,
      status: "not-run",
      reason: base.message ?? "the build did not start",
    };
  }
  if (base.result === "infra") {
    return {
      ...verdict,
      status: "infra",
      reason: `base: ${base.message ?? "infrastructure error"}`,
    };
  }
  const baseKeys = new Set(base.diagnostics.map(movedKey));
  const reported = new Set<string>();
  let failureReported = false;
  let problem: { status: "infra" | "interrupted"; reason: string } | null =
    null;
  for (let i = 1; i < commits.length; i++) {
    const commit = commits[i]!;
    const s = steps[i] ?? null;
    const label = `commit ${i}/${commits.length - 1}`;
    if (s === null || s.result === "interrupted") {
      problem ??= { status: "interrupted", reason: `${label} was not built` };
      continue;
    }
    if (s.result === "infra") {
      problem ??= {
        status: "infra",
        reason: `${label}: ${s.message ?? "infrastructure error"}`,
      };
      continue;
    }
    const newHere = s.diagnostics.filter((d) =>
      quotable(d) && !baseKeys.has(movedKey(d))
    );
    verdict.newCounts[i] = newHere.length;
    let fresh = newHere.filter((d) => !reported.has(movedKey(d)));
    if (
      fresh.length === 0 && s.result === "fail" && base.result === "pass" &&
      !failureReported && newHere.length === 0
    ) {
      // A build that breaks with nothing quotable: make's lines say where.
      fresh = s.diagnostics.filter((d) => !baseKeys.has(movedKey(d)));
    }
    if (s.result === "fail") failureReported = true;
    if (fresh.length === 0) continue;
    for (const d of fresh) reported.add(movedKey(d));
    const report: CellReport = {
      commit,
      kind: fresh.some(isError) ? "error" : "warning",
      newDiagnostics: fresh,
      lines: robotLines(s.diagnostics, fresh),
      failed: s.result === "fail",
      reproducer: s.reproducer,
      recordId: s.recordId,
    };
    verdict.reports.push(report);
  }
  if (verdict.reports.length > 0) {
    return { ...verdict, status: "reported", reason: problem?.reason ?? null };
  }
  if (problem) return { ...verdict, ...problem };
  return verdict;
}

/**
 * Counts over the verdicts.
 *
 * @example
 * ```ts
 * import { totalsOf } from "./judge.ts";
 * const t = totalsOf([{ status: "clean", reports: [] }, { status: "not-run", reports: [] }] as never);
 * if (t.cells !== 2 || t.clean !== 1 || t.notRun !== 1) throw new Error();
 * ```
 */
export function totalsOf(cells: readonly CellVerdict[]): PresubmitTotals {
  const count = (s: CellVerdict["status"]) =>
    cells.filter((c) => c.status === s).length;
  return {
    cells: cells.length,
    reported: count("reported"),
    clean: count("clean"),
    notRun: count("not-run"),
    infra: count("infra"),
    interrupted: count("interrupted"),
    newDiagnostics: cells.reduce(
      (n, c) => n + c.reports.reduce((m, r) => m + r.newDiagnostics.length, 0),
      0,
    ),
  };
}

/**
 * The exit code: 1 when something new would be reported, else 3 when some
 * cell could not be checked (not run, infrastructure, interrupted), else 0.
 *
 * @example
 * ```ts
 * import { presubmitExitCode } from "./judge.ts";
 * const t = { cells: 2, reported: 0, clean: 1, notRun: 1, infra: 0, interrupted: 0, newDiagnostics: 0 };
 * if (presubmitExitCode(t) !== 3) throw new Error();
 * if (presubmitExitCode({ ...t, reported: 1 }) !== 1) throw new Error();
 * if (presubmitExitCode({ ...t, notRun: 0 }) !== 0) throw new Error();
 * ```
 */
export function presubmitExitCode(totals: PresubmitTotals): 0 | 1 | 3 {
  if (totals.reported > 0) return 1;
  if (totals.notRun + totals.infra + totals.interrupted > 0) return 3;
  return 0;
}
