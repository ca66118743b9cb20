/**
 * The last few kbuild steps (`CC`, `CHECK`…), for attributing diagnostics
 * to the object being built. A ring buffer: pushing is a few stores, the
 * per-object work happens only when a diagnostic asks.
 *
 * @module
 */
import { stem, stripDotPrefixes } from "./_paths.ts";

/** How many concurrent units to remember (more than any sane `-j` interleave). */
const SIZE = 16;

/** A unit to look for: its path without extension and its base name. */
export interface UnitKey {
  stem: string;
  base: string;
}

/** The `UnitKey` of a source path (`/k/drivers/a.c` → `/k/drivers/a`, `a`). */
export function unitKey(path: string): UnitKey {
  const st = stem(path);
  return { stem: st, base: st.slice(st.lastIndexOf("/") + 1) };
}

/** Recent steps, newest last. */
export class RecentSteps {
  /** Each step's target as `text[start, end)`, sliced only when asked. */
  #texts: string[] = new Array<string>(SIZE).fill("");
  #starts: number[] = new Array<number>(SIZE).fill(0);
  #ends: number[] = new Array<number>(SIZE).fill(0);
  #targets: (string | null)[] = new Array<string | null>(SIZE).fill(null);
  #check: boolean[] = new Array<boolean>(SIZE).fill(false);
  #bases: (string | null)[] = new Array<string | null>(SIZE).fill(null);
  #objects: (string | null)[] = new Array<string | null>(SIZE).fill(null);
  #stems: (string | null)[] = new Array<string | null>(SIZE).fill(null);
  #next = 0;
  #size = 0;

  /**
   * Records a step whose target (as printed) is `text[start, end)`; `check`
   * for sparse's CHECK.
   */
  push(text: string, start: number, end: number, check: boolean): void {
    const i = this.#next;
    this.#texts[i] = text;
    this.#starts[i] = start;
    this.#ends[i] = end;
    this.#targets[i] = null;
    this.#check[i] = check;
    this.#bases[i] = null;
    this.#objects[i] = null;
    this.#stems[i] = null;
    this.#next = i + 1 === SIZE ? 0 : i + 1;
    if (this.#size < SIZE) this.#size++;
  }

  /**
   * The slot of the newest step whose unit is `hint` (a source path with
   * any prefix), else of the newest step; -1 when there is none.
   */
  find(hint: UnitKey | null): number {
    if (this.#size === 0) return -1;
    const newest = this.#next === 0 ? SIZE - 1 : this.#next - 1;
    if (hint === null) return newest;
    let i = newest;
    for (let k = 0; k < this.#size; k++) {
      if (this.#base(i) === hint.base) {
        const st = this.#stem(i);
        const h = hint.stem;
        if (
          h.endsWith(st) &&
          (h.length === st.length ||
            h.charCodeAt(h.length - st.length - 1) === 47)
        ) return i;
      }
      i = i === 0 ? SIZE - 1 : i - 1;
    }
    return newest;
  }

  /** The object (`drivers/x.o`) of slot `i`; CHECK's source mapped to it. */
  object(i: number): string {
    let o = this.#objects[i];
    if (o === null || o === undefined) {
      const t = this.#target(i);
      o = t.startsWith("/") ? t : stripDotPrefixes(t);
      if (this.#check[i]) o = `${stem(o)}.o`;
      this.#objects[i] = o;
    }
    return o;
  }

  #target(i: number): string {
    let t = this.#targets[i];
    if (t === null || t === undefined) {
      t = this.#texts[i]!.slice(this.#starts[i], this.#ends[i]);
      this.#targets[i] = t;
    }
    return t;
  }

  #stem(i: number): string {
    let s = this.#stems[i];
    if (s === null || s === undefined) {
      s = stem(this.object(i));
      this.#stems[i] = s;
    }
    return s;
  }

  #base(i: number): string {
    let b = this.#bases[i];
    if (b === null || b === undefined) {
      const t = this.#target(i);
      const slash = t.lastIndexOf("/");
      const dot = t.lastIndexOf(".");
      b = t.slice(slash + 1, dot > slash ? dot : t.length);
      this.#bases[i] = b;
    }
    return b;
  }

  /** Whether slot `i` is a sparse CHECK step. */
  isCheck(i: number): boolean {
    return this.#check[i] === true;
  }

  /** The newest step's object, or null. */
  newestObject(): string | null {
    if (this.#size === 0) return null;
    return this.object(this.#next === 0 ? SIZE - 1 : this.#next - 1);
  }
}
