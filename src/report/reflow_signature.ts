/**
 * Whether a report copy was reflowed (a web archive, a mail client's hard
 * wrap) and so may have lines to join back. A pristine robot mail never is:
 * its multi-line tool messages (modpost, objtool, kernel-doc, docutils) put
 * their later lines at column 0 with no prefix, which a joiner would glue onto
 * the diagnostic. Only a copy that shows the reflow signature is joined:
 *
 * - dropped prefixes: a diagnostic at column 0 inside a section, or `> `
 *   where the robot prints `>> ` (the robot prefixes every diagnostic line with
 *   `>> `, `<< ` or three spaces);
 * - `(a)` addresses (`lkp(a)intel.com`), an archive's obfuscation;
 * - wrapped header values: a `tree:`/`commit:`/`config:`… value, a tag line
 *   (`Closes:`, `Link:`) or an indented reproduce step continued at column 0.
 *
 * @module
 */
import {
  ALL_HEADER,
  HEADER_START,
  isRecordStart,
  TOOL_HEADER,
} from "./_patterns.ts";
import { keyOf } from "./header.ts";

/** What {@link reflowSignature} found. */
export interface ReflowSignature {
  /** Whether lines may be joined back. */
  reflowed: boolean;
  /** Which signs were seen (`dropped prefixes`, `(a) addresses`, `wrapped header values`). */
  signs: string[];
}

const OBFUSCATED = /[\w.+-]\(a\)[a-z0-9-]+\.[a-z]{2,}/;

/** Starts of lines that end a wrapped value in the header block. */
const HEADER_LINE =
  /^(?:[A-Za-z][\w -]*:(?:\s|$)|:{6} |\||\[|If you fix|Reported-by:|Closes:|Link:|Note:|All (?:errors|warnings)|--|0-DAY|Hi |kernel test robot|FYI|First bad commit|tree:|head:)/;

function isSectionHeader(line: string): boolean {
  return ALL_HEADER.test(line) || TOOL_HEADER.test(line) ||
    HEADER_START.test(line);
}

/** A key line or indented step whose value goes on at column 0 on the next line. */
function wrappedHeader(lines: readonly string[], limit: number): boolean {
  for (let i = 0; i + 1 < limit; i++) {
    const line = lines[i]!.trimEnd();
    const next = lines[i + 1]!.trimEnd();
    if (line === "" || next === "" || /^\s/.test(next)) continue;
    if (HEADER_LINE.test(next) || keyOf(next) !== null) continue;
    const key = keyOf(line);
    const tag = /^\|? ?(?:Closes|Link|Reported-by):/.test(line);
    // a value-less key line (`tree:` then the URL below it), a key line or
    // tag cut short, or a reproduce step that lost its 8-space indent
    if (key !== null && key !== "reproduce") return true;
    if (key === "reproduce" && /^\(|^https?:/.test(next)) return true;
    if (tag) return true;
    if (/^\s{4,}\S/.test(line) && !/^\s{4,}#/.test(line)) return true;
  }
  return false;
}

/** A diagnostic record at column 0 (or behind a lone `> `) inside a section. */
function droppedPrefix(lines: readonly string[], first: number): boolean {
  if (first < 0) return false;
  let inSection = false;
  for (let i = first; i < lines.length; i++) {
    const line = lines[i]!.trimEnd();
    if (isSectionHeader(line)) {
      inSection = true;
      continue;
    }
    if (!inSection) continue;
    if (/^vim \+|^:{6} |^---|^-- ?$|^0-DAY/.test(line)) {
      inSection = false;
      continue;
    }
    const bare = line.startsWith("> ") ? line.slice(2) : line;
    if (/^[>< ]/.test(bare) || bare === "") continue;
    // file:line records only: modpost/objtool text at column 0 is pristine
    if (/^[^\s:]+:\d+[:,]/.test(bare) && isRecordStart(bare)) return true;
  }
  return false;
}

/**
 * Looks for the reflow signature in a report body.
 *
 * @param lines the body lines
 * @param firstSection index of the first diagnostic section header, or -1
 * @returns whether the copy was reflowed, and why
 *
 * @example
 * ```ts
 * import { reflowSignature } from "./reflow_signature.ts";
 * const pristine = ["tree:   https://x/linux.git master", "", "All warnings (new ones prefixed by >>):", "", ">> WARNING: modpost: a long line", "The function f() references"];
 * if (reflowSignature(pristine, 2).reflowed) throw new Error();
 * const copy = ["tree:", "https://x/linux.git master", "Reported-by: kernel test robot <lkp(a)intel.com>"];
 * if (reflowSignature(copy, -1).signs.length !== 2) throw new Error();
 * ```
 */
export function reflowSignature(
  lines: readonly string[],
  firstSection: number,
): ReflowSignature {
  const signs: string[] = [];
  if (droppedPrefix(lines, firstSection)) signs.push("dropped prefixes");
  if (lines.some((l) => OBFUSCATED.test(l))) signs.push("(a) addresses");
  const limit = firstSection < 0 ? lines.length : firstSection;
  if (wrappedHeader(lines, limit)) signs.push("wrapped header values");
  return { reflowed: signs.length > 0, signs };
}
