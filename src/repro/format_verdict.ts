/**
 * Builds the verdict record from a comparison and prints it as a table.
 *
 * @module
 */
import type { Comparison } from "../diagnostics/mod.ts";
import type { Verdict, VerdictRow } from "./types.ts";

/**
 * The rows of a verdict from `compareReported()`'s matches.
 *
 * @example
 * ```ts
 * import { verdictRows } from "./format_verdict.ts";
 * const rows = verdictRows({ matches: [{ status: "moved", movedBy: 2, found: null, severityHere: null,
 *   reported: { file: "a.c", line: 3, column: 1, severity: "error", message: "m", new: true } }] });
 * if (rows[0]?.movedBy !== 2 || rows[0].file !== "a.c") throw new Error();
 * ```
 */
export function verdictRows(c: Pick<Comparison, "matches">): VerdictRow[] {
  return c.matches.map((r) => ({
    status: r.status,
    new: r.reported.new,
    file: r.reported.file,
    line: r.reported.line,
    column: r.reported.column,
    severity: r.reported.severity,
    message: r.reported.message,
    ...(r.movedBy !== null ? { movedBy: r.movedBy } : {}),
    ...(r.severityHere !== null ? { severityHere: r.severityHere } : {}),
  }));
}

/**
 * A row's status as printed: `moved +2 lines`, and for a severity changed by
 * -Werror `reproduced (error here, warning in the report)`.
 *
 * @example
 * ```ts
 * import { statusText } from "./format_verdict.ts";
 * const s = statusText({ status: "reproduced", severityHere: "error", severity: "warning" });
 * if (s !== "reproduced (error here, warning in the report)") throw new Error(s);
 * ```
 */
export function statusText(
  r: Pick<VerdictRow, "status" | "movedBy" | "severityHere" | "severity">,
): string {
  const base = r.status === "moved"
    ? `moved ${r.movedBy! > 0 ? "+" : ""}${r.movedBy} lines`
    : r.status;
  return r.severityHere
    ? `${base} (${r.severityHere} here, ${r.severity} in the report)`
    : base;
}

/** Extra diagnostics listed in the table (all of them are in verdict.json). */
const EXTRA_SHOWN = 8;
/**
 * Reported diagnostics listed in the table; a forged report can list 10^5
 * of them, so the rest are counted by status (all are in verdict.json).
 */
export const ROWS_SHOWN = 500;

/**
 * A row's place as the verdicts print it: `file:line:column`, the parts it
 * has (`?` for no file).
 *
 * @example
 * ```ts
 * import { loc } from "./format_verdict.ts";
 * if (loc({ file: "a.c", line: 3, column: null }) !== "a.c:3") throw new Error();
 * ```
 */
export function loc(
  r: { file: string | null; line: number | null; column?: number | null },
): string {
  return `${r.file ?? "?"}${r.line !== null ? `:${r.line}` : ""}${
    r.column !== null && r.column !== undefined ? `:${r.column}` : ""
  }`;
}

/**
 * The verdict as lines of text: the `>>`-style table, extra diagnostics,
 * setup differences and the verdict line.
 *
 * @example
 * ```ts
 * import { formatVerdict } from "./format_verdict.ts";
 * const lines = formatVerdict({ verdict: "reproduced", rows: [{ status: "reproduced", new: true,
 *   file: "a.c", line: 3, column: 1, severity: "error", message: "m" }], extra: [],
 *   differences: [], notes: [], commit: "abc", reportCommit: "abc", arch: "powerpc",
 *   config: "allmodconfig", targets: [], makeVars: [], toolchain: null, build: null,
 *   werror: { mode: "off", from: "robot policy", why: "the robot builds allmodconfig with CONFIG_WERROR off", enabled: false } });
 * if (!lines.some((l) => l.includes(">> a.c:3:1: error: m"))) throw new Error(lines.join("\n"));
 * if (lines.at(-1) !== "verdict: reproduced") throw new Error();
 * ```
 */
export function formatVerdict(v: Verdict): string[] {
  const lines: string[] = [];
  const shown = v.rows.slice(0, ROWS_SHOWN);
  // A loop, not Math.max(...rows): spreading 10^5 values overflows the stack.
  let width = 10;
  for (const r of shown) width = Math.max(width, statusText(r).length);
  lines.push(`${"status".padEnd(width)}  reported diagnostic`);
  for (const r of shown) {
    const status = statusText(r);
    lines.push(
      `${status.padEnd(width)}  ${r.new ? ">>" : "  "} ${
        loc(r)
      }: ${r.severity}: ${r.message}`,
    );
  }
  if (v.rows.length > shown.length) {
    const counts = new Map<string, number>();
    for (const r of v.rows.slice(shown.length)) {
      counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
    }
    lines.push(
      `… ${v.rows.length - shown.length} more in verdict.json (${
        [...counts].map(([k, n]) => `${n} ${k}`).join(", ")
      })`,
    );
  }
  if (v.rows.length === 0) {
    lines.push("(the report lists no file:line diagnostics)");
  }
  if (v.extra.length) {
    lines.push("", `extra (${v.extra.length}, not in the report):`);
    for (const e of v.extra.slice(0, EXTRA_SHOWN)) {
      lines.push(`  ${loc(e)}: ${e.severity}: ${e.message}`);
    }
    if (v.extra.length > EXTRA_SHOWN) {
      lines.push(`  … ${v.extra.length - EXTRA_SHOWN} more in verdict.json`);
    }
  }
  if (v.werror) {
    lines.push(
      "",
      `CONFIG_WERROR: ${
        v.werror.enabled === null ? "?" : v.werror.enabled ? "y" : "n"
      } (${v.werror.why})`,
    );
  }
  lines.push(...setupLines(v));
  if (v.build) lines.push("", `build record: ${v.build.recordDir}`);
  lines.push(`verdict: ${v.verdict}`);
  return lines;
}

/**
 * A run's setup differences and notes as the verdicts print them: a blank
 * line, a heading and `  - ` items for each list that is not empty.
 *
 * @example
 * ```ts
 * import { setupLines } from "./format_verdict.ts";
 * const l = setupLines({ differences: ["clang-15 for clang-15.0.7"], notes: [] });
 * if (l.join("|") !== "|setup differences:|  - clang-15 for clang-15.0.7") throw new Error();
 * ```
 */
export function setupLines(
  v: { differences: readonly string[]; notes: readonly string[] },
): string[] {
  const lines: string[] = [];
  if (v.differences.length) {
    lines.push("", "setup differences:");
    for (const d of v.differences) lines.push(`  - ${d}`);
  }
  if (v.notes.length) {
    lines.push("", "notes:");
    for (const n of v.notes) lines.push(`  - ${n}`);
  }
  return lines;
}
