/**
 * SHA-256 and SHA-1 of text or bytes in memory (files and streams:
 * `sha256File`, `fetch/download.ts`, which use the native streaming hash).
 *
 * - `sha256Hex`, `sha1Hex`: synchronous, in plain TypeScript, for what is
 *   short (cache keys, URLs, key packets): ~100 MB/s once warm, but ~20 ms
 *   for the first 300 kB while the JIT warms up.
 * - `sha256HexAsync`: Web Crypto (native, part of Deno's core), for what can
 *   be large (a 300 kB allmodconfig `.config`: ~3 ms).
 *
 * Not `node:crypto`: loading Deno's `node:` layer costs every command that
 * imports it ~40 ms of start.
 *
 * @module
 */

const K256 = new Int32Array([
  0x428a2f98,
  0x71374491,
  0xb5c0fbcf,
  0xe9b5dba5,
  0x3956c25b,
  0x59f111f1,
  0x923f82a4,
  0xab1c5ed5,
  0xd807aa98,
  0x12835b01,
  0x243185be,
  0x550c7dc3,
  0x72be5d74,
  0x80deb1fe,
  0x9bdc06a7,
  0xc19bf174,
  0xe49b69c1,
  0xefbe4786,
  0x0fc19dc6,
  0x240ca1cc,
  0x2de92c6f,
  0x4a7484aa,
  0x5cb0a9dc,
  0x76f988da,
  0x983e5152,
  0xa831c66d,
  0xb00327c8,
  0xbf597fc7,
  0xc6e00bf3,
  0xd5a79147,
  0x06ca6351,
  0x14292967,
  0x27b70a85,
  0x2e1b2138,
  0x4d2c6dfc,
  0x53380d13,
  0x650a7354,
  0x766a0abb,
  0x81c2c92e,
  0x92722c85,
  0xa2bfe8a1,
  0xa81a664b,
  0xc24b8b70,
  0xc76c51a3,
  0xd192e819,
  0xd6990624,
  0xf40e3585,
  0x106aa070,
  0x19a4c116,
  0x1e376c08,
  0x2748774c,
  0x34b0bcb5,
  0x391c0cb3,
  0x4ed8aa4a,
  0x5b9cca4f,
  0x682e6ff3,
  0x748f82ee,
  0x78a5636f,
  0x84c87814,
  0x8cc70208,
  0x90befffa,
  0xa4506ceb,
  0xbef9a3f7,
  0xc67178f2,
]);

/** The message padded to whole 64-byte blocks, as big-endian words. */
function blocks(data: string | Uint8Array): Int32Array {
  const bytes = typeof data === "string"
    ? new TextEncoder().encode(data)
    : data;
  const n = bytes.length;
  const words = new Int32Array((((n + 8) >> 6) + 1) << 4);
  const whole = n & ~3;
  for (let i = 0; i < whole; i += 4) {
    words[i >> 2] = (bytes[i]! << 24) | (bytes[i + 1]! << 16) |
      (bytes[i + 2]! << 8) | bytes[i + 3]!;
  }
  for (let i = whole; i < n; i++) {
    words[i >> 2]! |= bytes[i]! << (24 - (i & 3) * 8);
  }
  words[n >> 2]! |= 0x80 << (24 - (n & 3) * 8);
  words[words.length - 2] = Math.floor(n / 0x20000000);
  words[words.length - 1] = n << 3;
  return words;
}

/**
 * Hex sha256 of text (as UTF-8) or bytes, by Web Crypto.
 *
 * @example
 * ```ts
 * import { sha256HexAsync } from "./digest.ts";
 * if (!(await sha256HexAsync("")).startsWith("e3b0c442")) throw new Error();
 * ```
 */
export async function sha256HexAsync(
  data: string | Uint8Array,
): Promise<string> {
  const bytes = typeof data === "string"
    ? new TextEncoder().encode(data)
    : data;
  const digest = new Uint8Array(
    await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>),
  );
  let out = "";
  for (const b of digest) out += b.toString(16).padStart(2, "0");
  return out;
}

