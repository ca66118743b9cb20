/**
 * The tags a robot report asks a fix to carry (`Reported-by:`, `Closes:`,
 * or the older `Link:`), read from the report's own tag block, and whether
 * a commit message already has them. Pure.
 *
 * @module
 */
import { deobfuscate } from "../report/header.ts";

/** The robot's address, as every report since 2020 gives it. */
export const ROBOT_REPORTED_BY =
  "Reported-by: kernel test robot <lkp@intel.com>";

/** Tags a report's block may ask for. */
const TAG = /^\|?\s?(Reported-by|Closes|Link):\s*(\S.*?)\s*$/;

/** The sentence in front of the tag block (every report format since 2018). */
const ASK = /kindly add (?:the )?following tags?\b/i;

/** What is known of the report besides its text. */
export interface TrailerFacts {
  /** `new` (the robot's format since 2023: reproduce link, Closes: tag) or `old`. */
  format?: "old" | "new" | null;
  /** The report's Message-ID, without `<>`. */
  messageId?: string | null;
}

/**
 * The trailers a fix of this report should carry, exactly as the report
 * asks: the lines of its tag block (`| `-prefixed or not, `(a)` addresses
 * of archive copies turned back into `@`). A report without a
 * `Reported-by:` there gets the robot's; a new-format report whose block
 * has no `Closes:` (a copy that lost it) gets the lore link of its
 * Message-ID, when that is known.
 *
 * @param text the report's text (body, or the whole mail)
 * @param facts its format and Message-ID, from the parser
 * @returns trailer lines, `Reported-by:` first as the robot orders them
 *
 * @example
 * ```ts
 * import { reportTrailers } from "./trailers.ts";
 * const t = reportTrailers("kindly add following tags\n| Reported-by: kernel test robot <lkp@intel.com>\n| Closes: https://lore.kernel.org/oe-kbuild-all/202401010536.XhzcWDPH-lkp@intel.com/\n\nAll errors");
 * if (t.length !== 2 || t[1] !== "Closes: https://lore.kernel.org/oe-kbuild-all/202401010536.XhzcWDPH-lkp@intel.com/") throw new Error(t.join());
 * const old = reportTrailers("kindly add following tag as appropriate\nReported-by: kernel test robot <lkp(a)intel.com>\nNote: the x HEAD builds");
 * if (old.join() !== "Reported-by: kernel test robot <lkp@intel.com>") throw new Error(old.join());
 * ```
 */
export function reportTrailers(
  text: string,
  facts: TrailerFacts = {},
): string[] {
  const lines = text.split(/\r?\n/);
  const found: string[] = [];
  const start = lines.findIndex((l) => ASK.test(l));
  if (start >= 0) {
    for (const raw of lines.slice(start + 1, start + 12)) {
      const m = TAG.exec(raw.trimEnd());
      if (!m) {
        // the block ends at the first line that is not a tag
        if (found.length || raw.trim() !== "") break;
        continue;
      }
      const line = `${m[1]}: ${deobfuscate(m[2]!)}`;
      if (!found.includes(line)) found.push(line);
    }
  }
  if (!found.some((l) => l.startsWith("Reported-by:"))) {
    found.unshift(ROBOT_REPORTED_BY);
  }
  const hasLink = found.some((l) => /^(Closes|Link):/.test(l));
  if (!hasLink && facts.format === "new" && facts.messageId) {
    found.push(
      `Closes: https://lore.kernel.org/oe-kbuild-all/${
        facts.messageId.replace(/^<|>$/g, "")
      }/`,
    );
  }
  return found;
}

/** A trailer line's key (lower case) and value, for comparison. */
function split(line: string): [string, string] {
  const at = line.indexOf(":");
  return [
    line.slice(0, at).trim().toLowerCase(),
    line.slice(at + 1).trim().replace(/\/+$/, ""),
  ];
}

/**
 * Which of `trailers` a commit message lacks (key case-insensitive, value
 * exact but for a trailing `/` of a URL).
 *
 * @example
 * ```ts
 * import { missingTrailers } from "./trailers.ts";
 * const msg = "vfio: fix\n\nreported-by: kernel test robot <lkp@intel.com>\nSigned-off-by: A <a@b>\n";
 * const m = missingTrailers(["Reported-by: kernel test robot <lkp@intel.com>", "Closes: https://l/x/"], msg);
 * if (m.join() !== "Closes: https://l/x/") throw new Error(m.join());
 * ```
 */
export function missingTrailers(
  trailers: readonly string[],
  message: string,
): string[] {
  const have = new Set(
    message.split(/\r?\n/).filter((l) => /^[A-Za-z-]+:\s/.test(l)).map(
      (l) => split(l).join("\0"),
    ),
  );
  return trailers.filter((t) => !have.has(split(t).join("\0")));
}
