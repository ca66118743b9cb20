/**
 * The check that keeps shell and make expansions out of config values: a
 * `.config` ends up in `include/config/auto.conf`, which make includes, so a
 * value like `"$(shell …)"` from a fragment, a URL or a report would run on
 * the build host. kcross refuses such a value wherever it comes from (whole
 * configs, fragments, inline overrides); this is the one place that decides.
 *
 * @module
 */
import { UserError } from "../errors.ts";

const SET_LINE = /^(CONFIG_[A-Za-z0-9_]+)=(.*)$/;

/**
 * The first assignment whose value holds a `$` or a backtick, or null.
 *
 * @example
 * ```ts
 * import { shellValueIn } from "./shell_values.ts";
 * if (shellValueIn('CONFIG_A=y\nCONFIG_S="plain"\n') !== null) throw new Error();
 * const bad = shellValueIn('CONFIG_X="$(shell id)"\n');
 * if (bad?.symbol !== "CONFIG_X" || bad.line !== 1) throw new Error();
 * if (shellValueIn("CONFIG_Y=`id`")?.symbol !== "CONFIG_Y") throw new Error();
 * ```
 */
export function shellValueIn(
  text: string,
): { symbol: string; value: string; line: number } | null {
  // Cheap first: almost every config has neither character at all.
  if (!text.includes("$") && !text.includes("`")) return null;
  const lines = text.split("\n");
  for (const [i, raw] of lines.entries()) {
    const m = SET_LINE.exec(raw.trimEnd());
    if (m && /[$`]/.test(m[2]!)) {
      return { symbol: m[1]!, value: m[2]!, line: i + 1 };
    }
  }
  return null;
}

/**
 * Throws when `text` (a config, a fragment or one override) sets a value
 * holding `$` or a backtick.
 *
 * @param text the config text
 * @param origin what it is, for the message (`fragment "https://…"`)
 * @throws {UserError} naming the symbol and the line
 */
export function refuseShellValues(text: string, origin: string): void {
  const bad = shellValueIn(text);
  if (!bad) return;
  throw new UserError(
    `Refusing ${origin}: ${bad.symbol} (line ${bad.line}) has a value with "$" or a backtick`,
    {
      hint:
        "make would expand it when it includes the config; no kernel option needs one",
    },
  );
}
