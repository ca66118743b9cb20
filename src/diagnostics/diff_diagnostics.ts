/**
 * Diffing the diagnostics of two builds (`kcross logs diff`, series).
 *
 * @module
 */
import type { Diagnostic } from "./types.ts";
import { diagnosticKey, movedKey } from "./normalize_diagnostic.ts";

/** A diagnostic present in both builds at different lines. */
export interface MovedDiagnostic {
  base: Diagnostic;
  current: Diagnostic;
  /** `current.line - base.line`. */
  by: number;
}

/** What changed between two builds' diagnostics. */
export interface DiagnosticDiff {
  /** In `current` only: the robot's `>>` lines. */
  added: Diagnostic[];
  /** In `base` only. */
  fixed: Diagnostic[];
  /** In both (entries from `current`), moved ones included. */
  unchanged: Diagnostic[];
  /** The subset of `unchanged` whose line moved (same file and message). */
  moved: MovedDiagnostic[];
  /** All of `current`, in its order (what `formatDiff` prints). */
  current: Diagnostic[];
}

/**
 * Compares two builds' diagnostics after normalisation. Exact matches
 * (file, line, column, severity, message) pair first; then a diagnostic
 * with the same file, severity and message at another line counts as
 * unchanged and moved (nearest line first), as the robot does for old
 * warnings that shift with unrelated edits.
 *
 * @example
 * ```ts
 * import { diffDiagnostics } from "./diff_diagnostics.ts";
 * const d = (line: number, message: string) => ({
 *   tool: "compiler" as const, file: "a.c", line, column: 1, severity: "warning",
 *   message, flag: null, count: 1, objects: [],
 * });
 * const r = diffDiagnostics([d(1, "x"), d(5, "y")], [d(3, "x"), d(9, "z")]);
 * if (r.added[0]?.message !== "z" || r.fixed[0]?.message !== "y") throw new Error();
 * if (r.moved[0]?.by !== 2) throw new Error();
 * ```
 */
export function diffDiagnostics(
  base: readonly Diagnostic[],
  current: readonly Diagnostic[],
): DiagnosticDiff {
  const baseUsed = new Array<boolean>(base.length).fill(false);
  const exact = new Map<string, number[]>();
  base.forEach((d, i) => push(exact, diagnosticKey(d), i));
  const currentMatch = new Array<number>(current.length).fill(-1);
  current.forEach((d, j) => {
    const i = take(exact.get(diagnosticKey(d)), baseUsed);
    if (i >= 0) currentMatch[j] = i;
  });
  const loose = new Map<string, number[]>();
  base.forEach((d, i) => {
    if (!baseUsed[i]) push(loose, movedKey(d), i);
  });
  const moved: MovedDiagnostic[] = [];
  current.forEach((d, j) => {
    if (currentMatch[j]! >= 0) return;
    const cands = (loose.get(movedKey(d)) ?? []).filter((i) => !baseUsed[i]);
    if (cands.length === 0) return;
    let best = cands[0]!;
    for (const i of cands) {
      if (dist(base[i]!, d) < dist(base[best]!, d)) best = i;
    }
    baseUsed[best] = true;
    currentMatch[j] = best;
    const b = base[best]!;
    moved.push({ base: b, current: d, by: (d.line ?? 0) - (b.line ?? 0) });
  });
  return {
    added: current.filter((_, j) => currentMatch[j]! < 0),
    fixed: base.filter((_, i) => !baseUsed[i]),
    unchanged: current.filter((_, j) => currentMatch[j]! >= 0),
    moved,
    current: [...current],
  };
}

function push(map: Map<string, number[]>, key: string, i: number): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [i]);
  else list.push(i);
}

function take(list: number[] | undefined, used: boolean[]): number {
  if (list === undefined) return -1;
  for (const i of list) {
    if (!used[i]) {
      used[i] = true;
      return i;
    }
  }
  return -1;
}

function dist(a: Diagnostic, b: Diagnostic): number {
  return Math.abs((a.line ?? 0) - (b.line ?? 0));
}
