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
import { git, type GitVia, viaOf } from "../git/mod.ts";

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

/** A directory target's directory (no `./`, no trailing slash), or null. */
function dirOf(target: string): string | null {
  const dir = target.replace(/^(\.\/)+/, "").replace(/\/+$/, "");
  return !target.endsWith("/") || dir === "" || dir.startsWith("/")
    ? null
    : dir;
}

/** `dir` and its parents below the top (`a/b/c`, `a/b`, `a`). */
function upFrom(dir: string): string[] {
  const parts = dir.split("/");
  return parts.map((_, i) => parts.slice(0, parts.length - i).join("/"));
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
    const dir = dirOf(target);
    if (dir === null) {
      out.push(target);
      continue;
    }
    const chosen = upFrom(dir).find((d) => goalDir(tree, d)) ?? null;
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

/**
 * A `KbuildTree` of `commit` in the git repository `repo` (not checked out),
 * holding the kbuild files `buildableTargets(targets, …)` reads: each
 * directory target's and its parents' `Kbuild` and `Makefile`, read up front
 * with `git cat-file` (a file git cannot give counts as absent). `bisect
 * --report` uses it on its bad commit.
 *
 * @param repo a git repository (work tree or git dir)
 * @param options the commit and the targets that will be checked
 */
export async function kbuildTreeAtCommit(
  repo: string,
  options: { commit: string; targets: string[] } & GitVia,
): Promise<KbuildTree> {
  const paths = new Set<string>();
  for (const t of options.targets) {
    for (const d of upFrom(dirOf(t) ?? "")) {
      if (d) paths.add(`${d}/Kbuild`).add(`${d}/Makefile`);
    }
  }
  const files = new Map<string, string>();
  for (const path of paths) {
    const r = await git(["cat-file", "blob", `${options.commit}:${path}`], {
      ...viaOf(options),
      cwd: repo,
      allowFail: true, // absent
    });
    if (r.success) files.set(path, r.stdout);
  }
  return { read: (path) => files.get(path) ?? null };
}
