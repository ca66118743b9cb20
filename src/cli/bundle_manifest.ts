/**
 * What the make.cross bundle was built from: the Deno version, every local
 * module and data file in its graph, and one sha256 over their contents.
 * `make_cross_fast.ts` recomputes it at start and runs the bundle only when
 * it matches (else the sources themselves run); tools/bundle.ts writes it.
 * The bundle is a build product, not in git: its file name holds the digest
 * (`make_cross.bundle.<digest>.js`), so a manifest never names a bundle of
 * other sources, even while two rebuilds race.
 *
 * Reading and hashing the ~150 files costs ~20 ms, so a match is remembered
 * in the cache dir with each file's identity (size, mtime, ctime, inode, as
 * git's index does): while no file changed, the check is their `stat`s.
 *
 * @module
 */

/**
 * The helpers only a rehash needs, loaded when one is: this file is on the
 * make.cross start, where every module loaded costs ~1 ms. Not literal
 * `import()`s, which Deno would load at start anyway; check_layers reads
 * these `load("…")` calls as imports.
 */
const load = (
  spec: "../util/bytes.ts" | "../util/digest.ts" | "../util/atomic_write.ts",
): Promise<unknown> => import(spec);
const slow = async () => ({
  ...(await load("../util/bytes.ts") as typeof import("../util/bytes.ts")),
  ...(await load("../util/digest.ts") as typeof import("../util/digest.ts")),
  ...(await load(
    "../util/atomic_write.ts",
  ) as typeof import("../util/atomic_write.ts")),
});

/** `make_cross.bundle.json`. */
export interface BundleManifest {
  /** The bundle's file name, beside the manifest. */
  bundle: string;
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
  const { concatBytes, sha256HexAsync } = await slow();
  return await sha256HexAsync(concatBytes(parts));
}

/**
 * The manifest in `dir`, or null when there is none or it does not name a
 * bundle file of the expected form.
 */
export function readManifest(dir: URL): BundleManifest | null {
  try {
    const m = JSON.parse(
      Deno.readTextFileSync(new URL("make_cross.bundle.json", dir)),
    );
    return typeof m?.bundle === "string" &&
        /^make_cross\.bundle\.[0-9a-f]{16}\.js$/.test(m.bundle)
      ? m
      : null;
  } catch {
    return null;
  }
}

/** One line per file: path, size, mtime, ctime, device, inode (null: one is missing). */
function identities(root: URL, files: readonly string[]): string | null {
  const lines = [root.href];
  const dir = decodeURIComponent(root.pathname);
  for (const f of files) {
    try {
      const s = Deno.statSync(dir + f);
      lines.push(
        `${f} ${s.size} ${s.mtime?.getTime()} ${s.ctime?.getTime()} ${s.dev} ${s.ino}`,
      );
    } catch {
      return null;
    }
  }
  return `${lines.join("\n")}\n`;
}

function readOrNull(path: string): string | null {
  try {
    return Deno.readTextFileSync(path);
  } catch {
    return null;
  }
}

/**
 * Why `manifest` does not describe the sources under `root`, or null when
 * it does.
 *
 * @param stampDir where a match is remembered (none: always read and hash)
 */
export async function staleBecause(
  root: URL,
  manifest: BundleManifest,
  stampDir?: string,
): Promise<string | null> {
  if (manifest.deno !== Deno.version.deno) {
    return `it was built with Deno ${manifest.deno}, this is ${Deno.version.deno}`;
  }
  const stamp = stampDir
    ? `${stampDir}/make-cross-bundle-${manifest.sha256.slice(0, 16)}.ok`
    : null;
  const ids = stamp ? identities(root, manifest.files) : null;
  if (stamp && ids !== null && readOrNull(stamp) === ids) return null;
  const sha = await sourcesDigest(root, manifest.files);
  if (sha === null) return "a file it was built from is missing";
  if (sha !== manifest.sha256) return "the sources changed since";
  if (stamp && ids !== null) {
    // Best effort: without it the next start reads and hashes again.
    try {
      Deno.mkdirSync(stampDir!, { recursive: true });
      await (await slow()).writeFileAtomic(stamp, ids);
    } catch { /* unwritable cache */ }
  }
  return null;
}
