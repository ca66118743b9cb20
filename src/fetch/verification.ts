/**
 * What a toolchain install was verified by: the detached `.tar.sign`
 * (fetched small and capped into the install's staging parent for gpgv) and the text of the
 * status recorded in the marker and shown by `toolchain list --installed`.
 *
 * @module
 */
import type { Expected } from "./_sources.ts";
import { fetchSmallText } from "./listing.ts";
import { IntegrityError, NOTHING } from "./install_failures.ts";

/** What fetching the signature needs of the install options. */
export interface SignatureFetchOptions {
  signal?: AbortSignal;
  download?: { headersTimeoutMs?: number; fetchImpl?: typeof fetch };
}

/**
 * Downloads a `.tar.sign` (small, capped) into `file` (a `stagingPath()`:
 * the next install removes it even when this one is killed).
 */
export async function fetchSignature(
  url: string,
  file: string,
  options: SignatureFetchOptions,
): Promise<string> {
  const text = await fetchSmallText(url, {
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.download?.headersTimeoutMs
      ? { headersTimeoutMs: options.download.headersTimeoutMs }
      : {}),
    ...(options.download?.fetchImpl
      ? { fetchImpl: options.download.fetchImpl }
      : {}),
    maxBytes: 64 * 1024,
  });
  if (text === undefined) {
    throw new IntegrityError(
      `The mirror lists ${url} but answers 404 for it; ${NOTHING}`,
      {
        hint:
          "the mirror's listing disagrees with its files; retry later or use another mirror (--mirror URL)",
      },
    );
  }
  await Deno.writeTextFile(file, text, { mode: 0o600 });
  return file;
}

/**
 * The user-facing verification status of an install.
 *
 * @example
 * ```ts
 * import { verificationText } from "./verification.ts";
 * const t = verificationText({ good: true, fingerprint: "88AF", expiredKey: false }, { sha256: "a", verifiedBy: "pin" });
 * if (t !== "signature: good 88AF; sha256: ok (pin)") throw new Error(t);
 * ```
 */
export function verificationText(
  sig:
    | { good: boolean; fingerprint: string | null; expiredKey: boolean }
    | null,
  expected: Expected,
): string {
  const parts: string[] = [];
  if (sig?.good) {
    parts.push(
      `signature: good ${sig.fingerprint ?? "?"}${
        sig.expiredKey ? " (key expired since)" : ""
      }`,
    );
  }
  if (expected.sha256) {
    parts.push(
      `sha256: ok (${
        expected.signedBy
          ? `sha256sums.asc signed by ${expected.signedBy}`
          : expected.verifiedBy
      })`,
    );
  }
  return parts.length
    ? parts.join("; ")
    : `unverified (${expected.why ?? "no signature, checksum or pin"})`;
}
