/**
 * Presubmit: check a series the way the 0-day robot will. The public face
 * of the area (only the CLI and main use it).
 *
 * @module
 */
export type {
  CellReport,
  CellStatus,
  CellVerdict,
  PresubmitCell,
  PresubmitCommit,
  PresubmitResult,
  PresubmitTotals,
  StepOutcome,
} from "./types.ts";
export { judgeCell, presubmitExitCode, totalsOf } from "./judge.ts";
export { answerLine, formatResult, reportLines } from "./render.ts";
export {
  DEFAULT_PROFILE,
  type PresubmitOptions,
  runPresubmit,
} from "./run_presubmit.ts";
