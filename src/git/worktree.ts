/**
 * Plain `git worktree` operations. A worktree gets its own HEAD and index, so
 * the user's checkout (working tree, index, HEAD, stash) is never touched.
 * Hooks are disabled: a user's post-checkout hook must not run in kcross's
 * trees.
 *
 * @module
 */
import { git, type GitVia, NO_HOOKS } from "./run_git.ts";

/**
 * Adds a detached worktree of `repo` at `dir`, checked out at `commit`.
 *
 * @param repo any directory in the repository
 * @param commit a commit the repository has
 * @param dir where the worktree goes (must not exist or be empty)
 * @throws {InfraError} when git refuses
 */
export async function addWorktree(
  repo: string,
  commit: string,
  dir: string,
  via: GitVia = {},
): Promise<void> {
  await git([
    ...NO_HOOKS,
    "worktree",
    "add",
    "--detach",
    "--quiet",
    "--",
    dir,
    commit,
  ], { ...via, cwd: repo });
}

/**
 * Moves the kcross worktree at `dir` to `commit` (detached, forced: local
 * edits in kcross's own tree are discarded). Only files that differ are
 * rewritten, so an out-of-tree build dir stays incremental.
 */
export async function checkoutWorktree(
  dir: string,
  commit: string,
  via: GitVia = {},
): Promise<void> {
  await git([
    ...NO_HOOKS,
    "checkout",
    "--detach",
    "--force",
    "--quiet",
    commit,
    "--",
  ], { ...via, cwd: dir });
}

/**
 * Removes the worktree at `dir` from `repo` (files and git's bookkeeping);
 * a missing directory is just pruned.
 */
export async function removeWorktree(
  repo: string,
  dir: string,
  via: GitVia = {},
): Promise<void> {
  const r = await git(["worktree", "remove", "--force", "--force", "--", dir], {
    ...via,
    cwd: repo,
    allowFail: true,
  });
  if (!r.success) {
    await Deno.remove(dir, { recursive: true }).catch((e) => {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    });
  }
  await git(["worktree", "prune"], { ...via, cwd: repo, allowFail: true });
}

/** The commit checked out in the worktree at `dir`, or null if it is not one. */
export async function worktreeHead(
  dir: string,
  via: GitVia = {},
): Promise<string | null> {
  try {
    await Deno.stat(`${dir}/.git`);
  } catch {
    return null;
  }
  const r = await git(["rev-parse", "--verify", "--quiet", "HEAD"], {
    ...via,
    cwd: dir,
    allowFail: true,
  });
  return r.success ? r.stdout.trim() : null;
}

/**
 * The in-tree build files in the kernel tree at `dir` that make kbuild
 * refuse every `O=` build of it ("The source tree is not clean, please run
 * 'make mrproper'"): a `.config`, `include/config/`, or an arch's generated
 * headers. Someone ran make inside the tree; empty when it is clean.
 */
export function inTreeBuildFiles(dir: string): string[] {
  const found: string[] = [];
  const is = (rel: string, dirWanted: boolean) => {
    try {
      const s = Deno.lstatSync(`${dir}/${rel}`);
      return dirWanted ? s.isDirectory : s.isFile;
    } catch {
      return false;
    }
  };
  if (is(".config", false)) found.push(".config");
  if (is("include/config", true)) found.push("include/config/");
  try {
    for (const e of Deno.readDirSync(`${dir}/arch`)) {
      const rel = `arch/${e.name}/include/generated`;
      if (e.isDirectory && is(rel, true)) found.push(`${rel}/`);
    }
  } catch { /* not a kernel tree */ }
  return found;
}

/**
 * Removes what git ignores from the worktree at `dir` (`git clean -fdX`:
 * build outputs only; tracked and untracked-but-not-ignored files stay).
 */
export async function cleanIgnored(
  dir: string,
  via: GitVia = {},
): Promise<void> {
  await git([...NO_HOOKS, "clean", "-fdXq"], { ...via, cwd: dir });
}
