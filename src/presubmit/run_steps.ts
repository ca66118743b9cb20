/**
 * Building every cell at every commit (base first), on this machine or
 * through the matrix queue.
 *
 * Locally, one pooled worktree (`git/pool`, its own pool under the state
 * dir, one slot) is moved from commit to commit, and each cell keeps its
 * O= dir in that slot, so commit N+1 of a cell costs only what changed
 * (ccache helps further). The cells of one commit run through the matrix
 * scheduler (`runCellsLocally`: CPU budget, toolchains resolved once, an
 * infrastructure error retried once). A cell whose base build cannot start
 * (no such compiler here…) is not built at the later commits.
 *
 * Through the queue, every commit's cells are submitted at once (job id =
 * cell digest, which includes the commit), and workers build them.
 *
 * @module
 */
import { acquireWorktree, type GitVia, viaOf } from "../git/mod.ts";
import { planBudget, runCellsLocally } from "../matrix/local.ts";
import type { ProgressView } from "../matrix/progress.ts";
import type { CellRunner } from "../matrix/runner.ts";
import type { Cell, CellRecord } from "../matrix/types.ts";
import { neverStarted } from "./judge.ts";
import { commitProgress } from "./progress.ts";
import type { PresubmitCommit } from "./types.ts";

/** The builds to make: per commit (base first), that commit's expanded cells. */
export interface StepsPlan {
  id: string;
  /** The user's repository (top level). */
  repo: string;
  commits: PresubmitCommit[];
  /** `cellsAt[i]`: the profile's cells expanded at `commits[i]` (same order). */
  cellsAt: Cell[][];
}

/** Options shared by both ways. */
interface CommonOptions {
  ccache: boolean;
  signal: AbortSignal;
  progress: ProgressView;
}

/** Options for `runStepsLocally`. */
export interface LocalStepsOptions extends CommonOptions, GitVia {
  runner: CellRunner;
  /** The worktree pool root (one slot is used). */
  poolRoot: string;
  ccacheDir: string;
  cores: number;
  /** Cells at once (default: the budget's). */
  cells?: number | undefined;
  /** make -j per cell (default: the budget's). */
  makeJobs?: number | undefined;
}

/**
 * Builds the plan here. Resolves to every record, by cell digest.
 *
 * @throws {UserError} a budget beyond the cores; {InfraError} git failures
 */
export async function runStepsLocally(
  plan: StepsPlan,
  options: LocalStepsOptions,
): Promise<Map<string, CellRecord>> {
  const records = new Map<string, CellRecord>();
  const dropped = new Set<string>();
  const n = plan.commits.length - 1;
  for (const [i, commit] of plan.commits.entries()) {
    if (options.signal.aborted) break;
    const todo = (plan.cellsAt[i] ?? []).filter((c) => !dropped.has(c.key));
    if (todo.length === 0) continue;
    const budget = planBudget({
      cells: todo.length,
      cores: options.cores,
      jobs: options.cells,
      makeJobs: options.makeJobs,
    });
    await using lease = await acquireWorktree(plan.repo, commit.sha, {
      ...viaOf(options),
      root: options.poolRoot,
      maxSlots: 1,
      progress: (line) => options.progress.note(`kcross: ${line}`),
    });
    await runCellsLocally(todo, {
      runner: options.runner,
      budget,
      srcTree: lease.dir,
      commit: commit.sha,
      buildRoot: `${lease.slotDir}/build`,
      ccache: options.ccache,
      ccacheDir: options.ccacheDir,
      signal: options.signal,
      progress: commitProgress(options.progress, commit, n),
      onRecord: (rec) => {
        records.set(rec.digest, rec);
        const step = { recordId: rec.outcome.recordId, result: rec.result };
        if (i === 0 && neverStarted(step)) {
          dropped.add(rec.key);
          options.progress.drop(n);
          options.progress.note(
            `${rec.key}: not run at the series' commits: ${
              rec.message ?? "the base build did not start"
            }`,
          );
        }
        return Promise.resolve();
      },
    });
  }
  return records;
}

/** Options for `runStepsOnQueue`. */
export interface QueueStepsOptions extends CommonOptions {
  queueUrl: string;
  queueName: string;
  /** The tree URL workers clone (default: the repository path). */
  treeUrl: string;
  makeJobs: number;
  pollMs?: number | undefined;
}

/** Submits every commit's cells to the queue and waits for all of them. */
export async function runStepsOnQueue(
  plan: StepsPlan,
  options: QueueStepsOptions,
): Promise<Map<string, CellRecord>> {
  const { submitAndWait } = await import("../matrix/submit.ts");
  const records = new Map<string, CellRecord>();
  const n = plan.commits.length - 1;
  await Promise.all(
    plan.commits.map((commit, i) =>
      submitAndWait(plan.cellsAt[i] ?? [], {
        queueUrl: options.queueUrl,
        queueName: options.queueName,
        runId: plan.id,
        tree: { url: options.treeUrl, commit: commit.sha },
        makeJobs: options.makeJobs,
        ccache: options.ccache,
        signal: options.signal,
        progress: commitProgress(options.progress, commit, n),
        onRecord: (rec) => {
          records.set(rec.digest, rec);
          return Promise.resolve();
        },
        ...(options.pollMs ? { pollMs: options.pollMs } : {}),
      })
    ),
  );
  return records;
}
