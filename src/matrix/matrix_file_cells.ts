/**
 * A matrix file's cells for commits chosen later, per cell (`series --matrix`,
 * `verify --also`).
 *
 * @module
 */
import { UserError } from "../errors.ts";
import { expandCells } from "./expand.ts";
import { loadMatrix } from "./load_matrix.ts";
import type { Cell } from "./types.ts";

/**
 * The cells of the matrix file `file` (relative to `cwd`) for commits of the
 * repository `repo` chosen later, per cell (`series --matrix`, `verify
 * --also`): loaded, checked and expanded.
 *
 * @throws {UserError} a bad matrix file, or one without cells
 */
export async function cellsOfMatrixFile(
  file: string,
  cwd: string,
  repo: string,
  options: { trustMakeLine?: boolean } = {},
): Promise<Cell[]> {
  const loaded = await loadMatrix(file, cwd, {
    ...(options.trustMakeLine ? { trustMakeLine: true } : {}),
  });
  const cells = await expandCells(loaded, {
    tree: {
      url: repo,
      commit: null,
      useWorkingTree: false,
      workingTree: null,
      dirtyDigest: null,
    },
  });
  if (cells.length === 0) {
    throw new UserError(`The matrix "${file}" has no cells`);
  }
  return cells;
}
