/**
 * Shared pieces of toolchain resolution: where to look, usage stamps, and
 * fetching from the mirrors' listings with verification.
 *
 * @module
 */
import type { ToolchainRequest } from "./types.ts";
import type { ResolveOptions } from "./types.ts";
import type { InstalledToolchain } from "./installed.ts";
import type { FetchPlan, Mirror } from "./plan_fetch.ts";
import { planFetch } from "./plan_fetch.ts";
import { MARKER } from "./layout.ts";
import { InfraError, KcrossError, UserError } from "../errors.ts";
import type { CompilerSpec } from "./catalog.ts";
import { type HostNames, hostNames } from "./naming.ts";
import {
  locateClang,
  type Located,
  locateGcc,
  NotOnMirror,
} from "./locate_on_mirror.ts";
import { trustedKeyring } from "./keys.ts";

/** An install root and whether it needs kcross's completion marker. */
export interface Root {
  root: string;
  requireMarker: boolean;
}

/** COMPILER_INSTALL_PATH first (no marker needed), then kcross's cache. */
export function rootsFor(request: ToolchainRequest, cache: string): Root[] {
  const roots: Root[] = [];
  if (request.installPath) {
    roots.push({ root: request.installPath, requireMarker: false });
  }
  roots.push({ root: `${cache}/toolchains`, requireMarker: true });
  return roots;
}

/** Stamps a cache install as used now (marker mtime, read by `cache gc`). */
export function touch(dir: string): void {
  try {
    const now = new Date();
    Deno.utimeSync(`${dir}/${MARKER}`, now, now);
  } catch { /* not ours or read-only: usage is best effort */ }
}

/** The host names toolchains must be built for (`--host`, else `uname -m`). */
export function hostFor(options: ResolveOptions): HostNames {
  return hostNames(
    options.host ?? Deno.env.get("KCROSS_HOST_ARCH") ?? Deno.build.arch,
  );
}

/**
 * Downloads, verifies and installs a planned toolchain with the resolve
 * options' output, signal, verification and download settings.
 */
export async function fetchInstall(
  plan: FetchPlan,
  options: ResolveOptions,
): Promise<InstalledToolchain> {
  // Loaded on demand: a cache hit never pays for the download machinery.
  const { installToolchain } = await import("../fetch/install.ts");
  const keyring = options.keyring ?? Deno.env.get("KCROSS_GPG_KEYRING") ??
    trustedKeyring();
  const res = await installToolchain(plan, {
    ...(options.out ? { out: options.out } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.allowUnverified ? { allowUnverified: true } : {}),
    keyring,
    ...(options.download ? { download: options.download } : {}),
    ...(options.maxUnpackedBytes
      ? { maxUnpackedBytes: options.maxUnpackedBytes }
      : {}),
  });
  return { dir: res.dir, binDir: `${res.dir}/bin`, marker: res.marker };
}

/** What trying every mirror's listing gave. */
export type MirrorOutcome =
  | { kind: "installed"; located: Located; found: InstalledToolchain }
  | {
    kind: "missing";
    /** The mirrors' answers ("not listed", unreachable, bad listing). */
    errors: KcrossError[];
    /** Versions the mirrors do list, nearest first. */
    near: string[];
  };

/**
 * Tries each mirror in order: its listing decides the exact version and
 * file; the first that lists a match is installed from (verified). A mirror
 * that does not list it or cannot be read passes to the next mirror; an
 * integrity failure (checksum, signature, content) is thrown at once.
 */
export async function fetchFromMirrors(
  spec: CompilerSpec,
  triple: string | undefined,
  mirrors: Mirror[],
  request: ToolchainRequest,
  options: ResolveOptions & { cache: string },
): Promise<MirrorOutcome> {
  const host = hostFor(options);
  const errors: KcrossError[] = [];
  // A cache that cannot be written fails before any network request.
  const { ensureWritableDir } = await import("../fetch/install.ts");
  ensureWritableDir(
    request.installPath ?? `${options.cache}/toolchains`,
    "toolchain directory",
  );
  let near: string[] = [];
  const small = {
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.download?.headersTimeoutMs
      ? { headersTimeoutMs: options.download.headersTimeoutMs }
      : {}),
    ...(options.download?.fetchImpl
      ? { fetchImpl: options.download.fetchImpl }
      : {}),
  };
  for (const mirror of mirrors) {
    let located: Located;
    try {
      located = spec.family === "gcc"
        ? await locateGcc(mirror, spec, triple!, host, small)
        : await locateClang(mirror, spec, host, small);
    } catch (error) {
      options.signal?.throwIfAborted();
      if (error instanceof NotOnMirror) {
        if (!near.length) near = error.near;
      } else if (!(error instanceof KcrossError)) throw error;
      errors.push(error as KcrossError);
      continue;
    }
    if (spec.partial !== located.version && !spec.snapshot) {
      options.out?.err(
        `Resolved ${spec.requested} to ${
          spec.family === "gcc" ? "gcc" : "llvm"
        }-${located.version} (newest listed at ${located.listingUrl})`,
      );
    }
    const plan = planFetch({
      family: spec.family,
      version: located.version,
      ...(triple ? { triple } : {}),
      mirrors: [mirror],
      root: request.installPath ?? `${options.cache}/toolchains`,
      cacheDir: options.cache,
      listed: {
        mirror,
        provider: located.provider,
        archiveUrl: located.archiveUrl,
        archiveName: located.archiveName,
        signUrl: located.signUrl,
        sumsUrl: located.sumsUrl,
        listingUrl: located.listingUrl,
        ...(located.fileTriple ? { fileTriple: located.fileTriple } : {}),
        ...(located.topDir ? { topDir: located.topDir } : {}),
      },
    });
    try {
      const found = await fetchInstall(plan, options);
      return { kind: "installed", located, found };
    } catch (error) {
      options.signal?.throwIfAborted();
      // Only a network failure may pass to the next mirror.
      if (
        error instanceof InfraError &&
        /^(Cannot reach|Cannot fetch|Download failed|Empty response)/.test(
          error.message,
        )
      ) {
        errors.push(error);
        continue;
      }
      throw error;
    }
  }
  return { kind: "missing", errors, near };
}

/**
 * The error for "no mirror could serve it", keeping the most telling one:
 * an unreadable mirror is an infra error (exit 3), "not listed anywhere" a
 * user error (exit 2, with the nearest listed versions).
 */
export function mirrorError(
  what: string,
  outcome: Extract<MirrorOutcome, { kind: "missing" }>,
  alt: string,
): KcrossError {
  const infra = outcome.errors.find((e) => !(e instanceof NotOnMirror));
  const first = infra ?? outcome.errors[0];
  const hint = [first?.hint, alt].filter((h) => h).join("; ");
  if (!first) {
    return new UserError(`No mirror is configured for ${what}`, { hint });
  }
  if (infra) {
    return new InfraError(
      `Cannot get ${what}: ${
        first.message.replace(/; nothing was installed$/, "")
      }; nothing was installed`,
      {
        cause: first,
        hint,
      },
    );
  }
  return new UserError(first.message, { hint });
}
