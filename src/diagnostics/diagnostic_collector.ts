/**
 * The streaming diagnostic extractor: feed it build-log lines (or whole
 * chunks) as they arrive, then `finish()` for deduplicated diagnostics.
 *
 * @module
 */
import type { Diagnostic, DiagnosticTool } from "./types.ts";
import {
  CHAIN_FROM_RE,
  COMPILER_PROG_RE,
  FLAG_RE,
  IN_FUNCTION_RE,
  INCLUDED_FROM_RE,
  KERNEL_DOC_RE,
  LINKER_CONTEXT_RE,
  LINKER_PROG_RE,
  LINKER_REF_RE,
  LOCATED_RE,
  MAKE_DIR_RE,
  MAKE_ERROR_RE,
  MODPOST_OBJECT_RE,
  MODPOST_RE,
  QUIET_CMD_RE,
  UNLOCATED_RE,
} from "./_patterns.ts";
import {
  relativeToTree,
  resolveAgainst,
  stem,
  stripDotPrefixes,
} from "./_paths.ts";
import { Aggregator, type RawDiagnostic } from "./_aggregate.ts";

/** Where paths in the log point, so they can be made relative. */
export interface ExtractOptions {
  /** Absolute source tree (guessed from the log when absent). */
  srcTree?: string;
  /** Absolute O= dir (taken from make's "Entering directory" when absent). */
  outDir?: string;
  /**
   * A sticky (`y`) regex matched at the start of every line and skipped when
   * it matches, e.g. a timestamp prefix the runner adds to stored logs.
   */
  linePrefix?: RegExp;
}

/** A translation unit or tool step seen recently, for attribution. */
interface Step {
  /** Raw object path as printed (resolved against make's cwd). */
  object: string;
  stem: string;
  kind: "cc" | "check";
}

const RECENT_STEPS = 16;

