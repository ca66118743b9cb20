/**
 * Shared pieces of toolchain resolution: where to look, usage stamps,
 * fetching.
 *
 * @module
 */
import type { ToolchainRequest } from "./types.ts";
import type { ResolveOptions } from "./types.ts";
import type { InstalledToolchain } from "./installed.ts";
import type { FetchPlan } from "../fetch/plan_fetch.ts";
import { MARKER } from "./layout.ts";

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
  const res = await installToolchain(plan, {
    ...(options.out ? { out: options.out } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.allowUnverified ? { allowUnverified: true } : {}),
    ...(options.keyring ? { keyring: options.keyring } : {}),
    ...(options.download ? { download: options.download } : {}),
  });
  return { dir: res.dir, binDir: `${res.dir}/bin`, marker: res.marker };
}
