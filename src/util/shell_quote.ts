/**
 * Quoting words for a POSIX shell, so a printed command line (hints, echoed
 * command lines, dry-run plans, reproducer scripts) can be pasted back and
 * runs as the same argv.
 *
 * @module
 */

/** Words that need no quotes in any POSIX shell. */
const SAFE = /^[A-Za-z0-9_.,:/@%+=-]+$/;
// deno-lint-ignore no-control-regex
const CONTROL = /[\x00-\x1f\x7f]/;

/**
 * Quotes a word for POSIX sh when it needs it: bare when it is made of safe
 * characters, in single quotes otherwise, and as `$'…'` (bash, zsh, dash ≥
 * 0.5.12) when it holds control characters, so a newline or an escape
 * sequence from a hostile input can neither break the line nor reach the
 * terminal raw.
 *
 * @example
 * ```ts
 * import { shellQuote } from "./shell_quote.ts";
 * if (shellQuote("W=1") !== "W=1") throw new Error();
 * if (shellQuote("a b") !== "'a b'") throw new Error();
 * if (shellQuote("it's") !== "'it'\\''s'") throw new Error();
 * if (shellQuote("a\nb") !== "$'a\\nb'") throw new Error();
 * ```
 */
export function shellQuote(word: string): string {
  if (word !== "" && SAFE.test(word)) return word;
  if (CONTROL.test(word)) {
    let s = "";
    for (const ch of word) {
      const code = ch.codePointAt(0)!;
      if (ch === "\\" || ch === "'") s += `\\${ch}`;
      else if (ch === "\n") s += "\\n";
      else if (ch === "\t") s += "\\t";
      else if (code < 0x20 || code === 0x7f) {
        s += `\\x${code.toString(16).padStart(2, "0")}`;
      } else s += ch;
    }
    return `$'${s}'`;
  }
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/**
 * The words as one shell command line, each quoted when it needs it.
 *
 * @example
 * ```ts
 * import { shellLine } from "./shell_quote.ts";
 * if (shellLine(["make", "KCFLAGS=-a -b"]) !== "make 'KCFLAGS=-a -b'") throw new Error();
 * ```
 */
export function shellLine(words: readonly string[]): string {
  return words.map(shellQuote).join(" ");
}
