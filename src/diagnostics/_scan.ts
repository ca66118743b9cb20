/**
 * Hand-written scanners for the two line shapes that dominate build logs:
 * `FILE:LINE[:COL]: SEVERITY:` diagnostics and kbuild's `  CC [M]  x.o`
 * quiet commands. They read char codes in place, so lines that are neither
 * cost a few comparisons and no allocation (a sticky regex on a large log
 * costs several times more per line).
 *
 * @module
 */

const COLON = 58;
/** A space. */
export const SP = 32;
/** A tab. */
export const TAB = 9;
/** A carriage return (a CRLF log's line end). */
export const CR = 13;

/**
 * Whether `lit` occurs in `text` at `pos`. `String.prototype.startsWith`
 * with a position costs time growing with the size of `text` in V8; this is
 * a plain comparison of char codes.
 */
export function matchAt(text: string, pos: number, lit: string): boolean {
  const n = lit.length;
  if (pos + n > text.length) return false;
  for (let j = 0; j < n; j++) {
    if (text.charCodeAt(pos + j) !== lit.charCodeAt(j)) return false;
  }
  return true;
}

/**
 * Whether `text[s, e)` equals `str`, compared in place (slicing a large log
 * costs more than comparing).
 */
export function sameAt(
  text: string,
  s: number,
  e: number,
  str: string,
): boolean {
  if (e - s !== str.length) return false;
  for (let j = str.length - 1; j >= 0; j--) {
    if (text.charCodeAt(s + j) !== str.charCodeAt(j)) return false;
  }
  return true;
}

/** What `scanLocated` found; one instance is reused by each collector. */
export interface LocatedScan {
  /** End of the file part (the first colon). */
  fileEnd: number;
  /** A hash of the file part's characters (not of a `{…}` prefix). */
  fileHash: number;
  line: number;
  /** -1 when absent. */
  column: number;
  /** End of `FILE:LINE[:COL]:` (the colon included). */
  locEnd: number;
  /** The severity word (`error`, `fatal error`, `note`, `sparse`, `Error`…). */
  severity: string;
  /** Start of the message (after `SEVERITY:`). */
  msgStart: number;
}

/** Severity words after `FILE:LINE[:COL]: `, by first char. */
const SEVERITIES: Record<number, string[]> = {
  101: ["error:"], // e
  119: ["warning:"], // w
  102: ["fatal error:"], // f
  110: ["note:"], // n
  115: ["sparse:"], // s
  114: ["remark:"], // r
  69: ["Error:"], // E
  87: ["Warning:"], // W
  70: ["Fatal error:"], // F
};

/**
 * Result codes: `NONE` — no colon before whitespace, not a tool line;
 * `LOCATED` — `out` holds a located diagnostic (or note); `OTHER` — a
 * `WORD:` line that is something else (linker, objtool, `In function`).
 */
export const NONE = 0;
export const LOCATED = 1;
export const OTHER = 2;

/** Scans `text[s, e)` for `FILE:LINE[:COL]: SEVERITY:`. */
export function scanLocated(
  text: string,
  s: number,
  e: number,
  out: LocatedScan,
): number {
  let i = s;
  // gas names its input `{standard input}` when fed from a pipe.
  if (text.charCodeAt(s) === 123 /* { */) {
    const close = text.indexOf("}", s);
    if (close > s && close < e) i = close;
  }
  let hash = 0;
  for (; i < e; i++) {
    const c = text.charCodeAt(i);
    if (c === COLON) break;
    if (c === SP || c === TAB) return NONE;
    hash = (hash * 31 + c) | 0;
  }
  if (i >= e || i === s) return NONE;
  out.fileEnd = i;
  out.fileHash = hash;
  i++;
  let n = 0;
  let digits = 0;
  for (; i < e; i++, digits++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) break;
    n = n * 10 + c;
  }
  if (digits === 0 || text.charCodeAt(i) !== COLON) return OTHER;
  out.line = n;
  out.column = -1;
  i++;
  n = 0;
  digits = 0;
  for (; i < e; i++, digits++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) break;
    n = n * 10 + c;
  }
  if (digits > 0) {
    if (text.charCodeAt(i) !== COLON) return OTHER;
    out.column = n;
    i++;
  }
  out.locEnd = i;
  if (text.charCodeAt(i) !== SP) return OTHER;
  const words = SEVERITIES[text.charCodeAt(i + 1)];
  if (words === undefined) return OTHER;
  for (const w of words) {
    if (matchAt(text, i + 1, w)) {
      out.severity = w.slice(0, -1);
      out.msgStart = i + 1 + w.length;
      return LOCATED;
    }
  }
  return OTHER;
}

