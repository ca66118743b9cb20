/**
 * Deduplication of diagnostics across translation units.
 *
 * @module
 */
import type { Diagnostic, DiagnosticTool } from "./types.ts";
import { guessSrcTree } from "./_paths.ts";
import { pathHash } from "./_scan.ts";

/** A file shared by many diagnostics: relativised once, at the end. */
export interface FileRef {
  resolved: string;
  rel?: string;
  /** Marks the ref during `result`'s collision check. */
  seen?: boolean;
}

/** One occurrence as seen in the log, paths not yet made relative. */
export interface RawDiagnostic {
  tool: DiagnosticTool;
  file: string | null;
  /** `file` as a shared ref, when the collector has one. */
  fileRef?: FileRef;
  line: number | null;
  column: number | null;
  severity: string;
  message: string;
  flag: string | null;
  /** Object being built when it appeared. */
  object: string | null;
}

/** A distinct diagnostic and its tally; callers may bump it directly. */
export interface Entry {
  d: RawDiagnostic;
  count: number;
  /** The first object; a set only once a second one shows up (few do). */
  first: string | null;
  more: Set<string> | null;
}

function keyOf(d: RawDiagnostic | Diagnostic, file: string | null): string {
  return `${d.tool}\0${file}\0${d.line}\0${d.column}\0${d.severity}\0${d.message}`;
}

/**
 * Counts occurrences, keeping first-seen order. The collector finds repeats
 * by their raw line and bumps the entry; `add` is for first sightings, and
 * entries that turn out equal after path normalisation merge in `result`.
 */
export class Aggregator {
  #entries: Entry[] = [];

  #keyed = new Map<string, Entry>();
  /** Whether `add` may have recorded equal entries (set by the collector). */
  mayRepeat = false;

  /**
   * Records an occurrence the caller cannot recognise as a repeat itself:
   * deduplicated here by identity.
   */
  addKeyed(d: RawDiagnostic): Entry {
    const key = keyOf(d, d.file);
    const e = this.#keyed.get(key);
    if (e !== undefined) {
      Aggregator.bump(e, d.object);
      return e;
    }
    const entry = this.add(d);
    this.#keyed.set(key, entry);
    return entry;
  }

  /** Records a first occurrence; returns its entry (to bump repeats). */
  add(d: RawDiagnostic): Entry {
    const entry: Entry = { d, count: 1, first: d.object, more: null };
    this.#entries.push(entry);
    return entry;
  }

  #distinctFiles(): Set<string> {
    const files = new Set<string>();
    for (const e of this.#entries) if (e.d.file !== null) files.add(e.d.file);
    return files;
  }

  /**
   * Whether two different files relativise to one path. Keyed by a numeric
   * hash of the relative path (no string hashing per file), confirmed by
   * comparing strings.
   */
  #spellingsCollide(fileOf: (d: RawDiagnostic) => string | null): boolean {
    const byHash = new Map<number, FileRef[]>();
    let collide = false;
    for (const { d } of this.#entries) {
      const ref = d.fileRef;
      // Entries without a ref are tool lines, deduplicated by `addKeyed`.
      if (ref === undefined || ref.seen) continue;
      ref.seen = true;
      const r = fileOf(d)!;
      const h = pathHash(r);
      const same = byHash.get(h);
      if (same === undefined) byHash.set(h, [ref]);
      else {
        // Two spellings (`../x.c`, `/k/x.c`) of one file.
        if (same.some((o) => o.rel === r)) collide = true;
        same.push(ref);
      }
    }
    for (const { d } of this.#entries) if (d.fileRef) d.fileRef.seen = false;
    return collide;
  }

  /** Counts one more occurrence of `e`, built as part of `object`. */
  static bump(e: Entry, object: string | null): void {
    e.count++;
    if (object === null || object === e.first) return;
    if (e.first === null) e.first = object;
    else if (e.more !== null) e.more.add(object);
    else e.more = new Set([e.first, object]);
  }

  /** The kernel tree most absolute paths seen point into, if any. */
  guessSrcTree(): string | null {
    return guessSrcTree(this.#distinctFiles());
  }

  /** Final diagnostics, paths mapped through `rel`, merged again after it. */
  result(rel: (path: string) => string): Diagnostic[] {
    const relOf = new Map<string, string>();
    const map = (p: string): string => {
      let r = relOf.get(p);
      if (r === undefined) {
        r = rel(p);
        relOf.set(p, r);
      }
      return r;
    };
    const fileOf = (d: RawDiagnostic): string | null => {
      const ref = d.fileRef;
      if (ref !== undefined) return ref.rel ??= rel(ref.resolved);
      return d.file === null ? null : map(d.file);
    };
    // Objects are printed relative to the build dir: relativising those is
    // cheap and needs no cache.
    const objectOf = (o: string): string => o.startsWith("/") ? map(o) : rel(o);
    const toDiagnostic = (e: Entry): Diagnostic => {
      const d = e.d;
      let objects: string[];
      if (e.more === null) {
        objects = e.first === null ? [] : [objectOf(e.first)];
      } else {
        const set = new Set<string>();
        for (const o of e.more) set.add(objectOf(o));
        objects = [...set];
      }
      return {
        tool: d.tool,
        file: fileOf(d),
        line: d.line,
        column: d.column,
        severity: d.severity,
        message: d.message,
        flag: d.flag,
        count: e.count,
        objects,
      };
    };
    // Entries are distinct as recorded (keyed ones are deduplicated and of
    // other tools than located ones); they can only become equal when the
    // caller says so (lines read under two cwds) or when two spellings of a
    // path relativise to one.
    const merge = this.mayRepeat || this.#spellingsCollide(fileOf);
    if (!merge) return this.#entries.map(toDiagnostic);
    const out = new Map<string, { d: Diagnostic; objects: Set<string> }>();
    for (const e of this.#entries) {
      const d = toDiagnostic(e);
      const key = keyOf(d, d.file);
      const o = out.get(key);
      if (o === undefined) {
        out.set(key, { d, objects: new Set(d.objects) });
        continue;
      }
      // Seen again under another cwd or spelling (`../x.c`, `/k/x.c`).
      o.d.count += d.count;
      for (const obj of d.objects) o.objects.add(obj);
    }
    for (const o of out.values()) o.d.objects = [...o.objects];
    return [...out.values()].map((o) => o.d);
  }
}
