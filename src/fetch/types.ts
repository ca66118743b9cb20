/**
 * The data an install carries out (`install.ts`): where an archive comes
 * from and where it goes, decided up front by the toolchain layer's planner
 * (`src/toolchain/plan_fetch.ts`).
 *
 * @module
 */

/** The compiler family an archive holds. */
export type ArchiveFamily = "gcc" | "clang";

/** A mirror: a base URL served in one of the known layouts. */
export interface Mirror {
  name: string;
  base: string;
  layout: "crosstool" | "cross-package" | "llvm";
}

/** One place to get the archive. */
export interface FetchSource {
  mirror: Mirror;
  url: string;
  /** Per-directory `sha256sums.asc`, or null when the layout has none. */
  sumsUrl: string | null;
  /** Directory listing (to name the versions a mirror does have). */
  listingUrl: string;
  provider: "crosstool" | "cross-package" | "llvm" | "import";
  /**
   * Detached `<name>.tar.sign` over the uncompressed tar, when the listing
   * shows one (null: none published, or no listing read).
   */
  signUrl?: string | null;
}

/** An archive found in a mirror's listing (see toolchain/locate_on_mirror). */
export interface ListedArchive {
  mirror: Mirror;
  provider: "crosstool" | "cross-package" | "llvm";
  archiveUrl: string;
  archiveName: string;
  signUrl: string | null;
  sumsUrl: string | null;
  listingUrl: string;
  /** gcc: the triple as the file spells it. */
  fileTriple?: string;
  /** 01.org clang: the archive's top dir, installed under that name. */
  topDir?: string;
}

/** Everything an install does, decided up front. */
export interface FetchPlan {
  id: string;
  family: ArchiveFamily;
  version: string;
  triple: string | undefined;
  archiveName: string;
  sources: FetchSource[];
  /** Digest pinned in toolchains/pins.json, if any. */
  pinnedSha256: string | undefined;
  /** How the pinned digest is known (`pin`, or `import` for local files). */
  pinnedBy?: string;
  /** Install root (COMPILER_INSTALL_PATH or kcross's toolchain dir). */
  root: string;
  /** Final dir, `<root>/<id>`. */
  finalDir: string;
  /** The dir inside the archive that becomes `finalDir`. */
  archiveTopDir: string;
  /** A file that must exist (executable) inside `finalDir`. */
  checkFile: string;
  /** Staging dirs live here (same filesystem as `root`, for the rename). */
  stagingParent: string;
  /** Partial download (resumable) and its metadata. */
  partFile: string;
  /**
   * Lock file serialising installs of this toolchain into `root`, whatever
   * cache each process uses (see `installLockFile`).
   */
  lockFile: string;
  /**
   * Lock file of the partial download in the cache (processes with one cache
   * and different install roots share `partFile`); taken after `lockFile`.
   */
  downloadLockFile: string;
}
