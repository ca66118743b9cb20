/**
 * GNU `sort -V` order (gnulib filevercmp), which make.cross uses to pick the
 * newest installed toolchain from a glob.
 *
 * @module
 */

function order(c: string): number {
  if (c === "") return 0;
  if (/[0-9]/.test(c)) return 0;
  if (/[A-Za-z]/.test(c)) return c.charCodeAt(0);
  if (c === "~") return -1;
  return c.charCodeAt(0) + 256;
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= "0" && c <= "9";
}

/** gnulib verrevcmp: digit runs compare as numbers, the rest per `order`. */
function verrevcmp(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    let firstDiff = 0;
    while (
      (i < a.length && !isDigit(a[i])) || (j < b.length && !isDigit(b[j]))
    ) {
      const ac = i < a.length ? order(a[i]!) : 0;
      const bc = j < b.length ? order(b[j]!) : 0;
      if (ac !== bc) return ac - bc;
      i++;
      j++;
    }
    while (a[i] === "0") i++;
    while (b[j] === "0") j++;
    while (isDigit(a[i]) && isDigit(b[j])) {
      if (!firstDiff) firstDiff = a.charCodeAt(i) - b.charCodeAt(j);
      i++;
      j++;
    }
    if (isDigit(a[i])) return 1;
    if (isDigit(b[j])) return -1;
    if (firstDiff) return firstDiff;
  }
  return 0;
}

const SUFFIX = /(\.[A-Za-z~][A-Za-z0-9~]*)*$/;

/**
 * Compares two strings the way `sort -V` does.
 *
 * @returns negative, zero or positive, as for `Array.prototype.sort`
 * @example
 * ```ts
 * import { compareVersionSort } from "./version_sort.ts";
 * const v = ["gcc-9.3.0", "gcc-13.2.0", "gcc-11.2.0"].sort(compareVersionSort);
 * if (v.join() !== "gcc-9.3.0,gcc-11.2.0,gcc-13.2.0") throw new Error(v.join());
 * ```
 */
export function compareVersionSort(a: string, b: string): number {
  if (a === b) return 0;
  const as = a.replace(SUFFIX, "");
  const bs = b.replace(SUFFIX, "");
  const r = verrevcmp(as, bs);
  if (r !== 0) return r;
  const whole = verrevcmp(a, b);
  if (whole !== 0) return whole;
  return a < b ? -1 : 1;
}

/**
 * The last element in `sort -V` order (make.cross's `sort -V | tail -1`).
 *
 * @example
 * ```ts
 * import { lastByVersion } from "./version_sort.ts";
 * if (lastByVersion(["llvm-9.0.1", "llvm-17.0.6", "llvm-16.0.6"]) !== "llvm-17.0.6") throw new Error();
 * if (lastByVersion([]) !== undefined) throw new Error();
 * ```
 */
export function lastByVersion(items: string[]): string | undefined {
  return [...items].sort(compareVersionSort).at(-1);
}
