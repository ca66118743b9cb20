/**
 * Shared diagnostic types: what extraction produces and records store.
 *
 * @module
 */

/** Which tool printed a diagnostic. */
export type DiagnosticTool =
  | "compiler" // gcc or clang
  | "linker"
  | "modpost"
  | "objtool"
  | "sparse"
  | "kernel-doc"
  | "assembler"
  | "make";

/** One diagnostic, deduplicated across translation units. */
export interface Diagnostic {
  tool: DiagnosticTool;
  /** Path relative to the source tree (no absolute srctree, no `../`), or null. */
  file: string | null;
  line: number | null;
  column: number | null;
  /** `error`, `warning`, `fatal error`, or the tool's word (`ERROR`, `WARNING`). */
  severity: string;
  /** Message text, verbatim, including any trailing `[-W…]`. */
  message: string;
  /** The `-W` flag, e.g. `-Werror=unused-but-set-variable`, or null. */
  flag: string | null;
  /** How many times it appeared. */
  count: number;
  /** Objects being built when it appeared (when the log tells). */
  objects: string[];
}

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
