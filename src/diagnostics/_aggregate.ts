/**
 * Deduplication of diagnostics across translation units.
 *
 * @module
 */
import type { Diagnostic, DiagnosticTool } from "./types.ts";
import { guessSrcTree } from "./_paths.ts";

/** One occurrence as seen in the log, paths not yet made relative. */
export interface RawDiagnostic {
  tool: DiagnosticTool;
  file: string | null;
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

function objectsOf(e: Entry): string[] {
  if (e.more !== null) return [...e.more];
  return e.first === null ? [] : [e.first];
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
  #files = new Set<string>();

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
    if (d.file !== null) this.#files.add(d.file);
    return entry;
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
    return guessSrcTree(this.#files);
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
    const toDiagnostic = (e: Entry): Diagnostic => {
      const d = e.d;
      const objects = new Set<string>();
      for (const o of objectsOf(e)) objects.add(map(o));
      return {
        tool: d.tool,
        file: d.file === null ? null : map(d.file),
        line: d.line,
        column: d.column,
        severity: d.severity,
        message: d.message,
        flag: d.flag,
        count: e.count,
        objects: [...objects],
      };
    };
    // Entries are distinct as recorded (keyed ones are deduplicated and of
    // other tools than located ones); they can only become equal when the
    // caller says so (lines read under two cwds) or when two spellings of a
    // path relativise to one.
    let merge = this.mayRepeat;
    if (!merge) {
      const seen = new Set<string>();
      for (const f of this.#files) {
        const r = map(f);
        if (seen.has(r)) merge = true;
        seen.add(r);
      }
    }
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
