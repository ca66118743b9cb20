/**
 * Which cells of an expanded matrix run: `--only` filters (`axis=glob` pairs
 * or a glob over the cell key), `--shard i/n`, and the star-only glob that
 * `--only` and the matrix file's `[[exclude]]`/`[[override]]` rules match with.
 *
 * @module
 */
import { UserError } from "../errors.ts";

/**
 * Whether `value` matches a `*` glob `pattern`. Star-only globs match by
 * finding the pieces between stars left to right (leftmost is always
 * right), so `--only "*a*a*a*a*a*b"` costs a few `indexOf`s instead of the
 * polynomial backtracking of the equivalent regex.
 *
 * @example
 * ```ts
 * import { globMatch } from "./select_cells.ts";
 * if (!globMatch("power*", "powerpc") || globMatch("power*", "arm64")) throw new Error();
 * if (!globMatch("*a*c", "abc") || globMatch("*a*a*b", "aaaa")) throw new Error();
 * if (globMatch("ab*ba", "aba")) throw new Error();
 * ```
 */
export function globMatch(pattern: string, value: string): boolean {
  const parts = pattern.split("*");
  if (parts.length === 1) return pattern === value;
  const first = parts[0]!;
  const last = parts.at(-1)!;
  if (value.length < first.length + last.length) return false;
  if (!value.startsWith(first) || !value.endsWith(last)) return false;
  const end = value.length - last.length;
  let at = first.length;
  for (let i = 1; i < parts.length - 1; i++) {
    const piece = parts[i]!;
    if (piece === "") continue;
    const j = value.indexOf(piece, at);
    if (j < 0 || j + piece.length > end) return false;
    at = j + piece.length;
  }
  return true;
}

/** Whether every `axis: glob(s)` of `rule` matches the cell's axes. */
export function axesMatch(
  rule: Record<string, string | string[]>,
  axes: Record<string, string>,
): boolean {
  return Object.entries(rule).every(([k, want]) => {
    const have = axes[k] ?? "";
    return (Array.isArray(want) ? want : [want]).some((p) =>
      globMatch(p, have)
    );
  });
}

/**
 * Keeps the cells matching `--only`: comma-separated `axis=glob` pairs (all
 * must match), or a glob over the cell key.
 *
 * @example
 * ```ts
 * import { filterCells } from "./select_cells.ts";
 * const c = (arch: string, config: string) => ({ key: `${arch}/${config}/gcc`, axes: { arch, config } });
 * const cells = [c("powerpc", "defconfig"), c("arm64", "defconfig")];
 * if (filterCells(cells, "arch=power*").length !== 1) throw new Error();
 * if (filterCells(cells, "*defconfig*").length !== 2) throw new Error();
 * ```
 */
export function filterCells<
  T extends { key: string; axes: Record<string, string> },
>(
  cells: T[],
  filter: string,
): T[] {
  if (filter.includes("=")) {
    const rule: Record<string, string[]> = {};
    for (const part of filter.split(",")) {
      const eq = part.indexOf("=");
      if (eq <= 0) {
        throw new UserError(
          `Bad --only filter "${filter}": "${part}" is not axis=value`,
          {
            hint:
              'e.g. --only arch=powerpc,config=allmodconfig or --only "powerpc/*"',
          },
        );
      }
      const k = part.slice(0, eq).trim();
      (rule[k] ??= []).push(part.slice(eq + 1).trim());
    }
    return cells.filter((c) => axesMatch(rule, c.axes));
  }
  return cells.filter((c) =>
    globMatch(filter.includes("*") ? filter : `*${filter}*`, c.key)
  );
}

/**
 * Parses `--shard i/n` (1-based).
 *
 * @throws {UserError} when not `i/n` with 1 ≤ i ≤ n
 */
export function parseShard(text: string): { index: number; count: number } {
  const m = text.match(/^([1-9][0-9]*)\/([1-9][0-9]*)$/);
  if (!m || Number(m[1]) > Number(m[2])) {
    throw new UserError(
      `Bad --shard "${text}": expected i/n with 1 <= i <= n`,
      {
        hint: "e.g. --shard 2/4 runs the second quarter of the cells",
      },
    );
  }
  return { index: Number(m[1]), count: Number(m[2]) };
}

/**
 * The cells of shard `index`/`count`: every count-th cell by matrix order, so
 * shards stay balanced across axes.
 *
 * @example
 * ```ts
 * import { shardCells } from "./select_cells.ts";
 * const cells = [0, 1, 2, 3, 4].map((index) => ({ index }));
 * if (shardCells(cells, { index: 2, count: 2 }).map((c) => c.index).join() !== "1,3") throw new Error();
 * ```
 */
export function shardCells<T extends { index: number }>(
  cells: T[],
  shard: { index: number; count: number },
): T[] {
  return cells.filter((c) => c.index % shard.count === shard.index - 1);
}