const SP = 32;
const TAB = 9;
const CR = 13;

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
  #cwd: string | null = null;
  #dirStack: string[] = [];
  #steps: Step[] = [];
  /** Translation unit named by the latest include chain / In function line. */
  #tuHint: string | null = null;
  #chainOpen = false;
  #chainStyle: "gcc" | "clang" = "gcc";
  /** Whether the latest non-context line belonged to a compiler message. */
  #compilerContext = false;
  #linkObject: string | null = null;
  #pending: RawDiagnostic | null = null;
  #pendingLoc = "";
  #sparseParts: string[] = [];
  #carry = "";
  #srcTreeSeen: string | null = null;
  /** The latest directory make entered: kbuild's objtree. */
  #objTreeSeen: string | null = null;

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
    while (pos < n) {
      const nl = text.indexOf("\n", pos);
      if (nl < 0) return pos;
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
    this.#flush();
    const srcTree = this.#opts.srcTree ?? this.#srcTreeSeen ??
      this.#agg.guessSrcTree();
    const outDir = this.#opts.outDir ?? this.#objTreeSeen;
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
    if (this.#pending !== null) {
      if (this.#continues(text, s, e)) return;
      this.#flush();
    }
    if (c0 === 73 /* I */ && text.startsWith("In file included from ", s)) {
      this.#includedFrom(text, s, e);
      return;
    }
    this.#chainOpen = false;
    if (c0 === 109 /* m */ && text.startsWith("make", s)) {
      this.#make(text, s, e);
      return;
    }
    if (
      (c0 === 69 /* E */ && text.startsWith("ERROR: ", s)) ||
      (c0 === 87 /* W */ && text.startsWith("WARNING: ", s))
    ) {
      this.#modpost(text, s, e);
      return;
    }
    const colon = text.indexOf(":", s);
    if (colon < 0 || colon >= e) return;
    this.#candidate(text, s, e);
  }

  /** Lines starting with whitespace: kbuild commands, gcc `from`, context. */
  #indented(text: string, s: number, e: number): void {
    const c2 = text.charCodeAt(s + 2);
    if (c2 >= 65 && c2 <= 90 && text.charCodeAt(s + 1) === SP) {
      QUIET_CMD_RE.lastIndex = s;
      const m = QUIET_CMD_RE.exec(text);
      if (m !== null && m.index + m[0].length === e) {
        this.#flush();
        this.#step(m[1]!, m[2]!);
        return;
      }
    }
    if (this.#chainOpen) {
      CHAIN_FROM_RE.lastIndex = s;
      const m = CHAIN_FROM_RE.exec(text);
      if (m !== null && m.index + m[0].length === e) {
        this.#tuHint = m[1]!;
        return;
      }
    }
    // Source context and caret lines: nothing to take, state unchanged.
  }

  #step(cmd: string, target: string): void {
    this.#compilerContext = false;
    this.#tuHint = null;
    const isCheck = cmd === "CHECK";
    // Objects are printed relative to the build dir; CHECK prints the source.
    let object = target.startsWith("/") ? target : stripDotPrefixes(target);
    if (isCheck) object = `${stem(object)}.o`;
    else if (!/\.(?:o|s|i|lds)$/.test(object)) return;
    const st = stem(object);
    const steps = this.#steps;
    const i = steps.findIndex((x) => x.stem === st);
    if (i >= 0) steps.splice(i, 1);
    steps.push({ object, stem: st, kind: isCheck ? "check" : "cc" });
    if (steps.length > RECENT_STEPS) steps.shift();
  }

  #includedFrom(text: string, s: number, e: number): void {
    INCLUDED_FROM_RE.lastIndex = s;
    const m = INCLUDED_FROM_RE.exec(text);
    if (m === null || m.index + m[0].length !== e) return;
    // gcc lists the innermost header first and continues with `from` lines
    // (the last names the .c file); clang repeats this line outermost first.
    if (!(this.#chainOpen && this.#chainStyle === "clang")) {
      this.#tuHint = m[1]!;
    }
    this.#chainStyle = m[2] === "," ? "gcc" : "clang";
    this.#chainOpen = true;
    this.#compilerContext = true;
  }

  #make(text: string, s: number, e: number): void {
    MAKE_DIR_RE.lastIndex = s;
    let m = MAKE_DIR_RE.exec(text);
    if (m !== null && m.index + m[0].length === e) {
      if (m[1] === "Entering") {
        this.#dirStack.push(m[2]!);
        this.#cwd = m[2]!;
        this.#objTreeSeen = m[2]!;
      } else {
        this.#dirStack.pop();
        this.#cwd = this.#dirStack[this.#dirStack.length - 1] ?? null;
      }
      return;
    }
    MAKE_ERROR_RE.lastIndex = s;
    m = MAKE_ERROR_RE.exec(text);
    if (m !== null && m.index + m[0].length === e) {
      this.#emit({
        tool: "make",
        file: null,
        line: null,
        column: null,
        severity: "error",
        message: m[1]!.replace(/\.?\s+Stop\.$/, "").trimEnd(),
        flag: null,
        object: null,
      });
      this.#flush();
      return;
    }
    if (this.#srcTreeSeen === null) this.#learnSrcTree(text, s, e);
  }

  /** `make[N]: *** [SRCTREE/scripts/Makefile.build:NNN: x.o] Error 1`. */
  #learnSrcTree(text: string, s: number, e: number): void {
    const i = text.indexOf("/scripts/Makefile.build:", s);
    if (i < 0 || i >= e) return;
    const open = text.lastIndexOf("[", i);
    if (open < s) return;
    this.#srcTreeSeen = resolveAgainst(this.#cwd, text.slice(open + 1, i));
  }

  #modpost(text: string, s: number, e: number): void {
    MODPOST_RE.lastIndex = s;
    const m = MODPOST_RE.exec(text);
    if (m === null || m.index + m[0].length !== e) return;
    const line = text.slice(s, e);
    const message = m[2]!;
    // Kconfig also prints `WARNING: unmet direct dependencies`: not modpost.
    if (
      !line.includes("modpost") && !message.endsWith("undefined!") &&
      !/ection mismatch/.test(message)
    ) return;
    const o = MODPOST_OBJECT_RE.exec(message);
    const object = o ? (o[1] ?? o[2] ?? null) : null;
    this.#emit({
      tool: "modpost",
      file: null,
      line: null,
      column: null,
      severity: m[1]!,
      message,
      flag: null,
      object: object === null ? null : resolveAgainst(this.#cwd, object),
    });
    this.#flush();
  }

  /** A line with a colon that may be a diagnostic. */
  #candidate(text: string, s: number, e: number): void {
    LOCATED_RE.lastIndex = s;
    const m = LOCATED_RE.exec(text);
    if (m !== null && m.index + m[0].length === e) {
      this.#located(m);
      return;
    }
    UNLOCATED_RE.lastIndex = s;
    const u = UNLOCATED_RE.exec(text);
    if (u !== null && u.index + u[0].length === e) {
      this.#unlocated(u[1]!, u[2]!, u[3]!.trim());
      return;
    }
    IN_FUNCTION_RE.lastIndex = s;
    const f = IN_FUNCTION_RE.exec(text);
    if (f !== null) {
      const file = f[1]!;
      if (/\.(?:c|S|cc|cpp)$/.test(file)) this.#tuHint = file;
      this.#compilerContext = true;
      return;
    }
    const line = text.slice(s, e);
    if (
      line.includes("undefined reference to") ||
      line.includes("multiple definition of") ||
      line.includes("relocation truncated")
    ) {
      this.#linkerRef(line);
      return;
    }
    const c = LINKER_CONTEXT_RE.exec(line);
    if (c !== null) this.#linkObject = resolveAgainst(this.#cwd, c[1]!);
  }

  #located(m: RegExpExecArray): void {
    const file = m[1]!;
    const sev = m[4]!;
    let message = m[5]!;
    if (sev === "note" || sev === "remark") {
      this.#compilerContext = true;
      return;
    }
    const line = Number(m[2]);
    const column = m[3] === undefined ? null : Number(m[3]);
    let tool: DiagnosticTool = "compiler";
    let severity = sev;
    if (sev === "sparse") {
      // The robot's rendering: `FILE:L:C: sparse: sparse: msg`, and
      // `FILE:L:C: sparse:     expected …` continuation lines.
      if (!message.startsWith(" sparse: ")) return; // orphan continuation
      message = message.slice(9);
      tool = "sparse";
      severity = "warning";
    } else if (sev === "Error" || sev === "Warning" || sev === "Fatal error") {
      tool = "assembler";
    }
    message = message.trim();
    const fm = FLAG_RE.exec(message);
    const flag = fm ? fm[1]! : null;
    const resolved = resolveAgainst(this.#cwd, file);
    const isSource = /\.(?:c|S|cc|cpp)$/.test(file);
    const hint = isSource
      ? resolved
      : this.#tuHint === null
      ? null
      : resolveAgainst(this.#cwd, this.#tuHint);
    const step = this.#attribute(hint);
    if (tool === "compiler") {
      if (column === null && flag === null) {
        if (KERNEL_DOC_RE.test(message) || !this.#compilerContext) {
          tool = "kernel-doc";
        }
      } else if (
        column !== null && flag === null && step?.kind === "check" &&
        !this.#chainOpen
      ) {
        tool = "sparse";
      }
    }
    this.#chainOpen = false;
    this.#compilerContext = tool === "compiler";
    if (isSource) this.#tuHint = file;
    const fileOut = tool === "assembler" &&
        (file.startsWith("{") || /^\/tmp\/cc\w*\.s$/.test(file))
      ? null
      : resolved;
    this.#emit({
      tool,
      file: fileOut,
      line,
      column,
      severity,
      message,
      flag,
      object: step?.object ?? null,
    });
    this.#pendingLoc = `${file}:${m[2]}:${
      m[3] === undefined ? "" : `${m[3]}:`
    }`;
    if (tool !== "sparse") this.#flush();
  }

  #unlocated(file: string, severity: string, message: string): void {
    let tool: DiagnosticTool | null = null;
    let path: string | null = null;
    let msg = message;
    if (message.startsWith("objtool: ")) {
      tool = "objtool";
      msg = message.slice(9);
      path = resolveAgainst(this.#cwd, file);
    } else if (LINKER_PROG_RE.test(file)) {
      tool = "linker";
    } else if (COMPILER_PROG_RE.test(file)) {
      tool = "compiler";
    }
    if (tool === null) return; // bison's `parse.y: warning: 9 shift/reduce …`
    const fm = FLAG_RE.exec(msg);
    this.#emit({
      tool,
      file: path,
      line: null,
      column: null,
      severity,
      message: msg,
      flag: fm ? fm[1]! : null,
      object: path ?? this.#linkObject ?? this.#steps.at(-1)?.object ?? null,
    });
    this.#flush();
  }

  #linkerRef(line: string): void {
    const m = LINKER_REF_RE.exec(line);
    if (m === null) return;
    const loc = m[2]!;
    let file: string | null = null;
    let lineNo: number | null = null;
    const fl = /^(.+):(\d+)$/.exec(loc);
    if (fl !== null) {
      file = resolveAgainst(this.#cwd, fl[1]!);
      lineNo = Number(fl[2]);
    } else if (/\.(?:o|a)$/.test(loc) || /\.o:\(/.test(loc)) {
      this.#linkObject = resolveAgainst(this.#cwd, loc.replace(/:\(.*$/, ""));
    }
    this.#emit({
      tool: "linker",
      file,
      line: lineNo,
      column: null,
      severity: "error",
      message: m[3]!,
      flag: null,
      object: this.#linkObject,
    });
    this.#flush();
  }

  /** Picks the recent step (object) a diagnostic belongs to. */
  #attribute(hint: string | null): Step | null {
    const steps = this.#steps;
    if (steps.length === 0) return null;
    if (hint !== null) {
      const h = stem(hint);
      for (let i = steps.length - 1; i >= 0; i--) {
        const st = steps[i]!;
        if (h === st.stem || h.endsWith(`/${st.stem}`)) return st;
      }
    }
    return steps[steps.length - 1]!;
  }

  /** Whether the line continues the pending (sparse) diagnostic. */
  #continues(text: string, s: number, e: number): boolean {
    const loc = this.#pendingLoc;
    if (!text.startsWith(loc, s)) return false;
    const rest = s + loc.length;
    if (text.startsWith(" sparse:  ", rest)) {
      this.#sparseParts.push(text.slice(rest + 9, e));
      return true;
    }
    if (text.startsWith("    ", rest)) {
      this.#sparseParts.push(text.slice(rest, e));
      return true;
    }
    return false;
  }

  #emit(d: RawDiagnostic): void {
    this.#flush();
    this.#pending = d;
    this.#sparseParts = [];
  }

  #flush(): void {
    const d = this.#pending;
    if (d === null) return;
    this.#pending = null;
    if (this.#sparseParts.length > 0) {
      d.message = `${d.message} @@ ${this.#sparseParts.join(" @@ ")} @@`;
      this.#sparseParts = [];
    }
    this.#agg.add(d);
  }
}
