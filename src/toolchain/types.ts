/**
 * Shared toolchain types: what a build asks for and what it gets.
 *
 * @module
 */
import type { DownloadOptions } from "../fetch/download.ts";
import type { Output } from "../util/output.ts";

/** How a toolchain was obtained. */
export type ToolchainProvider =
  | "crosstool" // kernel.org crosstool gcc (or an existing COMPILER_INSTALL_PATH)
  | "cross-package" // 01.org 0day cross-package layout
  | "llvm" // kernel.org LLVM build
  | "system" // distro compiler on PATH (e.g. Debian powerpc64-linux-gnu-gcc-12)
  | "import"; // a local tarball imported with `kcross toolchain import`

/** How exactly a toolchain matches the request (see `ResolvedToolchain`). */
export type Exactness = "build" | "version" | "substitute";

/** A request: `COMPILER=gcc-11.2.0` for a triple. */
export interface ToolchainRequest {
  /** As the user wrote it: `gcc`, `gcc-11`, `gcc-11.2.0`, `clang-15`, `llvm-15`. */
  compiler: string;
  /** Crosstool triple, e.g. `powerpc64-linux` (from `chooseTriple`). */
  triple: string;
  /** Extra triples that must also be present (parisc64 needs hppa-linux). */
  alsoNeeds?: string[];
  /**
   * Accept the nearest usable compiler when the exact one is not available
   * (a different build of the same version first, then the same major, then
   * the closest version), recorded as `exactness: "version"`/`"substitute"`.
   */
  allowSubstitute?: boolean;
  /**
   * Accept a distro compiler of the same version (a different build of it)
   * when the kernel.org build is not available (`--allow-distro`, or
   * `KCROSS_ALLOW_DISTRO=1`). Never after an integrity failure.
   */
  allowDistro?: boolean;
  /** make.cross's COMPILER_INSTALL_PATH (else kcross's cache). */
  installPath?: string;
  /** Use only what is installed. */
  offline?: boolean;
  /**
   * Prefer this provider: `system` resolves only distro compilers (a report's
   * `gcc-11 (Debian 11.3.0-3) 11.3.0` line); other values are the default order.
   */
  provider?: ToolchainProvider;
  /**
   * The distro build a report names (`Debian 12.2.0-14`): a system compiler
   * whose `--version` line names that very build is `exactness: "build"`,
   * any other build of the version `"version"`.
   */
  distroBuild?: string;
}

/** A toolchain ready to use, with its identity for the build record. */
export interface ResolvedToolchain {
  /** Stable id, e.g. `gcc-11.2.0-nolibc/powerpc64-linux`. */
  id: string;
  family: "gcc" | "clang";
  /** What was asked for, verbatim. */
  requested: string;
  /** Exact version found, e.g. `11.2.0`. */
  version: string;
  provider: ToolchainProvider;
  /** True when `version` satisfies `requested` exactly (no substitute). */
  exact: boolean;
  /**
   * How close this is to what the robot used: `build` (the very tarball, or
   * an install of it), `version` (same version, another build: a distro
   * gcc), `substitute` (another version, or a release for a `…git`
   * snapshot). Anything but `build` is a setup difference.
   */
  exactness?: Exactness;
  /**
   * How the install was verified: `signature: good <fpr>`, `sha256: ok (…)`,
   * `unverified (why)`, or `not recorded` for installs kcross did not make.
   */
  verification?: string;
  triple: string;
  /** Directory holding the compiler binaries. */
  binDir: string;
  /**
   * gcc: absolute CROSS_COMPILE prefix (`/…/bin/powerpc64-linux-`);
   * clang: the bare `<triple>-`.
   */
  crossCompile: string;
  /** gcc's libexec dir (make.cross adds it to LD_LIBRARY_PATH). */
  libexecDir?: string;
  /** bin dirs of `alsoNeeds` toolchains (parisc). */
  extraBinDirs?: string[];
  /** sha256 of the archive it came from, when known. */
  archiveSha256?: string;
  /** Where it was fetched from, when it was. */
  sourceUrl?: string;
}

/** Options for `resolveToolchain`. */
export interface ResolveOptions {
  /** Progress and messages go here (nothing when absent). */
  out?: Output;
  /** Mirror base URLs to try in order (defaults from toolchains/). */
  mirrors?: string[];
  signal?: AbortSignal;
  /** kcross cache root (default: `cacheDir()`, i.e. KCROSS_CACHE_DIR…). */
  cacheDir?: string;
  /** Install from a mirror with no published or pinned checksum. */
  allowUnverified?: boolean;
  /**
   * gpgv keyring for `.tar.sign` and `sha256sums.asc` (default
   * `KCROSS_GPG_KEYRING`, else kcross's trusted keys: toolchains/keys/ and
   * those added with `kcross toolchain trust`).
   */
  keyring?: string;
  /** `uname -m` of the host the toolchain must run on (default this one). */
  host?: string;
  /** Timeouts and retries of downloads. */
  download?: Omit<DownloadOptions, "signal" | "onProgress">;
  /** The unpacked-size cap of an archive (default: fetch's, 16 GiB). */
  maxUnpackedBytes?: number;
  /** PATH searched for system compilers (default: the environment's). */
  path?: string;
}
