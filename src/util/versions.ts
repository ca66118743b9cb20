/**
 * Ordering dotted version numbers (`10.1.0` > `9.5.0`, `23.1.0-rc1` <
 * `23.1.0`) and picking the nearest ones, with no knowledge of what they
 * version (toolchains, fetch listings).
 *
 * @module
 */

/**
 * Compares dotted versions numerically (`10.1.0` > `9.5.0`).
 *
 * @example
 * ```ts
 * import { compareVersions } from "./versions.ts";
 * if (compareVersions("10.1.0", "9.5.0") <= 0) throw new Error();
 * ```
 */
export function compareVersions(a: string, b: string): number {
  const [na, ra] = splitRc(a);
  const [nb, rb] = splitRc(b);
  const pa = na.split(".").map(Number);
  const pb = nb.split(".").map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  // A release candidate comes before its release: 23.1.0-rc1 < 23.1.0.
  return (ra ?? Infinity) === (rb ?? Infinity)
    ? 0
    : (ra ?? Infinity) < (rb ?? Infinity)
    ? -1
    : 1;
}

function splitRc(v: string): [string, number | undefined] {
  const m = /^(.*)-rc([0-9]+)$/.exec(v);
  return m ? [m[1]!, Number(m[2])] : [v, undefined];
}

/**
 * The `n` versions closest to `wanted` among `versions` (same major first).
 *
 * @example
 * ```ts
 * import { nearestVersions } from "./versions.ts";
 * const n = nearestVersions("11.2.1", ["12.1.0", "11.2.0", "11.3.0", "4.9.4"], 2);
 * if (n.join() !== "11.2.0,11.3.0") throw new Error(n.join());
 * ```
 */
export function nearestVersions(
  wanted: string,
  versions: string[],
  n = 3,
): string[] {
  const score = (v: string): number[] => {
    const a = wanted.split(".").map(Number);
    const b = v.split(".").map(Number);
    return [0, 1, 2].map((i) => Math.abs((a[i] ?? 0) - (b[i] ?? 0)));
  };
  return [...versions].sort((x, y) => {
    const sx = score(x);
    const sy = score(y);
    for (let i = 0; i < 3; i++) {
      const d = sx[i]! - sy[i]!;
      if (d !== 0) return d;
    }
    return compareVersions(x, y);
  }).slice(0, n);
}
