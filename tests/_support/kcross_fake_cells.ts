/**
 * kcross with the fake-tree cell runner injected (`injectCellRunner`): what
 * matrix tests and benches run as a subprocess instead of `main.ts`, so
 * that production code never loads a module named by the environment.
 *
 *     deno run -A tests/_support/kcross_fake_cells.ts matrix worker --queue …
 *
 * @module
 */
import { main } from "../../main.ts";
import { injectCellRunner } from "../../src/matrix/runner.ts";
import { createCellRunner } from "./fake_matrix_tree.ts";

injectCellRunner(createCellRunner);
Deno.exit(await main(Deno.args));
