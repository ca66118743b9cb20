/**
 * Caches keyed by paths as the log prints them. Relative paths mean
 * something else in each directory make enters, so each directory gets its
 * own set; lines with absolute paths share one.
 *
 * @module
 */
import type { Entry } from "./_aggregate.ts";
import { resolveAgainst } from "./_paths.ts";
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

interface DirCache {
  resolved: Map<string, string>;
  units: Map<string, UnitKey>;
  lines: LineCache;
}

function newDirCache(): DirCache {
  return { resolved: new Map(), units: new Map(), lines: new Map() };
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

  /** A path from the log resolved against the current directory. */
  resolve(path: string): string {
    const m = this.#current.resolved;
    let r = m.get(path);
    if (r === undefined) {
      r = resolveAgainst(this.#cwd, path);
      m.set(path, r);
    }
    return r;
  }

  /** The unit key of a source path from the log. */
  unit(path: string): UnitKey {
    const m = this.#current.units;
    let u = m.get(path);
    if (u === undefined) {
      u = unitKey(this.resolve(path));
      m.set(path, u);
    }
    return u;
  }

  /** Whether relative-path lines were counted in more than one directory. */
  linesInSeveralDirs(): boolean {
    let used = 0;
    for (const c of this.#all.values()) if (c.lines.size > 0) used++;
    return used > 1;
  }
}
