/**
 * Carrying out a `FetchPlan`: lock, download (streaming, resumable) piped
 * into the one-pass decompress → tar (+ gpgv with a `.tar.sign`) pipeline
 * of `verify_stream.ts` in a staging dir, verify the sha256 and the
 * signature, check the tree is safe, write the marker,
 * rename into place. A failure or a kill at
 * any point leaves the install root as it was.
 *
 * @module
 */
import type { Output } from "../util/output.ts";
import { InfraError, UserError } from "../errors.ts";
import { exists, isExecutable } from "../util/fs.ts";
import { type InstallMarker, MARKER, readMarker } from "./marker.ts";
import { type Expected, expectedDigest, notOnMirrors } from "./_sources.ts";
import {
  type DownloadOptions,
  NotFoundError,
  SinkError,
  streamDownload,
} from "./download.ts";
import { discardPart } from "./_part_file.ts";
import { assertSafe, classifyTarFailure } from "./extract.ts";
import { acquireFileLock } from "../util/mod.ts";
import {
  IntegrityError,
  NOTHING,
  RejectedArchive,
  tarError,
} from "./install_failures.ts";
import { fetchSignature, verificationText } from "./verification.ts";
import { cleanStaleStaging, stagingPath } from "./staging.ts";
import {
  isRealDir,
  keepArchive,
  keptArchivePath,
  moveIntoPlace,
} from "./into_place.ts";
import { startVerifiedTar, type VerifiedTarSink } from "./verify_stream.ts";
import type { FetchPlan, FetchSource } from "./types.ts";
import { progressFor } from "./progress.ts";

/** Options of `installToolchain`. */
export interface InstallOptions {
  /** Messages and progress (none when absent). */
  out?: Output;
  signal?: AbortSignal;
  /**
   * gpgv keyring for `.tar.sign` and `sha256sums.asc` (else
   * `KCROSS_GPG_KEYRING`; the toolchain layer passes kcross's trusted keys).
   */
  keyring?: string;
  /** Install even when no checksum is published or pinned. */
  allowUnverified?: boolean;
  download?: Omit<DownloadOptions, "signal" | "onProgress">;
  /**
   * The most uncompressed bytes an archive may unpack to (default
   * {@link MAX_UNPACKED_BYTES}); cut off while streaming.
   */
  maxUnpackedBytes?: number;
}

/**
 * The unpacked-size cap, far above any real toolchain (a gcc crosstool
 * unpacks to under 1 GiB, an LLVM release to a few GiB).
 */
export const MAX_UNPACKED_BYTES = 16 * 1024 ** 3;

/** An installed toolchain and where it came from. */
export interface InstallResult {
  dir: string;
  marker: InstallMarker;
  /** False when another process (or an earlier run) had installed it. */
  downloaded: boolean;
}

/** Makes sure `dir` can be created and written. */
export function ensureWritableDir(dir: string, what: string): void {
  try {
    Deno.mkdirSync(dir, { recursive: true });
    const probe = `${dir}/.kcross-probe-${crypto.randomUUID()}`;
    Deno.writeTextFileSync(probe, "");
    Deno.removeSync(probe);
  } catch (error) {
    throw new InfraError(`Cannot write to the ${what} "${dir}"`, {
      cause: error,
      hint:
        "make it writable, or choose another place (KCROSS_CACHE_DIR, --install-path)",
    });
  }
}

function installedMarker(plan: FetchPlan): InstallMarker | undefined {
  if (!isExecutable(`${plan.finalDir}/${plan.checkFile}`)) return undefined;
  return readMarker(plan.finalDir);
}

/**
 * Installs the planned toolchain unless it already is (one download even with
 * N concurrent callers).
 *
 * @throws {UserError} when no mirror has this version/triple (nearest listed)
 * @throws {InfraError} network, checksum, unsafe or truncated archive, disk
 */
