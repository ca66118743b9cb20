/**
 * The streaming diagnostic extractor: feed it build-log lines (or whole
 * chunks) as they arrive, then `finish()` for deduplicated diagnostics.
 *
 * @module
 */
import type { Diagnostic, ExtractOptions } from "./types.ts";
import {
  CHAIN_FROM_RE,
  IN_FUNCTION_RE,
  KERNEL_DOC_RE,
  LINKER_CONTEXT_RE,
  MAKE_ERROR_RE,
  UNLOCATED_RE,
} from "./_patterns.ts";
import {
  CR,
  isSourceFile,
  lineHash,
  LOCATED,
  type LocatedScan,
  matchAt,
  mayBeTracked,
  OTHER,
  sameAt,
  scanLocated,
  scanQuiet,
  SP,
  TAB,
  trailingFlag,
} from "./_scan.ts";
import { relativeToTree, stripDotPrefixes } from "./_paths.ts";
import {
  locatedTool,
  parseLinkerRef,
  parseModpost,
  parseUnlocated,
  type ToolLine,
} from "./_tool_lines.ts";
import { RecentSteps, type UnitKey } from "./_recent_steps.ts";
import { DirCaches, type SeenLine } from "./_dir_caches.ts";
import { MakeDirs } from "./_make_dirs.ts";
import { Aggregator, type RawDiagnostic } from "./_aggregate.ts";
import { SparseFold } from "./_sparse_fold.ts";

/**
 * Incremental extractor. Push lines in order with `pushLine()` (or text
 * with `pushText()`), then call `finish()` once.
 *
 * @example
 * ```ts
 * import { DiagnosticCollector } from "./diagnostic_collector.ts";
 * const c = new DiagnosticCollector({ srcTree: "/src" });
 * c.pushLine("  CC      drivers/a.o");
 * c.pushLine("/src/drivers/a.c:3:5: warning: unused variable 'x' [-Wunused-variable]");
 * const [d] = c.finish();
 * if (d?.file !== "drivers/a.c" || d.objects[0] !== "drivers/a.o") throw new Error();
 * ```
 */
