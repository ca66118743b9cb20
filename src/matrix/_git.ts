/**
 * Which tree and commit a matrix run builds. Worktrees of it come from the
 * one provider in `src/git/` (`urlWorktree`).
 *
 * @module
 */
import { sha256Hex } from "../util/digest.ts";
import { UserError } from "../errors.ts";
import {
  git,
  type GitVia,
  localRepoPath,
  orNullOnUserError,
  repoRoot,
  resolveCommit,
  viaOf,
} from "../git/mod.ts";
import type { TreeSpec } from "./types.ts";

/** Options for `resolveTree`. */
export interface ResolveTreeOptions extends GitVia {
  /** `[tree] url` from the matrix file (a git URL or path). */
  url?: string | undefined;
  /** `--commit` or `[tree] commit`; default HEAD of the checkout. */
  commit?: string | undefined;
  /** Workers need a commit; the working tree is never shipped. */
  distributed: boolean;
}

/**
 * Decides what a run builds. Locally, without `--commit`, the checkout is
 * built as it is (uncommitted changes included, digested into each cell so
 * `--resume` notices); with `--commit` or `--queue`, an exact commit in a
 * kcross worktree.
 *
 * @throws {UserError} not a git checkout when one is needed, unknown commit
 */
export async function resolveTree(
  cwd: string,
  options: ResolveTreeOptions,
): Promise<TreeSpec> {
  const via = viaOf(options);
  const top = await orNullOnUserError(() => repoRoot(cwd, via));
  const url = options.url ?? top ?? cwd;
  const repoDir = options.url ? localRepoPath(options.url, cwd) : top;
  if (repoDir === null) {
    if (options.distributed || options.commit || options.url) {
      if (
        options.url && options.commit && /^[0-9a-f]{40}$/.test(options.commit)
      ) {
        return {
          url: options.url,
          commit: options.commit,
          useWorkingTree: false,
          workingTree: null,
          dirtyDigest: null,
        };
      }
      throw new UserError(
        `Cannot tell which commit to build: "${
          options.url || cwd
        }" is not a local git checkout`,
        {
          hint:
            "run from a kernel git checkout, or give [tree] url + a full 40-hex commit",
        },
      );
    }
    return {
      url: cwd,
      commit: null,
      useWorkingTree: true,
      workingTree: cwd,
      dirtyDigest: null,
    };
  }
  const rev = options.commit ?? "HEAD";
  const commit = await resolveCommit(repoDir, rev, via);
  if (commit === null) {
    throw new UserError(`Unknown commit "${rev}" in "${repoDir}"`, {
      hint: "give a commit, tag or branch that exists in the checkout",
    });
  }
  const useWorkingTree = !options.distributed && options.commit === undefined &&
    options.url === undefined;
  let dirtyDigest: string | null = null;
  if (useWorkingTree) {
    const status = await git(
      ["status", "--porcelain", "--untracked-files=no"],
      { cwd: repoDir, ...via },
    );
    if (status.stdout.trim() !== "") {
      const diff = await git(["diff", "HEAD", "--binary"], {
        cwd: repoDir,
        ...via,
      });
      dirtyDigest = sha256Hex(diff.stdout).slice(0, 16);
    }
  }
  return {
    url: options.distributed ? url : repoDir,
    commit,
    useWorkingTree,
    workingTree: useWorkingTree ? repoDir : null,
    dirtyDigest,
  };
}
