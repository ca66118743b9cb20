/**
 * `kcross presubmit`: build the base and every commit of a series on each
 * cell of a profile (a matrix file, the robot profile by default), judge
 * what the robot would likely report, and write the run's summaries.
 *
 * @module
 */
import type { Output } from "../util/output.ts";
import { InterruptedError, UserError } from "../errors.ts";
import { cacheDir, stateDir } from "../paths.ts";
import {
  git,
  type GitVia,
  repoRoot,
  resolveCommit,
  viaOf,
} from "../git/mod.ts";
import { listRange } from "../git/rev_list.ts";
import { cellDigest, expandCells } from "../matrix/expand.ts";
import { loadMatrix } from "../matrix/load_matrix.ts";
import { progressView } from "../matrix/progress.ts";
import { DEFAULT_QUEUE_NAME } from "../matrix/queue.ts";
import type { CellRunner } from "../matrix/runner.ts";
import type { Cell, CellRecord, TreeSpec } from "../matrix/types.ts";
import { parseRange } from "../series/parse_range.ts";
import { claimRunDir, newSeriesId } from "../series/state.ts";
import { judgeCell, presubmitExitCode, totalsOf } from "./judge.ts";
import {
  runStepsLocally,
  runStepsOnQueue,
  type StepsPlan,
} from "./run_steps.ts";
import type { PresubmitCommit, PresubmitResult, StepOutcome } from "./types.ts";
import { writeSummaries } from "./write_summaries.ts";

/** The profile `kcross presubmit` runs by default. */
export const DEFAULT_PROFILE = decodeURIComponent(
  new URL("../../configs/robot-profile.toml", import.meta.url).pathname,
);

/** Options of a run (the CLI's flags). */
export interface PresubmitOptions extends GitVia {
  /** `base..head`; null: the current branch's upstream `..HEAD`. */
  range: string | null;
  /** The profile file (relative to `cwd`). */
  profile: string;
  cwd: string;
  /** The kernel checkout (default `cwd`). */
  tree?: string | undefined;
  out: Output;
  signal: AbortSignal;
  /** Builds cells locally (the caller loads the real one). */
  runner: CellRunner;
  ccache: boolean;
  queue?: string | undefined;
  queueName?: string | undefined;
  /** Cells at once (local). */
  cells?: number | undefined;
  /** make -j per cell. */
  makeJobs?: number | undefined;
  allowSubstitute?: boolean | undefined;
  allowDistro?: boolean | undefined;
  trustMakeLine?: boolean | undefined;
  /** Roots (default `stateDir()`, `cacheDir()`). */
  stateDir?: string | undefined;
  cacheDir?: string | undefined;
  cores?: number | undefined;
  pollMs?: number | undefined;
}

/** The range to check: as given, or the branch's upstream up to HEAD. */
async function rangeOf(
  repo: string,
  text: string | null,
  via: GitVia,
): Promise<{ text: string; base: string; head: string }> {
  if (text !== null) return { text, ...parseRange(text) };
  const r = await git(
    ["rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{upstream}"],
    { cwd: repo, allowFail: true, ...via },
  );
  const upstream = r.success ? r.stdout.trim() : "";
  if (!upstream) {
    throw new UserError(
      "No range given and the current branch has no upstream",
      { hint: "name the series: kcross presubmit origin/master..HEAD" },
    );
  }
  return { text: `${upstream}..HEAD`, ...parseRange(`${upstream}..HEAD`) };
}

function withAllowances(
  cell: Cell,
  tree: TreeSpec,
  options: PresubmitOptions,
): Cell {
  if (!options.allowSubstitute && !options.allowDistro) return cell;
  const inputs = {
    ...cell.inputs,
    ...(options.allowSubstitute ? { allowSubstitute: true } : {}),
    ...(options.allowDistro ? { allowDistro: true } : {}),
  };
  return { ...cell, inputs, digest: cellDigest(inputs, tree) };
}

function stepOf(rec: CellRecord | undefined): StepOutcome | null {
  if (!rec) return null;
  return {
    digest: rec.digest,
    result: rec.result,
    message: rec.message,
    diagnostics: rec.outcome.diagnostics,
    recordId: rec.outcome.recordId,
    recordDir: rec.outcome.recordDir,
    durationMs: rec.durationMs,
    toolchain: rec.outcome.toolchain,
    reproducer: rec.outcome.reproducer,
    ranOn: rec.ranOn,
  };
}

