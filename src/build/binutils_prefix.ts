/**
 * The binutils prefix of a clang build that uses GNU binutils (the long
 * `CC=clang …` form, or `LLVM_IAS=0`): make runs `$(CROSS_COMPILE)ld`,
 * `$(CROSS_COMPILE)as`…, so `CROSS_COMPILE` must name binutils that are on
 * PATH. make.cross passes the crosstool triple (`s390x-linux-`); a distro
 * system has the Debian one (`s390x-linux-gnu-`, package
 * `binutils-s390x-linux-gnu`, the one the robot's own reports tell to
 * install). For a native build the first prefix whose `ld` is on PATH
 * wins: the crosstool triple, then the Debian triples of
 * `toolchains/arches.json`; a swap is always named in a note. The
 * `make.cross` drop-in calls make exactly as make.cross does, so it keeps
 * the crosstool prefix and only names the distro's in its note. None found
 * keeps the crosstool prefix and says which package provides the others.
 *
 * @module
 */
import { findExecutable } from "../proc/mod.ts";
import { debianCandidates } from "../toolchain/system.ts";

/** How every note of `binutilsPrefix` starts (callers pick it out of a plan's notes). */
export const BINUTILS_NOTE = "binutils: ";

/** The chosen prefix and the note that explains a swap or a miss. */
export interface BinutilsPrefix {
  /** `CROSS_COMPILE` value, e.g. `s390x-linux-gnu-`. */
  prefix: string;
  /** One line for the plan's notes (null: the crosstool prefix was found). */
  note: string | null;
}

/**
 * Picks the binutils prefix for a clang build.
 *
 * @param crossTriple the triple make.cross passes (`s390x-linux`)
 * @param triple the crosstool triple chosen from the `.config` (`s390-linux`)
 * @param path the PATH make runs with
 * @param swap take the distro's prefix when the crosstool one is missing
 *   (native builds); false: keep make.cross's and say so (the drop-in)
 * @example
 * ```ts
 * import { binutilsPrefix } from "./binutils_prefix.ts";
 * const none = binutilsPrefix("s390x-linux", "s390-linux", "/nonexistent");
 * if (none.prefix !== "s390x-linux-") throw new Error(none.prefix);
 * if (!none.note?.includes("binutils-s390x-linux-gnu")) throw new Error(String(none.note));
 * ```
 */
export function binutilsPrefix(
  crossTriple: string,
  triple: string,
  path: string,
  swap = true,
): BinutilsPrefix {
  const own = `${crossTriple}-`;
  if (findExecutable(`${own}ld`, path) !== null) {
    return { prefix: own, note: null };
  }
  const debian = [
    ...new Set([
      ...debianCandidates(crossTriple),
      ...debianCandidates(triple),
    ]),
  ];
  for (const d of debian) {
    if (findExecutable(`${d}-ld`, path) !== null) {
      if (!swap) {
        return {
          prefix: own,
          note:
            `${BINUTILS_NOTE}CROSS_COMPILE=${own} as make.cross passes it, but no ${own}ld is on PATH (the distro's ${d}-ld is): add CROSS_COMPILE=${d}- to the command line, or use kcross build`,
        };
      }
      return {
        prefix: `${d}-`,
        note:
          `${BINUTILS_NOTE}CROSS_COMPILE=${d}- (the distro's binutils on PATH) instead of make.cross's ${own}: no ${own}ld on PATH`,
      };
    }
  }
  const pkg = debian[0] ? `; apt-get install binutils-${debian[0]}` : "";
  return {
    prefix: own,
    note: `${BINUTILS_NOTE}no ${own}ld${
      debian.map((d) => ` or ${d}-ld`).join("")
    } on PATH, and this clang build uses GNU binutils${pkg}`,
  };
}
