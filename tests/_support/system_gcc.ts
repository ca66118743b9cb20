/**
 * Debian's powerpc64 cross gcc as tests and benchmarks use it directly.
 *
 * @module
 */
import type { ResolvedToolchain } from "../../src/toolchain/types.ts";

/** True when Debian's powerpc64 cross gcc 12 is installed. */
export const haveDebianPpc64: boolean = (() => {
  try {
    Deno.statSync("/usr/bin/powerpc64-linux-gnu-gcc-12");
    return true;
  } catch {
    return false;
  }
})();

/**
 * Debian's `/usr/bin/powerpc64-linux-gnu-gcc` as a resolved system
 * toolchain of `version` (what `-dumpfullversion` prints).
 */
export function systemPpc64Gcc(version: string): ResolvedToolchain {
  return {
    id: `gcc-${version}-system/powerpc64-linux-gnu`,
    family: "gcc",
    requested: `gcc-${version}`,
    version,
    provider: "system",
    exact: true,
    triple: "powerpc64-linux",
    binDir: "/usr/bin",
    crossCompile: "/usr/bin/powerpc64-linux-gnu-",
  };
}
