/**
 * The toolchain cache: list, verify and clean kcross's installed toolchains.
 *
 * @module
 */
import { UserError } from "../errors.ts";
import { installLockFile } from "../toolchain/plan_fetch.ts";
import { acquireFileLock } from "../util/mod.ts";
import { type InstallMarker, readMarker } from "../toolchain/installed.ts";
import { MARKER } from "../toolchain/layout.ts";
import { type TreeDiff, verifyTree } from "./verify_tree.ts";

export { type TreeDiff, verifyTree } from "./verify_tree.ts";

/** One installed toolchain in the cache. */
export interface CacheEntry {
  id: string;
  dir: string;
  marker: InstallMarker;
  /** Last time a resolve used it (marker mtime). */
  lastUsed: Date;
  sizeBytes: number;
  /** Whether `cache gc` may remove it (system shims are cheap to recreate). */
  kind: "toolchain" | "shim";
}

function dirSize(dir: string): number {
  let total = 0;
  const walk = (d: string) => {
    for (const e of Deno.readDirSync(d)) {
      const p = `${d}/${e.name}`;
      if (e.isDirectory) walk(p);
      else if (e.isFile) total += Deno.lstatSync(p).size;
    }
  };
  try {
    walk(dir);
  } catch { /* vanished */ }
  return total;
}

function subdirs(dir: string): string[] {
  try {
    return [...Deno.readDirSync(dir)].filter((e) =>
      e.isDirectory && !e.name.startsWith(".")
    ).map((e) => e.name).sort();
  } catch {
    return [];
  }
}

/** Every marked install under `cacheDir` (toolchains and system shims). */
export function listCache(cacheDir: string): CacheEntry[] {
  const out: CacheEntry[] = [];
  const add = (dir: string, kind: CacheEntry["kind"]) => {
    const marker = readMarker(dir);
    if (!marker) return;
    const st = Deno.statSync(`${dir}/${MARKER}`);
    out.push({
      id: marker.id,
      dir,
      marker,
      lastUsed: st.mtime ?? new Date(0),
      sizeBytes: kind === "shim" ? 0 : dirSize(dir),
      kind,
    });
  };
  const root = `${cacheDir}/toolchains`;
  for (const name of subdirs(root)) {
    if (/^llvm-/.test(name)) add(`${root}/${name}`, "toolchain");
    else {for (const t of subdirs(`${root}/${name}`)) {
        add(`${root}/${name}/${t}`, "toolchain");
      }}
  }
  for (const name of subdirs(`${cacheDir}/system`)) {
    for (const t of subdirs(`${cacheDir}/system/${name}`)) {
      add(`${cacheDir}/system/${name}/${t}`, "shim");
    }
  }
  return out;
}

/** The verdict on one entry. */
export interface VerifyResult {
  entry: CacheEntry;
  status: "ok" | "modified" | "no-archive";
  diff?: TreeDiff;
}

/** Compares every entry with the verified archive it was installed from. */
export async function verifyCache(
  entries: CacheEntry[],
): Promise<VerifyResult[]> {
  const out: VerifyResult[] = [];
  for (const entry of entries) {
    const diff = entry.kind === "toolchain"
      ? await verifyTree(entry.dir, entry.marker)
      : undefined;
    if (!diff) {
      out.push({ entry, status: "no-archive" });
      continue;
    }
    const bad = diff.archiveModified || diff.changed.length > 0 ||
      diff.added.length > 0 || diff.unsafe.length > 0;
    out.push({ entry, status: bad ? "modified" : "ok", diff });
  }
  return out;
}

/**
 * Parses a duration: `30d`, `12h`, `90m`, `2w`, `45s`.
 *
 * @throws {UserError} on anything else
 * @example
 * ```ts
 * import { parseDuration } from "./mod.ts";
 * if (parseDuration("2d") !== 172800000) throw new Error();
 * ```
 */
export function parseDuration(text: string): number {
  const m = /^([0-9]+)([smhdw])$/.exec(text.trim());
  if (!m) {
    throw new UserError(`Bad duration "${text}"`, {
      hint: "use a number and a unit: 45s, 90m, 12h, 30d, 2w",
    });
  }
  const unit = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 }[
    m[2] as "s" | "m" | "h" | "d" | "w"
  ];
  return Number(m[1]) * unit * 1000;
}

/** Which entries `gc` removes. */
export interface GcPolicy {
  /** Keep this many most recently used toolchains. */
  keep?: number;
  /** Remove toolchains unused for longer than this (ms). */
  olderThanMs?: number;
  now?: Date;
}

/**
 * Plans a gc: the toolchain entries to remove, least recently used first.
 * Pure (no I/O).
 */
export function planGc(entries: CacheEntry[], policy: GcPolicy): CacheEntry[] {
  const now = (policy.now ?? new Date()).getTime();
  const byRecent = entries.filter((e) => e.kind === "toolchain").sort((a, b) =>
    b.lastUsed.getTime() - a.lastUsed.getTime()
  );
  const doomed = new Set<CacheEntry>();
  if (policy.keep !== undefined) {
    for (const e of byRecent.slice(policy.keep)) doomed.add(e);
  }
  if (policy.olderThanMs !== undefined) {
    for (const e of byRecent) {
      if (now - e.lastUsed.getTime() > policy.olderThanMs) doomed.add(e);
    }
  }
  return byRecent.filter((e) => doomed.has(e)).reverse();
}

/**
 * Removes entries under their toolchain lock: renamed away first (so a
 * concurrent resolve never sees half a tree), then deleted. Also clears stale
 * staging dirs and partial downloads older than a day.
 *
 * @param options `signal` stops a wait for another process's lock
 *   (`InterruptedError`); `onWait` hears about such a wait
 */
export async function removeEntries(
  cacheDir: string,
  entries: CacheEntry[],
  options: { signal?: AbortSignal; onWait?: (entry: CacheEntry) => void } = {},
): Promise<void> {
  const trash = `${cacheDir}/toolchains/.kcross-staging`;
  Deno.mkdirSync(trash, { recursive: true });
  for (const t of Deno.readDirSync(trash)) {
    // Leftovers of an interrupted gc.
    if (t.name.startsWith("trash-")) {
      await Deno.remove(`${trash}/${t.name}`, { recursive: true }).catch(
        () => {},
      );
    }
  }
  for (const e of entries) {
    // The install's own lock (in its install root), so a concurrent install
    // of the same toolchain, whatever its cache, never sees half a tree.
    using _lock = await acquireFileLock(
      installLockFile(`${cacheDir}/toolchains`, e.id),
      {
        ...(options.signal ? { signal: options.signal } : {}),
        onWait: () => options.onWait?.(e),
      },
    );
    const dest = `${trash}/trash-${crypto.randomUUID()}`;
    try {
      Deno.renameSync(e.dir, dest);
    } catch {
      continue; // already gone
    }
    await Deno.remove(dest, { recursive: true });
    if (e.marker.archiveFile) {
      await Deno.remove(e.marker.archiveFile).catch(() => {});
    }
  }
  const dayAgo = Date.now() - 86_400_000;
  try {
    for (const f of Deno.readDirSync(`${cacheDir}/downloads`)) {
      const p = `${cacheDir}/downloads/${f.name}`;
      if ((Deno.statSync(p).mtime?.getTime() ?? 0) < dayAgo) {
        await Deno.remove(p).catch(() => {});
      }
    }
  } catch { /* no downloads */ }
}
