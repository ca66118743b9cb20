/**
 * A small on-disk cache for build facts that do not change between runs
 * (the KCFLAGS a compiler accepts, a tree's kernel version), so a no-op
 * `make.cross` costs one Deno start plus make.
 *
 * Each entry is one JSON file under `<cache>/facts/<kind>/`, named by a
 * hash of its key, holding the key, the identity of the files the fact was
 * derived from (real path, device, inode, size, mtime, ctime) and the value.
 * A read stats those files again and misses when any differs, so replacing a
 * compiler or editing the Makefile invalidates the entry. Writes go to a
 * unique temporary name and are renamed into place: a reader, a crash or a
 * second writer sees the old entry or the new one, never a half. Any damaged
 * or unreadable entry is a miss, never an error.
 *
 * @module
 */
import { cacheDir } from "../paths.ts";

/** What identifies one file a fact depends on. */
export interface FileIdentity {
  path: string;
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
  ctimeMs: number;
}

interface Entry<T> {
  schema: 1;
  key: string;
  files: FileIdentity[];
  value: T;
}

/** Where facts are kept, and whether to use them at all. */
export interface FactsCache {
  /** The cached value for `key`, or undefined on a miss or a stale entry. */
  get<T>(kind: string, key: string): Promise<T | undefined>;
  /** Stores `value`, valid while `files` keep their identity. */
  put<T>(
    kind: string,
    key: string,
    files: string[],
    value: T,
  ): Promise<void>;
}

/** The identity of `path` (symlinks followed), or null when it is gone. */
export async function fileIdentity(
  path: string,
): Promise<FileIdentity | null> {
  try {
    const real = await Deno.realPath(path);
    const st = await Deno.stat(real);
    return {
      path: real,
      dev: st.dev,
      ino: st.ino ?? 0,
      size: st.size,
      mtimeMs: st.mtime?.getTime() ?? 0,
      ctimeMs: st.ctime?.getTime() ?? 0,
    };
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    if (e instanceof Deno.errors.NotADirectory) return null;
    if (e instanceof Deno.errors.PermissionDenied) return null;
    throw e;
  }
}

function sameIdentity(a: FileIdentity, b: FileIdentity | null): boolean {
  return b !== null && a.path === b.path && a.dev === b.dev &&
    a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs &&
    a.ctimeMs === b.ctimeMs;
}

/**
 * A file name for `key`: two 32-bit FNV-1a hashes (not node:crypto, whose
 * compat layer costs every process start ~30 ms of CPU). Collisions are
 * harmless: the entry holds its key and a different key is a miss.
 */
function keyName(key: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ key.length;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 15);
  }
  const hex = (n: number) => (n >>> 0).toString(16).padStart(8, "0");
  return hex(a) + hex(b);
}

function entryPath(root: string, kind: string, key: string): string {
  return `${root}/${kind}/${keyName(key)}.json`;
}

/**
 * The facts cache under `root` (default `<cache dir>/facts`).
 *
 * @example
 * ```ts
 * import { factsCache } from "./facts_cache.ts";
 * const dir = Deno.makeTempDirSync();
 * Deno.writeTextFileSync(`${dir}/Makefile`, "VERSION = 6\n");
 * const cache = factsCache(`${dir}/facts`);
 * await cache.put("kernel-version", dir, [`${dir}/Makefile`], "6");
 * if (await cache.get("kernel-version", dir) !== "6") throw new Error();
 * Deno.writeTextFileSync(`${dir}/Makefile`, "VERSION = 7\n");
 * if (await cache.get("kernel-version", dir) !== undefined) throw new Error();
 * Deno.removeSync(dir, { recursive: true });
 * ```
 */
export function factsCache(root: string = `${cacheDir()}/facts`): FactsCache {
  return {
    async get<T>(kind: string, key: string): Promise<T | undefined> {
      let entry: Entry<T>;
      try {
        entry = JSON.parse(
          await Deno.readTextFile(entryPath(root, kind, key)),
        );
      } catch {
        return undefined; // missing, unreadable or damaged: a miss
      }
      if (
        entry?.schema !== 1 || entry.key !== key ||
        !Array.isArray(entry.files)
      ) return undefined;
      const now = await Promise.all(
        entry.files.map((f) => fileIdentity(f.path)),
      );
      return entry.files.every((f, i) => sameIdentity(f, now[i]!))
        ? entry.value
        : undefined;
    },
    async put<T>(
      kind: string,
      key: string,
      files: string[],
      value: T,
    ): Promise<void> {
      const ids = await Promise.all(files.map(fileIdentity));
      if (ids.some((id) => id === null)) return; // nothing stable to key on
      const entry: Entry<T> = {
        schema: 1,
        key,
        files: ids as FileIdentity[],
        value,
      };
      const path = entryPath(root, kind, key);
      const tmp = `${path}.${Deno.pid}.${crypto.randomUUID()}.tmp`;
      try {
        await Deno.mkdir(`${root}/${kind}`, { recursive: true });
        await Deno.writeTextFile(tmp, JSON.stringify(entry));
        await Deno.rename(tmp, path);
        await prune(`${root}/${kind}`);
      } catch (e) {
        // A cache that cannot be written (read-only, full disk) only costs
        // the next run the probe again.
        await Deno.remove(tmp).catch(() => {});
        if (!(e instanceof Deno.errors.PermissionDenied) && !isNoSpace(e)) {
          if (!(e instanceof Deno.errors.NotFound)) throw e;
        }
      }
    },
  };
}

/** Entries kept per kind before those of deleted files are pruned. */
const PRUNE_ABOVE = 256;

/**
 * Removes the entries of files that no longer exist once a kind holds more
 * than `PRUNE_ABOVE` (compilers in deleted temp dirs, removed trees). Runs
 * only after a miss, which already spawned compilers.
 */
async function prune(dir: string): Promise<void> {
  const names: string[] = [];
  for await (const e of Deno.readDir(dir)) {
    if (e.isFile && e.name.endsWith(".json")) names.push(e.name);
  }
  if (names.length <= PRUNE_ABOVE) return;
  for (const name of names) {
    const path = `${dir}/${name}`;
    try {
      const entry = JSON.parse(await Deno.readTextFile(path)) as Entry<unknown>;
      const gone = await Promise.all(
        (entry.files ?? []).map(async (f) =>
          await fileIdentity(f.path) === null
        ),
      );
      if (gone.some((g) => g)) await Deno.remove(path);
    } catch {
      await Deno.remove(path).catch(() => {}); // damaged: drop it
    }
  }
}

/** A cache that never hits and stores nothing (tests, `KCROSS_FACTS_CACHE=0`). */
export const noFactsCache: FactsCache = {
  get: () => Promise.resolve(undefined),
  put: () => Promise.resolve(),
};

function isNoSpace(e: unknown): boolean {
  return e instanceof Error &&
    /No space left on device|os error 28|Read-only file system|os error 30/
      .test(e.message);
}
