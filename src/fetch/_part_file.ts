/**
 * The resumable `.part` file of a download: its size, the metadata beside
 * it (`<part>.json`: which URL and version of it the bytes are a prefix
 * of), replaying its bytes into a restarted sink, and removing it.
 *
 * @module
 */
import type { Hash } from "node:crypto";
import { InfraError } from "../errors.ts";

/** What `<part>.json` records about the bytes in `<part>`. */
export interface PartMeta {
  url: string;
  etag: string | null;
  lastModified: string | null;
}

/** The size of `path`, 0 when it does not exist. */
export function partSize(path: string): number {
  try {
    return Deno.statSync(path).size;
  } catch {
    return 0;
  }
}

/** `<part>.json`, or undefined when absent or unreadable. */
export function readPartMeta(part: string): PartMeta | undefined {
  try {
    return JSON.parse(Deno.readTextFileSync(`${part}.json`));
  } catch {
    return undefined;
  }
}

/** Removes a partial download and its metadata. */
export function discardPart(part: string): void {
  for (const p of [part, `${part}.json`]) {
    try {
      Deno.removeSync(p);
    } catch { /* absent */ }
  }
}

/** Writes all of `bytes` to `file`. */
export function writeAllSync(file: Deno.FsFile, bytes: Uint8Array): void {
  let off = 0;
  while (off < bytes.length) off += file.writeSync(bytes.subarray(off));
}

/** Feeds `part`'s first `upTo` bytes to `hash` and `sink`, in order. */
export async function replayPart(
  part: string,
  upTo: number,
  sink: { write(chunk: Uint8Array): Promise<void> },
  hash: Hash,
): Promise<void> {
  using f = await Deno.open(part);
  let left = upTo;
  const buf = new Uint8Array(1 << 20);
  while (left > 0) {
    const n = await f.read(buf.subarray(0, Math.min(buf.length, left)));
    if (n === null) break;
    // The sink is done with the buffer once its write resolves.
    const chunk = buf.subarray(0, n);
    hash.update(chunk);
    await sink.write(chunk);
    left -= n;
  }
}

/** A fresh `size`-byte buffer starting with `part`'s bytes `[end - n, end)`. */
export async function partTail(
  part: string,
  end: number,
  n: number,
  size: number,
): Promise<Uint8Array<ArrayBuffer>> {
  const buf = new Uint8Array(size);
  using f = await Deno.open(part);
  await f.seek(end - n, Deno.SeekMode.Start);
  let at = 0;
  while (at < n) {
    const got = await f.read(buf.subarray(at, n));
    if (got === null) throw new InfraError(`"${part}" shrank while in use`);
    at += got;
  }
  return buf;
}
