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

interface Entry {
  d: RawDiagnostic;
  count: number;
  objects: Set<string>;
}

function keyOf(
  d: RawDiagnostic | Diagnostic,
  file: string | null,
): string {
  return `${d.tool}\0${file}\0${d.line}\0${d.column}\0${d.severity}\0${d.message}`;
}

/** Counts occurrences by identity, keeping first-seen order. */
export class Aggregator {
  #entries = new Map<string, Entry>();

  /** Records one occurrence. */
  add(d: RawDiagnostic): void {
    const key = keyOf(d, d.file);
    const e = this.#entries.get(key);
    if (e === undefined) {
      const objects = new Set<string>();
      if (d.object !== null) objects.add(d.object);
      this.#entries.set(key, { d, count: 1, objects });
      return;
    }
    e.count++;
    if (d.object !== null) e.objects.add(d.object);
  }

  /** The kernel tree most absolute paths seen point into, if any. */
  guessSrcTree(): string | null {
    const paths: string[] = [];
    for (const e of this.#entries.values()) {
      if (e.d.file !== null) paths.push(e.d.file);
    }
    return guessSrcTree(paths);
  }

  /** Final diagnostics, paths mapped through `rel`, merged again after it. */
  result(rel: (path: string) => string): Diagnostic[] {
    const cache = new Map<string, string>();
    const map = (p: string): string => {
      let r = cache.get(p);
      if (r === undefined) {
        r = rel(p);
        cache.set(p, r);
      }
      return r;
    };
    const out = new Map<string, Diagnostic>();
    for (const { d, count, objects } of this.#entries.values()) {
      const file = d.file === null ? null : map(d.file);
      const key = keyOf(d, file);
      let o = out.get(key);
      if (o === undefined) {
        o = {
          tool: d.tool,
          file,
          line: d.line,
          column: d.column,
          severity: d.severity,
          message: d.message,
          flag: d.flag,
          count: 0,
          objects: [],
        };
        out.set(key, o);
      }
      o.count += count;
      for (const obj of objects) {
        const r = map(obj);
        if (!o.objects.includes(r)) o.objects.push(r);
      }
    }
    return [...out.values()];
  }
}
