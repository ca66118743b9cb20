/**
 * Progress for a whole presubmit run (cells × commits, base included) on
 * the matrix area's display: one `[done/total]` count over every build, each
 * line naming the cell and the commit (`@base`, `@2/3`) it is about.
 *
 * @module
 */
import type { ProgressSink, ProgressView } from "../matrix/progress.ts";
import type { PresubmitCommit } from "./types.ts";

/**
 * The label of a cell at a commit.
 *
 * @example
 * ```ts
 * import { stepLabel } from "./progress.ts";
 * const c = { index: 2, sha: "2c3451ed2544".padEnd(40, "0"), subject: "s" };
 * if (stepLabel("powerpc/allnoconfig/gcc-12", c, 3) !== "powerpc/allnoconfig/gcc-12 @2/3 2c3451ed2544") throw new Error();
 * ```
 */
export function stepLabel(
  key: string,
  commit: PresubmitCommit,
  commits: number,
): string {
  const at = commit.index === 0 ? "base" : `${commit.index}/${commits}`;
  return `${key} @${at} ${commit.sha.slice(0, 12)}`;
}

/**
 * A sink for the builds of one commit that reports to the run's `view`
 * under `stepLabel` names. Closing it leaves the view open.
 */
export function commitProgress(
  view: ProgressView,
  commit: PresubmitCommit,
  commits: number,
): ProgressSink {
  const label = (key: string) => stepLabel(key, commit, commits);
  return {
    started: (key, where) => view.started(label(key), where),
    status: (key, text) => view.status(label(key), text),
    finished: (rec) => view.finished({ ...rec, key: label(rec.key) }),
    note: (line) => view.note(line),
    close: () => {},
  };
}
