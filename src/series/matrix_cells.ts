/**
 * `kcross series --matrix FILE`: every commit on every cell of a matrix
 * file, through the matrix area's cell runner (the same adapter to the
 * builder a matrix run uses, on the series' builder). Cells run one after the other, each with
 * its own build dir kept from commit to commit.
 *
 * @module
 */
import { flag, parseArgs } from "../util/args.ts";
import { ccacheOf, commonSpecs, jobsOf } from "../util/flags.ts";
import { UserError } from "../errors.ts";
import { cellsOfMatrixFile } from "../matrix/matrix_file_cells.ts";
import { keyedSerializer } from "../matrix/local.ts";
import { type CellRunner, withToolchainPolicy } from "../matrix/runner.ts";
import type { CellOutcome } from "../matrix/types.ts";
import { cacheDir } from "../paths.ts";
import { countCompiledInRecord } from "./count_compiled.ts";
import type { SeriesCell } from "./run_series.ts";
import type { StepBuild, StepResult } from "./types.ts";

/** Maps a matrix cell outcome to a series step build. */
export async function stepFromCell(o: CellOutcome): Promise<StepBuild> {
  const result: StepResult = o.result === "infra" ? "infra-error" : o.result;
  const compiled = o.recordDir === null
    ? undefined
    : await countCompiledInRecord(o.recordDir);
  return {
    result,
    recordId: o.recordId ?? "",
    recordDir: o.recordDir ?? "",
    diagnostics: o.diagnostics,
    timings: o.timings,
    ...(compiled === undefined ? {} : { compiled }),
    ...(o.phases ? { phases: o.phases } : {}),
  };
}

/**
 * The series cells of a matrix file.
 *
 * @param file the matrix file (relative to `cwd`)
 * @param options the repository, cwd, build words (only `--jobs`, `--ccache`,
 *   `--trust-make-line` are allowed: the cells define everything else), and the cell runner
 *   (`createCellRunner(context.builder)`)
 * @throws {UserError} bad matrix file, or build options given with it
 */
export async function matrixCells(
  file: string,
  options: {
    repo: string;
    cwd: string;
    buildArgs: string[];
    runner: CellRunner;
  },
): Promise<SeriesCell[]> {
  const p = parseArgs(options.buildArgs, {
    ...commonSpecs("jobs", "ccache", "no-ccache", "allow-distro", "offline"),
    "trust-make-line": { type: "boolean" },
  });
  if (p.positionals.length > 0) {
    throw new UserError(
      `With --matrix the cells give the targets: unexpected "${
        p.positionals[0]
      }"`,
      { hint: "put targets in the matrix file's [matrix] targets" },
    );
  }
  const makeJobs = jobsOf(p) ?? 2 * (navigator.hardwareConcurrency || 1);
  const cells = await cellsOfMatrixFile(file, options.cwd, options.repo, {
    trustMakeLine: flag(p, "trust-make-line"),
  });
  const runner = withToolchainPolicy(options.runner, {
    allowDistro: flag(p, "allow-distro"),
    offline: flag(p, "offline"),
  });
  const serialize = keyedSerializer();
  const ccache = ccacheOf(p, false);
  return cells.map((cell) => ({
    name: cell.key,
    build: async (req) =>
      await stepFromCell(
        await runner.run(cell, {
          srcTree: req.worktree,
          buildDir: req.outDir,
          makeJobs,
          ccache,
          ccacheDir: `${cacheDir()}/ccache`,
          commit: req.commit.sha,
          signal: req.signal,
          serialize,
        }),
      ),
  }));
}
