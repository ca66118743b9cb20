/**
 * The OpenPGP keys kcross trusts for toolchain downloads: the ones shipped in
 * `toolchains/keys/<fingerprint>.asc` (pinned in `toolchains/keys.json`) and
 * the ones a user added with `kcross toolchain trust FILE` (in
 * `$KCROSS_STATE_DIR/keys/`), joined into one binary keyring for `gpgv`.
 *
 * @module
 */
import keysData from "../../toolchains/keys.json" with { type: "json" };
import { UserError } from "../errors.ts";
import { cacheDir, type EnvReader, stateDir } from "../paths.ts";
import { concatBytes } from "../util/bytes.ts";
import { sha1Hex, sha256Hex } from "../util/digest.ts";

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

/** One OpenPGP packet: its tag and body. */
interface Packet {
  tag: number;
  body: Uint8Array;
}

/**
 * Splits binary OpenPGP data into packets (old and new headers; the
 * partial lengths keys never use end the walk).
 *
 * @returns the packets, or null when the data is not a packet sequence
 */
function packetsOf(data: Uint8Array): Packet[] | null {
  const out: Packet[] = [];
  let at = 0;
  while (at < data.length) {
    const first = data[at]!;
    if ((first & 0x80) === 0) return null;
    let tag: number;
    let len: number;
    let off: number;
    const b = (i: number) => data[at + i] ?? 0;
    const u32 = (i: number) =>
      ((b(i) << 24) | (b(i + 1) << 16) | (b(i + 2) << 8) | b(i + 3)) >>> 0;
    if (first & 0x40) {
      tag = first & 0x3f;
      const l0 = b(1);
      if (l0 < 192) [len, off] = [l0, 2];
      else if (l0 < 224) [len, off] = [((l0 - 192) << 8) + b(2) + 192, 3];
      else if (l0 === 255) [len, off] = [u32(2), 6];
      else return null;
    } else {
      tag = (first >> 2) & 0x0f;
      const t = first & 3;
      if (t === 0) [len, off] = [b(1), 2];
      else if (t === 1) [len, off] = [(b(1) << 8) | b(2), 3];
      else if (t === 2) [len, off] = [u32(1), 5];
      else return null;
    }
    if (at + off + len > data.length) return null;
    out.push({ tag, body: data.subarray(at + off, at + off + len) });
    at += off + len;
  }
  return out;
}

function v4Fingerprint(body: Uint8Array): string {
  const framed = new Uint8Array(body.length + 3);
  framed.set([0x99, (body.length >> 8) & 0xff, body.length & 0xff]);
  framed.set(body, 3);
  return sha1Hex(framed).toUpperCase();
}

/**
 * The v4 fingerprints of every primary key in OpenPGP data: a key file a
 * user trusts must hold exactly one, since gpgv trusts every key in its
 * keyring (a pinned key with a second one appended is two trusted keys).
 *
 * @returns 40 upper-case hex digits per primary public key packet (secret
 *   key packets count too, as `SECRET`), or null when the data is no packet
 *   sequence or holds a key that is not v4
 * @example
 * ```ts
 * import { primaryFingerprints } from "./keys.ts";
 * if (primaryFingerprints(Uint8Array.of(0x41)) !== null) throw new Error();
 * ```
 */
export function primaryFingerprints(data: Uint8Array): string[] | null {
  const packets = packetsOf(data);
  if (!packets) return null;
  const out: string[] = [];
  for (const p of packets) {
    if (p.tag === 5) out.push("SECRET");
    if (p.tag !== 6) continue;
    if (p.body[0] !== 4) return null;
    out.push(v4Fingerprint(p.body));
  }
  return out;
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
  const all = concatBytes(parts);
  const digest = sha256Hex(all).slice(0, 16);
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
  const fprs = primaryFingerprints(dearmor(bytes));
  const fpr = fprs?.[0];
  if (!fprs || !fpr || fpr === "SECRET") {
    throw new UserError(`No OpenPGP v4 public key in "${file}"`, {
      hint: "export it with: gpg --armor --export <fingerprint> > key.asc",
    });
  }
  if (fprs.length > 1) {
    // gpgv trusts every key of its keyring: one vouched-for fingerprint
    // must not carry others in.
    throw new UserError(
      `Key file "${file}" holds ${fprs.length} keys (${
        fprs.join(", ")
      }); kcross trusts one key per file`,
      {
        hint:
          "export the one key alone: gpg --armor --export <fingerprint> > key.asc",
      },
    );
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
