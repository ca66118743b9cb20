/**
 * Diagnostics: extraction from build logs, normalisation, diffing and the
 * comparison of a robot report's diagnostics with a build's.
 *
 * @module
 */
export type { Diagnostic, DiagnosticTool, ExtractOptions } from "./types.ts";
export { DiagnosticCollector } from "./diagnostic_collector.ts";
export {
  extractDiagnostics,
  extractDiagnosticsFromStream,
} from "./extract_diagnostics.ts";
export {
  diagnosticKey,
  type DiagnosticLike,
  movedKey,
  normalizeDiagnostic,
  normalizeMessage,
  type NormalizeOptions,
  normalizePath,
  normalizeSeverity,
} from "./normalize_diagnostic.ts";
export {
  type DiagnosticDiff,
  diffDiagnostics,
  type MovedDiagnostic,
} from "./diff_diagnostics.ts";
export {
  formatDiagnostic,
  formatDiff,
  formatRobot,
  type FormatRobotOptions,
} from "./format_robot.ts";
export {
  compareReported,
  type Comparison,
  type ReportedDiagnostic,
  type ReportedMatch,
  type ReportedStatus,
  type ReproVerdict,
} from "./compare_reported.ts";
export { formatComparison } from "./format_comparison.ts";