export async function installToolchain(
  plan: FetchPlan,
  options: InstallOptions = {},
): Promise<InstallResult> {
  const { out } = options;
  ensureWritableDir(plan.root, "toolchain directory");
  ensureWritableDir(plan.stagingParent, "toolchain directory");
  // The lock is in the install root: processes with other caches (other
  // KCROSS_CACHE_DIR or state dirs) installing into the same root wait too.
  using _lock = await acquireFileLock(plan.lockFile, {
    ...(options.signal ? { signal: options.signal } : {}),
    onWait: () =>
      out?.err(`Waiting for another kcross process installing ${plan.id}`),
    hint:
      "make the toolchain directory writable, or install elsewhere (KCROSS_CACHE_DIR, --install-path)",
  });
  using _download = await acquireFileLock(plan.downloadLockFile, {
    ...(options.signal ? { signal: options.signal } : {}),
    onWait: () =>
      out?.err(`Waiting for another kcross process downloading ${plan.id}`),
    hint: "make the cache writable or set KCROSS_CACHE_DIR",
  });
  const already = installedMarker(plan);
  if (already) {
    return { dir: plan.finalDir, marker: already, downloaded: false };
  }
  cleanStaleStaging(plan);
  if (exists(plan.finalDir)) {
    // Incomplete and unmarked: keep it aside rather than delete user data.
    Deno.renameSync(plan.finalDir, `${plan.finalDir}.incomplete-${Date.now()}`);
  }
  const notFound: FetchSource[] = [];
  let firstError: unknown;
  for (const source of plan.sources) {
    options.signal?.throwIfAborted();
    let sigFile: string | undefined;
    try {
      const keyring = options.keyring ?? Deno.env.get("KCROSS_GPG_KEYRING");
      const signature = source.signUrl && keyring
        ? await fetchSignature(
          source.signUrl,
          stagingPath(plan, ".tar.sign"),
          options,
        )
        : undefined;
      sigFile = signature;
      // The sums file (and its gpgv) while the archive downloads: its digest
      // is needed only once the download is complete.
      const expected = expectedDigest(plan, source, {
        ...options,
        ...(signature ? { signed: true } : {}),
      });
      const marker = await downloadAndInstall(plan, source, expected, {
        ...options,
        ...(signature && keyring
          ? { verifySignature: { file: signature, keyring } }
          : {}),
      });
      return { dir: plan.finalDir, marker, downloaded: true };
    } catch (error) {
      options.signal?.throwIfAborted();
      if (error instanceof NotFoundError) {
        if (source.signUrl !== undefined) {
          // The listing named it: a 404 now means the mirror disagrees with
          // itself (or is being updated), not that the version is unknown.
          throw new InfraError(
            `The mirror lists ${plan.archiveName} but answers 404 for ${source.url}; ${NOTHING}`,
            {
              hint:
                "the mirror's listing disagrees with its files; retry later or use another mirror (--mirror URL)",
            },
          );
        }
        notFound.push(source);
        continue;
      }
      if (error instanceof UserError) throw error;
      // Integrity failures never fall through to another mirror or build.
      if (error instanceof IntegrityError) throw error;
      if (
        error instanceof InfraError &&
        /Checksum mismatch|Bad signature|does not list|No checksum|cap of a toolchain archive/
          .test(
            error.message,
          )
      ) throw error;
      firstError ??= error;
    } finally {
      if (sigFile) await Deno.remove(sigFile).catch(() => {});
    }
  }
  if (firstError) throw firstError;
  throw await notOnMirrors(plan, notFound, options);
}

