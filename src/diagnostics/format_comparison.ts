/**
 * The `repro` verdict table.
 *
 * @module
 */
import type { Comparison } from "./compare_reported.ts";
import { formatDiagnostic } from "./format_robot.ts";

/**
 * A plain-text table of a comparison: one row per reported diagnostic
 * (status, `>>` mark, the reported line and, when it moved, where the build
 * has it), then the extra ones, then the verdict.
 *
 * @example
 * ```ts
 * import { compareReported } from "./compare_reported.ts";
 * import { formatComparison } from "./format_comparison.ts";
 * const c = compareReported([{ file: "a.c", line: 1, column: 2, severity: "error", message: "x", new: true }], []);
 * const text = formatComparison(c).join("\n");
 * if (!text.includes("missing") || !text.endsWith("verdict: not-reproduced")) throw new Error(text);
 * ```
 */
export function formatComparison(c: Comparison): string[] {
  const lines: string[] = [];
  const width = "reproduced".length;
  for (const m of c.matches) {
    const r = m.reported;
    const mark = r.new ? ">>" : "  ";
    lines.push(
      `${m.status.padEnd(width)} ${mark} ${formatDiagnostic(r)}`,
    );
    if (m.severityHere !== null) {
      lines.push(
        `${
          "".padEnd(width)
        }    ${m.severityHere} here, ${r.severity} in the report: the difference is -Werror (CONFIG_WERROR)`,
      );
    }
    if (m.status === "moved" && m.found !== null) {
      const by = m.movedBy ?? 0;
      const how = by === 0
        ? "column moved"
        : `moved by ${by > 0 ? "+" : ""}${by} line${
          Math.abs(by) === 1 ? "" : "s"
        }`;
      lines.push(
        `${"".padEnd(width)}    ${how}: ${m.found.file}:${m.found.line}:${
          m.found.column ?? ""
        }`,
      );
    }
  }
  for (const d of c.extra) {
    lines.push(`${"extra".padEnd(width)}    ${formatDiagnostic(d)}`);
  }
  const k = c.counts;
  lines.push(
    "",
    `${k.reproduced} reproduced, ${k.moved} moved, ${k.missing} missing, ${k.extra} extra`,
    `verdict: ${c.verdict}`,
  );
  return lines;
}
