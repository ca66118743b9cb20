/**
 * Runs cells on this machine: a pool of `parallel` cell slots, each cell a
 * normal build with `makeJobs` make jobs, within the CPU budget.
 *
 * @module
 */
import { sha256Hex } from "../util/digest.ts";
import { UserError } from "../errors.ts";
import type { ProgressSink } from "./progress.ts";
import { type CellContext, type CellRunner, executeCell } from "./runner.ts";
import type { Cell, CellRecord } from "./types.ts";

/** How many cells run at once and with how many make jobs each. */
export interface Budget {
  parallel: number;
  makeJobs: number;
}

/**
 * Splits `cores` between cells: cells × make -j ≤ cores unless
 * `oversubscribe`. `--jobs` is the number of cells at once; `--make-jobs`
 * the -j of each.
 *
 * @throws {UserError} when jobs × make-jobs exceeds the cores without `oversubscribe`
 * @example
 * ```ts
 * import { planBudget } from "./local.ts";
 * const b = planBudget({ cells: 8, cores: 4 });
 * if (b.parallel !== 4 || b.makeJobs !== 1) throw new Error(JSON.stringify(b));
 * const one = planBudget({ cells: 1, cores: 4 });
 * if (one.parallel !== 1 || one.makeJobs !== 4) throw new Error();
 * const j = planBudget({ cells: 8, cores: 4, jobs: 2 });
 * if (j.makeJobs !== 2) throw new Error();
 * ```
 */
export function planBudget(options: {
  cells: number;
  cores: number;
  jobs?: number | undefined;
  makeJobs?: number | undefined;
  oversubscribe?: boolean | undefined;
}): Budget {
  const cores = Math.max(1, options.cores);
  const cells = Math.max(1, options.cells);
  let parallel = options.jobs ??
    (options.makeJobs
      ? Math.max(1, Math.floor(cores / options.makeJobs))
      : Math.min(cells, cores));
  parallel = Math.min(parallel, cells);
  const makeJobs = options.makeJobs ??
    Math.max(1, Math.floor(cores / parallel));
  if (parallel * makeJobs > cores && !options.oversubscribe) {
    throw new UserError(
      `${parallel} cells at once x make -j${makeJobs} is more than the ${cores} cores here`,
      {
        hint:
          "lower --jobs/--make-jobs, or pass --oversubscribe to run them anyway",
      },
    );
  }
  return { parallel, makeJobs };
}

/** A per-key serializer: calls with the same key run one after another. */
export function keyedSerializer(): <T>(
  key: string,
  fn: () => Promise<T>,
) => Promise<T> {
  const tails = new Map<string, Promise<unknown>>();
  return <T>(key: string, fn: () => Promise<T>): Promise<T> => {
    const prev = tails.get(key) ?? Promise.resolve();
    const run = prev.catch(() => {}).then(fn);
    tails.set(key, run);
    run.finally(() => {
      if (tails.get(key) === run) tails.delete(key);
    }).catch(() => {});
    return run;
  };
}

/**
 * The O= directory of a cell under `root`: readable, unique per cell key, and
 * the same across runs so rebuilds are incremental.
 *
 * @example
 * ```ts
 * import { cellBuildDir } from "./local.ts";
 * const d = cellBuildDir("/b", "powerpc/allmodconfig/gcc-12.2.0 W=1");
 * if (!d.startsWith("/b/powerpc-allmodconfig-gcc-12.2.0_W_1-")) throw new Error(d);
 * ```
 */
export function cellBuildDir(root: string, key: string): string {
  const slug = key.replace(/\//g, "-").replace(/[^A-Za-z0-9._-]+/g, "_").slice(
    0,
    80,
  );
  const h = sha256Hex(key).slice(0, 8);
  return `${root}/${slug}-${h}`;
}

/** Options for `runCellsLocally`. */
export interface LocalRunOptions {
  runner: CellRunner;
  budget: Budget;
  srcTree: string;
  commit: string | null;
  /** Root of per-cell O= dirs. */
  buildRoot: string;
  ccache: boolean;
  ccacheDir: string;
  signal: AbortSignal;
  progress: ProgressSink;
  /** Persists a finished cell (called once per cell, in finishing order). */
  onRecord(record: CellRecord): Promise<void>;
}

/**
 * Runs `cells` with at most `budget.parallel` at once. A failed cell does not
 * stop the others; an infra error is retried once (`executeCell`).
 */
export async function runCellsLocally(
  cells: Cell[],
  options: LocalRunOptions,
): Promise<CellRecord[]> {
  const queue = [...cells];
  const records: CellRecord[] = [];
  const serialize = keyedSerializer();
  const slot = async () => {
    while (queue.length > 0 && !options.signal.aborted) {
      const cell = queue.shift()!;
      options.progress.started(cell.key);
      const ctx: CellContext = {
        srcTree: options.srcTree,
        buildDir: cellBuildDir(options.buildRoot, cell.key),
        makeJobs: options.budget.makeJobs,
        ccache: options.ccache,
        ccacheDir: options.ccacheDir,
        commit: options.commit,
        signal: options.signal,
        serialize,
        status: (text) => options.progress.status(cell.key, text),
      };
      const record = await executeCell(cell, {
        runner: options.runner,
        ctx,
        ranOn: "local",
      });
      if (record.result === "interrupted") continue;
      await options.onRecord(record);
      records.push(record);
      options.progress.finished(record);
    }
  };
  await Promise.all(
    Array.from({ length: Math.max(1, options.budget.parallel) }, slot),
  );
  return records;
}
