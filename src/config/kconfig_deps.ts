/**
 * Why a requested symbol was dropped: read the Kconfig tree the way Kconfig
 * does (from the top `Kconfig`, following `source` with `$(SRCARCH)`), collect
 * each symbol's `depends on` lines plus the enclosing `if` and `menu`
 * conditions, and evaluate them against the final `.config`.
 *
 * @module
 */
import type { ConfigValue } from "./merge_config.ts";

/** One definition of a symbol (a symbol can be defined in several places). */
export interface KconfigDefinition {
  /** Without the `CONFIG_` prefix. */
  symbol: string;
  /** Path relative to the source tree, and line. */
  file: string;
  line: number;
  /** Every condition that must hold: its `depends on` lines and enclosing ifs/menus. */
  dependsOn: string[];
}

interface Frame {
  kind: "if" | "menu" | "choice";
  deps: string[];
}

/**
 * Parses the Kconfig tree under `srcTree` for `srcarch` and returns the
 * definitions of the wanted symbols.
 *
 * @param srcTree absolute kernel source tree
 * @param srcarch the `arch/` directory name (`powerpc`, `x86`…)
 * @param wanted symbols without `CONFIG_`
 */
export async function readKconfigDefinitions(
  srcTree: string,
  srcarch: string,
  wanted: Set<string>,
): Promise<Map<string, KconfigDefinition[]>> {
  const found = new Map<string, KconfigDefinition[]>();
  const seen = new Set<string>();
  const stack: Frame[] = [];

  async function parseFile(rel: string, optional: boolean): Promise<void> {
    if (seen.has(rel)) return;
    seen.add(rel);
    let text: string;
    try {
      text = await Deno.readTextFile(`${srcTree}/${rel}`);
    } catch (error) {
      // A missing non-optional file is Kconfig's error to report, not ours.
      if (error instanceof Deno.errors.NotFound || optional) return;
      throw error;
    }
    const dir = rel.includes("/") ? rel.slice(0, rel.lastIndexOf("/")) : "";
    const lines = joinContinuations(text.split("\n"));
    let current: { deps: string[] } | null = null;
    let helpIndent = -1;
    let inHelp = false;
    for (const [n, raw] of lines) {
      if (inHelp) {
        if (raw.trim() === "") continue;
        const indent = indentOf(raw);
        if (helpIndent === -1) {
          helpIndent = indent;
          continue;
        }
        if (indent >= helpIndent) continue;
        inHelp = false;
      }
      const line = stripComment(raw).trim();
      if (line === "") continue;
      const [word = "", ...restWords] = line.split(/\s+/);
      const rest = line.slice(word.length).trim();
      switch (word) {
        case "config":
        case "menuconfig": {
          const symbol = restWords[0] ?? "";
          const def: KconfigDefinition = {
            symbol,
            file: rel,
            line: n,
            dependsOn: stack.flatMap((f) => f.deps),
          };
          current = { deps: def.dependsOn };
          if (wanted.has(symbol)) {
            const list = found.get(symbol) ?? [];
            list.push(def);
            found.set(symbol, list);
          }
          break;
        }
        case "if":
          stack.push({ kind: "if", deps: [rest] });
          current = null;
          break;
        case "endif":
        case "endmenu":
        case "endchoice":
          stack.pop();
          current = null;
          break;
        case "menu":
        case "choice": {
          const frame: Frame = { kind: word, deps: [] };
          stack.push(frame);
          current = { deps: frame.deps };
          break;
        }
        case "comment":
          current = { deps: [] };
          break;
        case "source":
        case "rsource":
        case "osource":
        case "orsource": {
          const target = unquoteWord(rest).replaceAll("$(SRCARCH)", srcarch)
            .replaceAll("$SRCARCH", srcarch);
          const relative = word === "rsource" || word === "orsource";
          const path = relative && dir ? `${dir}/${target}` : target;
          await parseFile(path, word.startsWith("o"));
          break;
        }
        case "depends":
          if (current && restWords[0] === "on") {
            current.deps.push(rest.replace(/^on\s+/, ""));
          }
          break;
        case "help":
        case "---help---":
          inHelp = true;
          helpIndent = -1;
          break;
        default:
          break;
      }
    }
  }

  await parseFile("Kconfig", false);
  return found;
}

function indentOf(line: string): number {
  let n = 0;
  for (const ch of line) {
    if (ch === " ") n += 1;
    else if (ch === "\t") n = (Math.floor(n / 8) + 1) * 8;
    else break;
  }
  return n;
}

function stripComment(line: string): string {
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === "#") return line.slice(0, i);
  }
  return line;
}

function unquoteWord(text: string): string {
  const t = text.trim();
  return /^".*"$/.test(t) ? t.slice(1, -1) : t;
}

function joinContinuations(lines: string[]): [number, string][] {
  const out: [number, string][] = [];
  for (let i = 0; i < lines.length; i++) {
    const start = i + 1;
    let line = lines[i]!;
    while (line.endsWith("\\") && i + 1 < lines.length) {
      line = line.slice(0, -1) + " " + lines[++i]!.trim();
    }
    out.push([start, line]);
  }
  return out;
}

type Tri = 0 | 1 | 2;

