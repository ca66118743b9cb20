/**
 * Finds the line of a key in TOML text, so schema errors can point at
 * `file:line`. smol-toml gives positions only for syntax errors; this is a
 * small scanner over table headers and `key =` lines, good for the shapes
 * matrix files use (tables, arrays of tables, plain and inline keys).
 *
 * @module
 */

function bareKey(raw: string): string {
  const t = raw.trim();
  if (
    (t.startsWith('"') && t.endsWith('"')) ||
    (t.startsWith("'") && t.endsWith("'"))
  ) return t.slice(1, -1);
  return t;
}

function headerPath(inner: string): string[] {
  return inner.split(".").map(bareKey);
}

/**
 * The 1-based line where the value at `path` is defined in `text`, or the
 * nearest enclosing table's line, or 1.
 *
 * @param text the TOML source
 * @param path a zod-style path: keys and array indexes
 * @returns a 1-based line number
 * @example
 * ```ts
 * import { locateKey } from "./_locate.ts";
 * const text = "[matrix]\narch = [\"x\"]\n[[exclude]]\narch = \"a\"\n[[exclude]]\nconfig = 1\n";
 * if (locateKey(text, ["matrix", "arch"]) !== 2) throw new Error();
 * if (locateKey(text, ["exclude", 1, "config"]) !== 6) throw new Error();
 * ```
 */
export function locateKey(text: string, path: (string | number)[]): number {
  const lines = text.split("\n");
  // Table path in effect for each line, with array-of-tables indexes.
  let table: (string | number)[] = [];
  const aotCount = new Map<string, number>();
  let best = 1;
  let bestDepth = -1;
  const consider = (full: (string | number)[], line: number) => {
    let depth = 0;
    while (
      depth < full.length && depth < path.length &&
      String(full[depth]) === String(path[depth])
    ) depth++;
    if ((depth === full.length || depth === path.length) && depth > bestDepth) {
      best = line;
      bestDepth = depth;
    }
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/^\s+/, "");
    if (line.startsWith("#") || line === "") continue;
    // Greedy up to "]" and trimmed after: a lazy group with \s* around it
    // backtracks quadratically on a long unclosed header.
    const aot = line.match(/^\[\[([^\]]*)\]\]/);
    if (aot) {
      const keys = headerPath(aot[1]!.trim());
      const name = keys.join(".");
      const n = aotCount.get(name) ?? 0;
      aotCount.set(name, n + 1);
      table = [...keys, n];
      consider(table, i + 1);
      continue;
    }
    const tbl = line.match(/^\[([^\]]*)\]/);
    if (tbl) {
      table = headerPath(tbl[1]!.trim());
      consider(table, i + 1);
      continue;
    }
    const kv = line.match(
      // No "." in the first key's class: "a.b.c" must split one way only
      // (an ambiguous split backtracks exponentially on a long dotted line).
      /^((?:"[^"]*"|'[^']*'|[A-Za-z0-9_-]+)\s*(?:\.\s*(?:"[^"]*"|'[^']*'|[A-Za-z0-9_-]+)\s*)*)=/,
    );
    if (kv) {
      const full = [...table, ...headerPath(kv[1]!)];
      consider(full, i + 1);
      // Inline table keys on the same line: `match = { arch = "x" }`.
      const rest = line.slice(kv[0].length);
      // Word starts only: a long run of word characters is scanned once.
      for (
        const m of rest.matchAll(/(?<![A-Za-z0-9_-])([A-Za-z0-9_-]+)\s*=/g)
      ) {
        consider([...full, m[1]!], i + 1);
      }
    }
  }
  return best;
}
