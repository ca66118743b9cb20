/**
 * The layering check (ARCHITECTURE.md): reads the import graph of `src/` and
 * `main.ts` and fails on an import against the layering, on a subprocess
 * started outside `src/proc/`, and on a module loaded from a computed name.
 *
 * Known violations sit in `tools/layers_allowlist.txt` while they are being
 * removed; an entry that no longer matches anything is an error too, so the
 * list only shrinks.
 *
 * Usage: `deno run -A tools/check_layers.ts [--graph] [--prune]`; `--prune`
 * removes the fixed violations from the allowlist.
 *
 * @module
 */

/** The layer of each area, bottom (0) up. An area imports only lower ranks. */
export const LAYERS: Readonly<Record<string, number>> = {
  base: 0, // src/errors.ts, src/paths.ts, src/version.ts
  util: 1,
  proc: 2,
  git: 3,
  diagnostics: 3,
  report: 3,
  host: 3,
  fetch: 4,
  toolchain: 5,
  doctor: 6,
  cache: 6,
  config: 7,
  lore: 7,
  record: 8,
  build: 9,
  repro: 10,
  matrix: 10,
  logs: 10,
  series: 11,
  verify: 11,
  presubmit: 12,
  cli: 13,
  main: 14,
};

/** One finding of the check. */
export interface Violation {
  /** The allowlist key: `import a.ts -> b.ts`, `spawn a.ts` or `dynamic a.ts`. */
  key: string;
  /** One line saying what is wrong. */
  message: string;
}

