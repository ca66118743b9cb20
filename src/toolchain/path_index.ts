/**
 * The `toolchain path` index: `<cache>/path-index.tsv`, one line per
 * `(compiler, arch, install path)` that resolved exactly, so a repeated
 * `kcross toolchain path` can answer without starting the runtime.
 *
 * Line format (tab-separated):
 * `<compiler>\t<arch>\t<installPath or ->\t<printed answer>\t<file that must be executable>\t<marker to stamp or ->`
 *
 * The last field is the install's marker, whose mtime `cache gc` ranks by:
 * the fast path stamps it as a full resolve does, so a toolchain used only
 * through `toolchain path` does not age out.
 *
 * The only reader is `src/toolchain/fast_path.bash` (sourced by the launcher;
 * tests/toolchain/cli_test.ts checks its answers);
 * this module is the only writer.
 *
 * @module
 */
import { writeFileAtomicSync } from "../util/atomic_write.ts";

/** Name of the index file inside the cache dir. */
export const PATH_INDEX = "path-index.tsv";

/** One index entry. */
export interface PathIndexEntry {
  compiler: string;
  arch: string;
  installPath: string | undefined;
  /** What `toolchain path` prints. */
  answer: string;
  /** Executable whose presence proves the entry is still valid. */
  check: string;
  /** The install's marker, stamped on every answer (`cache gc` ranks by it). */
  marker?: string;
}

/** Whether a compiler word is exact enough to be cached (x.y.z versions only). */
export function indexable(compiler: string): boolean {
  return /^(gcc|clang|llvm)-[0-9]+\.[0-9]+\.[0-9]+$/.test(compiler);
}

/**
 * Formats an entry as its line.
 *
 * @example
 * ```ts
 * import { formatEntry } from "./path_index.ts";
 * const l = formatEntry({ compiler: "gcc-12.2.0", arch: "powerpc", installPath: undefined, answer: "/t/bin/powerpc-linux-", check: "/t/bin/powerpc-linux-gcc" });
 * if (l !== "gcc-12.2.0\tpowerpc\t-\t/t/bin/powerpc-linux-\t/t/bin/powerpc-linux-gcc\t-") throw new Error(l);
 * ```
 */
export function formatEntry(e: PathIndexEntry): string {
  return [
    e.compiler,
    e.arch,
    e.installPath ?? "-",
    e.answer,
    e.check,
    e.marker ?? "-",
  ].join("\t");
}

/** Adds or replaces an entry (atomic write; last writer wins). */
export function recordPath(cacheDir: string, entry: PathIndexEntry): void {
  const fields = [
    entry.compiler,
    entry.arch,
    entry.installPath,
    entry.answer,
    entry.check,
    entry.marker,
  ];
  if (fields.some((f) => f !== undefined && /[\t\n]/.test(f))) return;
  const file = `${cacheDir}/${PATH_INDEX}`;
  let lines: string[] = [];
  try {
    lines = Deno.readTextFileSync(file).split("\n").filter((l) => l);
  } catch { /* first entry */ }
  const key = formatEntry(entry).split("\t").slice(0, 3).join("\t") + "\t";
  lines = lines.filter((l) => !l.startsWith(key));
  lines.push(formatEntry(entry));
  try {
    Deno.mkdirSync(cacheDir, { recursive: true });
    writeFileAtomicSync(file, `${lines.join("\n")}\n`);
  } catch { /* the index is an optimisation only */ }
}
