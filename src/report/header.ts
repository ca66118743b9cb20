/**
 * The key lines at the top of a report (`tree:`, `head:`, `commit:`, `url:`,
 * `base:`, `patch link:`, `patch subject:`, `config:`, `compiler:`, `rustc:`,
 * `sparse:`, `docutils:`, `reproduce…:`), with values a reflowing archive wrapped joined back.
 *
 * @module
 */

/** Header keys the robot prints, as they appear before the colon. */
export type HeaderKey =
  | "tree"
  | "head"
  | "commit"
  | "date"
  | "url"
  | "base"
  | "patch link"
  | "patch subject"
  | "config"
  | "compiler"
  | "rustc"
  | "sparse"
  | "docutils"
  | "reproduce";

/** One header line (joined), with where it was found. */
export interface HeaderField {
  /** The value after the colon, trimmed; wrapped parts joined with a space. */
  value: string;
  /** For `reproduce`: the text between `reproduce` and the colon. */
  label: string;
  /** Index of the key line. */
  line: number;
  /** Index of the first line after the field. */
  next: number;
}

const KEY_LINE =
  /^(tree|head|commit|date|url|base|patch link|patch subject|config|compiler|rustc|sparse|docutils|reproduce)( ?\([^)]*\))?:(?:\s|$)/;

/** Whether a line starts a header key. */
export function keyOf(line: string): HeaderKey | null {
  const m = KEY_LINE.exec(line);
  if (!m) return null;
  if (m[2] !== undefined && m[1] !== "reproduce") return null;
  return m[1] as HeaderKey;
}

/** Lines that end the header block or a wrapped value in it. */
export function isHeaderStop(line: string): boolean {
  const t = line.trimEnd();
  return t === "" || /^\s/.test(line) || keyOf(t) !== null ||
    /^(?:If you fix|Reported-by:|\| |Closes:|Link:|Note:|:{6}|All (?:errors|warnings|error)|[A-Za-z][\w.-]* warnings: |--|0-DAY)/
      .test(t);
}

/**
 * Finds the first occurrence of each header key before `limit`.
 *
 * @param lines the body lines
 * @param limit index of the first diagnostic section (or lines.length)
 * @returns the fields by key
 *
 * @example
 * ```ts
 * import { readHeaderFields } from "./header.ts";
 * const f = readHeaderFields(["commit: abc [1/2] foo: bar", "baz", "config: x"], 3);
 * if (f.get("commit")!.value !== "abc [1/2] foo: bar baz") throw new Error();
 * ```
 */
export function readHeaderFields(
  lines: readonly string[],
  limit: number,
): Map<HeaderKey, HeaderField> {
  const fields = new Map<HeaderKey, HeaderField>();
  for (let i = 0; i < limit; i++) {
    const line = lines[i]!.trimEnd();
    const key = keyOf(line);
    if (key === null || fields.has(key)) continue;
    const m = KEY_LINE.exec(line)!;
    let value = line.slice(m[0].length).trim();
    let j = i + 1;
    // The reproduce value is only ever a "(URL)" or "(attached as …)";
    // the lines after it are the steps, never a wrapped value.
    const maxParts = key === "reproduce" ? 2 : 8;
    for (let parts = 0; j < limit && parts < maxParts; parts++) {
      const next = lines[j]!;
      if (isHeaderStop(next)) break;
      if (
        key === "reproduce" &&
        !/^\(\S*\)?$|^\(attached|^\S*\)$/.test(next.trim())
      ) {
        break;
      }
      if (key === "reproduce" && value !== "" && !value.startsWith("(")) break;
      value = value === "" ? next.trim() : `${value} ${next.trim()}`;
      j++;
    }
    fields.set(key, {
      value,
      label: (m[2] ?? "").trim(),
      line: i,
      next: j,
    });
  }
  return fields;
}

/**
 * The URL inside `( … )` in a value, with any spaces a reflow inserted
 * removed, or null.
 */
export function parenUrl(text: string): string | null {
  const value = deobfuscate(text);
  const open = value.indexOf("(");
  if (open < 0) return null;
  const close = value.indexOf(")", open);
  const inner = value.slice(open + 1, close < 0 ? undefined : close)
    .replace(/\s+/g, "");
  if (!/^(?:https?|ftp):\/\//.test(inner)) return null;
  return inner;
}

/** Whether a URL was cut short by an archive (`…IDixXFOw-lk...`). */
export function isTruncatedUrl(url: string): boolean {
  return /(?:\.\.\.|…)$/.test(url);
}

/**
 * Undoes a web archive's address obfuscation: `lkp(a)intel.com` becomes
 * `lkp@intel.com`; a free-standing "(a)" in prose is left alone.
 *
 * @example
 * ```ts
 * import { deobfuscate } from "./header.ts";
 * if (deobfuscate("x/202201221146.IDixXFOw-lkp(a)intel.com/config") !== "x/202201221146.IDixXFOw-lkp@intel.com/config") throw new Error();
 * if (deobfuscate("fix (a) and (b)") !== "fix (a) and (b)") throw new Error();
 * ```
 */
export function deobfuscate(text: string): string {
  return text.replace(/([\w.+-])\(a\)([\w-]+\.)/g, "$1@$2");
}