const IMPORT_RE =
  /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+|\bexport\s+\*\s+from\s*)(["'])(\.{1,2}\/[^"']+)\1/gm;
/**
 * The files that load modules lazily through `load("…")`, typed to their
 * own literals: the command registry and the make.cross entry's fallback.
 */
const REGISTRIES = new Set([
  "src/cli/bundle_manifest.ts",
  "src/cli/commands.ts",
  "src/cli/make_cross_fast.ts",
]);
const REGISTRY_RE = /\bload\s*\(\s*(["'])(\.{1,2}\/[^"']+)\1/g;
const DYNAMIC_RE =
  /(?:\bawait\s+|\breturn\s+|[=(,:]\s*)import\s*\(\s*(?![\s"'])/g;
const SPAWN_RE =
  /\bDeno\.Command\b|\bDeno\.run\s*\(|["']node:child_process["']/g;

/**
 * The area a repository path belongs to: `src/<area>/…` is `<area>`, the
 * files directly in `src/` are `base`, `main.ts` is `main`.
 *
 * @example
 * ```ts
 * import { areaOf } from "./check_layers.ts";
 * if (areaOf("src/build/run_build.ts") !== "build") throw new Error();
 * if (areaOf("src/errors.ts") !== "base") throw new Error();
 * ```
 */
export function areaOf(path: string): string | undefined {
  const parts = path.split("/");
  if (parts.length === 1) return parts[0] === "main.ts" ? "main" : undefined;
  if (parts[0] !== "src") return undefined;
  return parts.length === 2 ? "base" : parts[1];
}

/** Joins a relative specifier to the directory of `from` (POSIX, no I/O). */
export function resolveSpecifier(from: string, spec: string): string {
  const parts = from.split("/").slice(0, -1);
  for (const seg of spec.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") parts.pop();
    else parts.push(seg);
  }
  return parts.join("/");
}

/** Removes comments so an `@example` in JSDoc is not read as an import. */
function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
}

/** The repository paths `path` imports (relative `.ts` specifiers only). */
export function importsOf(path: string, text: string): string[] {
  const out: string[] = [];
  const code = stripComments(text);
  const loads = REGISTRIES.has(path) ? [...code.matchAll(REGISTRY_RE)] : [];
  for (const m of [...code.matchAll(IMPORT_RE), ...loads]) {
    const target = resolveSpecifier(path, m[2]!);
    if (target.endsWith(".ts")) out.push(target);
  }
  return out;
}

/**
 * Checks the files (repository path → text) against the layering.
 *
 * @returns every violation, in path order
 */
export function checkLayers(files: ReadonlyMap<string, string>): Violation[] {
  const found: Violation[] = [];
  for (const path of [...files.keys()].sort()) {
    const text = files.get(path)!;
    const area = areaOf(path);
    if (area === undefined) continue;
    const rank = LAYERS[area];
    if (rank === undefined) {
      found.push({
        key: `area ${area}`,
        message:
          `src/${area}/ has no layer: add it to LAYERS in tools/check_layers.ts and to ARCHITECTURE.md`,
      });
      continue;
    }
    for (const target of new Set(importsOf(path, text))) {
      const to = areaOf(target);
      if (to === undefined) continue;
      if (to === area) {
        const modText = files.get(target);
        if (
          target === `src/${area}/mod.ts` && modText !== undefined &&
          importsOf(target, modText).includes(path)
        ) {
          found.push({
            key: `import ${path} -> ${target}`,
            message:
              `${path} imports its area's mod.ts, which imports it back: import the file that defines it`,
          });
        }
        continue;
      }
      if (target.split("/").at(-1)!.startsWith("_")) {
        found.push({
          key: `import ${path} -> ${target}`,
          message:
            `${path} imports ${target}, which is private to src/${to}/ (leading "_")`,
        });
        continue;
      }
      const toRank = LAYERS[to];
      if (toRank !== undefined && toRank < rank) continue;
      found.push({
        key: `import ${path} -> ${target}`,
        message:
          `${path} (${area}, layer ${rank}) imports ${target} (${to}, layer ${
            toRank ?? "?"
          }): imports go to lower layers only`,
      });
    }
    const code = stripComments(text);
    if (!path.startsWith("src/proc/") && SPAWN_RE.test(code)) {
      found.push({
        key: `spawn ${path}`,
        message: `${path} starts a process itself: use the runner in src/proc/`,
      });
    }
    SPAWN_RE.lastIndex = 0;
    if (!REGISTRIES.has(path) && DYNAMIC_RE.test(code)) {
      found.push({
        key: `dynamic ${path}`,
        message:
          `${path} imports a module by a computed name: inject the dependency instead`,
      });
    }
    DYNAMIC_RE.lastIndex = 0;
  }
  return found;
}

/** The area-level import graph: edges, back-edges and cycles. */
export interface AreaGraph {
  /** `from -> to` for every pair of areas with at least one import. */
  edges: string[];
  /** The edges that go up (or sideways) against LAYERS. */
  backEdges: string[];
  /** Strongly connected groups of more than one area. */
  cycles: string[][];
}

/** Builds the area graph of `files` (for the before/after measurements). */
export function areaGraph(files: ReadonlyMap<string, string>): AreaGraph {
  const adj = new Map<string, Set<string>>();
  for (const [path, text] of files) {
    const a = areaOf(path);
    if (a === undefined) continue;
    for (const t of importsOf(path, text)) {
      const b = areaOf(t);
      if (b === undefined || b === a) continue;
      if (!adj.has(a)) adj.set(a, new Set());
      adj.get(a)!.add(b);
    }
  }
  const edges: string[] = [];
  const backEdges: string[] = [];
  for (const [a, set] of [...adj].sort()) {
    for (const b of [...set].sort()) {
      edges.push(`${a} -> ${b}`);
      if ((LAYERS[b] ?? Infinity) >= (LAYERS[a] ?? -Infinity)) {
        backEdges.push(`${a} -> ${b}`);
      }
    }
  }
  return { edges, backEdges, cycles: stronglyConnected(adj) };
}

/** Tarjan's algorithm; returns the components with more than one node. */
function stronglyConnected(adj: Map<string, Set<string>>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of adj.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1) out.push(comp.sort());
    }
  };
  for (const v of [...adj.keys()].sort()) if (!idx.has(v)) visit(v);
  return out;
}

/** Reads `src/**.ts` and `main.ts` under `root` into path → text. */
export async function readTree(root: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const walk = async (rel: string) => {
    for await (const e of Deno.readDir(`${root}/${rel}`)) {
      const p = `${rel}/${e.name}`;
      if (e.isDirectory) await walk(p);
      else if (e.isFile && e.name.endsWith(".ts")) {
        files.set(p, await Deno.readTextFile(`${root}/${p}`));
      }
    }
  };
  await walk("src");
  files.set("main.ts", await Deno.readTextFile(`${root}/main.ts`));
  return files;
}

/** The allowlist's keys (blank lines and `#` comments skipped). */
export function parseAllowlist(text: string): string[] {
  return text.split("\n").map((l) => l.replace(/#.*/, "").trim()).filter((l) =>
    l !== ""
  );
}

/** What the check concludes: new violations and stale allowlist entries. */
export interface CheckResult {
  violations: Violation[];
  stale: string[];
  allowed: number;
}

/** Runs the whole check on the tree at `root`. */
export async function checkTree(root: string): Promise<CheckResult> {
  const files = await readTree(root);
  const allow = new Set(
    parseAllowlist(
      await Deno.readTextFile(`${root}/tools/layers_allowlist.txt`),
    ),
  );
  const all = checkLayers(files);
  const keys = new Set(all.map((v) => v.key));
  return {
    violations: all.filter((v) => !allow.has(v.key)),
    stale: [...allow].filter((k) => !keys.has(k)),
    allowed: all.length - all.filter((v) => !allow.has(v.key)).length,
  };
}

if (import.meta.main) {
  const root = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
  const lines: string[] = [];
  if (Deno.args.includes("--graph")) {
    const g = areaGraph(await readTree(root));
    lines.push(`area edges: ${g.edges.length}`);
    lines.push(`back-edges: ${g.backEdges.length}`);
    for (const e of g.backEdges) lines.push(`  ${e}`);
    lines.push(`cycles: ${g.cycles.length}`);
    for (const c of g.cycles) lines.push(`  ${c.join(" <-> ")}`);
  }
  let r = await checkTree(root);
  if (Deno.args.includes("--prune") && r.stale.length > 0) {
    const path = `${root}/tools/layers_allowlist.txt`;
    const stale = new Set(r.stale);
    const kept = (await Deno.readTextFile(path)).split("\n").filter((l) =>
      !stale.has(l.replace(/#.*/, "").trim())
    );
    await Deno.writeTextFile(path, kept.join("\n"));
    lines.push(`pruned ${stale.size} fixed violation(s) from the allowlist`);
    r = await checkTree(root);
  }
  for (const v of r.violations) lines.push(`error: ${v.message}`);
  for (const k of r.stale) {
    lines.push(
      `error: "${k}" is fixed: remove it from tools/layers_allowlist.txt`,
    );
  }
  lines.push(
    `check_layers: ${r.violations.length} new violation(s), ${r.stale.length} stale allowlist entr(ies), ${r.allowed} known violation(s) still allowed`,
  );
  await Deno.stdout.write(new TextEncoder().encode(lines.join("\n") + "\n"));
  Deno.exit(r.violations.length + r.stale.length > 0 ? 1 : 0);
}
