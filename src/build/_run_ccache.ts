/**
 * ccache for `--ccache`: its own CCACHE_DIR under kcross's cache, and the
 * hit/miss counters of this build (difference of `ccache --print-stats`).
 *
 * @module
 */
import type { CcacheStats } from "../record/types.ts";
import { CommandNotFoundError, runCaptured } from "../proc/run_captured.ts";

/** Reads `ccache --print-stats` counters (empty when ccache cannot say). */
export async function ccacheCounters(
  env: Record<string, string>,
): Promise<Record<string, number>> {
  try {
    const out = await runCaptured(["ccache", "--print-stats"], {
      env,
      inheritEnv: false,
      stderr: "discard",
    });
    if (!out.success) return {};
    return parsePrintStats(out.stdout);
  } catch (error) {
    if (error instanceof CommandNotFoundError) return {};
    throw error;
  }
}

/**
 * Parses `ccache --print-stats` (tab-separated `name value` lines).
 *
 * @example
 * ```ts
 * import { parsePrintStats } from "./_run_ccache.ts";
 * const c = parsePrintStats("direct_cache_hit\t3\ncache_miss\t2\nstats_zeroed_timestamp\t0\n");
 * if (c.direct_cache_hit !== 3 || c.cache_miss !== 2) throw new Error();
 * ```
 */
export function parsePrintStats(text: string): Record<string, number> {
  const counters: Record<string, number> = {};
  for (const line of text.split("\n")) {
    const m = /^(\w+)\s+(\d+)\s*$/.exec(line);
    if (m && !m[1]!.endsWith("timestamp")) counters[m[1]!] = Number(m[2]);
  }
  return counters;
}

/**
 * This build's counters: `after - before`, with hits and misses summed the
 * way `ccache -s` shows them.
 *
 * @example
 * ```ts
 * import { ccacheDelta } from "./_run_ccache.ts";
 * const d = ccacheDelta("/c", { direct_cache_hit: 1, cache_miss: 5 },
 *   { direct_cache_hit: 4, preprocessed_cache_hit: 1, cache_miss: 6 });
 * if (d.hits !== 4 || d.misses !== 1) throw new Error(JSON.stringify(d));
 * ```
 */
export function ccacheDelta(
  dir: string,
  before: Record<string, number>,
  after: Record<string, number>,
): CcacheStats {
  const counters: Record<string, number> = {};
  for (const [k, v] of Object.entries(after)) {
    const d = v - (before[k] ?? 0);
    if (d !== 0) counters[k] = d;
  }
  return {
    dir,
    hits: (counters.direct_cache_hit ?? 0) +
      (counters.preprocessed_cache_hit ?? 0),
    misses: counters.cache_miss ?? 0,
    counters,
  };
}

/**
 * The compiler make should call through ccache, from the toolchain and any
 * `LLVM=` in the argv.
 *
 * @example
 * ```ts
 * import { ccacheCompiler } from "./_run_ccache.ts";
 * if (ccacheCompiler("gcc", "/t/bin/powerpc64-linux-", ["make"]) !== "/t/bin/powerpc64-linux-gcc") throw new Error();
 * if (ccacheCompiler("clang", "powerpc64-linux-", ["make", "LLVM=-15"]) !== "clang-15") throw new Error();
 * ```
 */
export function ccacheCompiler(
  family: "gcc" | "clang",
  crossCompile: string,
  argv: string[],
): string {
  if (family === "gcc") return `${crossCompile}gcc`;
  const llvm = argv.findLast((w) => w.startsWith("LLVM="))?.slice(5);
  if (llvm?.startsWith("-")) return `clang${llvm}`;
  if (llvm?.endsWith("/")) return `${llvm}clang`;
  return "clang";
}
