/**
 * How the matrix scheduler sees a cell build: the `CellRunner` interface
 * (the local scheduler, the queue worker, series and verify cells run cells
 * through it), the retry rules of `executeCell`, and the outcome counts.
 * There is one runner, `createCellRunner(builder)` in `run_cell.ts`, on the
 * builder of the caller's `BuildContext`.
 *
 * @module
 */
import { InfraError, KcrossError, UserError } from "../errors.ts";
import type { Cell, CellOutcome, CellRecord } from "./types.ts";

/** What a runner gets for one cell. */
export interface CellContext {
  /** Absolute kernel source tree to build (read-only: build with O=). */
  srcTree: string;
  /** Absolute O= directory for this cell (kept between runs). */
  buildDir: string;
  /** make -j for this cell (the scheduler's CPU budget share). */
  makeJobs: number;
  /** Use ccache (shared `ccacheDir`). */
  ccache: boolean;
  ccacheDir: string;
  /** Exact commit being built, when known. */
  commit: string | null;
  signal: AbortSignal;
  /** Runs `fn` once at a time per key (toolchain resolution: fetched once). */
  serialize<T>(key: string, fn: () => Promise<T>): Promise<T>;
  /** Short live status for progress displays (last log line, phase). */
  status?(text: string): void;
  /** Accept a distro compiler of the same version (`--allow-distro`). */
  allowDistro?: boolean;
  /** Never fetch a toolchain (`--offline`). */
  offline?: boolean;
}

/** Runs one cell; returns an outcome (`infra` for environment failures). */
export interface CellRunner {
  run(cell: Cell, ctx: CellContext): Promise<CellOutcome>;
}

/**
 * `runner` with this process's toolchain policy (`--allow-distro`,
 * `--offline`) added to every cell's context.
 */
export function withToolchainPolicy(
  runner: CellRunner,
  policy: { allowDistro: boolean; offline: boolean },
): CellRunner {
  if (!policy.allowDistro && !policy.offline) return runner;
  return {
    run: (cell, ctx) =>
      runner.run(cell, {
        ...ctx,
        ...(policy.allowDistro ? { allowDistro: true } : {}),
        ...(policy.offline ? { offline: true } : {}),
      }),
  };
}

/** An outcome for a cell that could not run at all. */
export function infraOutcome(message: string): CellOutcome {
  return {
    result: "infra",
    message,
    diagnostics: [],
    recordDir: null,
    recordId: null,
    logPath: null,
    reproducer: "",
    toolchain: null,
    configDigest: null,
    exitCode: null,
    timings: {},
  };
}

/** Counts errors and warnings the way summaries show them. */
export function countDiagnostics(
  outcome: CellOutcome,
): { errors: number; warnings: number } {
  let errors = 0;
  let warnings = 0;
  for (const d of outcome.diagnostics) {
    const s = d.severity.toLowerCase();
    if (s.includes("error")) errors++;
    else if (s.includes("warning")) warnings++;
  }
  return { errors, warnings };
}

/** Options for `executeCell`. */
export interface ExecuteOptions {
  runner: CellRunner;
  ctx: CellContext;
  /** Who ran it (`local`, a worker id). */
  ranOn: string;
  /** Attempts for infra errors (default 2: retried once). */
  attempts?: number;
  now?: () => number;
}

/**
 * Runs a cell with the matrix rules: a thrown UserError is a cell failure
 * of its own kind (recorded, not retried), an infra outcome or any other
 * thrown error is retried once and then recorded as `infra`; a build failure
 * is a result, never retried.
 */
export async function executeCell(
  cell: Cell,
  options: ExecuteOptions,
): Promise<CellRecord> {
  const now = options.now ?? (() => performance.now());
  const maxAttempts = options.attempts ?? 2;
  const start = now();
  let outcome: CellOutcome = infraOutcome("not run");
  let attempts = 0;
  while (attempts < maxAttempts) {
    attempts++;
    if (options.ctx.signal.aborted) {
      outcome = { ...infraOutcome("interrupted"), result: "interrupted" };
      break;
    }
    try {
      outcome = await options.runner.run(cell, options.ctx);
    } catch (error) {
      if (options.ctx.signal.aborted) {
        outcome = { ...infraOutcome("interrupted"), result: "interrupted" };
        break;
      }
      const msg = error instanceof Error
        ? error.message.split("\n")[0]!
        : String(error);
      if (error instanceof UserError) {
        outcome = { ...infraOutcome(msg), result: "fail" };
        break;
      }
      outcome = infraOutcome(
        error instanceof KcrossError || error instanceof InfraError
          ? msg
          : `unexpected: ${msg}`,
      );
    }
    if (outcome.result !== "infra") break;
  }
  const { errors, warnings } = countDiagnostics(outcome);
  return {
    key: cell.key,
    digest: cell.digest,
    index: cell.index,
    axes: cell.axes,
    inputs: cell.inputs,
    commit: options.ctx.commit,
    result: outcome.result,
    message: outcome.message ?? null,
    errors,
    warnings,
    durationMs: Math.round(now() - start),
    attempts,
    ranOn: options.ranOn,
    reusedFrom: null,
    outcome,
    finishedAt: new Date().toISOString(),
  };
}
