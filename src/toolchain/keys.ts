/**
 * The OpenPGP keys kcross trusts for toolchain downloads: the ones shipped in
 * `toolchains/keys/<fingerprint>.asc` (pinned in `toolchains/keys.json`) and
 * the ones a user added with `kcross toolchain trust FILE` (in
 * `$KCROSS_STATE_DIR/keys/`), joined into one binary keyring for `gpgv`.
 *
 * @module
 */
import { createHash } from "node:crypto";
import keysData from "../../toolchains/keys.json" with { type: "json" };
import { UserError } from "../errors.ts";
import { cacheDir, type EnvReader, stateDir } from "../paths.ts";

const SHIPPED = new URL("../../toolchains/keys/", import.meta.url);

/** Fingerprints kcross pins, with whose key and what it signs. */
export const PINNED_KEYS: Record<string, { name: string; signs: string }> =
  keysData.keys;

/**
 * Decodes an ASCII-armored OpenPGP block (or returns binary input as is).
 *
 * @throws {UserError} when armored text has no key block
 */
export function dearmor(input: Uint8Array): Uint8Array {
  const text = new TextDecoder("utf-8", { fatal: false }).decode(input);
  const m =
    /-----BEGIN PGP PUBLIC KEY BLOCK-----\r?\n(?:[^\r\n]+\r?\n)*?\r?\n([\s\S]*?)-----END PGP PUBLIC KEY BLOCK-----/
      .exec(text);
  if (!m) {
    if (input[0] !== undefined && (input[0] & 0x80) !== 0) return input;
    throw new UserError("Not an OpenPGP public key", {
      hint:
        "give an armored key (-----BEGIN PGP PUBLIC KEY BLOCK-----) or a binary export",
    });
  }
  const body = m[1]!.split(/\r?\n/).filter((l) => l && !l.startsWith("="))
    .join("");
  const bin = atob(body);
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

/**
 * The v4 fingerprint of the first (primary) public key packet.
 *
 * @returns 40 upper-case hex digits, or null when the data holds no v4 key
 */
export function primaryFingerprint(packets: Uint8Array): string | null {
  const first = packets[0];
  if (first === undefined || (first & 0x80) === 0) return null;
  let tag: number;
  let len: number;
  let off: number;
  if (first & 0x40) {
    tag = first & 0x3f;
    const l0 = packets[1] ?? 0;
    if (l0 < 192) [len, off] = [l0, 2];
    else if (l0 < 224) {
      [len, off] = [((l0 - 192) << 8) + (packets[2] ?? 0) + 192, 3];
    } else if (l0 === 255) {
      len = ((packets[2]! << 24) | (packets[3]! << 16) | (packets[4]! << 8) |
        packets[5]!) >>> 0;
      off = 6;
    } else return null;
  } else {
    tag = (first >> 2) & 0x0f;
    const t = first & 3;
    if (t === 0) [len, off] = [packets[1] ?? 0, 2];
    else if (t === 1) {
      [len, off] = [((packets[1] ?? 0) << 8) | (packets[2] ?? 0), 3];
    } else if (t === 2) {
      len = ((packets[1]! << 24) | (packets[2]! << 16) | (packets[3]! << 8) |
        packets[4]!) >>> 0;
      off = 5;
    } else return null;
  }
  if (tag !== 6 || packets[off] !== 4 || off + len > packets.length) {
    return null;
  }
  const body = packets.subarray(off, off + len);
  const h = createHash("sha1");
  h.update(Uint8Array.of(0x99, (len >> 8) & 0xff, len & 0xff));
  h.update(body);
  return h.digest("hex").toUpperCase();
}

function userKeyDir(env?: EnvReader): string {
  return `${stateDir(env)}/keys`;
}

function keyFiles(dir: string | URL): Uint8Array[] {
  const out: Uint8Array[] = [];
  try {
    for (
      const e of [...Deno.readDirSync(dir)].sort((a, b) =>
        a.name < b.name ? -1 : 1
      )
    ) {
      if (!e.isFile || !/\.(asc|gpg)$/.test(e.name)) continue;
      out.push(
        dearmor(
          Deno.readFileSync(
            new URL(e.name, dir instanceof URL ? dir : `file://${dir}/`),
          ),
        ),
      );
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return out;
}

/**
 * A binary keyring of every trusted key (shipped and user-added), written
 * once per content into the cache.
 *
 * @returns the keyring path for `gpgv --keyring`
 */
export function trustedKeyring(env?: EnvReader): string {
  const parts = [...keyFiles(SHIPPED), ...keyFiles(userKeyDir(env))];
  const total = parts.reduce((n, p) => n + p.length, 0);
  const all = new Uint8Array(total);
  let off = 0;
  for (const p of parts) {
    all.set(p, off);
    off += p.length;
  }
  const digest = createHash("sha256").update(all).digest("hex").slice(0, 16);
  const dir = `${cacheDir(env)}/keyring`;
  const path = `${dir}/trusted-${digest}.gpg`;
  try {
    Deno.statSync(path);
    return path;
  } catch { /* write it */ }
  Deno.mkdirSync(dir, { recursive: true });
  const tmp = `${path}.${crypto.randomUUID()}.tmp`;
  Deno.writeFileSync(tmp, all);
  Deno.renameSync(tmp, path);
  return path;
}

/** What `trustKey` did. */
export interface TrustResult {
  fingerprint: string;
  path: string;
  pinned: boolean;
}

/**
 * Adds a public key to the user's trusted keys after checking its
 * fingerprint: it must be one kcross pins (a refreshed copy of Arnd
 * Bergmann's or the kernel.org autosigner's key), or the `expected` one the
 * user names.
 *
 * @throws {UserError} unreadable key, or a fingerprint nobody vouched for
 */
export function trustKey(
  file: string,
  options: { expected?: string; env?: EnvReader } = {},
): TrustResult {
  let bytes: Uint8Array;
  try {
    bytes = Deno.readFileSync(file);
  } catch {
    throw new UserError(`Cannot read key file "${file}"`);
  }
  const fpr = primaryFingerprint(dearmor(bytes));
  if (!fpr) {
    throw new UserError(`No OpenPGP v4 public key in "${file}"`, {
      hint: "export it with: gpg --armor --export <fingerprint> > key.asc",
    });
  }
  const expected = options.expected?.replace(/\s+/g, "").toUpperCase();
  const pinned = fpr in PINNED_KEYS;
  if (expected ? expected !== fpr : !pinned) {
    throw new UserError(
      `Key in "${file}" has fingerprint ${fpr}, ${
        expected ? `not the expected ${expected}` : "which kcross does not pin"
      }`,
      {
        hint: `pinned: ${
          Object.entries(PINNED_KEYS).map(([f, k]) => `${f} (${k.name})`).join(
            ", ",
          )
        }; to trust another key, name its fingerprint: kcross toolchain trust ${file} --fingerprint <40 hex digits>`,
      },
    );
  }
  const dir = userKeyDir(options.env);
  Deno.mkdirSync(dir, { recursive: true });
  const path = `${dir}/${fpr}.asc`;
  const tmp = `${path}.${crypto.randomUUID()}.tmp`;
  Deno.writeFileSync(tmp, bytes);
  Deno.renameSync(tmp, path);
  return { fingerprint: fpr, path, pinned };
}
