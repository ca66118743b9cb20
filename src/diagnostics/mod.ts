/**
 * Diagnostics: extraction from build logs, normalisation, diffing.
 *
 * @module
 */
import type { Diagnostic } from "./types.ts";

export type { Diagnostic, DiagnosticTool } from "./types.ts";

/** Where paths in the log point, so they can be made relative. */
export interface ExtractOptions {
  /** Absolute source tree. */
  srcTree?: string;
  /** Absolute O= dir. */
  outDir?: string;
}

/** Extracts every diagnostic from a build log (placeholder until it lands). */
export function extractDiagnostics(
  _log: string,
  _options: ExtractOptions = {},
): Diagnostic[] {
  return [];
}
