/**
 * Shared pieces of toolchain resolution: where to look, usage stamps.
 *
 * @module
 */
import type { ToolchainRequest } from "./types.ts";
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