/** A symbol's tristate value in the final config (strings count as y). */
function symbolValue(
  name: string,
  config: Map<string, ConfigValue>,
): Tri {
  if (name === "y") return 2;
  if (name === "m") return 1;
  if (name === "n") return 0;
  const v = config.get(`CONFIG_${name}`) ?? null;
  if (v === null || v === "n") return 0;
  return v === "m" ? 1 : 2;
}

/**
 * Evaluates a Kconfig dependency expression (`A && (B || !C)`, `A=y`, `A!=n`)
 * in tristate logic against a final config.
 *
 * @returns 0 (n), 1 (m) or 2 (y)
 *
 * @example
 * ```ts
 * import { evalKconfigExpr } from "./kconfig_deps.ts";
 * const cfg = new Map([["CONFIG_A", "y"], ["CONFIG_B", "m"]]);
 * if (evalKconfigExpr("A && B", cfg) !== 1) throw new Error();
 * if (evalKconfigExpr("A && !(C || B=m)", cfg) !== 0) throw new Error();
 * ```
 */
export function evalKconfigExpr(
  expr: string,
  config: Map<string, ConfigValue>,
): Tri {
  const tokens =
    expr.match(/"[^"]*"|&&|\|\||!=|<=|>=|[!()=<>]|[A-Za-z0-9_]+/g) ??
      [];
  let pos = 0;
  const peek = () => tokens[pos];
  const next = () => tokens[pos++];
  const raw = (tok: string | undefined): string => {
    if (tok === undefined) return "";
    if (tok.startsWith('"')) return tok.slice(1, -1);
    if (/^[A-Z0-9_]+$/.test(tok) && /[A-Z_]/.test(tok)) {
      const v = config.get(`CONFIG_${tok}`) ?? null;
      return v === null ? "n" : v.replace(/^"(.*)"$/, "$1");
    }
    return tok;
  };
  function primary(): Tri {
    const tok = next();
    if (tok === "!") return (2 - primary()) as Tri;
    if (tok === "(") {
      const v = or();
      if (peek() === ")") next();
      return v;
    }
    const op = peek();
    if (op === "=" || op === "!=") {
      next();
      const eq = raw(tok) === raw(next());
      return (op === "=" ? eq : !eq) ? 2 : 0;
    }
    if (op === "<" || op === ">" || op === "<=" || op === ">=") {
      next();
      const a = Number(raw(tok));
      const b = Number(raw(next()));
      const r = op === "<"
        ? a < b
        : op === ">"
        ? a > b
        : op === "<="
        ? a <= b
        : a >= b;
      return r ? 2 : 0;
    }
    if (tok === undefined) return 2;
    if (tok.startsWith('"')) return 0;
    return symbolValue(tok, config);
  }
  function and(): Tri {
    let v = primary();
    while (peek() === "&&") {
      next();
      v = Math.min(v, primary()) as Tri;
    }
    return v;
  }
  function or(): Tri {
    let v = and();
    while (peek() === "||") {
      next();
      v = Math.max(v, and()) as Tri;
    }
    return v;
  }
  return or();
}

/**
 * Explains why `symbol` (with `CONFIG_`) could not take `requested`, from its
 * Kconfig definitions, or null when the dependencies look met.
 *
 * @example
 * ```ts
 * import { explainDropped } from "./kconfig_deps.ts";
 * const defs = [{ symbol: "FOO", file: "Kconfig", line: 3, dependsOn: ["BAR && BAZ"] }];
 * const why = explainDropped("CONFIG_FOO", "y", defs, new Map([["CONFIG_BAZ", "y"]]));
 * if (why !== "depends on BAR && BAZ (BAR=n, BAZ=y)") throw new Error(String(why));
 * ```
 */
export function explainDropped(
  symbol: string,
  requested: ConfigValue,
  definitions: KconfigDefinition[] | undefined,
  config: Map<string, ConfigValue>,
): string | null {
  const bare = symbol.replace(/^CONFIG_/, "");
  if (!definitions || definitions.length === 0) {
    return `${bare} is not defined by any Kconfig file for this architecture`;
  }
  if (requested === null) return null;
  const want: Tri = requested === "m" ? 1 : 2;
  const reasons: string[] = [];
  for (const def of definitions) {
    for (const dep of def.dependsOn) {
      const v = evalKconfigExpr(dep, config);
      if (v >= want) continue;
      const names = [
        ...new Set(dep.match(/\b[A-Z0-9_]*[A-Z][A-Z0-9_]*\b/g) ?? []),
      ];
      const values = names.map((n) => {
        const val = config.get(`CONFIG_${n}`) ?? null;
        return `${n}=${val ?? "n"}`;
      });
      const limited = v === 1 ? " limits it to m" : "";
      reasons.push(`depends on ${dep}${limited} (${values.join(", ")})`);
    }
  }
  return reasons.length ? [...new Set(reasons)].join("; ") : null;
}

/** The `arch/` directory for a make `ARCH` value. */
export function srcArchOf(arch: string): string {
  switch (arch) {
    case "i386":
    case "x86_64":
      return "x86";
    case "sparc32":
    case "sparc64":
      return "sparc";
    case "parisc64":
      return "parisc";
    case "sh64":
      return "sh";
    default:
      return arch;
  }
}
