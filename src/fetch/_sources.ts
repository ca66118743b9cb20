/**
 * What a mirror says about an archive: its expected digest (pin, or the
 * per-directory `sha256sums.asc`, signature-checked with gpgv when a keyring
 * is configured) and, when no mirror has it, the nearest versions they list.
 *
 * @module
 */
import { InfraError, UserError } from "../errors.ts";
import { nearestVersions } from "../util/versions.ts";
import { fetchFollowingRedirects } from "../util/follow_redirects.ts";
import { parseSha256Sums, verifySignature } from "./checksums.ts";
import { type DownloadOptions, NotFoundError } from "./download.ts";
import { fetchSmallText } from "./listing.ts";
import { stagingPath } from "./staging.ts";
import type { FetchPlan, FetchSource } from "./types.ts";

/** The digest an archive must have, and how it is known. */
export interface Expected {
  /** Undefined only when installing unverified was allowed. */
  sha256: string | undefined;
  /** `pin`, `import`, `sha256sums.asc`, `gpgv+sha256sums.asc` or `none`. */
  verifiedBy: string;
  /** Fingerprint of the key that signed the `sha256sums.asc`, when checked. */
  signedBy?: string;
  /** Why nothing could be verified (with `sha256: undefined`). */
  why?: string;
}

/** The options `expectedDigest` and `notOnMirrors` read. */
export interface SourceOptions {
  signal?: AbortSignal;
  keyring?: string;
  allowUnverified?: boolean;
  /** A `.tar.sign` will be checked: no checksum is needed then. */
  signed?: boolean;
  download?: Omit<DownloadOptions, "signal" | "onProgress">;
}

/**
 * The expected digest of `plan`'s archive on `source`.
 *
 * @throws {NotFoundError} the mirror does not have the archive
 * @throws {InfraError} no checksum available, bad signature, network
 */
export async function expectedDigest(
  plan: FetchPlan,
  source: FetchSource,
  options: SourceOptions,
): Promise<Expected> {
  if (plan.pinnedSha256) {
    return {
      sha256: plan.pinnedSha256.toLowerCase(),
      verifiedBy: plan.pinnedBy ?? "pin",
    };
  }
  const dl = {
    ...options.download,
    ...(options.signal ? { signal: options.signal } : {}),
  };
  const small = smallOptions(options, SUMS_MAX_BYTES);
  // A listing-based source (signUrl known, possibly null) says whether the
  // directory has a sha256sums.asc: no guessing with requests.
  const listed = source.signUrl !== undefined;
  const text = source.sumsUrl
    ? await fetchSmallText(source.sumsUrl, small)
    : undefined;
  if (text === undefined && listed && source.sumsUrl) {
    throw new InfraError(
      `The mirror lists ${source.sumsUrl} but answers 404 for it; nothing was installed`,
      {
        hint:
          "the mirror's listing disagrees with its files; retry later or use another mirror (--mirror URL)",
      },
    );
  }
  if (text === undefined) {
    if (!listed && !(await reachable(source.url, dl))) {
      throw new NotFoundError(`Not found on the mirror: ${source.url}`);
    }
    const why = source.sumsUrl
      ? `${source.sumsUrl} is missing`
      : `the mirror publishes no .tar.sign or sha256sums.asc for it`;
    if (options.signed) return { sha256: undefined, verifiedBy: "none", why };
    if (options.allowUnverified) {
      return {
        sha256: undefined,
        verifiedBy: "none",
        why: `${why}; --allow-unverified`,
      };
    }
    throw new InfraError(
      `No checksum for "${plan.archiveName}": ${why} and no digest is pinned; nothing was installed`,
      {
        hint:
          `pin its sha256 in toolchains/pins.json, or pass --allow-unverified to install it anyway`,
      },
    );
  }
  const keyring = options.keyring ?? Deno.env.get("KCROSS_GPG_KEYRING");
  let verifiedBy = "sha256sums.asc";
  let signedBy: string | undefined;
  if (keyring) {
    const tmp = stagingPath(plan, ".asc");
    try {
      await Deno.writeTextFile(tmp, text);
      signedBy = await verifySignature(tmp, keyring, source.sumsUrl ?? tmp);
      verifiedBy = "gpgv+sha256sums.asc";
    } finally {
      await Deno.remove(tmp).catch(() => {});
    }
  }
  const sha256 = parseSha256Sums(text).get(plan.archiveName);
  if (!sha256) {
    if (listed) {
      throw new InfraError(
        `${source.sumsUrl} does not list ${plan.archiveName}, which the directory listing has; nothing was installed`,
        {
          hint:
            "the mirror's checksum list disagrees with its files; retry later or use another mirror (--mirror URL)",
        },
      );
    }
    if (await reachable(source.url, dl)) {
      throw new InfraError(
        `${source.sumsUrl} does not list ${plan.archiveName}, which the mirror serves; nothing was installed`,
        {
          hint:
            "the mirror's checksum list disagrees with its files; retry later or use another mirror (--mirror URL)",
        },
      );
    }
    throw new NotFoundError(`Not found on the mirror: ${source.url}`);
  }
  return { sha256, verifiedBy, ...(signedBy ? { signedBy } : {}) };
}

