/**
 * Robot reports: parse any 0-day kernel test robot report (plain body, e-mail,
 * mbox, reflowed archive copy, or a `reproduce` script) into the fields of
 * `shared/robot-reports/README.md`. Only parsing: what to build from a
 * report is `src/repro/plan_repro.ts`.
 *
 * @module
 */
export type {
  MakeInvocation,
  ParsedReport,
  ReportAttachments,
  ReportCompiler,
  ReportDiagnostic,
  ReproduceFile,
  ReproduceInfo,
  RobotSetup,
  ScriptNotes,
} from "./types.ts";
export {
  MAX_REPORT_BYTES,
  parseCompiler,
  parseReport,
  type ParseReportOptions,
} from "./parse_report.ts";
export { parseReproduceScript } from "./reproduce.ts";
export { extractEmail } from "./email.ts";
export { isTruncatedUrl } from "./header.ts";
export { reflowSignature } from "./reflow_signature.ts";
export { shellSplit } from "./shell_split.ts";
export { loadReport, readReportInput } from "./read_input.ts";
export { formatSummary } from "./summary.ts";
