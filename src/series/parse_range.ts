/**
 * Parses the `<base>..<head>` argument of `kcross series`.
 *
 * @module
 */
import { UserError } from "../errors.ts";

/** A commit range. */
export interface CommitRange {
  base: string;
  head: string;
}

const REV_RE = /^[A-Za-z0-9][A-Za-z0-9._/@{}~^+-]*$/;

/**
 * Splits `text` at `..` into base and head (`head` defaults to `HEAD`).
 * `...` (symmetric difference) is refused: a series is a line of commits.
 *
 * @throws {UserError} when the text is not `<base>..<head>`
 *
 * @example
 * ```ts
 * import { parseRange } from "./parse_range.ts";
 * const r = parseRange("v6.1..topic");
 * if (r.base !== "v6.1" || r.head !== "topic") throw new Error();
 * if (parseRange("v6.1..").head !== "HEAD") throw new Error();
 * ```
 */
export function parseRange(text: string): CommitRange {
  const hint = 'give the series as "<base>..<head>", e.g. "v6.1..HEAD"';
  if (text.includes("...")) {
    throw new UserError(`Bad range "${text}": "..." is not a series`, { hint });
  }
  const at = text.indexOf("..");
  if (at < 0) {
    throw new UserError(`Bad range "${text}": expected "<base>..<head>"`, {
      hint,
    });
  }
  const base = text.slice(0, at);
  const head = text.slice(at + 2) || "HEAD";
  for (const rev of [base, head]) {
    if (!REV_RE.test(rev)) {
      throw new UserError(`Bad range "${text}": "${rev}" is not a revision`, {
        hint,
      });
    }
  }
  return { base, head };
}
