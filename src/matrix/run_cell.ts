/**
 * The one adapter between a matrix cell and the build engine:
 * cell → native build options → plan → `runBuild` → outcome.
 *
 * @module
 */
import type { CellRunner } from "./runner.ts";
import { infraOutcome } from "./runner.ts";

/**
 * The real cell runner (the build engine). Until the planners land it reports
 * every cell as an infrastructure error.
 */
export function createCellRunner(): CellRunner {
  return {
    run() {
      return Promise.resolve(
        infraOutcome("the build engine is not available in this version"),
      );
    },
  };
}
