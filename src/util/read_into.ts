/**
 * Reading a byte stream into buffers the caller owns and reuses, instead of
 * one fresh buffer per network chunk: for a 100 MB download the fresh
 * buffers (and their page faults) cost more CPU than the network itself.
 *
 * A byte stream (`fetch`'s body) is read with a BYOB reader, straight into
 * the caller's buffer; any other stream is read with the default reader and
 * copied, keeping what did not fit for the next call.
 *
 * @module
 */

/** Reads into caller-owned memory. */
export interface IntoReader {
  /**
   * Reads at least one byte into `buf` from `at` on. BYOB reads detach the
   * buffer they are given, so the caller continues with the returned `buf`
   * (the same memory, re-wrapped); `n` is 0 only at the end of the stream.
   */
  readInto(
    buf: Uint8Array<ArrayBuffer>,
    at: number,
  ): Promise<{ buf: Uint8Array<ArrayBuffer>; n: number }>;
  release(): void;
  /** Whether reads go straight into the caller's buffers. */
  readonly byob: boolean;
}

/** An {@link IntoReader} over `stream`, BYOB when the stream allows it. */
export function readerInto(
  stream: ReadableStream<Uint8Array>,
): IntoReader {
  let byob: ReadableStreamBYOBReader | undefined;
  try {
    byob = stream.getReader({ mode: "byob" });
  } catch {
    // Not a byte stream: copy from the default reader below.
  }
  if (byob) {
    const r = byob;
    return {
      async readInto(buf, at) {
        const got = await r.read(buf.subarray(at));
        // Even the final, empty read hands the memory back; only a
        // cancelled stream keeps it.
        const view = got.value as Uint8Array<ArrayBuffer> | undefined;
        if (!view) throw new Error("the stream was cancelled");
        return {
          buf: new Uint8Array(view.buffer),
          n: got.done ? 0 : view.length,
        };
      },
      release: () => r.releaseLock(),
      byob: true,
    };
  }
  const reader = stream.getReader();
  let left: Uint8Array | undefined;
  return {
    async readInto(buf, at) {
      while (!left?.length) {
        const got = await reader.read();
        if (got.done) return { buf, n: 0 };
        left = got.value;
      }
      const n = Math.min(left.length, buf.length - at);
      buf.set(left.subarray(0, n), at);
      left = left.subarray(n);
      return { buf, n };
    },
    release: () => reader.releaseLock(),
    byob: false,
  };
}
