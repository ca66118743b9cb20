/**
 * `kcross matrix diff`: what changed between two runs, cell by cell (matched
 * by cell key, so runs at different commits compare), with new diagnostics
 * printed robot-style (`>>`).
 *
 * @module
 */
import {
  diagnosticLine,
  type RunSummary,
  type SummaryCell,
} from "./summary.ts";

/** One cell's change. */
export interface CellChange {
  key: string;
  before: SummaryCell["result"] | "absent";
  after: SummaryCell["result"] | "absent";
  /** Diagnostics in `after` not in `before` (line-number tolerant). */
  added: string[];
  /** Diagnostics gone in `after`. */
  removed: string[];
}

function norm(line: string): string {
  // Same file and message count as the same diagnostic even if lines moved.
  return line.replace(/^([^:]*):\d+(?::\d+)?:/, "$1:");
}

function diagSet(c: SummaryCell | undefined): string[] {
  return c ? [...new Set(c.diagnostics.map(diagnosticLine))] : [];
}

/**
 * Compares runs `a` and `b`: cells whose result changed or whose diagnostics
 * differ.
 *
 * @example
 * ```ts
 * import { diffRuns } from "./diff.ts";
 * const d = { tool: "compiler" as const, file: "a.c", line: 3, column: 1, severity: "error", message: "x", flag: null, count: 1, objects: [] };
 * const cell = (result: "pass" | "fail", diagnostics: typeof d[]) => ({ key: "k", result, diagnostics }) as never;
 * const changes = diffRuns({ cells: [cell("pass", [])] } as never, { cells: [cell("fail", [d])] } as never);
 * if (changes[0]?.added[0] !== "a.c:3:1: error: x") throw new Error();
 * ```
 */
export function diffRuns(a: RunSummary, b: RunSummary): CellChange[] {
  const byKey = (s: RunSummary) => new Map(s.cells.map((c) => [c.key, c]));
  const ma = byKey(a);
  const mb = byKey(b);
  const keys = [...new Set([...ma.keys(), ...mb.keys()])];
  const out: CellChange[] = [];
  for (const key of keys) {
    const ca = ma.get(key);
    const cb = mb.get(key);
    const da = diagSet(ca);
    const db = diagSet(cb);
    const na = new Set(da.map(norm));
    const nb = new Set(db.map(norm));
    const added = db.filter((l) => !na.has(norm(l)));
    const removed = da.filter((l) => !nb.has(norm(l)));
    const before = ca?.result ?? "absent";
    const after = cb?.result ?? "absent";
    if (before !== after || added.length || removed.length) {
      out.push({ key, before, after, added, removed });
    }
  }
  return out;
}

/** Whether a change is a regression (new failure or new diagnostics). */
export function isRegression(c: CellChange): boolean {
  return c.added.length > 0 || (c.after === "fail" && c.before !== "fail");
}

/** The diff as text lines: a header per changed cell, `>>` new, `<<` gone. */
export function renderDiff(
  a: RunSummary,
  b: RunSummary,
  changes: CellChange[],
): string[] {
  const lines = [
    `matrix diff ${a.runId} -> ${b.runId}: ${changes.length} cell(s) changed`,
  ];
  for (const c of changes) {
    lines.push("", `${c.key}: ${c.before} -> ${c.after}`);
    for (const l of c.added) lines.push(`>> ${l}`);
    for (const l of c.removed) lines.push(`<< ${l}`);
  }
  return lines;
}
