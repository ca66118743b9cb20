/**
 * The cells a series or bisect builds every commit in, from its build
 * words and its `BuildContext`: native words give one cell, `--matrix FILE`
 * the file's cells. Every cell builds through the context's one builder.
 *
 * @module
 */
import type { Output } from "../util/output.ts";
import {
  type BuildContext,
  type Builder,
  type BuildOutcome,
  type BuildRequest,
  type NativeBuild,
  toNativeInput,
} from "../build/mod.ts";
import { createCellRunner } from "../matrix/run_cell.ts";
import { parseBuildArgs } from "./build_args.ts";
import { countCompiledInRecord } from "./count_compiled.ts";
import { matrixCells } from "./matrix_cells.ts";
import type { SeriesCell } from "./run_series.ts";
import type { BuildCommit, StepBuild } from "./types.ts";

/** What the cells are picked from. */
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

/**
 * The cells every commit is built in: native words → one cell, `--matrix`
 * → its cells, each building through `context.builder`.
 *
 * @throws {UserError} bad build options or matrix file
 */
export async function seriesCells(
  request: CellsRequest,
  context: BuildContext,
): Promise<SeriesCell[]> {
  if (request.matrix !== null) {
    return await matrixCells(request.matrix, {
      repo: request.repo,
      cwd: request.cwd,
      buildArgs: request.buildArgs,
      runner: createCellRunner(context.builder),
    });
  }
  const parsed = parseBuildArgs(request.buildArgs);
  toNativeInput(parsed, { srcTree: "", outDir: "", cwd: request.cwd }); // a bad --config fails now
  return [{
    name: "",
    build: commitBuilder(parsed, {
      out: request.out,
      cwd: request.cwd,
      builder: context.builder,
    }),
  }];
}

/** Maps a builder outcome to a series step build. */
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
  request: BuildRequest,
  options: { out: Output; cwd: string; builder: Builder },
): BuildCommit {
  const { builder } = options;
  let planned: { key: string; build: NativeBuild } | null = null;
  return async (req) => {
    const key = `${req.worktree}\u0000${req.outDir}`;
    if (planned?.key !== key) {
      const build = await builder.prepare({
        ...toNativeInput(request, {
          srcTree: req.worktree,
          outDir: req.outDir,
          cwd: options.cwd,
        }),
        out: options.out,
        signal: req.signal,
      });
      planned = { key, build };
    }
    const outcome = await builder.run(planned.build, {
      out: options.out,
      signal: req.signal,
      echo: false,
      ...(req.recordDir ? { recordDir: req.recordDir } : {}),
    });
    return await stepFromOutcome(outcome);
  };
}
