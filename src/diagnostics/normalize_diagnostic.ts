/**
 * Normalisation of diagnostics so that a robot report's lines, a build on
 * another machine and a build in another directory compare equal.
 *
 * @module
 */
import type { DiagnosticTool } from "./types.ts";
import { relativeToTree } from "./_paths.ts";

/** The fields comparison needs; both `Diagnostic` and report entries fit. */
export interface DiagnosticLike {
  file: string | null;
  line: number | null;
  column: number | null;
  severity: string;
  message: string;
  tool?: DiagnosticTool;
}

/** Roots to strip from absolute paths. */
export interface NormalizeOptions {
  srcTree?: string;
  outDir?: string;
}

/**
 * A path relative to the kernel tree: strips `srcTree`/`outDir`, then any
 * leading `./` and `../`, and resolves inner `..`.
 *
 * @example
 * ```ts
 * import { normalizePath } from "./normalize_diagnostic.ts";
 * if (normalizePath("../drivers/vfio/../vfio/vfio.c") !== "drivers/vfio/vfio.c") throw new Error();
 * if (normalizePath("/k/include/a.h", { srcTree: "/k" }) !== "include/a.h") throw new Error();
 * ```
 */
export function normalizePath(
  file: string | null,
  options: NormalizeOptions = {},
): string | null {
  if (file === null) return null;
  return relativeToTree(file.trim(), options);
}

const QUOTES: Record<string, string> = {
  "\u2018": "'",
  "\u2019": "'",
  "\u201a": "'",
  "\u201b": "'",
  "\u2032": "'",
  "\u201c": '"',
  "\u201d": '"',
  "\u201e": '"',
  "\u00ab": '"',
  "\u00bb": '"',
};

/**
 * A message with typographic quotes made ASCII (what gcc prints outside
 * `LANG=C`), whitespace runs collapsed and ends trimmed.
 *
 * @example
 * ```ts
 * import { normalizeMessage } from "./normalize_diagnostic.ts";
 * const m = normalizeMessage("variable \u2018hwirq\u2019  set but\tnot used ");
 * if (m !== "variable 'hwirq' set but not used") throw new Error(m);
 * ```
 */
export function normalizeMessage(message: string): string {
  return message
    .replace(
      /[\u2018\u2019\u201a\u201b\u2032\u201c\u201d\u201e\u00ab\u00bb]/g,
      (c) => QUOTES[c]!,
    )
    .replace(/\s+/g, " ")
    .trim();
}

/**
 * Severity as the robot reports it: `sparse` for anything sparse printed,
 * otherwise lower case (`error`, `warning`, `fatal error`).
 */
export function normalizeSeverity(
  d: Pick<DiagnosticLike, "severity" | "tool">,
): string {
  if (d.tool === "sparse") return "sparse";
  return d.severity.toLowerCase();
}

/**
 * A copy of `d` with its path, message and severity normalised (see
 * `normalizePath`, `normalizeMessage`, `normalizeSeverity`); other fields
 * are kept.
 *
 * @example
 * ```ts
 * import { normalizeDiagnostic } from "./normalize_diagnostic.ts";
 * const d = normalizeDiagnostic({
 *   file: "./drivers/a.c", line: 3, column: null, severity: "error",
 *   message: "expected \u2018;\u2019 before \u2018}\u2019 token",
 * });
 * if (d.file !== "drivers/a.c" || d.message !== "expected ';' before '}' token") throw new Error();
 * ```
 */
export function normalizeDiagnostic<T extends DiagnosticLike>(
  d: T,
  options: NormalizeOptions = {},
): T {
  return {
    ...d,
    file: normalizePath(d.file, options),
    severity: normalizeSeverity(d),
    message: normalizeMessage(d.message),
  };
}

/**
 * Identity of a diagnostic for diffs and sets: tool, file, line, column,
 * severity and message, after normalisation.
 */
export function diagnosticKey(d: DiagnosticLike): string {
  const n = normalizeDiagnostic(d);
  return `${toolTag(d)}${n.file ?? ""}:${n.line ?? ""}:${
    n.column ?? ""
  }: ${n.severity}: ${n.message}`;
}

/** Tools whose lines a robot report can hold share the plain key. */
function toolTag(d: DiagnosticLike): string {
  const t = d.tool;
  return t === undefined || t === "compiler" || t === "sparse" ||
      t === "kernel-doc"
    ? ""
    : `${t}|`;
}

/** Identity ignoring line and column: what "moved" diagnostics share. */
export function movedKey(d: DiagnosticLike): string {
  const n = normalizeDiagnostic(d);
  return `${toolTag(d)}${n.file ?? ""}: ${n.severity}: ${n.message}`;
}

/** The sparse message before the robot's ` @@ expected … @@ got … @@` tail. */
export function sparseHead(message: string): string {
  const i = message.indexOf(" @@");
  return i < 0 ? message : message.slice(0, i);
}
