/**
 * The diagnostic sections of a report (`All errors (new ones prefixed by
 * >>):`, `sparse warnings: (…)`…): their headers, the diagnostics they quote
 * and the lines the robot marked new. Reflowed copies (wrapped lines, `>` for
 * `>>`, indentation dropped) are joined back; a pristine mail never is, so a
 * multi-line tool message keeps its first line as the diagnostic line.
 *
 * @module
 */
import {
  ALL_HEADER,
  CONTEXT_START,
  DIAG_LINE,
  endsSection,
  GCC_CONTEXT,
  HEADER_START,
  isCaretLine,
  isIncompleteHead,
  isRecordStart,
  SPARSE_LINE,
  TOOL_HEADER,
} from "./_patterns.ts";
import { reflowSignature } from "./reflow_signature.ts";
import type { ReportDiagnostic } from "./types.ts";

/** What the diagnostic sections of a report hold. */
export interface SectionsParse {
  /** Header lines, verbatim, in order (non-diagnostic ones like Kconfig included). */
  sections: string[];
  diagnostics: ReportDiagnostic[];
  marked_lines: string[];
  /** Whether one section is a `sparse warnings:` section. */
  hasSparse: boolean;
  /** Index of the first section header, or -1. */
  firstHeader: number;
  /** How many physical lines were joined back onto the line before. */
  joined: number;
  /** The reflow signs seen (empty for a pristine mail: nothing is joined). */
  reflowSigns: string[];
}

/** Options for {@link parseSections}. */
export interface ParseSectionsOptions {
  /**
   * Whether the copy was reflowed (lines may be joined back). Default: the
   * {@link reflowSignature} of `lines` decides.
   */
  reflowed?: boolean;
}

/** A section header at `lines[i]` (possibly wrapped over up to 3 lines). */
export function readHeader(
  lines: readonly string[],
  i: number,
): { text: string; next: number } | null {
  const first = lines[i]!.trimEnd();
  if (ALL_HEADER.test(first) || TOOL_HEADER.test(first)) {
    return { text: first, next: i + 1 };
  }
  if (!HEADER_START.test(first)) return null;
  let text = first;
  for (let j = i + 1; j < lines.length && j <= i + 3; j++) {
    const part = lines[j]!.trim();
    if (part === "") break;
    text += " " + part;
    if (ALL_HEADER.test(text) || TOOL_HEADER.test(text)) {
      return { text, next: j + 1 };
    }
  }
  return null;
}

/** Whether the header names a section whose lines are not diagnostics. */
function isReferenceOnly(header: string): boolean {
  return /^"?Kconfig /i.test(header);
}

interface Prefixed {
  prefix: string;
  content: string;
}

function splitPrefix(line: string): Prefixed {
  if (line.startsWith(">> ")) return { prefix: ">>", content: line.slice(3) };
  if (line.startsWith("<< ")) return { prefix: "<<", content: line.slice(3) };
  if (line.startsWith("> ")) return { prefix: ">", content: line.slice(2) };
  if (line.startsWith("< ")) return { prefix: "<", content: line.slice(2) };
  if (line.startsWith("   ")) return { prefix: "", content: line.slice(3) };
  return { prefix: "", content: line };
}

/** A line that is never the wrapped tail of the line before it. */
function hardStop(line: string): boolean {
  if (line.trim() === "") return true;
  if (/^\s/.test(line)) return true; // pristine mail: indented context
  if (/^(?:>>? |<< |< )/.test(line) || /^(?:>>?|<<?)$/.test(line)) return true;
  if (line === "--" || endsSection(line)) return true;
  if (ALL_HEADER.test(line) || TOOL_HEADER.test(line)) return true;
  return HEADER_START.test(line);
}

/** A line that starts a record of its own (diagnostic, context, caret…). */
function startsRecord(line: string): boolean {
  return isRecordStart(line) || CONTEXT_START.test(line) ||
    GCC_CONTEXT.test(line) || isCaretLine(line) ||
    /^(?:WARNING|ERROR|Warning|Error|FATAL): /.test(line);
}

