/**
 * `kcross verify --also configs.toml`: the same check on every cell of a
 * matrix file (other configs, arches, compilers the robot builds), through
 * the matrix area's cell runner, cells in parallel within the CPU budget.
 * Each cell builds the report's commit, then the fix, in its own build dir
 * in the verify worktree slot, so the fix's build is incremental.
 *
 * @module
 */
import type { Output } from "../util/output.ts";
import { acquireWorktree, viaOf } from "../git/mod.ts";
import type { ProcessRunner } from "../proc/process_runner.ts";
import type { Diagnostic, ReportedDiagnostic } from "../diagnostics/mod.ts";
import { compareReported } from "../diagnostics/mod.ts";
import { cacheDir } from "../paths.ts";
import { cellsOfMatrixFile } from "../matrix/matrix_file_cells.ts";
import { cellBuildDir, planBudget, runCellsLocally } from "../matrix/local.ts";
import type { ProgressSink } from "../matrix/progress.ts";
import { type CellRunner, withToolchainPolicy } from "../matrix/runner.ts";
import type { Cell, CellRecord } from "../matrix/types.ts";
import { forgetObjects } from "../repro/build_repro.ts";
import { judgeFix } from "./judge_fix.ts";
import { rebuiltInRecord } from "./rebuilt_objects.ts";
import type { FixVerdict } from "./types.ts";

/** One matrix cell's answer. */
export interface AlsoCell {
  key: string;
  /** `infra-error`: a build of the cell could not run (exit 3). */
  verdict: FixVerdict | "infra-error";
  /** Whether the report's diagnostics show in this cell at the report's commit. */
  affected: boolean;
  gone: number;
  /** Reported diagnostics this cell shows at the report's commit. */
  relevant: number;
  introduced: Diagnostic[];
  message: string | null;
  reportRecord: string | null;
  fixRecord: string | null;
}

/** Options for `verifyOnMatrix`. */
export interface VerifyOnMatrixOptions {
  cwd: string;
  repo: string;
  /** How git starts (the verify context's `proc`). */
  proc?: ProcessRunner;
  reportCommit: string;
  fixCommit: string;
  reported: readonly ReportedDiagnostic[];
  /** Objects compiled again in every build (the reported `.c` files'). */
  recompile: readonly string[];
  out: Output;
  signal: AbortSignal;
  jobs?: number;
  ccache: boolean;
  allowDistro?: boolean;
  offline?: boolean;
  trustMakeLine?: boolean;
  /** Worktree pool root (default `stateDir()/worktrees`). */
  poolRoot?: string;
  /** The cell runner: `createCellRunner(context.builder)` of the verify context. */
  runner: CellRunner;
}

/**
 * A cell's answer from its two builds. Only the reported diagnostics the
 * cell shows at the report's commit count: a cell that never had them is
 * `fixed` (unaffected) unless the fix brings diagnostics of its own.
 *
 * @example
 * ```ts
 * import { judgeCell } from "./also_matrix.ts";
 * const d = { tool: "compiler" as const, file: "a.c", line: 1, column: 1, severity: "error", message: "boom", flag: null, count: 1, objects: [] };
 * const reported = [{ file: "a.c", line: 1, column: 1, severity: "error", message: "boom", new: true }];
 * const c = judgeCell("x86_64/defconfig", reported, { base: [], fix: [] });
 * if (c.verdict !== "fixed" || c.affected) throw new Error();
 * if (judgeCell("k", reported, { base: [d], fix: [d] }).verdict !== "not-fixed") throw new Error();
 * ```
 */
export function judgeCell(
  key: string,
  reported: readonly ReportedDiagnostic[],
  builds: {
    base: readonly Diagnostic[];
    fix: readonly Diagnostic[];
    rebuilt?: ReadonlySet<string>;
  },
): AlsoCell {
  const j = judgeFix(reported, builds);
  const judged = j.basis === "new" ? j.rows.filter((r) => r.new) : j.rows;
  const relevant = judged.filter((r) => r.seenAtReport);
  const gone = relevant.filter((r) => r.status === "gone").length;
  const verdict: FixVerdict = gone < relevant.length
    ? "not-fixed"
    : j.introduced.length
    ? "fixed-with-new-diagnostics"
    : "fixed";
  return {
    key,
    verdict,
    affected: relevant.length > 0,
    gone,
    relevant: relevant.length,
    introduced: j.introduced,
    message: null,
    reportRecord: null,
    fixRecord: null,
  };
}

