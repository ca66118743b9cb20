/**
 * Per-file manifest of an installed toolchain (`.kcross-manifest.json`):
 * recorded at install, re-hashed by `kcross cache verify`.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { MANIFEST, MARKER } from "../toolchain/layout.ts";

/** One entry: a file's digest and mode, a link's target, or a directory. */
export type ManifestEntry =
  | { type: "file"; size: number; sha256: string; mode: number }
  | { type: "symlink"; target: string }
  | { type: "dir" };

/** The manifest: relative path → entry. */
export interface Manifest {
  schema: 1;
  entries: Record<string, ManifestEntry>;
}

async function hashFile(path: string): Promise<string> {
  const h = createHash("sha256");
  using f = await Deno.open(path);
  const buf = new Uint8Array(1 << 20);
  for (;;) {
    const n = await f.read(buf);
    if (n === null) break;
    h.update(buf.subarray(0, n));
  }
  return h.digest("hex");
}

/** Builds the manifest of `dir` (skipping kcross's own marker files). */
export async function buildManifest(dir: string): Promise<Manifest> {
  const entries: Record<string, ManifestEntry> = {};
  const walk = async (abs: string, rel: string) => {
    const list = [...Deno.readDirSync(abs)].sort((a, b) =>
      a.name < b.name ? -1 : 1
    );
    for (const e of list) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (!rel && (e.name === MARKER || e.name === MANIFEST)) continue;
      const p = `${abs}/${e.name}`;
      if (e.isSymlink) {
        entries[r] = { type: "symlink", target: Deno.readLinkSync(p) };
      } else if (e.isDirectory) {
        entries[r] = { type: "dir" };
        await walk(p, r);
      } else if (e.isFile) {
        const st = Deno.lstatSync(p);
        entries[r] = {
          type: "file",
          size: st.size,
          sha256: await hashFile(p),
          mode: (st.mode ?? 0) & 0o7777,
        };
      }
    }
  };
  await walk(dir, "");
  return { schema: 1, entries };
}

/** Differences between a recorded manifest and the tree now. */
export interface ManifestDiff {
  changed: string[];
  missing: string[];
  added: string[];
}

/**
 * Compares the tree at `dir` with `recorded`.
 *
 * @returns changed, missing and added paths (all empty when intact)
 */
export async function diffManifest(
  dir: string,
  recorded: Manifest,
): Promise<ManifestDiff> {
  const now = await buildManifest(dir);
  const diff: ManifestDiff = { changed: [], missing: [], added: [] };
  for (const [path, want] of Object.entries(recorded.entries)) {
    const got = now.entries[path];
    if (!got) diff.missing.push(path);
    else if (JSON.stringify(got) !== JSON.stringify(want)) {
      diff.changed.push(path);
    }
  }
  for (const path of Object.keys(now.entries)) {
    if (!(path in recorded.entries)) diff.added.push(path);
  }
  return diff;
}

/** Reads `dir`'s recorded manifest, or undefined. */
export function readManifest(dir: string): Manifest | undefined {
  try {
    return JSON.parse(Deno.readTextFileSync(`${dir}/${MANIFEST}`));
  } catch {
    return undefined;
  }
}
