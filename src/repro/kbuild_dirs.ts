/**
 * Directory targets make can build. `make fs/xfs/scrub/` fails: that
 * directory has no Makefile or Kbuild, its objects are listed in
 * `fs/xfs/Makefile` (`xfs-y += $(addprefix scrub/, …)`). `make
 * drivers/gpu/drm/amd/display/dc/` does nothing: `dc/Makefile` only sets
 * file lists for the amdgpu Makefile that includes it. A directory target is
 * kept when its kbuild file (`Kbuild`, else `Makefile`, as kbuild picks it)
 * assigns build goals; otherwise the nearest parent whose kbuild file does is
 * built instead, and a note says so.
 *
 * @module
 */

/** Read access to a kernel source tree (paths relative to its top). */
export interface KbuildTree {
  /** The text of `path`, or null when there is no such file. */
  read(path: string): string | null;
}

/**
 * A Makefile or Kbuild assigning build goals (`obj-…`, `lib-…`, `dtb-…`,
 * `always-…`, `extra-…`, `hostprogs…`, `userprogs…`, `targets`,
 * `subdir-y/m`). One that only sets flags or file lists (`subdir-ccflags-y`,
 * `AMD_DISPLAY_FILES`, `habanalabs-y`) is included by another Makefile.
 */
const GOAL =
  /^[ \t]*(?:obj-|lib-|dtb-|always-|extra-|hostprogs|userprogs|targets\b|subdir-(?:y|m|\$))[^=\n]*=/m;

/** Whether kbuild builds goals in `dir` (no trailing slash). */
function goalDir(tree: KbuildTree, dir: string): boolean {
  const text = tree.read(`${dir}/Kbuild`) ?? tree.read(`${dir}/Makefile`);
  return text !== null && GOAL.test(text);
}

/** Directory targets as make can build them, and one note per change. */
export interface BuildableTargets {
  targets: string[];
  notes: string[];
}

/**
 * Replaces each directory target (`…/`) without a Makefile or Kbuild of
 * its own that assigns build goals by its nearest parent that has one;
 * other targets are kept as given.
 * Directory targets inside another one are dropped. A directory with no such
 * parent below the top is kept (make says why it fails).
 *
 * @param targets make goals (`drivers/mfd/`, `fs/xfs/scrub/`, `foo.o`)
 * @param tree the source tree the build runs in
 * @example
 * ```ts
 * import { buildableTargets } from "./kbuild_dirs.ts";
 * const files: Record<string, string> = {
 *   "fs/Makefile": "obj-$(CONFIG_XFS_FS) += xfs/\n",
 *   "fs/xfs/Makefile": "obj-$(CONFIG_XFS_FS) += xfs.o\nxfs-y += $(addprefix scrub/, common.o)\n",
 * };
 * const r = buildableTargets(["fs/xfs/scrub/"], { read: (p) => files[p] ?? null });
 * if (r.targets.join() !== "fs/xfs/") throw new Error(r.targets.join());
 * ```
 */
export function buildableTargets(
  targets: string[],
  tree: KbuildTree,
): BuildableTargets {
  const notes: string[] = [];
  const out: string[] = [];
  for (const target of targets) {
    const dir = target.replace(/^(\.\/)+/, "").replace(/\/+$/, "");
    if (!target.endsWith("/") || dir === "" || dir.startsWith("/")) {
      out.push(target);
      continue;
    }
    let chosen: string | null = null;
    for (
      let d = dir;
      d !== "";
      d = d.slice(0, Math.max(0, d.lastIndexOf("/")))
    ) {
      if (goalDir(tree, d)) {
        chosen = d;
        break;
      }
      if (!d.includes("/")) break;
    }
    if (chosen === null || chosen === dir) {
      out.push(target);
      continue;
    }
    out.push(`${chosen}/`);
    notes.push(
      `target ${target} has no Makefile or Kbuild of its own with build goals (its objects are listed by a parent's): building ${chosen}/, the nearest parent that has one`,
    );
  }
  const unique = [...new Set(out)];
  const dirs = unique.filter((t) => t.endsWith("/"));
  return {
    targets: unique.filter((t) =>
      !t.endsWith("/") || !dirs.some((d) => d !== t && t.startsWith(d))
    ),
    notes,
  };
}

/**
 * A `KbuildTree` reading the source tree at `root` (an absolute path).
 * Files that cannot be read count as absent.
 */
export function kbuildTreeAt(root: string): KbuildTree {
  return {
    read(path) {
      try {
        return Deno.readTextFileSync(`${root}/${path}`);
      } catch {
        return null;
      }
    },
  };
}
