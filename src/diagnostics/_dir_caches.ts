/**
 * Caches keyed by paths as the log prints them. Relative paths mean
 * something else in each directory make enters, so each directory gets its
 * own set; lines with absolute paths share one.
 *
 * @module
 */
import type { Entry, FileRef } from "./_aggregate.ts";
import { resolveAgainst } from "./_paths.ts";
import { pathHash, sameAt } from "./_scan.ts";
import { type UnitKey, unitKey } from "./_recent_steps.ts";

/** A located diagnostic line already counted once. */
export interface SeenLine {
  /** The whole line, to confirm a hash hit. */
  raw: string;
  entry: Entry;
  /** The unit, when the file is a source file. */
  unit: UnitKey | null;
}

/** Located lines by their hash (an array on a collision). */
export type LineCache = Map<number, SeenLine | SeenLine[]>;

/** A path as printed, resolved, and its unit key once asked for. */
export interface PathInfo extends FileRef {
  raw: string;
  unit: UnitKey | null;
}

/** Paths by the hash of their characters (an array on a collision). */
type PathCache = Map<number, PathInfo | PathInfo[]>;

interface DirCache {
  paths: PathCache;
  lines: LineCache;
}

function newDirCache(): DirCache {
  return { paths: new Map(), lines: new Map() };
}

/** Path resolution and repeat caches for the directory make is in. */
export class DirCaches {
  #cwd: string | null = null;
  #current: DirCache = newDirCache();
  #all = new Map<string, DirCache>([["", this.#current]]);
  /** Located lines whose path is absolute (the same in any directory). */
  readonly absLines: LineCache = new Map();

  /** make's current directory, or null before any "Entering directory". */
  get cwd(): string | null {
    return this.#cwd;
  }

  /** Switches to directory `dir`. */
  setCwd(dir: string | null): void {
    if (dir === this.#cwd) return;
    this.#cwd = dir;
    const key = dir ?? "";
    let c = this.#all.get(key);
    if (c === undefined) {
      c = newDirCache();
      this.#all.set(key, c);
    }
    this.#current = c;
  }

  /** Located lines with relative paths seen in the current directory. */
  get lines(): LineCache {
    return this.#current.lines;
  }

  /**
   * The path `text[s, e)` whose character hash is `hash` (as `scanLocated`
   * computed it while reading the line): found without slicing or string
   * hashing when seen before in this directory.
   */
  pathAt(text: string, s: number, e: number, hash: number): PathInfo {
    const m = this.#current.paths;
    const key = hash & 0x3fffffff;
    const hit = m.get(key);
    if (hit !== undefined) {
      if (!Array.isArray(hit)) {
        if (sameAt(text, s, e, hit.raw)) return hit;
      } else {
        for (const p of hit) if (sameAt(text, s, e, p.raw)) return p;
      }
    }
    const raw = text.slice(s, e);
    const p = { raw, resolved: resolveAgainst(this.#cwd, raw), unit: null };
    if (hit === undefined) m.set(key, p);
    else if (Array.isArray(hit)) hit.push(p);
    else m.set(key, [hit, p]);
    return p;
  }

  /** A path from the log resolved against the current directory. */
  resolve(path: string): string {
    return this.pathAt(path, 0, path.length, pathHash(path)).resolved;
  }

  /** The unit key of a source path from the log. */
  unit(path: string): UnitKey {
    return this.unitOf(this.pathAt(path, 0, path.length, pathHash(path)));
  }

  /** The unit key of a path already looked up. */
  unitOf(p: PathInfo): UnitKey {
    return p.unit ??= unitKey(p.resolved);
  }

  /** Whether relative-path lines were counted in more than one directory. */
  linesInSeveralDirs(): boolean {
    let used = 0;
    for (const c of this.#all.values()) if (c.lines.size > 0) used++;
    return used > 1;
  }
}
