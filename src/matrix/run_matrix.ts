/**
 * `kcross matrix run`: plan the cells, then run them locally or through the
 * queue, recording each cell and writing the summaries.
 *
 * @module
 */
import type { Output } from "../util/output.ts";
import { UserError } from "../errors.ts";
import { cacheDir, stateDir } from "../paths.ts";
import { resolveTree } from "./_git.ts";
import { type GitVia, urlWorktree, viaOf } from "../git/mod.ts";
import { expandCells } from "./expand.ts";
import { filterCells, parseShard, shardCells } from "./select_cells.ts";
import { loadMatrix } from "./load_matrix.ts";
import { planBudget, runCellsLocally } from "./local.ts";
import { progressView } from "./progress.ts";
import { DEFAULT_QUEUE_NAME } from "./queue.ts";
import {
  createRun,
  findRunDir,
  isFinal,
  matrixRoot,
  newRunId,
  readCellRecords,
  readManifest,
  type RunManifest,
  writeCellRecord,
} from "./run_store.ts";
import type { CellRunner } from "./runner.ts";
import { type RunSummary, summaryExitCode } from "./summary.ts";
import type { CellRecord } from "./types.ts";
import { writeSummaries } from "./write_summaries.ts";

/** Options of a matrix run (the CLI's flags). */
export interface RunMatrixOptions extends GitVia {
  /** Matrix file (optional with `resume`: the run's own copy is used). */
  file?: string | undefined;
  cwd: string;
  out: Output;
  signal: AbortSignal;
  /** The cell runner (default: loaded by the caller). */
  runner: CellRunner;
  jobs?: number | undefined;
  makeJobs?: number | undefined;
  oversubscribe?: boolean | undefined;
  shard?: string | undefined;
  only?: string | undefined;
  resume?: string | undefined;
  ccache?: boolean | undefined;
  queue?: string | undefined;
  queueName?: string | undefined;
  commit?: string | undefined;
  /** `--trust-make-line`: pass make words the policy refuses. */
  trustMakeLine?: boolean | undefined;
  /** Cores for the budget (default: this machine's). */
  cores?: number | undefined;
  /** Submitter poll interval (ms). */
  pollMs?: number | undefined;
  /** State root (default `stateDir()`): runs, build dirs, worktrees. */
  stateDir?: string | undefined;
  /** Cache root (default `cacheDir()`): the shared ccache. */
  cacheDir?: string | undefined;
}

/** What a run produced. */
export interface RunMatrixResult {
  runId: string;
  runDir: string;
  summary: RunSummary;
  exitCode: number;
}

async function planNewRun(options: RunMatrixOptions): Promise<RunManifest> {
  if (!options.file) {
    throw new UserError("No matrix file given", {
      hint: "kcross matrix run configs/powerpc-vfio.toml",
    });
  }
  const loaded = await loadMatrix(options.file, options.cwd, {
    trustMakeLine: options.trustMakeLine ?? false,
  });
  const tree = await resolveTree(options.cwd, {
    url: loaded.spec.tree?.url,
    commit: options.commit ?? loaded.spec.tree?.commit,
    distributed: options.queue !== undefined,
    ...viaOf(options),
  });
  let cells = await expandCells(loaded, { tree });
  if (options.only) cells = filterCells(cells, options.only);
  if (options.shard) cells = shardCells(cells, parseShard(options.shard));
  if (cells.length === 0) {
    throw new UserError("No cells to run", {
      hint: "check --only / --shard against `kcross matrix plan`",
    });
  }
  const base = loaded.file.slice(loaded.file.lastIndexOf("/") + 1).replace(
    /\.toml$/,
    "",
  );
  return {
    version: 1,
    id: newRunId(),
    createdAt: new Date().toISOString(),
    matrixFile: loaded.file,
    matrixText: loaded.text,
    name: loaded.spec.name ?? base,
    mode: options.queue ? "queue" : "local",
    tree,
    queue: options.queue
      ? { url: options.queue, name: options.queueName ?? DEFAULT_QUEUE_NAME }
      : null,
    options: {
      jobs: options.jobs ?? 0,
      makeJobs: options.makeJobs ?? 0,
      ccache: options.ccache ?? false,
      shard: options.shard ?? null,
      only: options.only ?? null,
    },
    cells,
  };
}

