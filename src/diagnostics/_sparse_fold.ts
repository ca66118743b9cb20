/**
 * sparse's multi-line messages: a `FILE:L:C: sparse: …` line is held back
 * while the lines after it (same location, `sparse:     expected …`) extend
 * it, and folded into one message joined by ` @@ `, as the robot prints
 * them. Every other diagnostic passes straight through to the aggregator.
 *
 * @module
 */
import type { Aggregator, RawDiagnostic } from "./_aggregate.ts";
import { matchAt } from "./_scan.ts";

/** The one diagnostic that continuation lines may still extend. */
export class SparseFold {
  #agg: Aggregator;
  #pending: RawDiagnostic | null = null;
  /** The `FILE:L:C:` its continuation lines start with. */
  #loc = "";
  #parts: string[] = [];

  constructor(agg: Aggregator) {
    this.#agg = agg;
  }

  /** Whether a diagnostic is held back. */
  get holding(): boolean {
    return this.#pending !== null;
  }

  /** Adds a diagnostic that nothing extends (after the held one). */
  add(d: RawDiagnostic): void {
    this.flush();
    this.#agg.addKeyed(d);
  }

  /** Holds `d` back; lines starting with `loc` may extend it. */
  hold(d: RawDiagnostic, loc: string): void {
    this.flush();
    this.#pending = d;
    this.#loc = loc;
  }

  /** Takes the line if it continues the held diagnostic. */
  continues(text: string, s: number, e: number): boolean {
    if (!matchAt(text, s, this.#loc)) return false;
    const rest = s + this.#loc.length;
    if (matchAt(text, rest, " sparse:  ")) {
      this.#parts.push(text.slice(rest + 9, e));
      return true;
    }
    if (matchAt(text, rest, "    ")) {
      this.#parts.push(text.slice(rest, e));
      return true;
    }
    return false;
  }

  /** Hands the held diagnostic, folded, to the aggregator. */
  flush(): void {
    const d = this.#pending;
    if (d === null) return;
    this.#pending = null;
    // The robot's rendering already carries the folded parts.
    if (this.#parts.length > 0 && !d.message.endsWith(" @@")) {
      d.message = `${d.message} @@ ${this.#parts.join(" @@ ")} @@`;
    }
    this.#parts = [];
    this.#agg.addKeyed(d);
  }
}
