/**
 * Quoting words for a POSIX shell, so a printed command line can be pasted
 * back as it is.
 *
 * @module
 */

/**
 * Quotes a word for POSIX sh when it needs it.
 *
 * @example
 * ```ts
 * import { shellQuote } from "./shell_quote.ts";
 * if (shellQuote("W=1") !== "W=1") throw new Error();
 * if (shellQuote("a b") !== "'a b'") throw new Error();
 * if (shellQuote("it's") !== "'it'\\''s'") throw new Error();
 * ```
 */
export function shellQuote(word: string): string {
  if (word !== "" && /^[A-Za-z0-9_.,:/@%+=-]+$/.test(word)) return word;
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
