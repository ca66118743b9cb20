/**
 * Where toolchains live on disk: make.cross's `COMPILER_INSTALL_PATH` layout
 * (`gcc-<ver>-nolibc/<triple>/bin/<triple>-gcc`, `llvm-<ver>-x86_64/bin/clang`),
 * used for kcross's own cache too, so either can serve the other.
 *
 * @module
 */
import { cacheDir, type EnvReader } from "../paths.ts";

/** Marker written into an installed toolchain dir, last, before the rename. */

/** kcross's own install root (a COMPILER_INSTALL_PATH of its own). */
export function toolchainRoot(env?: EnvReader): string {
  return `${cacheDir(env)}/toolchains`;
}

/** Root of the system-compiler shim directories. */
export function systemShimRoot(env?: EnvReader): string {
  return `${cacheDir(env)}/system`;
}

/**
 * The installed dir of a crosstool gcc: `<root>/gcc-<ver>-nolibc/<triple>`.
 *
 * @example
 * ```ts
 * import { gccDir } from "./layout.ts";
 * if (gccDir("/h/0day", "11.2.0", "powerpc64-linux") !== "/h/0day/gcc-11.2.0-nolibc/powerpc64-linux") throw new Error();
 * ```
 */
export function gccDir(root: string, version: string, triple: string): string {
  return `${root}/gcc-${version}-nolibc/${triple}`;
}

/** The id of a crosstool gcc: `gcc-<ver>-nolibc/<triple>` (its path under a root). */
export function gccId(version: string, triple: string): string {
  return `gcc-${version}-nolibc/${triple}`;
}

/**
 * The installed dir of a kernel.org LLVM: `<root>/llvm-<ver>-x86_64`.
 *
 * @example
 * ```ts
 * import { llvmDir } from "./layout.ts";
 * if (llvmDir("/c", "15.0.7") !== "/c/llvm-15.0.7-x86_64") throw new Error();
 * ```
 */
export function llvmDir(
  root: string,
  version: string,
  host = "x86_64",
): string {
  return `${root}/${llvmId(version, host)}`;
}

/** The id of a kernel.org LLVM: `llvm-<ver>-<host>` (`x86_64`, `aarch64`). */
export function llvmId(version: string, host = "x86_64"): string {
  return `llvm-${version}-${host}`;
}

export { exists, idSlug, isExecutable } from "../util/fs.ts";
export { MARKER } from "../fetch/marker.ts";
