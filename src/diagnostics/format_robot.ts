/**
 * Printing diagnostics the way the kernel test robot's reports do.
 *
 * @module
 */
import type { Diagnostic } from "./types.ts";
import type { DiagnosticLike } from "./normalize_diagnostic.ts";
import { diagnosticKey } from "./normalize_diagnostic.ts";
import type { DiagnosticDiff } from "./diff_diagnostics.ts";

/**
 * One diagnostic as one robot-style line (no prefix): `FILE:LINE[:COL]:
 * SEVERITY: MESSAGE` for compilers, kernel-doc and gas; `FILE:L:C: sparse:
 * sparse: MESSAGE` for sparse; the tool's own shape for the others.
 *
 * @example
 * ```ts
 * import { formatDiagnostic } from "./format_robot.ts";
 * const line = formatDiagnostic({
 *   tool: "compiler", file: "include/uapi/linux/vfio.h", line: 608, column: 37,
 *   severity: "error", message: "expected identifier before '(' token",
 * });
 * if (line !== "include/uapi/linux/vfio.h:608:37: error: expected identifier before '(' token") throw new Error(line);
 * ```
 */
export function formatDiagnostic(d: DiagnosticLike): string {
  const loc = d.file === null
    ? ""
    : `${d.file}:${d.line === null ? "" : `${d.line}:`}${
      d.column === null ? "" : `${d.column}:`
    } `;
  switch (d.tool) {
    case "sparse":
      return `${loc}sparse: sparse: ${d.message}`;
    case "modpost":
      return `${d.severity}: modpost: ${d.message}`;
    case "objtool":
      return `${loc}${d.severity}: objtool: ${d.message}`;
    case "make":
      return `make: *** ${d.message}`;
    case "linker": {
      if (d.file !== null) return `${loc}${d.message}`;
      const bare = /^(?:undefined reference|multiple definition|relocation)/
        .test(d.message);
      return `ld: ${bare ? "" : `${d.severity}: `}${d.message}`;
    }
    default:
      if (d.severity === "sparse") return `${loc}sparse: sparse: ${d.message}`;
      return `${loc}${d.severity}: ${d.message}`;
  }
}

/** Options for `formatRobot`. */
export interface FormatRobotOptions {
  /**
   * Which diagnostics get `>> `: the diagnostics themselves or their
   * `diagnosticKey()`s. All get three spaces when absent.
   */
  newSet?: ReadonlySet<DiagnosticLike | string>;
}

/**
 * Robot-style lines: `>> ` before new diagnostics, three spaces before the
 * others, in the given order.
 *
 * @example
 * ```ts
 * import { formatRobot } from "./format_robot.ts";
 * const a = { file: "a.c", line: 1, column: 2, severity: "error", message: "boom" };
 * const b = { ...a, line: 7, severity: "warning", message: "meh" };
 * const lines = formatRobot([a, b], { newSet: new Set([a]) });
 * if (lines[0] !== ">> a.c:1:2: error: boom" || lines[1] !== "   a.c:7:2: warning: meh") throw new Error();
 * ```
 */
export function formatRobot(
  list: readonly DiagnosticLike[],
  options: FormatRobotOptions = {},
): string[] {
  const set = options.newSet;
  return list.map((d) => {
    const isNew = set !== undefined &&
      (set.has(d) || set.has(diagnosticKey(d)));
    return `${isNew ? ">> " : "   "}${formatDiagnostic(d)}`;
  });
}

/**
 * The `logs diff` view: the current build's diagnostics robot-style (new
 * ones `>> `), then the fixed ones under their own heading.
 */
export function formatDiff(diff: DiagnosticDiff): string[] {
  const current: readonly Diagnostic[] = diff.current;
  const lines: string[] = [];
  if (current.length > 0) {
    lines.push("All errors/warnings (new ones prefixed by >>):", "");
    for (const l of formatRobot(current, { newSet: new Set(diff.added) })) {
      lines.push(l);
    }
  } else {
    lines.push("No errors or warnings.");
  }
  if (diff.fixed.length > 0) {
    lines.push("", "Fixed (in the base build only):", "");
    for (const l of formatRobot(diff.fixed)) lines.push(l);
  }
  return lines;
}