/** Whether a message is visibly unfinished: an open quote or sparse `@@` block. */
function unfinished(text: string): boolean {
  let quotes = 0;
  // apostrophes (isn't, can't) are not quotes
  for (const ch of text.replace(/\w'\w/g, "")) if (ch === "'") quotes++;
  if (quotes % 2 === 1) return true;
  const at = text.split("@@").length - 1;
  return at === 1 || at === 2;
}

/** Whether `line` reads as source code rather than the rest of a message. */
export function looksLikeCode(line: string): boolean {
  if (line.length > 4096) return false;
  const bare = line.replace(/'[^']*'|‘[^’]*’|"[^"]*"/g, " ");
  if (
    /[\w)\]];\s*$|[{}]\s*$|->|^#|^\/[/*]|^\*|^[\w\]*)]+ = \S|^(?:if|for|while|switch) \(/
      .test(bare)
  ) return true;
  // calls, checked without backtracking: an unclosed `f(` at the end, or a
  // call ending in `);` / `) {` / `),`
  const call = /\w\(/.test(bare);
  if (call && bare.lastIndexOf("(") > bare.lastIndexOf(")")) return true;
  if (call && /\)[;{,]$/.test(bare)) return true;
  return /^(?:static|extern|inline|void|int|unsigned|long|char|bool|struct|enum|union|const|return)\b/
    .test(bare) && call && !bare.includes("'");
}

/** A diagnostic whose message stops at a colon has more to come. */
function endsInColon(text: string): boolean {
  return text.endsWith(":") && (DIAG_LINE.test(text) || SPARSE_LINE.test(text));
}

/**
 * A tool message that is not a compiler diagnostic (modpost, objtool,
 * kernel-doc's `Warning:`): its later lines are explanation, not a wrapped
 * tail.
 */
function isToolMessage(text: string): boolean {
  return /^(?:WARNING|ERROR|Warning|Error): /.test(text) ||
    /: warning: objtool: /.test(text);
}

/** A tool message cut right after its prefix (`WARNING: modpost:`). */
function isToolHead(text: string): boolean {
  return /^(?:WARNING|ERROR|Warning|Error):(?: [\w.-]+:)*$|: warning: objtool:$/
    .test(text);
}

/** A line that starts the explanation under a tool message, not its tail. */
function startsExplanation(line: string): boolean {
  return /^(?:[A-Z][a-z]+ [a-z_(]|objdump-func |[0-9a-f]{4} +[0-9a-f]+)/.test(
    line.trim(),
  );
}

/** Narrowest hard wrap (a mail client's) that is joined back. */
const MIN_WRAP_WIDTH = 60;

/** `(` minus `)` outside quotes (a code line cut in two leaves it unbalanced). */
function parenBalance(line: string): number {
  const bare = line.replace(/'[^']*'|"[^"]*"/g, "").replace(/["'].*$/, "");
  let n = 0;
  for (const ch of bare) n += ch === "(" ? 1 : ch === ")" ? -1 : 0;
  return n;
}

/** Whether a message already ends with its `[-W…]` option. */
function endsWithFlag(text: string): boolean {
  return /^\[-W[^\]\s]*\]$/.test(text.slice(text.lastIndexOf("[")));
}

/**
 * Joins the wrapped tail of `lines[i]` back on (reflowed archive copies).
 * Pristine mails never wrap, and their following lines are indented or
 * prefixed, so nothing is joined there.
 */
function joinWrapped(
  lines: readonly string[],
  i: number,
  end: number,
  content: string,
  style: { pristine: boolean; gutter: boolean },
): { text: string; next: number } {
  let text = content.trimEnd();
  let j = i + 1;
  while (j < end && j - i <= 12) {
    const line = lines[j]!.trimEnd();
    if (hardStop(line)) break;
    // In a section that kept its `>> `/3-space prefixes only a mail client's
    // hard wrap can split a line, and that leaves a full-width line behind.
    const before = lines[j - 1]!;
    const firstWord = line.trim().split(" ")[0]!;
    if (
      style.pristine && before.length + 1 + firstWord.length <= MIN_WRAP_WIDTH
    ) {
      break;
    }
    if (
      isIncompleteHead(text) || isToolHead(text) ||
      (endsInColon(text) && !startsRecord(line))
    ) {
      text += " " + line.trim();
      j++;
      continue;
    }
    if (endsWithFlag(text)) break;
    if (isToolMessage(text) && startsExplanation(line)) break;
    // a question ("…Should it be static?") is not continued by a new sentence
    if (/\?$/.test(text) && /^[A-Z][a-z]+ [a-z]/.test(line)) break;
    if (startsRecord(line)) {
      // an open quote continues over a wrapped `(anonymous at a.h:1:2)'`,
      // but never over a complete diagnostic
      const bare = line.trim();
      if (!unfinished(text) || DIAG_LINE.test(bare) || SPARSE_LINE.test(bare)) {
        break;
      }
    } else if (!unfinished(text) && !style.gutter) {
      // old gcc / clang print bare code lines under a diagnostic; gcc 9+
      // and newer clang put them behind a "NNN |" gutter instead
      const after = lines[j + 1]?.trim();
      if (after !== undefined && isCaretLine(after)) break;
      if (looksLikeCode(line)) break;
      // a code line wrapped in two, then its caret
      const after2 = lines[j + 2]?.trim();
      if (
        after !== undefined && after2 !== undefined && isCaretLine(after2) &&
        !startsRecord(after) && parenBalance(line) > 0 &&
        parenBalance(after) < 0
      ) break;
    }
    text += " " + line.trim();
    j++;
  }
  return { text, next: j };
}