/**
 * Runs a presubmit check and writes `result.json`, `summary.md` and
 * `summary.html` in its run directory.
 *
 * @returns the result (its `exitCode`: 1 something new would be reported,
 *   3 some cell could not be checked, 0 clean)
 * @throws {UserError} bad range, profile or options; {InfraError} git or
 *   queue failures; {InterruptedError} on Ctrl-C (the summaries of what
 *   was built are written first)
 */
export async function runPresubmit(
  options: PresubmitOptions,
): Promise<PresubmitResult> {
  const state = options.stateDir ?? stateDir();
  const cache = options.cacheDir ?? cacheDir();
  const treeDir = options.tree ?? options.cwd;
  const via = viaOf(options);
  const repo = await repoRoot(
    treeDir.startsWith("/") ? treeDir : `${options.cwd}/${treeDir}`,
    via,
  );
  const range = await rangeOf(repo, options.range, via);
  const series = await listRange(repo, range, via);
  if (series.length === 0) {
    throw new UserError(`No commits in "${range.text}"`, {
      hint: "the range is <base>..<head>: commits in head that base lacks",
    });
  }
  const baseSha = (await resolveCommit(repo, range.base, via))!;
  const commits: PresubmitCommit[] = [
    {
      index: 0,
      sha: baseSha,
      subject: (await git(["log", "-1", "--format=%s", baseSha, "--"], {
        cwd: repo,
        ...via,
      })).stdout.trim(),
    },
    ...series.map((c, i) => ({ index: i + 1, sha: c.sha, subject: c.subject })),
  ];
  const loaded = await loadMatrix(options.profile, options.cwd, {
    trustMakeLine: options.trustMakeLine ?? false,
  });
  const treeUrl = loaded.spec.tree?.url ?? repo;
  const cellsAt: Cell[][] = [];
  for (const c of commits) {
    const tree: TreeSpec = {
      url: treeUrl,
      commit: c.sha,
      useWorkingTree: false,
      workingTree: null,
      dirtyDigest: null,
    };
    const cells = await expandCells(loaded, { tree });
    cellsAt.push(cells.map((cell) => withAllowances(cell, tree, options)));
  }
  const profileCells = cellsAt[0]!;
  if (profileCells.length === 0) {
    throw new UserError(`The profile "${options.profile}" has no cells`);
  }
  const root = `${state}/presubmit`;
  const id = await claimRunDir(root, newSeriesId(commits.at(-1)!.sha));
  const dir = `${root}/${id}`;
  const createdAt = new Date().toISOString();
  const name = loaded.spec.name ??
    loaded.file.slice(loaded.file.lastIndexOf("/") + 1).replace(/\.toml$/, "");
  const total = profileCells.length * commits.length;
  options.out.err(
    `presubmit ${range.text}: base + ${series.length} commit(s) x ${profileCells.length} cell(s) = ${total} builds (${name}), run ${id}`,
  );
  const plan: StepsPlan = { id, repo, commits, cellsAt };
  const progress = progressView(options.out, total);
  let records: Map<string, CellRecord>;
  try {
    records = options.queue
      ? await runStepsOnQueue(plan, {
        queueUrl: options.queue,
        queueName: options.queueName ?? DEFAULT_QUEUE_NAME,
        treeUrl,
        makeJobs: options.makeJobs ?? 0,
        ccache: options.ccache,
        signal: options.signal,
        progress,
        pollMs: options.pollMs,
      })
      : await runStepsLocally(plan, {
        ...via,
        runner: options.runner,
        poolRoot: `${root}/worktrees`,
        ccache: options.ccache,
        ccacheDir: `${cache}/ccache`,
        cores: options.cores ?? (navigator.hardwareConcurrency || 1),
        cells: options.cells,
        makeJobs: options.makeJobs,
        signal: options.signal,
        progress,
      });
  } finally {
    progress.close();
  }
  const cells = profileCells.map((cell, ci) =>
    judgeCell(
      { key: cell.key, axes: cell.axes, inputs: cell.inputs },
      commits,
      commits.map((_, i) => stepOf(records.get(cellsAt[i]![ci]!.digest))),
    )
  );
  const totals = totalsOf(cells);
  const result: PresubmitResult = {
    version: 1,
    id,
    range: range.text,
    profile: loaded.file,
    name,
    mode: options.queue ? "queue" : "local",
    repo,
    commits,
    cells,
    totals,
    exitCode: presubmitExitCode(totals),
    dir,
    createdAt,
    finishedAt: new Date().toISOString(),
  };
  await writeSummaries(result);
  if (options.signal.aborted) {
    throw new InterruptedError(`Presubmit run "${id}" interrupted`, {
      hint: `what was built is summarised in ${dir}/summary.md`,
    });
  }
  return result;
}
