/**
 * Telling an infrastructure failure (missing compiler, disk full, OOM kill)
 * from a build failure, from the lines make printed.
 *
 * @module
 */

const INFRA_PATTERNS: [RegExp, string][] = [
  [/No space left on device/, "disk full"],
  [/Disk quota exceeded/, "disk quota exceeded"],
  [
    /(?:^|[\s:])([\w./+-]*(?:gcc|g\+\+|cc1|clang|ld(?:\.[a-z]+)?|as|ar|objcopy|ccache)(?:-[\d.]+)?): (?:command )?not found/,
    "tool not found",
  ],
  [
    /(?:^|\s)([\w./+-]*(?:gcc|clang|ccache)(?:-[\d.]+)?): No such file or directory$/,
    "tool not found",
  ],
  // scripts/Kconfig.include stops the config step with these.
  [/(?:C compiler|linker) '([^']+)' not found/, "tool not found"],
  [
    /Killed signal terminated program|fatal error: Killed signal/,
    "out of memory (compiler killed)",
  ],
  [
    /cannot execute binary file|Exec format error/,
    "tool cannot run on this host",
  ],
  [/Cannot allocate memory/, "out of memory"],
];

/**
 * The infrastructure cause shown by `line`, or null.
 *
 * @example
 * ```ts
 * import { infraCause } from "./_run_classify.ts";
 * if (infraCause("/bin/sh: 1: powerpc64-linux-gcc: not found") === null) throw new Error();
 * if (infraCause("foo.c:1:2: error: expected ';'") !== null) throw new Error();
 * const kconfig = "scripts/Kconfig.include:40: linker 's390x-linux-ld' not found";
 * if (infraCause(kconfig) !== "tool not found: s390x-linux-ld") throw new Error();
 * ```
 */
export function infraCause(line: string): string | null {
  for (const [re, what] of INFRA_PATTERNS) {
    const m = re.exec(line);
    if (m) return m[1] ? `${what}: ${m[1]}` : what;
  }
  return null;
}
