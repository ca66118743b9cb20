/**
 * What `make_cross.bundle.js` was built from: the Deno version, every local
 * module and data file in its graph, and one sha256 over their contents.
 * `make_cross_fast.ts` recomputes it at start and runs the bundle only when
 * it matches (else the sources themselves run); `deno task bundle` writes it
 * (tools/bundle.ts), and a test fails when the committed bundle is stale.
 *
 * @module
 */
import { concatBytes } from "../util/bytes.ts";
import { sha256HexAsync } from "../util/digest.ts";

/** `make_cross.bundle.json`. */
export interface BundleManifest {
  /** `Deno.version.deno` of the bundler. */
  deno: string;
  /** Repository paths of the bundled modules and JSON files, sorted. */
  files: string[];
  /** `sourcesDigest(root, files)` when it was built. */
  sha256: string;
}

/**
 * One sha256 over `files` (repository paths under `root`): each one's path,
 * length and bytes, in order.
 *
 * @returns the digest, or null when a file cannot be read
 */
export async function sourcesDigest(
  root: URL,
  files: readonly string[],
): Promise<string | null> {
  const enc = new TextEncoder();
  const parts: Uint8Array[] = [];
  for (const f of files) {
    let bytes: Uint8Array;
    try {
      bytes = Deno.readFileSync(new URL(f, root));
    } catch {
      return null;
    }
    parts.push(enc.encode(`${f}\n${bytes.length}\n`), bytes);
  }
  return await sha256HexAsync(concatBytes(parts));
}

/**
 * Why `manifest` does not describe the sources under `root`, or null when
 * it does.
 */
export async function staleBecause(
  root: URL,
  manifest: BundleManifest,
): Promise<string | null> {
  if (manifest.deno !== Deno.version.deno) {
    return `it was built with Deno ${manifest.deno}, this is ${Deno.version.deno}`;
  }
  const sha = await sourcesDigest(root, manifest.files);
  if (sha === null) return "a file it was built from is missing";
  return sha === manifest.sha256 ? null : "the sources changed since";
}
