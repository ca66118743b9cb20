/**
 * One pass over a toolchain archive: the compressed bytes go to a
 * decompressor (`xz -dc` / `gzip -dc`) whose output, the uncompressed tar, is
 * teed to `tar -xf -` and, when a detached `.tar.sign` is known, to
 * `gpgv --keyring K <sig> -` (kernel.org signs the uncompressed tar, as
 * TuxMake checks with `xz -dc … | gpgv`). Nothing is read twice, and the
 * uncompressed bytes go from child to child by kernel pipes (kcross relaying
 * them cost more CPU than gpgv itself); the signature verdict is ready when
 * tar is done.
 *
 * @module
 */
import { tarArgv, type TarSink } from "./extract.ts";
import { spawnTeePipeline } from "../proc/mod.ts";

/** What gpgv said about the signature. */
export interface SignatureVerdict {
  good: boolean;
  /** Primary key fingerprint of the signer (from `VALIDSIG`), when good. */
  fingerprint: string | null;
  /** The signer's key had expired (still a valid signature, said so). */
  expiredKey: boolean;
  /** gpgv's last line when not good. */
  detail: string;
}

/** A running decompress → tar (+ gpgv) pipeline. */
export interface VerifiedTarSink extends TarSink {
  /** Resolves after `done` with gpgv's verdict (null when no signature). */
  signature: Promise<SignatureVerdict | null>;
}

/** Options of `startVerifiedTar`. */
export interface VerifiedTarOptions {
  /** How the archive is compressed. */
  compression: "xz" | "gz";
  /** Detached signature file and the keyring to check it against. */
  signature?: { file: string; keyring: string };
  /**
   * The most uncompressed bytes accepted (a decompression bomb is cut off
   * while it streams); needs perl, as the tee stage counts.
   */
  maxBytes?: number;
}

/**
 * Parses gpgv's `--status-fd` lines.
 *
 * @example
 * ```ts
 * import { parseGpgvStatus } from "./verify_stream.ts";
 * const v = parseGpgvStatus("[GNUPG:] GOODSIG 60AB47FFC9095227 Arnd\n[GNUPG:] VALIDSIG A3AF 2024-01-01 1 0 4 0 1 10 01 88AFCD206B1611957187F16B60AB47FFC9095227\n", 0, "");
 * if (!v.good || v.fingerprint !== "88AFCD206B1611957187F16B60AB47FFC9095227") throw new Error();
 * ```
 */
export function parseGpgvStatus(
  status: string,
  code: number,
  stderr: string,
): SignatureVerdict {
  const lines = status.split("\n");
  const valid = lines.find((l) => l.startsWith("[GNUPG:] VALIDSIG "));
  const good = lines.some((l) => /^\[GNUPG:\] (GOODSIG|EXPKEYSIG) /.test(l));
  const bad = lines.some((l) =>
    /^\[GNUPG:\] (BADSIG|ERRSIG|REVKEYSIG|NO_PUBKEY) /.test(l)
  );
  const fields = valid?.trim().split(/\s+/) ?? [];
  const fingerprint = fields.length > 2 ? fields[fields.length - 1]! : null;
  const ok = code === 0 && good && !bad && !!valid;
  const last = stderr.trim().split("\n").filter((l) => l).pop() ?? "";
  return {
    good: ok,
    fingerprint: ok ? fingerprint : null,
    expiredKey: lines.some((l) => l.startsWith("[GNUPG:] EXPKEYSIG ")),
    detail: ok
      ? ""
      : lines.some((l) => l.startsWith("[GNUPG:] NO_PUBKEY "))
      ? "signed by a key kcross does not trust"
      : lines.some((l) => l.startsWith("[GNUPG:] BADSIG "))
      ? "BAD signature (the data does not match it)"
      : last.replace(/^gpgv: /, "") || `gpgv exited with ${code}`,
  };
}

/**
 * Starts the pipeline into `dest`: kcross writes the compressed bytes to the
 * decompressor; its output reaches tar (and gpgv, through `tee`) by kernel
 * pipes, never through kcross (`spawnTeePipeline`).
 *
 * @example
 * ```ts ignore
 * const sink = await startVerifiedTar("/tmp/x", { compression: "xz", signature: { file: "a.tar.sign", keyring: "k.gpg" } });
 * await sink.writer.write(bytes); await sink.writer.close();
 * const t = await sink.done; const sig = await sink.signature;
 * ```
 *
 * @throws {CommandNotFoundError} when xz/gzip, tar, tee or gpgv is missing
 */
export async function startVerifiedTar(
  dest: string,
  options: VerifiedTarOptions,
): Promise<VerifiedTarSink> {
  const p = await spawnTeePipeline(
    options.compression === "xz" ? ["xz", "-dc"] : ["gzip", "-dc"],
    tarArgv(dest),
    options.signature
      ? {
        argv: [
          "gpgv",
          "--keyring",
          options.signature.keyring,
          "--status-fd",
          "1",
          options.signature.file,
          "-",
        ],
        stdout: true,
      }
      : undefined,
    options.maxBytes ? { maxBytes: options.maxBytes } : {},
  );
  const done = (async () => {
    const [d, tee, t] = await Promise.all([p.source, p.tee, p.main]);
    const stderr = [d.stderr, tee?.stderr ?? "", t.stderr].filter((s) =>
      s.trim()
    ).join("\n");
    return {
      success: d.success && t.success && (tee?.success ?? true),
      stderr,
    };
  })();
  const signature = (async () => {
    if (!p.side) return null;
    await done;
    const g = await p.side;
    return parseGpgvStatus(g.stdout, g.code ?? -1, g.stderr);
  })();
  return { writer: p.writer, done, signature, kill: p.kill };
}
