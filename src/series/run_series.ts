/**
 * Builds every commit of a series in order, in one kcross worktree and one
 * build dir per cell (incremental: moving the worktree to the next commit
 * rewrites only the files that changed, and the O= dir is kept), saving the
 * state after each step so an interrupted run can be resumed.
 *
 * @module
 */
import type { Output } from "../util/output.ts";
import { InfraError, InterruptedError } from "../errors.ts";
import { dropWorktree, ownedWorktree, viaOf } from "../git/mod.ts";
import type { ProcessRunner } from "../proc/process_runner.ts";
import { isError, isWarning, newDiagnostics } from "./diagnostic_key.ts";
import { formatDiagnostic } from "./diagnostic_key.ts";
import { saveState, type SeriesState } from "./state.ts";
import type { BuildCommit, SeriesStep, StepBuild } from "./types.ts";

/** One configuration every commit is built in (a matrix cell, or the only one). */
export interface SeriesCell {
  /** Cell name (`""` for a plain series). */
  name: string;
  build: BuildCommit;
}

/** Options for `runSeries`. */
export interface RunSeriesOptions {
  cells: SeriesCell[];
  /** Progress lines go to `out.err`. */
  out: Output;
  signal: AbortSignal;
  /** Series root (default `seriesRoot()`), for the state file. */
  root?: string;
  /** Keep the worktree and build dirs when the series is done. */
  keep?: boolean;
  /** How git starts (the command's context `proc`; default the real runner). */
  proc?: ProcessRunner;
}

/** The build dir of `cell` in a series. */
export function cellBuildDir(state: SeriesState, cell: string): string {
  return cell === "" ? state.buildDir : `${state.buildDir}/${safe(cell)}`;
}

function safe(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, "_");
}

function toStep(
  state: SeriesState,
  index: number,
  cell: string,
  build: StepBuild,
): SeriesStep {
  const commit = state.commits[index - 1]!;
  const previous = [...state.steps].reverse().find((s) =>
    s.index < index && (s.cell ?? "") === cell &&
    (s.result === "pass" || s.result === "fail")
  );
  return {
    index,
    sha: commit.sha,
    subject: commit.subject,
    result: build.result,
    recordId: build.recordId,
    recordDir: build.recordDir,
    errors: build.diagnostics.filter((d) => isError(d.severity)).length,
    warnings: build.diagnostics.filter((d) => isWarning(d.severity)).length,
    newDiagnostics: previous
      ? newDiagnostics(previous.diagnostics, build.diagnostics)
      : [...build.diagnostics],
    diagnostics: build.diagnostics,
    timings: build.timings,
    ...(build.compiled === undefined ? {} : { compiled: build.compiled }),
    ...(build.phases ? { phases: build.phases } : {}),
    ...(cell === "" ? {} : { cell }),
  };
}

function done(state: SeriesState, index: number, cell: string): boolean {
  return state.steps.some((s) => s.index === index && (s.cell ?? "") === cell);
}

/**
 * Runs (or resumes) the series in `state`, mutating and saving it.
 *
 * @param state a new or loaded series state
 * @param options cells to build, output, signal
 * @returns the state when every commit is built or `failFast` stopped it
 * @throws {InterruptedError} on Ctrl-C (state saved, resumable)
 * @throws {InfraError} when a build fails for an infrastructure reason
 */
export async function runSeries(
  state: SeriesState,
  options: RunSeriesOptions,
): Promise<SeriesState> {
  const { out, signal } = options;
  const total = state.commits.length;
  const pending = state.commits.findIndex((_, i) =>
    options.cells.some((c) => !done(state, i + 1, c.name))
  );
  if (pending < 0) {
    state.status = "done";
    await saveState(state, options.root);
    return state;
  }
  state.status = "running";
  await saveState(state, options.root);
  for (let i = pending; i < total; i++) {
    const index = i + 1;
    const commit = state.commits[i]!;
    const cells = options.cells.filter((c) => !done(state, index, c.name));
    if (cells.length === 0) continue;
    if (signal.aborted) return await interrupted(state, options);
    await ownedWorktree(state.repo, state.worktree, commit.sha, {
      ...viaOf(options),
      progress: (line) => out.err(`kcross: ${line}`),
    });
    for (const cell of cells) {
      const label = cell.name === "" ? "" : ` [${cell.name}]`;
      out.err(
        `kcross: [${index}/${total}]${label} ${
          commit.sha.slice(0, 12)
        } ${commit.subject}`,
      );
      const outDir = cellBuildDir(state, cell.name);
      await Deno.mkdir(outDir, { recursive: true });
      const build = await cell.build({
        worktree: state.worktree,
        outDir,
        commit,
        signal,
      });
      if (build.result === "interrupted" || signal.aborted) {
        return await interrupted(state, options);
      }
      if (build.result === "infra-error") {
        state.status = "stopped";
        await saveState(state, options.root);
        throw new InfraError(
          `Building commit ${index}/${total} (${
            commit.sha.slice(0, 12)
          }) failed for an infrastructure reason${
            build.recordId ? `: see build record "${build.recordId}"` : ""
          }`,
          {
            hint: `fix the cause, then run: kcross series --resume ${state.id}`,
          },
        );
      }
      const step = toStep(state, index, cell.name, build);
      state.steps.push(step);
      await saveState(state, options.root);
      out.err(
        `kcross: [${index}/${total}]${label} ${step.result}: ${step.errors} errors, ${step.warnings} warnings${
          step.compiled === undefined
            ? ""
            : `, ${step.compiled} objects compiled`
        }`,
      );
      for (const d of step.newDiagnostics) {
        out.err(`>> ${formatDiagnostic(d)}`);
      }
      if (state.failFast && step.result === "fail") {
        state.status = "stopped";
        await saveState(state, options.root);
        return state;
      }
    }
  }
  state.status = "done";
  await saveState(state, options.root);
  if (!options.keep) {
    await dropWorktree(state.repo, state.worktree, viaOf(options));
    await Deno.remove(state.buildDir, { recursive: true }).catch((e) => {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    });
  }
  return state;
}

async function interrupted(
  state: SeriesState,
  options: RunSeriesOptions,
): Promise<never> {
  state.status = "interrupted";
  await saveState(state, options.root);
  throw new InterruptedError(`Series "${state.id}" interrupted`, {
    hint: `continue it with: kcross series --resume ${state.id}`,
  });
}
