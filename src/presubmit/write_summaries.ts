/**
 * Writes a presubmit run's files next to each other in its run directory:
 * `result.json`, `summary.md` and `summary.html` (the matrix area's page:
 * arch rows × config/compiler columns, one slot per commit, base first),
 * each atomically.
 *
 * @module
 */
import { formatRobot, movedKey } from "../diagnostics/mod.ts";
import { renderHtml } from "../matrix/html.ts";
import {
  notRunCell,
  type RunSummary,
  type SummaryCell,
  summaryTotals,
} from "../matrix/summary.ts";
import { writeFileAtomic, writeJsonAtomic } from "../util/atomic_write.ts";
import { answerLine, cellLine, renderPresubmitMarkdown } from "./render.ts";
import type { CellVerdict, PresubmitResult } from "./types.ts";

function commitAxis(index: number): string {
  return index === 0 ? "base" : String(index);
}

function summaryCell(
  v: CellVerdict,
  result: PresubmitResult,
  index: number,
): SummaryCell {
  const s = v.steps[index] ?? null;
  const commit = result.commits[index]!;
  const axes = { ...v.axes, commit: commitAxis(index) };
  const key = `${v.key} @${commitAxis(index)} ${commit.sha.slice(0, 12)}`;
  if (!s) {
    return notRunCell({
      key,
      digest: `${v.steps[0]?.digest ?? "cell"}-${index}`,
      axes,
      inputs: v.inputs,
    }, index === 0 ? v.reason : null);
  }
  let errors = 0;
  let warnings = 0;
  for (const d of s.diagnostics) {
    const sev = d.severity.toLowerCase();
    if (sev.includes("error")) errors++;
    else if (sev.includes("warning")) warnings++;
  }
  const notStarted = index === 0 && v.status === "not-run";
  return {
    key,
    digest: s.digest,
    axes,
    inputs: v.inputs,
    result: notStarted ? "not-run" : s.result,
    allowedFailure: false,
    errors,
    warnings,
    durationMs: s.durationMs,
    attempts: 1,
    ranOn: s.ranOn,
    message: s.message,
    record: {
      dir: s.recordDir,
      id: s.recordId,
      log: s.recordDir ? `${s.recordDir}/build.log` : null,
    },
    toolchain: s.toolchain,
    reproducer: s.reproducer,
    diagnostics: s.diagnostics,
    reusedFrom: null,
  };
}

/**
 * The run as a matrix summary: one summary cell per (cell, commit), with a
 * `commit` axis (`base`, `1`, `2`…) so the page stacks a cell's commits in
 * one slot.
 */
export function asRunSummary(result: PresubmitResult): RunSummary {
  const cells = result.cells.flatMap((v) =>
    result.commits.map((_, i) => summaryCell(v, result, i))
  );
  const axes = new Map<string, string[]>();
  for (const c of cells) {
    for (const [k, value] of Object.entries(c.axes)) {
      const list = axes.get(k) ?? [];
      if (!list.includes(value)) list.push(value);
      axes.set(k, list);
    }
  }
  const head = result.commits.at(-1)!;
  return {
    version: 1,
    runId: result.id,
    name: result.name,
    matrixFile: result.profile,
    mode: result.mode,
    createdAt: result.createdAt,
    finishedAt: result.finishedAt,
    tree: { url: result.repo, commit: head.sha, dirty: false },
    axes: [...axes].map(([name, values]) => ({ name, values })),
    totals: summaryTotals(cells),
    cells,
  };
}

/** Robot-style lines for each summary cell: new relative to its cell's base get `>> `. */
function robotDiagnostics(
  result: PresubmitResult,
): (c: SummaryCell) => string[] {
  const byDigest = new Map<string, string[]>();
  for (const v of result.cells) {
    const base = new Set((v.steps[0]?.diagnostics ?? []).map(movedKey));
    v.steps.forEach((s, i) => {
      if (!s) return;
      const fresh = new Set(
        i === 0 ? [] : s.diagnostics.filter((d) => !base.has(movedKey(d))),
      );
      byDigest.set(s.digest, formatRobot(s.diagnostics, { newSet: fresh }));
    });
  }
  return (c) => byDigest.get(c.digest) ?? [];
}

/** The paths of a run's summaries. */
export function summaryPaths(
  dir: string,
): { json: string; md: string; html: string } {
  return {
    json: `${dir}/result.json`,
    md: `${dir}/summary.md`,
    html: `${dir}/summary.html`,
  };
}

/** Writes `result.json`, `summary.md` and `summary.html` into `result.dir`. */
export async function writeSummaries(result: PresubmitResult): Promise<void> {
  const paths = summaryPaths(result.dir);
  await writeJsonAtomic(paths.json, result);
  await writeFileAtomic(paths.md, renderPresubmitMarkdown(result, paths.html));
  const n = result.commits.length - 1;
  await writeFileAtomic(
    paths.html,
    renderHtml(asRunSummary(result), {
      heading: `kcross presubmit: ${result.range}`,
      notes: [
        answerLine(result.totals, paths.md).replace(/ — see .*$/, ""),
        ...result.cells.map((v) => cellLine(v, n)),
        "Each slot shows the base, then every commit of the series; in a panel, diagnostics new relative to the base are prefixed by >>.",
      ],
      diagnosticLines: robotDiagnostics(result),
    }),
  );
}
