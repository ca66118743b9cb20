/**
 * `kcross logs diff`: the second build's diagnostics the way the robot
 * prints them, new ones prefixed `>> `, fixed ones listed separately.
 * Matching and formatting come from the diagnostics area.
 *
 * @module
 */
import type { Diagnostic } from "../diagnostics/types.ts";
import { diffDiagnostics, formatDiff } from "../diagnostics/mod.ts";

/** The lines to print and how many new errors there are. */
export interface LogsDiff {
  lines: string[];
  newErrors: number;
}

/**
 * Diffs two builds' diagnostics for printing.
 *
 * @param base the earlier build's diagnostics
 * @param head the later build's diagnostics
 *
 * @example
 * ```ts
 * import { logsDiff } from "./logs_diff.ts";
 * const d = (line: number, severity: string, message: string) => ({
 *   tool: "compiler" as const, file: "a.c", line, column: 1, severity,
 *   message, flag: null, count: 1, objects: [],
 * });
 * const r = logsDiff([d(1, "warning", "x")], [d(1, "warning", "x"), d(9, "error", "z")]);
 * if (r.newErrors !== 1 || !r.lines.includes(">> a.c:9:1: error: z")) throw new Error(r.lines.join("\n"));
 * ```
 */
export function logsDiff(base: Diagnostic[], head: Diagnostic[]): LogsDiff {
  const diff = diffDiagnostics(base, head);
  const newErrors = diff.added.filter((d) => /error/i.test(d.severity)).length;
  const lines = [
    ...formatDiff(diff),
    "",
    `${diff.added.length} new (${newErrors} error(s)), ${diff.fixed.length} fixed, ` +
    `${diff.unchanged.length} unchanged`,
  ];
  return { lines, newErrors };
}