async function downloadAndInstall(
  plan: FetchPlan,
  source: FetchSource,
  expecting: Promise<Expected>,
  options: InstallOptions & {
    verifySignature?: { file: string; keyring: string };
  },
): Promise<InstallMarker> {
  const staging = stagingPath(plan, "");
  let tar: VerifiedTarSink | undefined;
  const gz = plan.archiveName.endsWith(".tar.gz");
  const openSink = async () => {
    if (tar) {
      tar.kill();
      await tar.done;
    }
    await Deno.remove(staging, { recursive: true }).catch(() => {});
    Deno.mkdirSync(staging, { recursive: true });
    // One pass: the decompressor's output, the uncompressed tar, goes to
    // tar in 1 MiB batches (and, with a signature, to gpgv as well); not
    // `tar -xJf -`, whose own copy of the stream into xz costs ~2 s of CPU.
    const t = await startVerifiedTar(staging, {
      compression: gz ? "gz" : "xz",
      maxBytes: options.maxUnpackedBytes ?? MAX_UNPACKED_BYTES,
      ...(options.verifySignature
        ? { signature: options.verifySignature }
        : {}),
    });
    tar = t;
    return { write: (chunk: Uint8Array) => t.writer.write(chunk) };
  };
  // A sums file that cannot be had or checked stops the download at once:
  // its error is the one reported, and nothing of the archive is kept.
  const stop = new AbortController();
  const digest = expecting.catch((error) => {
    stop.abort(error);
    throw error;
  });
  digest.catch(() => {});
  const signal = options.signal
    ? AbortSignal.any([options.signal, stop.signal])
    : stop.signal;
  options.out?.err(`Fetching ${source.url}`);
  const progress = progressFor(options.out, plan.archiveName);
  try {
    let result;
    try {
      result = await streamDownload(source.url, plan.partFile, openSink, {
        ...options.download,
        signal,
        onProgress: (r, t) => progress.update(r, t),
      });
    } catch (error) {
      if (stop.signal.aborted) {
        discardPart(plan.partFile);
        await digest;
      }
      if (!(error instanceof SinkError) || !tar) throw error;
      const t = await tar.done;
      throw tarError(plan, t.stderr, error);
    } finally {
      progress.finish();
    }
    await tar!.writer.close().catch(() => {});
    const t = await tar!.done;
    let expected: Expected;
    try {
      expected = await digest;
    } catch (error) {
      discardPart(plan.partFile);
      throw error;
    }
    if (expected.sha256 && result.sha256 !== expected.sha256) {
      discardPart(plan.partFile);
      throw new IntegrityError(
        `Checksum mismatch for "${plan.archiveName}" from ${source.url}: expected ${expected.sha256}, got ${result.sha256}; ${NOTHING}`,
        {
          hint:
            "the mirror may be serving a partial or tampered file; retry, or use another mirror (--mirror)",
        },
      );
    }
    // GNU tar strips a leading "/" with only a warning (exit 0): reject it too.
    if (!t.success || classifyTarFailure(t.stderr) === "unsafe") {
      throw tarError(plan, t.stderr);
    }
    const sig = await tar!.signature;
    if (sig && !sig.good) {
      discardPart(plan.partFile);
      throw new IntegrityError(
        `Bad signature for "${plan.archiveName}" (${source.signUrl}): ${sig.detail}; ${NOTHING}`,
        {
          hint: sig.detail.includes("does not trust")
            ? "if the mirror's key changed, add the new key after checking it: kcross toolchain trust KEYFILE"
            : "the archive or its .tar.sign was altered; retry, or use another mirror (--mirror)",
        },
      );
    }

    const top = `${staging}/${plan.archiveTopDir}`;
    // Only `top` is moved into place: links are judged against it (a link
    // to a sibling dir of the staging tree would point at another install),
    // and `top` itself must be a real directory, not a link to elsewhere.
    if (!isRealDir(staging, plan.archiveTopDir)) {
      discardPart(plan.partFile);
      throw new RejectedArchive(
        `Archive "${plan.archiveName}" does not contain the directory ${plan.archiveTopDir}; ${NOTHING}`,
        { hint: "the mirror serves an unexpected layout; try another mirror" },
      );
    }
    try {
      assertSafe(top, plan.archiveName);
    } catch (error) {
      discardPart(plan.partFile);
      throw new RejectedArchive((error as Error).message + `; ${NOTHING}`, {
        hint: "the archive is malicious or broken; nothing was installed",
      });
    }
    if (!isExecutable(`${top}/${plan.checkFile}`)) {
      discardPart(plan.partFile);
      throw new RejectedArchive(
        `Archive "${plan.archiveName}" does not contain ${plan.archiveTopDir}/${plan.checkFile}; ${NOTHING}`,
        { hint: "the mirror serves an unexpected layout; try another mirror" },
      );
    }
    // The verified archive is kept (as make.cross keeps its tarball): it is
    // the manifest `kcross cache verify` compares the tree against, at no
    // extra cost here.
    const archiveFile = keptArchivePath(plan);
    const marker: InstallMarker = {
      schema: 1,
      id: plan.id,
      family: plan.family,
      version: plan.version,
      provider: source.provider,
      ...(plan.triple ? { triple: plan.triple } : {}),
      sourceUrl: source.url,
      archiveName: plan.archiveName,
      archiveSha256: result.sha256,
      archiveFile,
      archiveTopDir: plan.archiveTopDir,
      verifiedBy: expected.sha256 || !sig ? expected.verifiedBy : "tar.sign",
      verification: verificationText(sig, expected),
      installedAt: new Date().toISOString(),
    };
    Deno.writeTextFileSync(`${top}/${MARKER}`, JSON.stringify(marker, null, 2));
    Deno.mkdirSync(plan.finalDir.slice(0, plan.finalDir.lastIndexOf("/")), {
      recursive: true,
    });
    moveIntoPlace(top, plan);
    keepArchive(plan, archiveFile);
    options.out?.err(
      `Installed ${plan.id} in ${plan.finalDir} (sha256 ${
        result.sha256.slice(0, 12)
      }…; ${marker.verification})`,
    );
    return marker;
  } finally {
    tar?.kill();
    await Deno.remove(staging, { recursive: true }).catch(() => {});
  }
}
