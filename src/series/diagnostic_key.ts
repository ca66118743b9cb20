/**
 * Diagnostic identity that survives line moves: two diagnostics are the same
 * when tool, file, severity and message agree after normalisation (quotes,
 * whitespace, a leading `./`); line and column are ignored. This is what
 * "new relative to the previous commit" and bisect's judge use, because an
 * unrelated commit that adds lines above a warning must not make it "new".
 *
 * @module
 */
import type { Diagnostic } from "../diagnostics/types.ts";

/**
 * Normalises message text: typographic quotes to ASCII, runs of whitespace
 * to one space, trimmed.
 *
 * @example
 * ```ts
 * import { normaliseMessage } from "./diagnostic_key.ts";
 * if (normaliseMessage("variable \u2018x\u2019  set") !== "variable 'x' set") throw new Error();
 * ```
 */
export function normaliseMessage(message: string): string {
  return message
    .replace(/[\u2018\u2019`]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/\s+/g, " ")
    .trim();
}

/**
 * Normalises a source path: no leading `./`, no doubled slashes.
 *
 * @example
 * ```ts
 * import { normalisePath } from "./diagnostic_key.ts";
 * if (normalisePath("./drivers//vfio/vfio.c") !== "drivers/vfio/vfio.c") throw new Error();
 * ```
 */
export function normalisePath(path: string | null): string {
  if (path === null) return "";
  return path.replace(/\/{2,}/g, "/").replace(/^(\.\/)+/, "");
}

/** The fields a key is made of (a `Diagnostic` has them all). */
export type KeyFields = Pick<Diagnostic, "file" | "severity" | "message">;

/**
 * A string identifying a diagnostic independently of its line and column.
 * `fatal error` and `error` are kept apart; severity case is ignored.
 *
 * @example
 * ```ts
 * import { diagnosticKey } from "./diagnostic_key.ts";
 * const a = diagnosticKey({ file: "a.c", severity: "error", message: "x" });
 * const b = diagnosticKey({ file: "./a.c", severity: "error", message: " x" });
 * if (a !== b) throw new Error();
 * ```
 */
export function diagnosticKey(d: KeyFields): string {
  return [
    normalisePath(d.file),
    d.severity.toLowerCase(),
    normaliseMessage(d.message),
  ].join("\u0000");
}

/**
 * The diagnostics of `current` that `previous` does not have (by key), in
 * `current`'s order: the robot's `>>` lines.
 *
 * @example
 * ```ts
 * import { newDiagnostics } from "./diagnostic_key.ts";
 * const d = (message: string, line: number) => ({
 *   tool: "compiler" as const, file: "a.c", line, column: 1, severity: "error",
 *   message, flag: null, count: 1, objects: [],
 * });
 * const fresh = newDiagnostics([d("x", 10)], [d("x", 12), d("y", 3)]);
 * if (fresh.length !== 1 || fresh[0]!.message !== "y") throw new Error();
 * ```
 */
export function newDiagnostics(
  previous: readonly Diagnostic[],
  current: readonly Diagnostic[],
): Diagnostic[] {
  const seen = new Set(previous.map(diagnosticKey));
  const out: Diagnostic[] = [];
  for (const d of current) {
    const key = diagnosticKey(d);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(d);
  }
  return out;
}

/** Whether a severity counts as an error (`error`, `fatal error`, `ERROR`). */
export function isError(severity: string): boolean {
  return /error/i.test(severity);
}

/** Whether a severity counts as a warning. */
export function isWarning(severity: string): boolean {
  return /warning/i.test(severity);
}

/**
 * One diagnostic the way robot reports print it (`file:line:col: sev: msg`),
 * without the `>> ` prefix.
 *
 * @example
 * ```ts
 * import { formatDiagnostic } from "./diagnostic_key.ts";
 * const line = formatDiagnostic({
 *   tool: "compiler", file: "a.c", line: 3, column: 7, severity: "error",
 *   message: "boom", flag: null, count: 1, objects: [],
 * });
 * if (line !== "a.c:3:7: error: boom") throw new Error(line);
 * ```
 */
export function formatDiagnostic(d: Diagnostic): string {
  const where = [
    d.file ?? d.tool,
    ...(d.line === null ? [] : [String(d.line)]),
    ...(d.line !== null && d.column !== null ? [String(d.column)] : []),
  ].join(":");
  return `${where}: ${d.severity}: ${d.message}`;
}
