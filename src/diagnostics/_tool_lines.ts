/**
 * Parsers for the rarer tool lines: modpost, objtool, linker and compiler
 * driver messages. Pure: paths come back as printed, the collector resolves
 * them and attributes objects.
 *
 * @module
 */
import type { DiagnosticTool } from "./types.ts";
import {
  COMPILER_PROG_RE,
  LINKER_PROG_RE,
  LINKER_REF_RE,
  MODPOST_OBJECT_RE,
  MODPOST_RE,
} from "./_patterns.ts";
import { trailingFlag } from "./_scan.ts";

/** A tool line's diagnostic, paths as printed. */
export interface ToolLine {
  tool: DiagnosticTool;
  severity: string;
  message: string;
  flag: string | null;
  /** The file the line names (objtool's object, a linker `file:line`). */
  file: string | null;
  line: number | null;
  /** An object or module the line itself names. */
  object: string | null;
}

/**
 * `ERROR: modpost: "x" [drivers/x.ko] undefined!` and friends; null for
 * other `ERROR:`/`WARNING:` lines (Kconfig's `unmet direct dependencies`).
 */
export function parseModpost(line: string): ToolLine | null {
  const m = MODPOST_RE.exec(line);
  if (m === null) return null;
  const message = m[2]!;
  if (
    !line.includes("modpost") && !message.endsWith("undefined!") &&
    !/ection mismatch/.test(message)
  ) return null;
  const o = MODPOST_OBJECT_RE.exec(message);
  return {
    tool: "modpost",
    severity: m[1]!,
    message,
    flag: null,
    file: null,
    line: null,
    object: o ? (o[1] ?? o[2] ?? null) : null,
  };
}

/**
 * `WHO: SEVERITY: MESSAGE` with no line: objtool (WHO is the object), a
 * linker or a compiler driver; null for anything else (bison's
 * `parse.y: warning: 9 shift/reduce conflicts`).
 */
export function parseUnlocated(
  who: string,
  severity: string,
  message: string,
): ToolLine | null {
  let tool: DiagnosticTool;
  let msg = message;
  let file: string | null = null;
  if (message.startsWith("objtool: ")) {
    tool = "objtool";
    msg = message.slice(9);
    file = who;
  } else if (LINKER_PROG_RE.test(who)) tool = "linker";
  else if (COMPILER_PROG_RE.test(who)) tool = "compiler";
  else return null;
  return {
    tool,
    severity,
    message: msg,
    flag: trailingFlag(msg),
    file,
    line: null,
    object: file,
  };
}

/**
 * GNU ld's `[ld: ]LOCATION: undefined reference to `x'` (also `multiple
 * definition`, `relocation truncated`). LOCATION is `file:line` (kept),
 * `obj.o:(.text+0x1c)` (the object) or `base.c:(.text+0x1c)` (a base name
 * only: dropped).
 */
export function parseLinkerRef(line: string): ToolLine | null {
  const m = LINKER_REF_RE.exec(line);
  if (m === null) return null;
  const loc = m[2]!;
  const fl = /^(.+):(\d+)$/.exec(loc);
  const isObject = /\.(?:o|a)$/.test(loc) || /\.o:\(/.test(loc);
  return {
    tool: "linker",
    severity: "error",
    message: m[3]!,
    flag: null,
    file: fl === null ? null : fl[1]!,
    line: fl === null ? null : Number(fl[2]),
    object: isObject ? loc.replace(/:\(.*$/, "") : null,
  };
}

/**
 * Which tool printed a located `FILE:L[:C]: SEVERITY: message` line, by its
 * severity word: sparse (as the robot renders it, `sparse: sparse: msg`;
 * `null` for a continuation line without its first line), the assembler
 * (`Error:`, `Warning:`), else the compiler (refined by the collector from
 * context: kernel-doc, sparse under `CHECK`).
 */
export function locatedTool(
  severity: string,
  text: string,
): { tool: DiagnosticTool; severity: string; message: string } | null {
  if (severity === "sparse") {
    if (!text.startsWith(" sparse: ")) return null;
    return {
      tool: "sparse",
      severity: "warning",
      message: text.slice(9).trim(),
    };
  }
  const assembler = severity === "Error" || severity === "Warning" ||
    severity === "Fatal error";
  return {
    tool: assembler ? "assembler" : "compiler",
    severity,
    message: text.trim(),
  };
}