function diagnosticOf(text: string, p: Prefixed): ReportDiagnostic | null {
  const marked = p.prefix === ">>" || p.prefix === ">";
  const sparse = SPARSE_LINE.exec(text);
  if (sparse) {
    return {
      file: sparse[1]!,
      line: Number(sparse[2]),
      column: Number(sparse[3]),
      severity: "sparse",
      message: sparse[4]!,
      new: marked,
      prefix: p.prefix,
    };
  }
  const m = DIAG_LINE.exec(text);
  if (!m) return null;
  return {
    file: m[1]!,
    line: Number(m[2]),
    column: m[3] === undefined ? null : Number(m[3]),
    severity: m[4]!,
    message: m[5]!,
    new: marked,
    prefix: p.prefix,
  };
}

/**
 * Reads every section of a report body.
 *
 * @param lines the body, split into lines (no `\r`)
 * @param options whether the copy was reflowed (default: its signature says)
 * @returns headers, diagnostics and marked lines
 *
 * @example
 * ```ts
 * import { parseSections } from "./sections.ts";
 * const p = parseSections([
 *   "All errors (new ones prefixed by >>):",
 *   ">> a.c:1:2: error: boom",
 *   "   a.c:3: warning: old one",
 *   "vim +1 a.c",
 * ]);
 * if (p.diagnostics.length !== 2 || !p.diagnostics[0]!.new) throw new Error();
 * if (p.diagnostics[1]!.column !== null) throw new Error();
 * ```
 */
export function parseSections(
  lines: readonly string[],
  options: ParseSectionsOptions = {},
): SectionsParse {
  const out: SectionsParse = {
    sections: [],
    diagnostics: [],
    marked_lines: [],
    hasSparse: false,
    firstHeader: -1,
    joined: 0,
    reflowSigns: [],
  };
  let first = -1;
  for (let k = 0; k < lines.length && first < 0; k++) {
    if (readHeader(lines, k)) first = k;
  }
  let reflowed = options.reflowed;
  if (reflowed === undefined) {
    out.reflowSigns = reflowSignature(lines, first).signs;
    reflowed = out.reflowSigns.length > 0;
  }
  let i = 0;
  while (i < lines.length) {
    const header = readHeader(lines, i);
    if (!header) {
      i++;
      continue;
    }
    if (out.firstHeader < 0) out.firstHeader = i;
    out.sections.push(header.text);
    if (/^"?sparse /i.test(header.text)) out.hasSparse = true;
    const readDiagnostics = !isReferenceOnly(header.text);
    let pristine = false;
    let gutter = false;
    let end = header.next;
    while (end < lines.length) {
      const line = lines[end]!.trimEnd();
      if (endsSection(lines[end]!) || endsSection(line)) break;
      if (readHeader(lines, end)) break;
      if (/^(?:>> |<< | {3})/.test(line)) pristine = true;
      if (/^[>< ]*\d+ \| /.test(line)) gutter = true;
      end++;
    }
    for (let j = header.next; j < end;) {
      let raw = lines[j]!;
      // a reflow may leave the prefix alone on its line
      if (reflowed && /^(?:>>?|<<?)$/.test(raw.trim()) && j + 1 < end) {
        raw = `${raw.trim()} ${lines[j + 1]!.trim()}`;
        j++;
      }
      const p = splitPrefix(raw);
      const marked = p.prefix === ">>" || p.prefix === ">";
      // only records (diagnostics, tool messages) are joined with their
      // wrapped tails; code and context lines are skipped as they are
      if (
        !readDiagnostics ||
        (!marked && (/^\s/.test(p.content) || !isRecordStart(p.content)))
      ) {
        j++;
        continue;
      }
      // a pristine mail is never joined: each line is as the robot printed it
      const { text, next } = reflowed
        ? joinWrapped(lines, j, end, p.content, { pristine, gutter })
        : { text: p.content.trimEnd(), next: j + 1 };
      out.joined += next - j - 1;
      if (marked) out.marked_lines.push(text);
      const d = diagnosticOf(text, p);
      if (d) out.diagnostics.push(d);
      j = next;
    }
    i = end;
  }
  return out;
}