/**
 * One line per cell.
 *
 * @example
 * ```ts
 * import { alsoLine } from "./also_matrix.ts";
 * const l = alsoLine({ key: "arm64/defconfig/gcc-13", verdict: "fixed", affected: true, gone: 3, relevant: 3, introduced: [], message: null, reportRecord: null, fixRecord: null });
 * if (l !== "arm64/defconfig/gcc-13: fixed (3 of 3 gone)") throw new Error(l);
 * ```
 */
export function alsoLine(c: AlsoCell): string {
  if (c.verdict === "infra-error") {
    return `${c.key}: infra-error (${c.message ?? "the build could not run"})`;
  }
  const what = c.affected
    ? `${c.gone} of ${c.relevant} gone`
    : "the report's diagnostics do not show in this cell";
  const extra = c.introduced.length
    ? `, ${c.introduced.length} introduced: ${c.introduced[0]!.file ?? "?"}:${
      c.introduced[0]!.line ?? "?"
    }: ${c.introduced[0]!.message}`
    : "";
  return `${c.key}: ${c.verdict} (${what}${extra})`;
}

function sink(out: Output, commit: string): ProgressSink {
  return {
    started: (key) =>
      out.err(`==> [also] ${key}: building ${commit.slice(0, 12)}`),
    status: () => {},
    finished: () => {},
    note: (line) => out.err(`==> [also] ${line}`),
    close: () => {},
  };
}

/**
 * Runs the check on every cell of `file`.
 *
 * @returns one answer per cell, in the matrix's order
 * @throws {UserError} a bad matrix file, or one without cells
 */
export async function verifyOnMatrix(
  file: string,
  options: VerifyOnMatrixOptions,
): Promise<AlsoCell[]> {
  const cells: Cell[] = await cellsOfMatrixFile(
    file,
    options.cwd,
    options.repo,
    options.trustMakeLine ? { trustMakeLine: true } : {},
  );
  const runner = withToolchainPolicy(options.runner, {
    allowDistro: options.allowDistro ?? false,
    offline: options.offline ?? false,
  });
  const budget = planBudget({
    cells: cells.length,
    cores: navigator.hardwareConcurrency || 1,
    ...(options.jobs ? { makeJobs: options.jobs } : {}),
    oversubscribe: true,
  });
  const build = async (commit: string, extra: (c: Cell) => string[]) => {
    await using lease = await acquireWorktree(options.repo, commit, {
      ...viaOf(options),
      maxSlots: 1,
      progress: (l) => options.out.err(`==> [also] ${l}`),
      ...(options.poolRoot ? { root: options.poolRoot } : {}),
    });
    const buildRoot = `${lease.slotDir}/build/also`;
    for (const cell of cells) {
      await forgetObjects(cellBuildDir(buildRoot, cell.key), [
        ...options.recompile,
        ...extra(cell),
      ]);
    }
    const records = await runCellsLocally(cells, {
      runner,
      budget,
      srcTree: lease.dir,
      commit,
      buildRoot,
      ccache: options.ccache,
      ccacheDir: `${cacheDir()}/ccache`,
      signal: options.signal,
      progress: sink(options.out, commit),
      onRecord: () => Promise.resolve(),
    });
    return new Map(records.map((r) => [r.key, r]));
  };
  const base = await build(options.reportCommit, () => []);
  // the objects that printed the reported diagnostics, compiled again
  const printed = (r: CellRecord | undefined) =>
    r
      ? compareReported(options.reported, r.outcome.diagnostics).matches
        .flatMap((m) => m.found?.objects ?? [])
      : [];
  const fix = await build(options.fixCommit, (c) => printed(base.get(c.key)));
  const answers: AlsoCell[] = [];
  for (const cell of cells) {
    const b = base.get(cell.key);
    const f = fix.get(cell.key);
    const broken = [b, f].find((r) =>
      !r || r.result === "infra" ||
      r.result === "interrupted"
    );
    if (broken !== undefined || !b || !f) {
      answers.push({
        key: cell.key,
        verdict: "infra-error",
        affected: false,
        gone: 0,
        relevant: 0,
        introduced: [],
        message: broken?.message ?? "interrupted",
        reportRecord: b?.outcome.recordDir ?? null,
        fixRecord: f?.outcome.recordDir ?? null,
      });
      continue;
    }
    const rebuilt = f.outcome.recordDir
      ? await rebuiltInRecord(f.outcome.recordDir)
      : undefined;
    answers.push({
      ...judgeCell(cell.key, options.reported, {
        base: b.outcome.diagnostics,
        fix: f.outcome.diagnostics,
        ...(rebuilt ? { rebuilt } : {}),
      }),
      reportRecord: b.outcome.recordDir,
      fixRecord: f.outcome.recordDir,
    });
  }
  return answers;
}
