/**
 * Diagnostic identity that survives line moves: two diagnostics are the same
 * when tool, file, severity and message agree after the diagnostics area's
 * normalisation (quotes, whitespace, `./` and `../`); line and column are
 * ignored. This is what
 * "new relative to the previous commit" and bisect's judge use, because an
 * unrelated commit that adds lines above a warning must not make it "new".
 *
 * @module
 */
import {
  diffDiagnostics,
  movedKey,
  normalizeMessage,
  normalizePath,
} from "../diagnostics/mod.ts";
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
  return normalizeMessage(message);
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
  return normalizePath(path) ?? "";
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
  return movedKey({ ...d, line: null, column: null });
}

/**
 * The diagnostics of `current` that `previous` does not have, in `current`'s
 * order: the robot's `>>` lines (`diffDiagnostics(previous, current).added`:
 * a diagnostic that only moved lines is not new).
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
  return diffDiagnostics(previous, current).added;
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
