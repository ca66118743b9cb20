/**
 * `kcross matrix export --github`: a GitHub Actions `strategy.matrix` whose
 * jobs each run one shard with `kcross matrix run --shard i/n`.
 *
 * @module
 */
import type { Cell } from "./types.ts";
import { shardCells } from "./select_cells.ts";
import { shellQuote } from "../util/shell_quote.ts";

/** One job of the exported matrix. */
export interface GithubJob {
  /** Job label shown by GitHub. */
  name: string;
  shard: string;
  /** Cell keys this job runs. */
  cells: string[];
  /** The command the job runs. */
  run: string;
}

/**
 * The `strategy.matrix` object: `{ include: [...] }`, one job per cell
 * (default) or per shard when `shards` is given.
 *
 * @example
 * ```ts
 * import { githubMatrix } from "./export_github.ts";
 * const cells = [0, 1, 2].map((index) => ({ index, key: `c${index}` })) as never;
 * const m = githubMatrix(cells, { file: "configs/m.toml", shards: 2 });
 * if (m.include.length !== 2 || m.include[0]!.run !== "kcross matrix run configs/m.toml --shard 1/2") throw new Error();
 * ```
 */
export function githubMatrix(
  cells: Cell[],
  options: { file: string; shards?: number | undefined; extraArgs?: string[] },
): { include: GithubJob[] } {
  const count = Math.min(options.shards ?? cells.length, cells.length);
  const include: GithubJob[] = [];
  for (let i = 1; i <= count; i++) {
    const these = shardCells(cells, { index: i, count });
    const shard = `${i}/${count}`;
    include.push({
      name: these.length === 1
        ? these[0]!.key
        : `shard ${shard} (${these.length} cells)`,
      shard,
      cells: these.map((c) => c.key),
      run: [
        "kcross",
        "matrix",
        "run",
        options.file,
        "--shard",
        shard,
        ...(options.extraArgs ?? []),
      ].map(shellQuote).join(" "),
    });
  }
  return { include };
}