/** A kernel.org sha256sums.asc is a few KiB; a MiB is plenty. */
const SUMS_MAX_BYTES = 1024 * 1024;

function smallOptions(
  options: SourceOptions,
  maxBytes?: number,
): Parameters<typeof fetchSmallText>[1] {
  return {
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.download?.headersTimeoutMs
      ? { headersTimeoutMs: options.download.headersTimeoutMs }
      : {}),
    ...(options.download?.fetchImpl
      ? { fetchImpl: options.download.fetchImpl }
      : {}),
    ...(maxBytes ? { maxBytes } : {}),
  };
}

async function reachable(
  url: string,
  dl: Pick<DownloadOptions, "fetchImpl" | "headersTimeoutMs"> & {
    signal?: AbortSignal;
  },
): Promise<boolean> {
  try {
    const { response: res } = await fetchFollowingRedirects(url, {
      what: "mirror file",
      method: "HEAD",
      ...(dl.fetchImpl ? { fetch: dl.fetchImpl } : {}),
      signal: AbortSignal.timeout(dl.headersTimeoutMs ?? 30_000),
    });
    await res.body?.cancel();
    return res.status !== 404 && res.status !== 410;
  } catch (error) {
    if (error instanceof InfraError) throw error;
    throw new InfraError(`Cannot reach ${url}`, { cause: error });
  }
}

/** The UserError for "no mirror has it", naming the nearest listed versions. */
export async function notOnMirrors(
  plan: FetchPlan,
  sources: FetchSource[],
  options: SourceOptions,
): Promise<UserError> {
  const what = plan.triple
    ? `${
      plan.family === "gcc" ? "gcc" : "llvm"
    }-${plan.version} for "${plan.triple}"`
    : `llvm-${plan.version}`;
  let near: string[] = [];
  for (const s of sources) {
    try {
      const listing = await fetchSmallText(s.listingUrl, smallOptions(options));
      const versions = [
        ...new Set(
          [...(listing ?? "").matchAll(
            /(?:href="|llvm-)\.?\/?([0-9]+\.[0-9]+\.[0-9]+)[/"-]/g,
          )]
            .map((m) => m[1]!),
        ),
      ];
      // The version asked for is not "near" it: its file is what is missing.
      near = nearestVersions(
        plan.version,
        versions.filter((v) => v !== plan.version),
      );
      if (near.length) break;
    } catch { /* listing is best effort */ }
  }
  return new UserError(
    `No mirror has ${what}: ${sources.map((s) => s.url).join(", ")} not found`,
    {
      hint: near.length
        ? `versions on the mirror nearest to ${plan.version}: ${
          near.join(", ")
        }`
        : "check the version (kcross toolchain list) or use another mirror (--mirror URL)",
    },
  );
}
