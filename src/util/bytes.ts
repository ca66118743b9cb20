/**
 * Joining byte chunks read from a stream (a download, a child's output).
 *
 * @module
 */

/**
 * `parts` joined into one array. With `size`, the result has that many
 * bytes and a part that would run past it ends the copy (a capped reader
 * passes the size it kept).
 *
 * @example
 * ```ts
 * import { concatBytes } from "./bytes.ts";
 * const b = concatBytes([new Uint8Array([1, 2]), new Uint8Array([3])]);
 * if (b.join(",") !== "1,2,3") throw new Error(b.join(","));
 * ```
 */
export function concatBytes(
  parts: readonly Uint8Array[],
  size: number = parts.reduce((n, p) => n + p.length, 0),
): Uint8Array {
  const out = new Uint8Array(size);
  let off = 0;
  for (const p of parts) {
    if (off + p.length > size) break;
    out.set(p, off);
    off += p.length;
  }
  return out;
}
