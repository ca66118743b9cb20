/**
 * Atomic file writes: write `<path>.tmp`, then rename over `<path>`, so a
 * reader (or a crash) sees the old content or the new one, never a half.
 *
 * @module
 */
import { createHash } from "node:crypto";

/**
 * Writes `data` to `path` atomically.
 *
 * @param path destination
 * @param data text or bytes
 *
 * @example
 * ```ts
 * import { writeFileAtomic } from "./atomic.ts";
 * const dir = Deno.makeTempDirSync();
 * await writeFileAtomic(`${dir}/a.json`, "{}");
 * if (Deno.readTextFileSync(`${dir}/a.json`) !== "{}") throw new Error();
 * Deno.removeSync(dir, { recursive: true });
 * ```
 */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
): Promise<void> {
  const tmp = `${path}.tmp`;
  if (typeof data === "string") await Deno.writeTextFile(tmp, data);
  else await Deno.writeFile(tmp, data);
  await Deno.rename(tmp, path);
}

/** Writes `value` as pretty JSON (with a final newline) atomically. */
export function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  return writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}

/**
 * Hex sha256 of text or bytes.
 *
 * @example
 * ```ts
 * import { sha256Hex } from "./atomic.ts";
 * if (!sha256Hex("").startsWith("e3b0c442")) throw new Error();
 * ```
 */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}