function hex(state: Int32Array): string {
  let out = "";
  for (const w of state) out += (w >>> 0).toString(16).padStart(8, "0");
  return out;
}

/**
 * Hex sha256 of text (as UTF-8) or bytes.
 *
 * @example
 * ```ts
 * import { sha256Hex } from "./digest.ts";
 * if (!sha256Hex("").startsWith("e3b0c442")) throw new Error();
 * ```
 */
export function sha256Hex(data: string | Uint8Array): string {
  const m = blocks(data);
  const h = new Int32Array([
    0x6a09e667,
    0xbb67ae85,
    0x3c6ef372,
    0xa54ff53a,
    0x510e527f,
    0x9b05688c,
    0x1f83d9ab,
    0x5be0cd19,
  ]);
  const w = new Int32Array(64);
  for (let at = 0; at < m.length; at += 16) {
    for (let t = 0; t < 16; t++) w[t] = m[at + t]!;
    for (let t = 16; t < 64; t++) {
      const x = w[t - 15]!, y = w[t - 2]!;
      const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
      const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^
        (y >>> 10);
      w[t] = (w[t - 16]! + s0 + w[t - 7]! + s1) | 0;
    }
    let a = h[0]!, b = h[1]!, c = h[2]!, d = h[3]!;
    let e = h[4]!, f = h[5]!, g = h[6]!, k = h[7]!;
    for (let t = 0; t < 64; t++) {
      const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^
        ((e >>> 25) | (e << 7));
      const t1 = (k + S1 + ((e & f) ^ (~e & g)) + K256[t]! + w[t]!) | 0;
      const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^
        ((a >>> 22) | (a << 10));
      const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      k = g, g = f, f = e, e = (d + t1) | 0;
      d = c, c = b, b = a, a = (t1 + t2) | 0;
    }
    h[0] = h[0]! + a, h[1] = h[1]! + b, h[2] = h[2]! + c, h[3] = h[3]! + d;
    h[4] = h[4]! + e, h[5] = h[5]! + f, h[6] = h[6]! + g, h[7] = h[7]! + k;
  }
  return hex(h);
}

/**
 * Hex sha1 of bytes (OpenPGP v4 fingerprints are SHA-1; nothing else here
 * should use it).
 *
 * @example
 * ```ts
 * import { sha1Hex } from "./digest.ts";
 * if (sha1Hex(new Uint8Array()) !== "da39a3ee5e6b4b0d3255bfef95601890afd80709") {
 *   throw new Error();
 * }
 * ```
 */
export function sha1Hex(data: string | Uint8Array): string {
  const m = blocks(data);
  const h = new Int32Array([
    0x67452301,
    0xefcdab89,
    0x98badcfe,
    0x10325476,
    0xc3d2e1f0,
  ]);
  const w = new Int32Array(80);
  for (let at = 0; at < m.length; at += 16) {
    for (let t = 0; t < 16; t++) w[t] = m[at + t]!;
    for (let t = 16; t < 80; t++) {
      const x = w[t - 3]! ^ w[t - 8]! ^ w[t - 14]! ^ w[t - 16]!;
      w[t] = (x << 1) | (x >>> 31);
    }
    let a = h[0]!, b = h[1]!, c = h[2]!, d = h[3]!, e = h[4]!;
    for (let t = 0; t < 80; t++) {
      const [f, k] = t < 20
        ? [(b & c) | (~b & d), 0x5a827999]
        : t < 40
        ? [b ^ c ^ d, 0x6ed9eba1]
        : t < 60
        ? [(b & c) | (b & d) | (c & d), 0x8f1bbcdc]
        : [b ^ c ^ d, 0xca62c1d6];
      const tmp = (((a << 5) | (a >>> 27)) + f + e + k + w[t]!) | 0;
      e = d, d = c, c = (b << 30) | (b >>> 2), b = a, a = tmp;
    }
    h[0] = h[0]! + a, h[1] = h[1]! + b, h[2] = h[2]! + c;
    h[3] = h[3]! + d, h[4] = h[4]! + e;
  }
  return hex(h);
}
