/**
 * The series area's one seam to the build engine: which cells every commit
 * is built in, each with its "build one commit" function. `defaultEngine()`
 * wires the real planner and runner; tests pass a fake.
 *
 * @module
 */
import type { Output } from "../util/output.ts";
import {
  type BuildOutcome,
  configSourceOf,
  type NativeInput,
  planNativeBuild,
  runBuild,
} from "../build/mod.ts";
import type { BuildPlan, ConfigSource } from "../build/types.ts";
import { UserError } from "../errors.ts";
import { localFragment } from "../config/mod.ts";
import { type NativeBuildOptions, parseBuildArgs } from "./build_args.ts";
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
 * The planner input for building `srcTree` into `outDir` with `options`
 * (relative paths resolved against `cwd`, where the user ran kcross).
 *
 * @throws {UserError} a config value that is no target, file or URL
 */
export function nativeInput(
  options: NativeBuildOptions,
  where: { srcTree: string; outDir: string; cwd: string },
): NativeInput {
  let config: ConfigSource = configSourceOf(options.config, where.cwd);
  if (options.seed !== null) {
    if (config.kind !== "target" || config.target !== "randconfig") {
      throw new UserError("--seed only goes with --config randconfig");
    }
    config = { ...config, seed: options.seed };
  }
  return {
    srcTree: where.srcTree,
    outDir: where.outDir,
    arch: options.arch,
    compiler: options.compiler,
    config,
    fragments: options.fragments.map((f) =>
      localFragment(f, where.cwd, {
        srcTree: where.srcTree,
        arch: options.arch,
      })
    ),
    sets: options.sets,
    werror: options.werror,
    ...(options.w === null ? {} : { w: options.w }),
    ...(options.c === null ? {} : { c: options.c }),
    ...(options.jobs === null ? {} : { jobs: options.jobs }),
    ccache: options.ccache,
    targets: options.targets,
    makeArgs: options.makeArgs,
    allowEmpty: options.allowEmpty,
    allowSubstitute: options.allowSubstitute,
    ...(options.allowDistro ? { allowDistro: true } : {}),
    ...(options.offline ? { noFetch: true } : {}),
    trustMakeLine: options.trustMakeLine,
    ...(options.triple === null
      ? {}
      : { triple: options.triple, tripleReason: "--triple" }),
  };
}

/**
 * A `BuildCommit` for native build options: plans once (the first commit
 * decides the toolchain, so every commit gets the same one and the toolchain
 * is resolved once), then builds each commit with that plan into the same
 * O= dir. Records land in the record store; make's output goes to each
 * record's build.log, not the terminal.
 */
export function nativeBuilder(
  options: NativeBuildOptions,
  context: { out: Output; cwd: string },
): BuildCommit {
  let planned: { key: string; plan: BuildPlan } | null = null;
  return async (req) => {
    const key = `${req.worktree}\u0000${req.outDir}`;
    if (planned?.key !== key) {
      const plan = await planNativeBuild({
        ...nativeInput(options, {
          srcTree: req.worktree,
          outDir: req.outDir,
          cwd: context.cwd,
        }),
        out: context.out,
        signal: req.signal,
      });
      planned = { key, plan };
    }
    const outcome = await runBuild(planned.plan, {
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
      configSourceOf(parsed.config, request.cwd); // a bad --config fails now
      return Promise.resolve([{
        name: "",
        build: nativeBuilder(parsed, { out: request.out, cwd: request.cwd }),
      }]);
    },
  };
}
