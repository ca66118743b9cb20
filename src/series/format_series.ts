/**
 * The series table and verdict as text, and as JSON for `--json`. Pure.
 *
 * @module
 */
import { formatDiagnostic } from "./diagnostic_key.ts";
import type { SeriesState } from "./state.ts";
import { type SeriesVerdict, seriesVerdict } from "./verdict.ts";

/** `>>` lines shown per step before "… N more". */
const MAX_NEW_LINES = 12;

/** Verdict per cell (`""` for a plain series). */
export function verdictsOf(state: SeriesState): Record<string, SeriesVerdict> {
  const out: Record<string, SeriesVerdict> = {};
  for (const cell of state.cells) {
    const steps = state.steps.filter((s) => (s.cell ?? "") === cell).sort((
      a,
      b,
    ) => a.index - b.index);
    out[cell] = seriesVerdict(steps, state.commits.length);
  }
  return out;
}

/** Whether every cell's verdict is bisectable. */
export function allBisectable(state: SeriesState): boolean {
  return Object.values(verdictsOf(state)).every((v) => v.bisectable);
}

function pad(text: string, width: number, right = false): string {
  return right ? text.padStart(width) : text.padEnd(width);
}

/**
 * The table: one row per commit (and cell), its `>>` lines under it, then
 * the verdict.
 *
 * @param state a series state (finished or not)
 * @returns lines to print
 */
export function formatSeries(state: SeriesState): string[] {
  const lines: string[] = [];
  const matrix = state.cells.length > 1 || state.cells[0] !== "";
  lines.push(
    `Series ${state.range} (${state.commits.length} commits, ${
      state.base.slice(0, 12)
    }..${state.head.slice(0, 12)}), id ${state.id}`,
  );
  const cellWidth = Math.max(4, ...state.cells.map((c) => c.length));
  lines.push(
    [
      pad("#", 3, true),
      pad("commit", 12),
      ...(matrix ? [pad("cell", cellWidth)] : []),
      pad("result", 7),
      pad("errors", 6, true),
      pad("warnings", 8, true),
      "subject",
    ].join("  "),
  );
  state.commits.forEach((commit, i) => {
    for (const cell of state.cells) {
      const step = state.steps.find((s) =>
        s.index === i + 1 && (s.cell ?? "") === cell
      );
      const result = step ? step.result === "fail" ? "FAIL" : step.result : "-";
      lines.push(
        [
          pad(String(i + 1), 3, true),
          commit.sha.slice(0, 12),
          ...(matrix ? [pad(cell, cellWidth)] : []),
          pad(result, 7),
          pad(step ? String(step.errors) : "", 6, true),
          pad(step ? String(step.warnings) : "", 8, true),
          commit.subject,
        ].join("  "),
      );
      const fresh = step?.newDiagnostics ?? [];
      for (const d of fresh.slice(0, MAX_NEW_LINES)) {
        lines.push(`     >> ${formatDiagnostic(d)}`);
      }
      if (fresh.length > MAX_NEW_LINES) {
        lines.push(`     >> … ${fresh.length - MAX_NEW_LINES} more`);
      }
    }
  });
  lines.push("");
  const verdicts = verdictsOf(state);
  for (const cell of state.cells) {
    const v = verdicts[cell]!;
    lines.push(`Verdict${cell === "" ? "" : ` [${cell}]`}: ${v.summary}`);
    for (const b of v.breaks) {
      lines.push(
        `  breaks: ${b.index} ${b.sha.slice(0, 12)} "${b.subject}"`,
      );
      lines.push(
        b.fixedBy
          ? `  fixed by: ${b.fixedBy.index} ${
            b.fixedBy.sha.slice(0, 12)
          } "${b.fixedBy.subject}"`
          : "  fixed by: none (head does not build)",
      );
    }
  }
  if (state.status !== "done") {
    lines.push(
      `Series stopped (${state.status}); continue with: kcross series --resume ${state.id}`,
    );
  }
  return lines;
}

/** The series as JSON for scripts (`--json`). */
export function seriesJson(state: SeriesState): unknown {
  return {
    id: state.id,
    range: state.range,
    base: state.base,
    head: state.head,
    status: state.status,
    matrix: state.matrix,
    cells: state.cells,
    commits: state.commits,
    steps: state.steps.map(({ diagnostics: _all, ...rest }) => rest),
    verdicts: verdictsOf(state),
    bisectable: allBisectable(state),
  };
}
