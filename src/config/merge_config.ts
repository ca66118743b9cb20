/**
 * `.config` text: parsing, fragment merging the way the kernel's
 * `scripts/kconfig/merge_config.sh` does it, and the check that requested
 * values survived `olddefconfig`.
 *
 * @module
 */
import { UserError } from "../errors.ts";

/** One symbol's value: the text after `=`, or null for "is not set" / `=n`. */
export type ConfigValue = string | null;

/** A symbol and its value as one line of a `.config` or fragment sets. */
export interface ConfigAssignment {
  /** With the `CONFIG_` prefix. */
  symbol: string;
  value: ConfigValue;
}

/** A requested symbol whose value did not survive olddefconfig. */
export interface DroppedSymbol {
  symbol: string;
  /** What was asked for (null: not set). */
  requested: ConfigValue;
  /** What the final `.config` has (null: not set or absent). */
  actual: ConfigValue;
  /** Why, when Kconfig can tell (e.g. `depends on PCI (PCI=n)`). */
  reason: string | null;
}

const SET_RE = /^(CONFIG_[A-Za-z0-9_]+)=(.*)$/;
const UNSET_RE = /^# (CONFIG_[A-Za-z0-9_]+) is not set\s*$/;

/**
 * Parses one `.config` line.
 *
 * @returns the assignment, or null for comments and blank lines
 *
 * @example
 * ```ts
 * import { parseConfigLine } from "./merge_config.ts";
 * const a = parseConfigLine("# CONFIG_WERROR is not set");
 * if (a?.symbol !== "CONFIG_WERROR" || a.value !== null) throw new Error();
 * if (parseConfigLine("CONFIG_X=n")?.value !== null) throw new Error();
 * ```
 */
export function parseConfigLine(line: string): ConfigAssignment | null {
  const set = SET_RE.exec(line.trimEnd());
  if (set) {
    const value = set[2]!;
    return { symbol: set[1]!, value: value === "n" ? null : value };
  }
  const unset = UNSET_RE.exec(line);
  return unset ? { symbol: unset[1]!, value: null } : null;
}

/** Every assignment in a `.config` or fragment, last one winning. */
export function parseConfig(text: string): Map<string, ConfigValue> {
  const map = new Map<string, ConfigValue>();
  for (const line of text.split("\n")) {
    const a = parseConfigLine(line);
    if (a) map.set(a.symbol, a.value);
  }
  return map;
}

/**
 * The value of `symbol` in `.config` text, exactly as `parseConfig(text)
 * .get(symbol)` (last assignment wins, `=n` and "is not set" are null),
 * without parsing the other 15 000 lines of an allmodconfig.
 *
 * @example
 * ```ts
 * import { configValue } from "./merge_config.ts";
 * const t = "CONFIG_A=y\n# CONFIG_B is not set\nCONFIG_C=\"x y\"  \nCONFIG_A=m\n";
 * if (configValue(t, "CONFIG_A") !== "m" || configValue(t, "CONFIG_B") !== null) throw new Error();
 * if (configValue(t, "CONFIG_C") !== '"x y"' || configValue(t, "CONFIG_D") !== undefined) throw new Error();
 * ```
 */
export function configValue(
  text: string,
  symbol: string,
): ConfigValue | undefined {
  if (!/^CONFIG_[A-Za-z0-9_]+$/.test(symbol)) {
    return parseConfig(text).get(symbol);
  }
  const re = new RegExp(
    `^(?:${symbol}=(.*)|# ${symbol} is not set[^\\S\\n]*)$`,
    "gm",
  );
  let value: ConfigValue | undefined;
  for (const m of text.matchAll(re)) {
    if (m[1] === undefined) value = null;
    else {
      const v = m[1].trimEnd();
      value = v === "n" ? null : v;
    }
  }
  return value;
}

/**
 * Parses a `--set` word: `CONFIG_X=y|m|n|value`, `X=y` (prefix added) or
 * `# CONFIG_X is not set`.
 *
 * @throws {UserError} when it is none of these
 *
 * @example
 * ```ts
 * import { parseSet } from "./merge_config.ts";
 * const a = parseSet("WERROR=n");
 * if (a.symbol !== "CONFIG_WERROR" || a.value !== null) throw new Error();
 * ```
 */
