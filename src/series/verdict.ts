/**
 * The bisectability verdict of a built series: which commits break the build
 * and which later commit fixes each break. Pure.
 *
 * A commit breaks the build when it fails and the previous commit passed (or
 * it is the first commit and fails: the range starts broken), or when it
 * fails with new errors while the build was already broken (a second break
 * stacked on the first). A break is fixed by the first later commit where
 * none of the errors it introduced remain and the build passes, or, for a
 * stacked break, where its own errors are gone.
 *
 * @module
 */
import { diagnosticKey, isError } from "./diagnostic_key.ts";
import type { SeriesStep } from "./types.ts";

/** One break of the build. */
export interface SeriesBreak {
  /** 1-based index of the breaking commit. */
  index: number;
  sha: string;
  subject: string;
  /** The new error lines it introduced (may be empty, e.g. a link failure). */
  errors: string[];
  /** The commit that fixes it, or null when head is still broken. */
  fixedBy: { index: number; sha: string; subject: string } | null;
}

/** The verdict over a series. */
export interface SeriesVerdict {
  /** Every commit built and passed or failed without any break. */
  bisectable: boolean;
  /** Whether every commit of the range has a result (not stopped early). */
  complete: boolean;
  breaks: SeriesBreak[];
  /** Commits that could not be judged (infra error, interrupted). */
  unknown: number[];
  /** One-line summary for humans. */
  summary: string;
}

interface OpenBreak {
  brk: SeriesBreak;
  keys: Set<string>;
}

function ref(step: SeriesStep) {
  return { index: step.index, sha: step.sha, subject: step.subject };
}

/**
 * Computes the verdict for `steps` (in series order) out of `total` commits.
 *
 * @param steps built steps, oldest first (one per commit; for a matrix, call per cell)
 * @param total commits in the range
 * @returns breaks, fixes and a one-line summary
 *
 * @example
 * ```ts
 * import { seriesVerdict } from "./verdict.ts";
 * const step = (index: number, result: "pass" | "fail") => ({
 *   index, sha: `${index}`.repeat(40), subject: `c${index}`, result,
 *   recordId: "", recordDir: "", errors: result === "fail" ? 1 : 0, warnings: 0,
 *   newDiagnostics: [], diagnostics: [], timings: {},
 * });
 * const v = seriesVerdict([step(1, "pass"), step(2, "fail"), step(3, "pass")], 3);
 * if (v.bisectable || v.breaks[0]!.index !== 2 || v.breaks[0]!.fixedBy?.index !== 3) throw new Error();
 * ```
 */
export function seriesVerdict(
  steps: readonly SeriesStep[],
  total: number,
): SeriesVerdict {
  const breaks: SeriesBreak[] = [];
  const unknown: number[] = [];
  let open: OpenBreak[] = [];
  let previous: "pass" | "fail" | null = null;
  for (const step of steps) {
    if (step.result !== "pass" && step.result !== "fail") {
      // empty counts as pass for bisectability: nothing was broken by it
      if (step.result === "empty") {
        open = closeAll(open, step);
        previous = "pass";
        continue;
      }
      unknown.push(step.index);
      continue;
    }
    const keys = new Set(
      step.diagnostics.filter((d) => isError(d.severity)).map(diagnosticKey),
    );
    if (step.result === "pass") {
      open = closeAll(open, step);
      previous = "pass";
      continue;
    }
    // a failing step: close the open breaks whose own errors are all gone
    open = open.filter((o) => {
      if (o.keys.size === 0) return true;
      for (const k of o.keys) if (keys.has(k)) return true;
      o.brk.fixedBy = ref(step);
      return false;
    });
    const fresh = step.newDiagnostics.filter((d) => isError(d.severity));
    const stacked = previous === "fail" && fresh.length > 0;
    if (previous !== "fail" || stacked || open.length === 0) {
      const brk: SeriesBreak = {
        ...ref(step),
        errors: fresh.map((d) =>
          `${d.file ?? d.tool}:${d.line ?? ""}: ${d.severity}: ${d.message}`
        ),
        fixedBy: null,
      };
      breaks.push(brk);
      open.push({ brk, keys: new Set(fresh.map(diagnosticKey)) });
    }
    previous = "fail";
  }
  const complete = steps.length === total && unknown.length === 0;
  const bisectable = breaks.length === 0 && complete;
  return {
    bisectable,
    complete,
    breaks,
    unknown,
    summary: summarise(breaks, complete, steps.length, total, unknown),
  };
}

function closeAll(open: OpenBreak[], step: SeriesStep): OpenBreak[] {
  for (const o of open) o.brk.fixedBy = ref(step);
  return [];
}

function summarise(
  breaks: SeriesBreak[],
  complete: boolean,
  built: number,
  total: number,
  unknown: number[],
): string {
  const tail = complete
    ? ""
    : unknown.length > 0
    ? ` (commits ${unknown.join(", ")} could not be judged)`
    : ` (stopped after ${built} of ${total} commits)`;
  if (breaks.length === 0) {
    return complete
      ? total === 1
        ? "bisectable: the 1 commit builds"
        : `bisectable: all ${total} commits build`
      : `no break found so far${tail}`;
  }
  const parts = breaks.map((b) =>
    `commit ${b.index} breaks the build, ${
      b.fixedBy ? `fixed by commit ${b.fixedBy.index}` : "never fixed"
    }`
  );
  return `not bisectable: ${parts.join("; ")}${tail}`;
}
