/**
 * Text from outside (a report's fields, a mail's subject, compiler output
 * quoting a source line) made safe to print: a terminal acts on escape
 * sequences (ESC, the C1 CSI/OSC bytes: clear the screen, set the title,
 * write the clipboard) and bidi controls reorder what is shown (a line that
 * reads differently from what it holds). They are printed as visible
 * escapes instead; tabs and newlines (multi-line output such as JSON)
 * stay.
 *
 * @module
 */

const UNSAFE =
  // deno-lint-ignore no-control-regex
  /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * `line` with control and bidi characters shown as `\xNN` / `\u{NNNN}`.
 *
 * @example
 * ```ts
 * import { terminalSafe } from "./terminal_text.ts";
 * if (terminalSafe("a\x1b[2Jb") !== "a\\x1b[2Jb") throw new Error();
 * if (terminalSafe("x\u202ey") !== "x\\u{202e}y") throw new Error();
 * if (terminalSafe("tab\tok é") !== "tab\tok é") throw new Error();
 * ```
 */
export function terminalSafe(line: string): string {
  return line.replace(UNSAFE, (ch) => {
    const code = ch.codePointAt(0)!;
    return code <= 0xff
      ? `\\x${code.toString(16).padStart(2, "0")}`
      : `\\u{${code.toString(16)}}`;
  });
}
