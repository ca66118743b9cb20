/**
 * Streaming digests with the native hash, for files and downloads (data in
 * memory: `digest.ts`). `node:crypto` loads on first use, not at import, so
 * commands that never stream a digest do not pay for Deno's `node:` layer.
 *
 * @module
 */
import type { Hash } from "node:crypto";

/** A new streaming sha256 (`update` chunks, then `digest("hex")`). */
export async function sha256Stream(): Promise<Hash> {
  const { createHash } = await import("node:crypto");
  return createHash("sha256");
}

/** The sha256 of the file at `path`, as lowercase hex (read in 1 MiB chunks). */
export async function sha256File(path: string): Promise<string> {
  const h = await sha256Stream();
  using f = await Deno.open(path);
  const buf = new Uint8Array(1 << 20);
  for (;;) {
    const n = await f.read(buf);
    if (n === null) break;
    h.update(buf.subarray(0, n));
  }
  return h.digest("hex");
}