export class DiagnosticCollector {
  #opts: ExtractOptions;
  #agg = new Aggregator();
  #fold = new SparseFold(this.#agg);
  #dirs = new DirCaches();
  #make = new MakeDirs(this.#dirs);
  #steps = new RecentSteps();
  #quiet = { check: false };
  /** Translation unit named by the latest include chain / In function line. */
  #tuHint: UnitKey | null = null;
  #chainOpen = false;
  #chainStyle: "gcc" | "clang" = "gcc";
  /** Whether the latest non-context line belonged to a compiler message. */
  #compilerContext = false;
  #linkObject: string | null = null;
  #carry = "";
  #scan: LocatedScan = {
    fileEnd: 0,
    fileHash: 0,
    line: 0,
    column: -1,
    locEnd: 0,
    severity: "",
    msgStart: 0,
  };

  /** Creates a collector; `options` as for `extractDiagnostics`. */
  constructor(options: ExtractOptions = {}) {
    this.#opts = options;
  }

  /** Feeds one line (without its newline). */
  pushLine(line: string): void {
    let end = line.length;
    if (end > 0 && line.charCodeAt(end - 1) === CR) end--;
    this.#line(line, 0, end);
  }

  /** Feeds a chunk of log text; lines may span chunk boundaries. */
  pushText(text: string): void {
    if (this.#carry.length > 0 && text.indexOf("\n") < 0) {
      this.#carry += text; // still inside one (long) line
      return;
    }
    const data = this.#carry.length > 0 ? this.#carry + text : text;
    const last = this.scan(data);
    this.#carry = data.slice(last);
  }

  /**
   * Processes every complete line of `text` and returns the offset after
   * the last newline (the start of an incomplete trailing line).
   */
  scan(text: string): number {
    let pos = 0;
    const n = text.length;
    const plain = this.#opts.linePrefix === undefined;
    while (pos < n) {
      const nl = text.indexOf("\n", pos);
      if (nl < 0) return pos;
      // Fast path for the bulk of a log: indented lines that are neither a
      // tracked kbuild command (`  CC`, `  AS`, `  CHECK`, `  HOSTCC`) nor
      // part of an include chain or a sparse message being assembled.
      if (
        plain && text.charCodeAt(pos) === SP && !this.#chainOpen &&
        !this.#fold.holding
      ) {
        if (text.charCodeAt(pos + 1) !== SP || !mayBeTracked(text, pos + 2)) {
          pos = nl + 1;
          continue;
        }
      }
      let end = nl;
      if (end > pos && text.charCodeAt(end - 1) === CR) end--;
      if (end > pos) this.#line(text, pos, end);
      pos = nl + 1;
    }
    return pos;
  }

  /** Flushes what is pending and returns the deduplicated diagnostics. */
  finish(): Diagnostic[] {
    if (this.#carry.length > 0) {
      const rest = this.#carry;
      this.#carry = "";
      this.pushLine(rest);
    }
    this.#fold.flush();
    // The same relative path read under two directories may be one file.
    if (this.#dirs.linesInSeveralDirs()) this.#agg.mayRepeat = true;
    const srcTree = this.#opts.srcTree ?? this.#make.srcTree ??
      this.#agg.guessSrcTree();
    const outDir = this.#opts.outDir ?? this.#make.objTree;
    return this.#agg.result((p) => relativeToTree(p, { srcTree, outDir }));
  }

  #line(text: string, s: number, e: number): void {
    const prefix = this.#opts.linePrefix;
    if (prefix) {
      prefix.lastIndex = s;
      if (prefix.test(text)) s = prefix.lastIndex;
      if (s >= e) return;
    }
    const c0 = text.charCodeAt(s);
    if (c0 === SP || c0 === TAB) {
      this.#indented(text, s, e);
      return;
    }
    if (this.#fold.holding) {
      if (this.#fold.continues(text, s, e)) return;
      this.#fold.flush();
    }
    const afterChain = this.#chainOpen;
    if (c0 === 73 /* I */ && matchAt(text, s, "In file included from ")) {
      this.#includedFrom(text, s + 22, e);
      return;
    }
    this.#chainOpen = false;
    if (c0 === 109 /* m */ && matchAt(text, s, "make")) {
      this.#makeLine(text.slice(s, e));
      return;
    }
    if (
      (c0 === 69 /* E */ && matchAt(text, s, "ERROR: ")) ||
      (c0 === 87 /* W */ && matchAt(text, s, "WARNING: "))
    ) {
      this.#modpost(text.slice(s, e));
      return;
    }
    const scan = this.#scan;
    const kind = scanLocated(text, s, e, scan);
    if (kind === LOCATED) this.#located(text, s, e, afterChain);
    else if (kind === OTHER) this.#other(text.slice(s, e));
  }

  /** Lines starting with whitespace: kbuild commands, gcc `from`, context. */
  #indented(text: string, s: number, e: number): void {
    if (text.charCodeAt(s + 1) === SP) {
      const i = scanQuiet(text, s, e, this.#quiet);
      if (i >= 0) {
        this.#fold.flush();
        this.#compilerContext = false;
        this.#tuHint = null;
        this.#steps.push(text, i, e, this.#quiet.check);
        return;
      }
    }
    if (this.#chainOpen) {
      const m = CHAIN_FROM_RE.exec(text.slice(s, e));
      if (m !== null) this.#tuHint = this.#dirs.unit(m[1]!);
    }
    // Source context and caret lines: nothing to take, state unchanged.
  }

  /** `In file included from FILE:LINE[:COL][,:]`; `s` is where FILE starts. */
  #includedFrom(text: string, s: number, e: number): void {
    const colon = text.indexOf(":", s);
    const last = text.charCodeAt(e - 1);
    if (colon < 0 || colon >= e || (last !== 44 /* , */ && last !== 58)) return;
    // gcc lists the innermost header first and continues with `from` lines
    // (the last names the .c file); clang repeats this line outermost first.
    if (!(this.#chainOpen && this.#chainStyle === "clang")) {
      this.#tuHint = this.#dirs.unit(text.slice(s, colon));
    }
    this.#chainStyle = last === 44 ? "gcc" : "clang";
    this.#chainOpen = true;
    this.#compilerContext = true;
  }

  #makeLine(line: string): void {
    if (this.#make.directory(line)) return;
    const m = line.includes("No rule") ? MAKE_ERROR_RE.exec(line) : null;
    if (m !== null) {
      this.#fold.add({
        tool: "make",
        file: null,
        line: null,
        column: null,
        severity: "error",
        message: m[1]!.replace(/\.?\s+Stop\.$/, "").trimEnd(),
        flag: null,
        object: null,
      });
      return;
    }
    this.#make.learnSrcTree(line);
  }

  #modpost(line: string): void {
    const d = parseModpost(line);
    if (d === null) return;
    this.#record(d, d.object === null ? null : stripDotPrefixes(d.object));
  }

  /** Records a tool line's diagnostic at once (no continuation lines). */
  #record(d: ToolLine, object: string | null): void {
    this.#fold.add({
      tool: d.tool,
      file: d.file === null ? null : this.#dirs.resolve(d.file),
      line: d.line,
      column: null,
      severity: d.severity,
      message: d.message,
      flag: d.flag,
      object,
    });
  }

  /** A `WORD:` line that is not a located diagnostic. */
  #other(line: string): void {
    const u = line.includes("error:") || line.includes("warning:")
      ? UNLOCATED_RE.exec(line)
      : null;
    if (u !== null) {
      this.#unlocated(u[1]!, u[2]!, u[3]!.trim());
      return;
    }
    const f = line.includes(": In ") || line.includes(": At top level")
      ? IN_FUNCTION_RE.exec(line)
      : null;
    if (f !== null) {
      const file = f[1]!;
      if (isSourceFile(file)) this.#tuHint = this.#dirs.unit(file);
      this.#compilerContext = true;
      return;
    }
    if (
      line.includes("undefined reference to") ||
      line.includes("multiple definition of") ||
      line.includes("relocation truncated")
    ) {
      this.#linkerRef(line);
      return;
    }
    const c = line.includes("in function")
      ? LINKER_CONTEXT_RE.exec(line)
      : null;
    if (c !== null) this.#linkObject = stripDotPrefixes(c[1]!);
  }

  #located(text: string, s: number, e: number, afterChain: boolean): void {
    const scan = this.#scan;
    const sev = scan.severity;
    if (sev === "note" || sev === "remark") {
      this.#compilerContext = true;
      return;
    }
    // A header's error repeats verbatim in every unit that includes it:
    // count repeats from the raw line without parsing it again.
    // Keyed by a cheap numeric hash and confirmed in place: no slice and
    // no string hashing for a repeat.
    const h = lineHash(text, s, e, scan);
    // Absolute paths mean the same in any directory: one cache for them.
    const lines = text.charCodeAt(s) === 47 /* / */
      ? this.#dirs.absLines
      : this.#dirs.lines;
    const hit = lines.get(h);
    let seen: SeenLine | undefined;
    if (hit !== undefined) {
      if (Array.isArray(hit)) seen = hit.find((b) => sameAt(text, s, e, b.raw));
      else if (sameAt(text, s, e, hit.raw)) seen = hit;
    }
    if (seen !== undefined) {
      const slot = this.#steps.find(seen.unit ?? this.#tuHint);
      Aggregator.bump(seen.entry, slot < 0 ? null : this.#steps.object(slot));
      this.#compilerContext = seen.entry.d.tool === "compiler";
      if (seen.unit !== null) this.#tuHint = seen.unit;
      return;
    }
    const said = locatedTool(sev, text.slice(scan.msgStart, e));
    if (said === null) return; // an orphan sparse continuation
    const { severity, message } = said;
    let tool = said.tool;
    const path = this.#dirs.pathAt(text, s, scan.fileEnd, scan.fileHash);
    const file = path.raw;
    const column = scan.column < 0 ? null : scan.column;
    const flag = trailingFlag(message);
    const resolved = path.resolved;
    const isSource = isSourceFile(file);
    const unit = isSource ? this.#dirs.unitOf(path) : null;
    const slot = this.#steps.find(unit ?? this.#tuHint);
    if (tool === "compiler") {
      if (column === null && flag === null) {
        if (KERNEL_DOC_RE.test(message) || !this.#compilerContext) {
          tool = "kernel-doc";
        }
      } else if (
        column !== null && flag === null && slot >= 0 &&
        this.#steps.isCheck(slot) &&
        !afterChain
      ) {
        tool = "sparse";
      }
    }
    this.#compilerContext = tool === "compiler";
    if (unit !== null) this.#tuHint = unit;
    const fileOut = tool === "assembler" &&
        (file.startsWith("{") || /^\/tmp\/cc\w*\.s$/.test(file))
      ? null
      : resolved;
    const d: RawDiagnostic = {
      tool,
      file: fileOut,

      line: scan.line,
      column,
      severity,
      message,
      flag,
      object: slot < 0 ? null : this.#steps.object(slot),
    };
    if (fileOut !== null) d.fileRef = path;
    if (tool === "sparse") {
      // Held back: continuation lines may still extend its message.
      this.#fold.hold(d, text.slice(s, scan.locEnd));
      return;
    }
    const entry = this.#agg.add(d);
    const line: SeenLine = { raw: text.slice(s, e), entry, unit };
    if (hit === undefined) lines.set(h, line);
    else if (Array.isArray(hit)) hit.push(line);
    else lines.set(h, [hit, line]);
  }

  #unlocated(who: string, severity: string, message: string): void {
    const d = parseUnlocated(who, severity, message);
    if (d === null) return; // bison's `parse.y: warning: 9 shift/reduce …`
    const object = d.object !== null
      ? this.#dirs.resolve(d.object)
      : this.#linkObject ?? this.#steps.newestObject();
    this.#record(d, object);
  }

  #linkerRef(line: string): void {
    const d = parseLinkerRef(line);
    if (d === null) return;
    if (d.object !== null) this.#linkObject = this.#dirs.resolve(d.object);
    this.#record(d, this.#linkObject);
  }
}
