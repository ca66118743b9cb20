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

/**
 * Reads `stream` into one array, stopping (and cancelling it) as soon as it
 * passes `max` bytes: `/dev/zero`, a FIFO or `<(curl …)` has no size to
 * check first.
 *
 * @returns the bytes, or null when the stream is longer than `max`
 * @example
 * ```ts
 * import { readCapped } from "./bytes.ts";
 * const s = () => new Blob(["abcd"]).stream();
 * if ((await readCapped(s(), 4))?.length !== 4) throw new Error();
 * if (await readCapped(s(), 3) !== null) throw new Error();
 * ```
 */
export async function readCapped(
  stream: ReadableStream<Uint8Array>,
  max: number,
): Promise<Uint8Array | null> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return concatBytes(chunks, size);
      size += value.length;
      if (size > max) {
        await reader.cancel().catch(() => {});
        return null;
      }
      chunks.push(value);
    }
  } finally {
    reader.releaseLock();
  }
}
