/**
 * Streaming file digests.
 *
 * @module
 */
import { createHash } from "node:crypto";

/** The sha256 of the file at `path`, as lowercase hex (read in 1 MiB chunks). */
export async function sha256File(path: string): Promise<string> {
  const h = createHash("sha256");
  using f = await Deno.open(path);
  const buf = new Uint8Array(1 << 20);
  for (;;) {
    const n = await f.read(buf);
    if (n === null) break;
    h.update(buf.subarray(0, n));
  }
  return h.digest("hex");
}