export function parseSet(word: string): ConfigAssignment {
  const trimmed = word.trim();
  const direct = parseConfigLine(trimmed);
  if (direct) return direct;
  const bare = /^([A-Za-z0-9_]+)=(.*)$/.exec(trimmed);
  if (bare) return parseConfigLine(`CONFIG_${bare[1]}=${bare[2]}`)!;
  throw new UserError(`Bad config override "${word}"`, {
    hint: 'write it as "CONFIG_X=y", "CONFIG_X=m", "CONFIG_X=n" or ' +
      '"# CONFIG_X is not set"',
  });
}

/** Formats an assignment as its `.config` line. */
export function formatAssignment(a: ConfigAssignment): string {
  return a.value === null
    ? `# ${a.symbol} is not set`
    : `${a.symbol}=${a.value}`;
}

/** What merging changed, for the log (merge_config.sh prints these too). */
export interface MergeNote {
  symbol: string;
  previous: ConfigValue;
  value: ConfigValue;
  /** Fragment name (or `--set`). */
  from: string;
}

/** A fragment to merge: its name (for messages) and its text. */
export interface Fragment {
  name: string;
  text: string;
}

/**
 * Merges fragments into a base `.config` as merge_config.sh does: each
 * fragment's symbols are removed from the running result, then the whole
 * fragment is appended, so later fragments win.
 *
 * @param base the starting `.config` text
 * @param fragments in order
 * @returns the merged text and each value that changed
 *
 * @example
 * ```ts
 * import { mergeConfig } from "./merge_config.ts";
 * const m = mergeConfig("CONFIG_A=y\nCONFIG_B=y\n", [
 *   { name: "f", text: "# CONFIG_A is not set\nCONFIG_C=m\n" },
 * ]);
 * if (m.text !== "CONFIG_B=y\n# CONFIG_A is not set\nCONFIG_C=m\n") throw new Error(m.text);
 * if (m.notes.length !== 1 || m.notes[0]?.symbol !== "CONFIG_A") throw new Error();
 * ```
 */
export function mergeConfig(
  base: string,
  fragments: Fragment[],
): { text: string; notes: MergeNote[] } {
  let lines = base.split("\n");
  if (lines.at(-1) === "") lines.pop();
  const notes: MergeNote[] = [];
  for (const fragment of fragments) {
    const incoming = parseConfig(fragment.text);
    if (incoming.size === 0) continue;
    const current = parseConfig(lines.join("\n"));
    for (const [symbol, value] of incoming) {
      if (current.has(symbol) && current.get(symbol) !== value) {
        notes.push({
          symbol,
          previous: current.get(symbol) ?? null,
          value,
          from: fragment.name,
        });
      }
    }
    lines = lines.filter((line) => {
      const a = parseConfigLine(line);
      return !(a && incoming.has(a.symbol));
    });
    const add = fragment.text.split("\n");
    if (add.at(-1) === "") add.pop();
    for (const l of add) lines.push(l); // no spread: a fragment may be huge
  }
  return { text: lines.length ? `${lines.join("\n")}\n` : "", notes };
}

/**
 * The values the user asked for: every symbol in the fragments and sets,
 * later ones winning.
 */
export function requestedValues(
  fragments: Fragment[],
): Map<string, ConfigValue> {
  const requested = new Map<string, ConfigValue>();
  for (const f of fragments) {
    for (const [symbol, value] of parseConfig(f.text)) {
      requested.set(symbol, value);
    }
  }
  return requested;
}

function unquote(v: ConfigValue): ConfigValue {
  return v !== null && /^".*"$/.test(v) ? v.slice(1, -1) : v;
}

/**
 * Requested symbols whose final value differs (reason left null; see
 * `explainDropped`).
 *
 * @example
 * ```ts
 * import { findDropped } from "./merge_config.ts";
 * const req = new Map([["CONFIG_A", "y"], ["CONFIG_B", null], ["CONFIG_S", "x"]]);
 * const fin = new Map([["CONFIG_S", '"x"']]);
 * const d = findDropped(req, fin);
 * if (d.length !== 1 || d[0]?.symbol !== "CONFIG_A" || d[0].actual !== null) throw new Error();
 * ```
 */
export function findDropped(
  requested: Map<string, ConfigValue>,
  final: Map<string, ConfigValue>,
): DroppedSymbol[] {
  const dropped: DroppedSymbol[] = [];
  for (const [symbol, value] of requested) {
    const actual = final.get(symbol) ?? null;
    if (unquote(actual) !== unquote(value)) {
      dropped.push({ symbol, requested: value, actual, reason: null });
    }
  }
  return dropped;
}
