/**
 * Parses a diagnostic as a user pastes it on the command line
 * (`--diagnostic "include/uapi/linux/vfio.h:608:37: error: expected …"`),
 * with or without the robot's `>> ` prefix.
 *
 * @module
 */
import type { Diagnostic } from "../diagnostics/types.ts";
import { UserError } from "../errors.ts";

const LINE_RE =
  /^(?:>>?\s*)?(\S+?):(\d+)(?::(\d+))?:\s*(fatal error|error|warning|sparse):\s*(?:sparse:\s*)?(.*\S)\s*$/;

/**
 * Parses `text` into a `Diagnostic` (tool `compiler`, or `sparse`).
 *
 * @param text `file:line[:col]: severity: message`
 * @returns the diagnostic
 * @throws {UserError} when the text does not have that shape
 *
 * @example
 * ```ts
 * import { parseDiagnosticLine } from "./parse_diagnostic.ts";
 * const d = parseDiagnosticLine(">> a/b.c:12:5: error: 'x' undeclared");
 * if (d.file !== "a/b.c" || d.line !== 12 || d.message !== "'x' undeclared") throw new Error();
 * ```
 */
export function parseDiagnosticLine(text: string): Diagnostic {
  const m = LINE_RE.exec(text.trim());
  if (!m) {
    throw new UserError(
      `Cannot read the diagnostic "${text}": expected "<file>:<line>[:<col>]: <error|warning>: <message>"`,
      {
        hint:
          'copy a line from the report, e.g. --diagnostic "drivers/vfio/vfio.c:1600:26: error: array index in initializer not of integer type"',
      },
    );
  }
  const severity = m[4]!;
  const flag = /\[(-W[^\]]+)\]\s*$/.exec(m[5]!)?.[1] ?? null;
  return {
    tool: severity === "sparse" ? "sparse" : "compiler",
    file: m[1]!,
    line: Number(m[2]),
    column: m[3] === undefined ? null : Number(m[3]),
    severity,
    message: m[5]!,
    flag,
    count: 1,
    objects: [],
  };
}
