/**
 * What the record says about the kernel tree: git commit, dirty flag, commit
 * time (for KBUILD_BUILD_TIMESTAMP) and the kernel version.
 *
 * @module
 */
import { InfraError } from "../errors.ts";
import { git as runGit, type GitVia } from "../git/mod.ts";

/** The tree's git identity, or nulls when it is not a git work tree. */
export interface TreeGit {
  commit: string | null;
  /** Commit time, ISO 8601 with offset (what `date -d` reads). */
  commitTime: string | null;
}

/** git's stdout in `srcTree`, or null when git fails or is not installed. */
async function git(
  srcTree: string,
  args: string[],
  via: GitVia,
): Promise<string | null> {
  try {
    const out = await runGit(args, { ...via, cwd: srcTree, allowFail: true });
    return out.success ? out.stdout : null;
  } catch (error) {
    if (error instanceof InfraError) return null; // no git installed
    throw error;
  }
}

/** Whether `srcTree` has a `.git` (a directory, or a file in a worktree). */
async function hasDotGit(srcTree: string): Promise<boolean> {
  try {
    await Deno.lstat(`${srcTree}/.git`);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

/** The commit checked out in `srcTree` when it is the top of a git work tree. */
export async function treeGit(
  srcTree: string,
  via: GitVia = {},
): Promise<TreeGit> {
  // The top of a work tree always has .git; skip spawning git otherwise.
  if (!(await hasDotGit(srcTree))) return { commit: null, commitTime: null };
  // Both at once: they come before make, and the second is only used when
  // the first says srcTree is the top of the work tree.
  const [top, show] = await Promise.all([
    git(srcTree, ["rev-parse", "--show-toplevel"], via),
    git(srcTree, ["show", "-s", "--format=%H%n%cI", "HEAD"], via),
  ]);
  if (top === null) return { commit: null, commitTime: null };
  const [realTop, realTree] = await Promise.all([
    Deno.realPath(top.trim()).catch(() => top.trim()),
    Deno.realPath(srcTree).catch(() => srcTree),
  ]);
  if (realTop !== realTree) return { commit: null, commitTime: null };
  if (show === null) return { commit: null, commitTime: null };
  const [commit = "", time = ""] = show.trim().split("\n");
  return { commit: commit || null, commitTime: time || null };
}

/** Whether tracked files differ from HEAD (null when unknown). */
export async function treeDirty(
  srcTree: string,
  via: GitVia = {},
): Promise<boolean | null> {
  if (!(await hasDotGit(srcTree))) return null;
  const out = await git(srcTree, [
    "status",
    "--porcelain",
    "--untracked-files=no",
  ], via);
  return out === null ? null : out.trim() !== "";
}

/**
 * The version `make kernelversion` prints, read from the top Makefile's
 * VERSION/PATCHLEVEL/SUBLEVEL/EXTRAVERSION (same answer, no make run).
 *
 * @example
 * ```ts
 * import { kernelVersionOf } from "./_run_tree.ts";
 * const mk = "VERSION = 6\nPATCHLEVEL = 1\nSUBLEVEL = 0\nEXTRAVERSION = -rc1\n";
 * if (kernelVersionOf(mk) !== "6.1.0-rc1") throw new Error();
 * ```
 */
export function kernelVersionOf(makefile: string): string | null {
  const get = (name: string) =>
    new RegExp(`^${name}\\s*=[ \\t]*(.*)$`, "m").exec(makefile)?.[1]?.trim();
  const version = get("VERSION");
  const patch = get("PATCHLEVEL");
  if (!version || patch === undefined) return null;
  const sub = get("SUBLEVEL");
  const extra = get("EXTRAVERSION") ?? "";
  return `${version}${patch ? `.${patch}` : ""}${sub ? `.${sub}` : ""}${extra}`;
}

/** The kernel version of `srcTree`, or null when its Makefile says none. */
export async function treeKernelVersion(
  srcTree: string,
): Promise<string | null> {
  try {
    return kernelVersionOf(await Deno.readTextFile(`${srcTree}/Makefile`));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
}

/**
 * KBUILD_BUILD_TIMESTAMP: the commit time, else the top Makefile's mtime (a
 * release tarball keeps it), so two builds of one tree embed the same date.
 */
export async function buildTimestamp(
  srcTree: string,
  git: TreeGit,
): Promise<string> {
  if (git.commitTime) return git.commitTime;
  try {
    const mtime = (await Deno.stat(`${srcTree}/Makefile`)).mtime;
    if (mtime) return mtime.toISOString().replace(/\.\d+Z$/, "Z");
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return "1970-01-01T00:00:00Z";
}