/**
 * Runs a matrix: a new run, or `resume` of an earlier one (cells already
 * recorded with a result for the same digest are skipped; with a matrix file
 * the cells are planned afresh, so changed inputs run again).
 */
export async function runMatrix(
  options: RunMatrixOptions,
): Promise<RunMatrixResult> {
  const state = options.stateDir ?? stateDir();
  const cache = options.cacheDir ?? cacheDir();
  let manifest: RunManifest;
  let runDir: string;
  let reused = new Map<string, CellRecord>();
  if (options.resume) {
    runDir = await findRunDir(options.resume, options.cwd, matrixRoot(state));
    const old = await readManifest(runDir);
    reused = await readCellRecords(runDir);
    if (options.file) {
      const fresh = await planNewRun({
        ...options,
        queue: options.queue ?? old.queue?.url,
      });
      manifest = { ...fresh, id: old.id, createdAt: old.createdAt };
    } else {
      manifest = old;
    }
  } else {
    manifest = await planNewRun(options);
    runDir = `${matrixRoot(state)}/${manifest.id}`;
  }
  await createRun(manifest, runDir);
  const todo = manifest.cells.filter((c) => {
    const rec = reused.get(c.digest);
    return !(rec && isFinal(rec));
  });
  const progress = progressView(options.out, manifest.cells.length);
  options.out.err(
    `matrix ${manifest.name}: run ${manifest.id}, ${manifest.cells.length} cells` +
      (manifest.cells.length !== todo.length
        ? ` (${manifest.cells.length - todo.length} already recorded)`
        : "") +
      `, ${
        manifest.tree.commit
          ? `commit ${manifest.tree.commit.slice(0, 12)}`
          : "working tree"
      }` +
      (manifest.tree.dirtyDigest ? " + uncommitted changes" : ""),
  );
  const onRecord = (rec: CellRecord) => writeCellRecord(runDir, rec);
  try {
    if (todo.length > 0 && manifest.mode === "queue") {
      const queue = manifest.queue!;
      const { submitAndWait } = await import("./submit.ts");
      const makeJobs = options.makeJobs ?? manifest.options.makeJobs;
      await submitAndWait(todo, {
        queueUrl: options.queue ?? queue.url,
        queueName: options.queueName ?? queue.name,
        runId: manifest.id,
        tree: { url: manifest.tree.url, commit: manifest.tree.commit! },
        makeJobs: makeJobs || 0,
        ccache: options.ccache ?? manifest.options.ccache,
        signal: options.signal,
        progress,
        onRecord,
        ...(options.pollMs ? { pollMs: options.pollMs } : {}),
      });
    } else if (todo.length > 0) {
      const budget = planBudget({
        cells: todo.length,
        cores: options.cores ?? navigator.hardwareConcurrency,
        jobs: options.jobs ?? (manifest.options.jobs || undefined),
        makeJobs: options.makeJobs ?? (manifest.options.makeJobs || undefined),
        oversubscribe: options.oversubscribe,
      });
      options.out.err(
        `running ${budget.parallel} cell(s) at once, make -j${budget.makeJobs} each`,
      );
      const srcTree = manifest.tree.useWorkingTree
        ? manifest.tree.workingTree!
        : await urlWorktree(
          `${state}/matrix-src`,
          manifest.tree.url,
          manifest.tree.commit!,
          viaOf(options),
        );
      await runCellsLocally(todo, {
        runner: options.runner,
        budget,
        srcTree,
        commit: manifest.tree.commit,
        buildRoot: `${state}/matrix-builds`,
        ccache: options.ccache ?? manifest.options.ccache,
        ccacheDir: `${cache}/ccache`,
        signal: options.signal,
        progress,
        onRecord,
      });
    }
  } finally {
    progress.close();
  }
  const summary = await writeSummaries(runDir, manifest);
  if (options.signal.aborted) {
    options.out.err(
      `interrupted: resume with "kcross matrix run --resume ${manifest.id}"`,
    );
  }
  return {
    runId: manifest.id,
    runDir,
    summary,
    exitCode: summaryExitCode(summary),
  };
}
