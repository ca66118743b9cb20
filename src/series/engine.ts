/**
 * The series area's one seam to the build engine: which cells every commit
 * is built in, each with its "build one commit" function. `defaultEngine()`
 * wires the real planner and runner; tests pass a fake.
 *
 * @module
 */
import type { Output } from "../util/output.ts";
import {
  type Builder,
  type BuildOutcome,
  type BuildRequest,
  type NativeBuild,
  nativeBuilder,
  toNativeInput,
} from "../build/mod.ts";
import { parseBuildArgs } from "./build_args.ts";
import { countCompiledInRecord } from "./count_compiled.ts";
import { type CellRunner, loadCellRunner } from "../matrix/runner.ts";
import { matrixCells } from "./matrix_cells.ts";
import type { SeriesCell } from "./run_series.ts";
import type { BuildCommit, StepBuild } from "./types.ts";

/** What the engine is asked for. */
export interface CellsRequest {
  /** Native build words, as given (see `parseBuildArgs`). */
  buildArgs: string[];
  /** A matrix file, or null for one cell from `buildArgs`. */
  matrix: string | null;
  /** The user's repository (top level). */
  repo: string;
  /** Where relative paths (matrix file, fragments) start. */
  cwd: string;
  out: Output;
}

/** The engine a series or bisect runs on. */
export interface SeriesEngine {
  /**
   * The cells every commit is built in.
   *
   * @throws {UserError} bad build options or matrix file
   */
  cells(request: CellsRequest): Promise<SeriesCell[]>;
}

/** Maps a runner outcome to a series step build. */
export async function stepFromOutcome(
  outcome: BuildOutcome,
): Promise<StepBuild> {
  const compiled = await countCompiledInRecord(outcome.recordDir);
  return {
    result: outcome.result,
    recordId: outcome.id,
    recordDir: outcome.recordDir,
    diagnostics: outcome.diagnostics,
    timings: outcome.timings,
    ...(compiled === undefined ? {} : { compiled }),
  };
}

/**
 * A `BuildCommit` for native build options: plans once (the first commit
 * decides the toolchain, so every commit gets the same one and the toolchain
 * is resolved once), then builds each commit with that plan into the same
 * O= dir. Records land in the record store; make's output goes to each
 * record's build.log, not the terminal.
 */
export function commitBuilder(
  options: BuildRequest,
  context: { out: Output; cwd: string },
  builder: Builder = nativeBuilder,
): BuildCommit {
  let planned: { key: string; build: NativeBuild } | null = null;
  return async (req) => {
    const key = `${req.worktree}\u0000${req.outDir}`;
    if (planned?.key !== key) {
      const build = await builder.prepare({
        ...toNativeInput(options, {
          srcTree: req.worktree,
          outDir: req.outDir,
          cwd: context.cwd,
        }),
        out: context.out,
        signal: req.signal,
      });
      planned = { key, build };
    }
    const outcome = await builder.run(planned.build, {
      out: context.out,
      signal: req.signal,
      echo: false,
      ...(req.recordDir ? { recordDir: req.recordDir } : {}),
    });
    return await stepFromOutcome(outcome);
  };
}

/** Seams of the real engine (tests pass a fake matrix cell runner). */
export interface DefaultEngineOptions {
  /** The matrix cell runner (default: the matrix area's `loadCellRunner()`). */
  cellRunner?: () => Promise<CellRunner>;
}

/** The real engine: native options → one cell; `--matrix` → its cells. */
export function defaultEngine(
  options: DefaultEngineOptions = {},
): SeriesEngine {
  return {
    cells(request) {
      if (request.matrix !== null) {
        return matrixCells(request.matrix, {
          repo: request.repo,
          cwd: request.cwd,
          buildArgs: request.buildArgs,
          runner: options.cellRunner ?? (() => loadCellRunner()),
        });
      }
      const parsed = parseBuildArgs(request.buildArgs);
      toNativeInput(parsed, { srcTree: "", outDir: "", cwd: request.cwd }); // a bad --config fails now
      return Promise.resolve([{
        name: "",
        build: commitBuilder(parsed, { out: request.out, cwd: request.cwd }),
      }]);
    },
  };
}
