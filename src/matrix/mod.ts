/**
 * Matrix builds: the public face of the area. Other areas (series) plan
 * cells from a matrix file and run them through the same cell runner.
 *
 * @module
 */
export type {
  Cell,
  CellInputs,
  CellOutcome,
  CellRecord,
  CellResult,
  TreeSpec,
  WerrorPolicy,
} from "./types.ts";
export { type LoadedMatrix, loadMatrix, parseMatrix } from "./load_matrix.ts";
export type { MatrixFile } from "./schema.ts";
export { cellDigest, expandCells } from "./expand.ts";
export {
  filterCells,
  globMatch,
  parseShard,
  shardCells,
} from "./select_cells.ts";
export {
  type CellContext,
  type CellRunner,
  executeCell,
  withToolchainPolicy,
} from "./runner.ts";
export { createCellRunner } from "./run_cell.ts";
export {
  cellBuildDir,
  keyedSerializer,
  planBudget,
  runCellsLocally,
} from "./local.ts";
export {
  runMatrix,
  type RunMatrixOptions,
  type RunMatrixResult,
} from "./run_matrix.ts";
export type { RunSummary, SummaryCell } from "./summary.ts";
export { diffRuns } from "./diff.ts";
export { githubMatrix } from "./export_github.ts";
