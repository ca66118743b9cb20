/**
 * The marker an install writes into a finished tree (`.kcross.json`): what
 * was installed, from where, and how it was verified. Only a marked tree is
 * known to be complete.
 *
 * @module
 */

/** The marker's file name inside an installed tree. */
export const MARKER = ".kcross.json";

/** What kcross recorded about an install (the marker file). */
export interface InstallMarker {
  schema: 1;
  id: string;
  family: "gcc" | "clang";
  version: string;
  provider: "crosstool" | "cross-package" | "llvm" | "system" | "import";
  triple?: string;
  sourceUrl?: string;
  archiveName?: string;
  archiveSha256?: string;
  /** The verified archive, kept for `kcross cache verify`. */
  archiveFile?: string;
  /** The archive member dir that became this install. */
  archiveTopDir?: string;
  /** `sha256sums.asc`, `pin`, `gpgv+sha256sums.asc`, `tar.sign` or `import`. */
  verifiedBy?: string;
  /**
   * What was verified, as shown to users: `signature: good <fpr>`,
   * `sha256: ok (…)`, or `unverified (why)`.
   */
  verification?: string;
  installedAt: string;
}

/** Reads a marker, or undefined when absent or unreadable. */
export function readMarker(dir: string): InstallMarker | undefined {
  try {
    return JSON.parse(Deno.readTextFileSync(`${dir}/${MARKER}`));
  } catch {
    return undefined;
  }
}
