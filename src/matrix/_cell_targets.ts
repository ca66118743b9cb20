/**
 * Named targets in matrix cells (`kernel`, `modules`, `dtbs`… beside Kbuild
 * paths, as `kcross build` takes them): each cell's are checked against
 * `toolchains/targets.json` for the cell's arch when the matrix is
 * expanded, and a cell's build reports each target's status.
 *
 * @module
 */
import { UserError } from "../errors.ts";
import { unsupportedTargets } from "../build/mod.ts";
import type { RecordMetadata } from "../record/types.ts";
import { locateKey } from "./_locate.ts";
import type { LoadedMatrix } from "./load_matrix.ts";
import type { Cell, CellPhase } from "./types.ts";

/**
 * Refuses a cell whose named targets its arch does not build (`dtbs` on
 * x86_64), naming the file, the line of the targets and the cell.
 *
 * @throws {UserError} the first such cell
 *
 * @example
 * ```ts
 * import { checkCellTargets } from "./_cell_targets.ts";
 * const loaded = { file: "/m.toml", text: "[matrix]\ntargets = [\"dtbs\"]\n" } as never;
 * const cell = (arch: string) => ({ key: `${arch}/tinyconfig/gcc-12`, inputs: { arch, targets: ["dtbs"] } }) as never;
 * checkCellTargets(loaded, [cell("arm64")]);
 * let msg = "";
 * try { checkCellTargets(loaded, [cell("x86_64")]); } catch (e) { msg = (e as Error).message; }
 * if (!msg.includes('/m.toml:2: cell "x86_64/tinyconfig/gcc-12": target "dtbs"')) throw new Error(msg);
 * ```
 */
export function checkCellTargets(
  loaded: Pick<LoadedMatrix, "file" | "text">,
  cells: readonly Pick<Cell, "key" | "inputs">[],
): void {
  for (const cell of cells) {
    const bad = unsupportedTargets(cell.inputs.targets, cell.inputs.arch)[0];
    if (bad === undefined) continue;
    const line = locateKey(loaded.text, ["matrix", "targets"]);
    throw new UserError(
      `Invalid matrix file\n${loaded.file}:${line}: cell "${cell.key}": target "${bad}" is not supported for ARCH "${cell.inputs.arch}"`,
      {
        hint:
          `drop it with an [[exclude]] or [[override]] for that arch (kcross build --list-targets --arch ${cell.inputs.arch})`,
      },
    );
  }
}

/**
 * The per-target results of a cell's build record (named targets only;
 * absent for a plain Kbuild build).
 *
 * @example
 * ```ts
 * import { cellPhases } from "./_cell_targets.ts";
 * const meta = { phases: [{ name: "kernel", status: "pass", reason: null, durationMs: 1200.4, artifacts: ["vmlinux"] }] } as never;
 * const p = cellPhases(meta)!;
 * if (p[0]!.durationMs !== 1200 || p[0]!.artifacts[0] !== "vmlinux") throw new Error();
 * if (cellPhases({} as never) !== undefined) throw new Error();
 * ```
 */
export function cellPhases(
  meta: Pick<RecordMetadata, "phases"> | null | undefined,
): CellPhase[] | undefined {
  if (!meta?.phases?.length) return undefined;
  return meta.phases.map((p) => ({
    name: p.name,
    status: p.status,
    reason: p.reason,
    durationMs: Math.round(p.durationMs),
    artifacts: p.artifacts,
  }));
}
