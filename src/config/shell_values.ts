/**
 * The check that keeps shell and make expansions out of config values: a
 * `.config` ends up in `include/config/auto.conf`, which make includes, so a
 * value like `"$(shell …)"` from a fragment, a URL or a report would run on
 * the build host. kcross refuses such a value wherever it comes from (whole
 * configs, fragments, inline overrides); this is the one place that decides.
 * kbuild really reads string symbols as make text: `CONFIG_EXTRA_FIRMWARE`
 * (`firmware := $(addsuffix .gen.o, $(CONFIG_EXTRA_FIRMWARE))`),
 * `CONFIG_SYSTEM_TRUSTED_KEYS`, `CONFIG_LOCALVERSION`…
 *
 * One form is allowed because a real in-tree defconfig uses it: `$$NAME`,
 * make's escaped dollar before a plain variable name (xtensa's
 * `CONFIG_INITRAMFS_SOURCE="$$KERNEL_INITRAMFS_SOURCE"`), which reads an
 * environment variable and runs nothing. `--trust-make-line` lets the rest
 * through (`trust`).
 *
 * @module
 */
import { UserError } from "../errors.ts";

const SET_LINE = /^(CONFIG_[A-Za-z0-9_]+)=(.*)$/;
/** `$$NAME` not followed by `(` or `{`: an environment variable read. */
const ESCAPED_ENV = /\$\$[A-Za-z_][A-Za-z0-9_]*(?![({A-Za-z0-9_])/g;

/** Whether a value holds a `$` (other than `$$NAME`) or a backtick. */
function evaluated(value: string): boolean {
  return /[$`]/.test(value.replaceAll(ESCAPED_ENV, ""));
}

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
 * if (shellValueIn('CONFIG_I="$$KERNEL_INITRAMFS_SOURCE"') !== null) throw new Error();
 * ```
 */
export function shellValueIn(
  text: string,
): { symbol: string; value: string; line: number } | null {
  return shellValuesIn(text)[0] ?? null;
}

/** Every assignment whose value holds a `$` (not `$$NAME`) or a backtick. */
export function shellValuesIn(
  text: string,
): { symbol: string; value: string; line: number }[] {
  // Cheap first: almost every config has neither character at all.
  if (!text.includes("$") && !text.includes("`")) return [];
  const out = [];
  const lines = text.split("\n");
  for (const [i, raw] of lines.entries()) {
    const m = SET_LINE.exec(raw.trimEnd());
    if (m && evaluated(m[2]!)) {
      out.push({ symbol: m[1]!, value: m[2]!, line: i + 1 });
    }
  }
  return out;
}

/**
 * Throws when `text` (a config, a fragment or one override) sets a value
 * holding `$` or a backtick.
 *
 * @param text the config text
 * @param origin what it is, for the message (`fragment "https://…"`)
 * @param options `trust` (`--trust-make-line`): let them through
 * @returns the symbols passed only because of `trust` (empty otherwise)
 * @throws {UserError} naming the symbol and the line
 */
export function refuseShellValues(
  text: string,
  origin: string,
  options: { trust?: boolean } = {},
): string[] {
  const bad = shellValuesIn(text);
  if (bad.length === 0) return [];
  if (options.trust) return bad.map((b) => b.symbol);
  const first = bad[0]!;
  throw new UserError(
    `Refusing ${origin}: ${first.symbol} (line ${first.line}) has a value with "$" or a backtick${
      bad.length > 1 ? ` (and ${bad.length - 1} more)` : ""
    }`,
    {
      hint:
        "make would expand it when it includes the config; no kernel option needs one; if you trust it, pass --trust-make-line (the build record says so)",
    },
  );
}