/**
 * Scans a kbuild quiet-command line (`  CC [M]  drivers/x.o`) for the
 * commands whose target later diagnostics belong to (CC, AS, CHECK, CXX,
 * HOSTCC, HOSTCXX). Returns the target's start offset (the target runs to
 * the line's end) and sets `out.check` for CHECK; -1 for other lines. The
 * caller has checked the line starts with two spaces.
 */
export function scanQuiet(
  text: string,
  s: number,
  e: number,
  out: { check: boolean },
): number {
  const c = text.charCodeAt(s + 2);
  let i: number;
  out.check = false;
  if (c === 67 /* C */) {
    if (matchAt(text, s + 2, "CC ")) i = s + 5;
    else if (matchAt(text, s + 2, "CHECK ")) {
      i = s + 8;
      out.check = true;
    } else if (matchAt(text, s + 2, "CXX ")) i = s + 6;
    else return -1;
  } else if (c === 65 /* A */) {
    if (!matchAt(text, s + 2, "AS ")) return -1;
    i = s + 5;
  } else if (c === 72 /* H */) {
    if (matchAt(text, s + 2, "HOSTCC ")) i = s + 9;
    else if (matchAt(text, s + 2, "HOSTCXX ")) i = s + 10;
    else return -1;
  } else return -1;
  while (i < e && text.charCodeAt(i) === SP) i++;
  if (matchAt(text, i, "[M]")) {
    i += 3;
    while (i < e && text.charCodeAt(i) === SP) i++;
  }
  if (i >= e) return -1;
  // The next space is normally the next line's indent: a short search.
  const sp = text.indexOf(" ", i);
  if (sp >= 0 && sp < e) return -1;
  return i;
}

/** The `-W…` option in a message's trailing `[…]`, or null. */
export function trailingFlag(message: string): string | null {
  if (!message.endsWith("]")) return null;
  const open = message.lastIndexOf("[");
  if (open < 0 || !message.startsWith("-W", open + 1)) return null;
  const flag = message.slice(open + 1, -1);
  return /\s/.test(flag) ? null : flag;
}

/** Whether `path` names a translation unit (C, C++ or assembler source). */
export function isSourceFile(path: string): boolean {
  return path.endsWith(".c") || path.endsWith(".S") || path.endsWith(".cc") ||
    path.endsWith(".cpp");
}

/**
 * A cheap hash of a located line: its length, line and column numbers, the
 * path (hashed while scanning it) and every fourth character of the message.
 */
export function lineHash(
  text: string,
  s: number,
  e: number,
  scan: LocatedScan,
): number {
  let h = ((e - s) * 31 + scan.line) | 0;
  h = (h * 31 + scan.column) | 0;
  h = (h * 31 + scan.fileHash) | 0;
  // The message: a sample of its characters (length is in the line's).
  for (let i = scan.msgStart + 1; i < e; i += 4) {
    h = (h * 31 + text.charCodeAt(i)) | 0;
  }
  return h & 0x3fffffff; // a small integer: no boxing as a Map key
}

/** The hash `scanLocated` computes for a path, for paths held as strings. */
export function pathHash(str: string): number {
  let h = 0;
  for (let i = 0; i < str.length; i++) h = (h * 31 + str.charCodeAt(i)) | 0;
  return h;
}

/**
 * Whether a kbuild command word at `i` may be CC, CHECK, CXX, AS, HOSTCC or
 * HOSTCXX (two char codes; `HDRINST`, `WRAP`, `LD`… are not).
 */
export function mayBeTracked(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  const d = text.charCodeAt(i + 1);
  if (c === 67 /* C */) return d === 67 || d === 72 || d === 88; // CC CH CX
  if (c === 65 /* A */) return d === 83; // AS
  return c === 72 /* H */ && d === 79; // HO
}
