/**
 * kernel.org's per-directory `sha256sums.asc`: a (clear-signed) list of
 * `<sha256>  <file>` lines. Parsed here; the signature is checked with `gpgv`
 * when a keyring is configured.
 *
 * @module
 */
import { InfraError } from "../errors.ts";
import { runCaptured } from "../proc/run_captured.ts";
import { parseGpgvStatus } from "./verify_stream.ts";

/**
 * Parses checksum lines (`<64 hex>  <name>` or `<64 hex> *<name>`), ignoring
 * PGP armour and anything else.
 *
 * @returns file name → lower-case sha256
 * @example
 * ```ts
 * import { parseSha256Sums } from "./checksums.ts";
 * const h = "a".repeat(64);
 * const m = parseSha256Sums(`-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n${h}  x.tar.xz\n`);
 * if (m.get("x.tar.xz") !== h) throw new Error();
 * ```
 */
export function parseSha256Sums(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let inSignature = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith("-----BEGIN PGP SIGNATURE")) inSignature = true;
    if (line.startsWith("-----END PGP SIGNATURE")) inSignature = false;
    if (inSignature) continue;
    const m = /^([0-9a-fA-F]{64})\s+\*?(?:\.\/)?(\S+)$/.exec(line);
    if (m) out.set(m[2]!, m[1]!.toLowerCase());
  }
  return out;
}

/**
 * Checks a clear-signed file's signature with `gpgv --keyring <keyring>`.
 *
 * @param shown how to name the file in messages (its URL)
 * @returns the signer's primary key fingerprint
 * @throws {InfraError} when the signature does not verify
 */
export async function verifySignature(
  file: string,
  keyring: string,
  shown: string = file,
): Promise<string> {
  let r;
  try {
    r = await runCaptured([
      "gpgv",
      "--keyring",
      keyring,
      "--status-fd",
      "1",
      file,
    ]);
  } catch (error) {
    throw new InfraError(`Cannot run "gpgv" to check "${file}"`, {
      cause: error,
      hint: "install gpgv (apt-get install gpgv), or unset KCROSS_GPG_KEYRING",
    });
  }
  const v = parseGpgvStatus(r.stdout, r.code, r.stderr);
  if (!v.good) {
    throw new InfraError(
      `Bad signature on checksum list ${shown}: ${v.detail}; nothing was installed`,
      {
        hint: v.detail.includes("does not trust")
          ? "if the signing key changed, add the new key after checking it: kcross toolchain trust KEYFILE"
          : "the mirror may be compromised; retry later or use another mirror (--mirror URL)",
      },
    );
  }
  return v.fingerprint ?? "?";
}
