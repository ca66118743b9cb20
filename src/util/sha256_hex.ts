/**
 * The sha256 of text or bytes in memory (files: `sha256File`).
 *
 * @module
 */
import { createHash } from "node:crypto";

/**
 * Hex sha256 of text or bytes.
 *
 * @example
 * ```ts
 * import { sha256Hex } from "./sha256_hex.ts";
 * if (!sha256Hex("").startsWith("e3b0c442")) throw new Error();
 * ```
 */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}
