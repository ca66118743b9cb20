/**
 * Prefetching toolchains for offline machines: which compiler/triple pairs a
 * list of compilers × arches (or a directory of robot reports) needs, as a
 * pure plan; the CLI then resolves each (download + verify).
 *
 * @module
 */
import { UserError } from "../errors.ts";
import { archInfo, supportedArches } from "./arch.ts";
import { parseCompiler } from "./catalog.ts";

/** One toolchain to prefetch. */
export interface PrefetchItem {
  compiler: string;
  /** gcc: the crosstool triple; clang: the arch's default triple (unused). */
  triple: string;
  arch: string;
}

/** The arches `--arches` names (`all`, or a comma list). */
export function parseArches(value: string | undefined): string[] {
  if (!value || value === "all") return supportedArches();
  return value.split(",").map((a) => a.trim()).filter((a) => a).map((a) =>
    archInfo(a).name
  );
}

/**
 * The toolchains `compilers` × `arches` need: one clang per compiler (it
 * serves every arch), one gcc per distinct triple (an arch's default triple
 * and those its config rules may pick, e.g. mips64-linux).
 *
 * @example
 * ```ts
 * import { planPrefetch } from "./prefetch.ts";
 * const p = planPrefetch(["gcc-15.2.0", "clang-21"], ["powerpc", "mips"]);
 * if (p.map((i) => `${i.compiler}/${i.triple}`).join() !== "gcc-15.2.0/powerpc-linux,gcc-15.2.0/powerpc64-linux,gcc-15.2.0/mips-linux,gcc-15.2.0/mips64-linux,clang-21/powerpc-linux") throw new Error(p.map((i) => i.triple).join());
 * ```
 */
export function planPrefetch(
  compilers: string[],
  arches: string[],
): PrefetchItem[] {
  const out: PrefetchItem[] = [];
  const seen = new Set<string>();
  for (const c of compilers) {
    const spec = parseCompiler(c);
    for (const arch of arches) {
      const info = archInfo(arch);
      const triples = spec.family === "clang"
        ? [info.triple]
        : [info.triple, ...(info.rules ?? []).map((r) => r.triple)];
      for (const triple of triples) {
        const key = spec.family === "clang" ? c : `${c}/${triple}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push({ compiler: c, triple, arch: info.name });
      }
    }
  }
  return out;
}

/**
 * The toolchains robot reports in `texts` name: their `compiler:` line
 * (kernel.org gcc `powerpc-linux-gcc (GCC) 11.2.0`, `clang version 20.1.8`,
 * `…git` snapshots) and the arch of their `config:` line or `ARCH=`. Distro
 * compilers are skipped (a package manager installs those).
 *
 * @example
 * ```ts
 * import { prefetchFromReports } from "./prefetch.ts";
 * const r = prefetchFromReports(["config: powerpc-allmodconfig\ncompiler: powerpc-linux-gcc (GCC) 11.2.0\n", "config: arm64-randconfig-001\ncompiler: clang version 20.1.8 (https://github.com/llvm/llvm-project 87f0227)\n"]);
 * if (r.map((i) => `${i.compiler}/${i.triple}`).join() !== "gcc-11.2.0/powerpc-linux,clang-20.1.8/aarch64-linux") throw new Error(JSON.stringify(r));
 * ```
 */
export function prefetchFromReports(texts: string[]): PrefetchItem[] {
  const out: PrefetchItem[] = [];
  const seen = new Set<string>();
  for (const text of texts) {
    const compiler = /^\s*compiler:\s*(.+)$/m.exec(text)?.[1]?.trim();
    const arch = /^\s*config:\s*([a-z0-9_]+)-/m.exec(text)?.[1] ??
      /\bARCH=([a-z0-9_]+)/.exec(text)?.[1];
    if (!compiler || !arch) continue;
    let info;
    try {
      info = archInfo(arch);
    } catch {
      continue;
    }
    const gcc = /^(\S+)-gcc(?:-\d+)? \(GCC\) ([0-9]+\.[0-9]+\.[0-9]+)/.exec(
      compiler,
    );
    const clang = /\bclang version ([0-9]+\.[0-9]+\.[0-9]+(?:git)?)/.exec(
      compiler,
    );
    if (/\((?:Debian|Ubuntu|Fedora|SUSE|Red Hat)/.test(compiler)) continue;
    const item: PrefetchItem | undefined = gcc
      ? { compiler: `gcc-${gcc[2]}`, triple: gcc[1]!, arch: info.name }
      : clang
      ? { compiler: `clang-${clang[1]}`, triple: info.triple, arch: info.name }
      : undefined;
    if (!item) continue;
    const key = item.compiler.startsWith("clang")
      ? item.compiler
      : `${item.compiler}/${item.triple}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(item);
  }
  return out;
}

/** Reads every regular file under `dir` (reports, `.eml`, `.mbox`), capped. */
export function readReportDir(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, depth: number) => {
    let entries: Deno.DirEntry[];
    try {
      entries = [...Deno.readDirSync(d)];
    } catch {
      throw new UserError(`Cannot read the report directory "${d}"`);
    }
    for (const e of entries.sort((a, b) => a.name < b.name ? -1 : 1)) {
      const p = `${d}/${e.name}`;
      if (e.isDirectory && depth < 4) walk(p, depth + 1);
      else if (e.isFile && Deno.statSync(p).size <= 16 * 1024 * 1024) {
        out.push(Deno.readTextFileSync(p));
      }
    }
  };
  walk(dir, 0);
  return out;
}
