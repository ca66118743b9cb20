/**
 * Line patterns shared by the report parsers. Every regex here is anchored
 * and free of nested quantifiers, so each runs in linear time on a line.
 *
 * @module
 */

/** `All errors (new ones prefixed by >>):` and its variants. */
export const ALL_HEADER =
  /^"?All (?:errors|warnings|error\/warnings|warnings\/errors|errors\/warnings)(?: \([^)]*\))?:?"?$/;

/** `sparse warnings: (new ones prefixed by >>)`, `Kconfig warnings: (for reference only)`. */
export const TOOL_HEADER =
  /^"?(?:[A-Za-z][\w.-]* (?:warnings|errors|warnings\/errors): ?\([^)]*\)|(?:smatch|sparse|cocci|coccinelle|cppcheck|kismet|includecheck|clang-analyzer) (?:warnings|errors):)"?$/;

/** The start of a header that a reflowed copy may have wrapped. */
export const HEADER_START =
  /^"?(?:All (?:errors|warnings|error\/warnings|warnings\/errors|errors\/warnings) \(|[A-Za-z][\w.-]* (?:warnings|errors): \()/;

/** `FILE:LINE[:COL]: SEV: MESSAGE`. */
export const DIAG_LINE =
  /^([^\s:]+):(\d+):(?:(\d+):)? (error|warning|fatal error): (.*)$/;

/** `FILE:LINE:COL: sparse: sparse: MESSAGE`. */
export const SPARSE_LINE = /^([^\s:]+):(\d+):(\d+): sparse: sparse: (.*)$/;

const TOOL_WORDS = new Set([
  "cc1",
  "ld",
  "as",
  "make",
  "kismet",
  "sparse",
  "note",
  "error",
  "warning",
  "WARNING",
  "ERROR",
  "Warning",
  "Error",
  "FATAL",
  "objtool",
  "modpost",
]);

/** Whether a word before a colon reads as a path or tool (`mips-linux-ld`, `a.o`). */
function toolLike(word: string): boolean {
  return /[/._\-\d[]/.test(word) || TOOL_WORDS.has(word);
}

/**
 * Whether a line starts some diagnostic-like record: `path:12:`,
 * `foo.c:(.text…`, or a tool prefix such as `cc1: `, `mips-linux-ld: `,
 * `WARNING: `. A plain English word before a colon (`exist: `) is not a tool
 * prefix. Linear time: the leading word is matched once, then inspected.
 */
export function isRecordStart(line: string): boolean {
  const m = /^([^\s:]*):(\d+[:,]|\(| )?/.exec(line);
  if (!m || m[2] === undefined) return /^fatal error: /.test(line);
  if (m[2] === " ") return toolLike(m[1]!);
  return m[1] !== "";
}

/**
 * A diagnostic whose message has not started yet (`a.c:12:3:`,
 * `a.c:1:2: sparse:`), or a lone tool prefix (`mips-linux-ld:`).
 */
export function isIncompleteHead(text: string): boolean {
  if (
    /^[^\s:]+:\d+(?::\d+)?:(?: (?:fatal error|[a-z]+):)*(?: fatal)?$/.test(text)
  ) {
    return true;
  }
  const m = /^([^\s:]*):$/.exec(text);
  return m !== null && /[./-]/.test(m[1]!);
}

/** gcc 9+ source context: `  608 | code` or `      | ^~~`. */
export const GCC_CONTEXT = /^(?:\d+ *\||\|)/;

/** A caret line under code (old gcc, clang): `^`, `^~~~~`, `~~~^~~`. */
export function isCaretLine(line: string): boolean {
  return /^[~^ ]+$/.test(line) && line.includes("^");
}

/** Lines that end a diagnostic section. */
export function endsSection(line: string): boolean {
  return line.startsWith("vim +") || line.startsWith(":::::: ") ||
    line.startsWith("---") || line === "-- " ||
    line.startsWith("0-DAY CI") || line.startsWith("0-DAY kernel test");
}

/** Include-chain and function-context lines that precede diagnostics. */
export const CONTEXT_START =
  /^(?:In file included from |from \S+:\d+[,:]|In function |In member function |\d+ (?:warnings?|errors?)(?: and \d+ \w+)? generated\.?$|cc1\S*: |compilation terminated\.$)/;
