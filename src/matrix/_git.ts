/**
 * Git helpers for matrices: which tree and commit a run builds, and the
 * worker-side clone + worktrees. argv arrays only.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { InfraError, UserError } from "../errors.ts";
import {
  addWorktree,
  fetchRef,
  git,
  gitCommonDir,
  hasCommit,
  removeWorktree,
  repoRoot,
  resolveCommit,
} from "../git/mod.ts";
import { withFileLock } from "../util/mod.ts";
import type { TreeSpec } from "./types.ts";

/** `fn()`, or null when it throws a UserError (e.g. "not a git checkout"). */
async function orNullOnUserError<T>(fn: () => Promise<T>): Promise<T | null> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof UserError) return null;
    throw error;
  }
}

/** Options for `resolveTree`. */
export interface ResolveTreeOptions {
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
  const top = await orNullOnUserError(() => repoRoot(cwd));
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
  const commit = await resolveCommit(repoDir, rev);
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
      { cwd: repoDir },
    );
    if (status.stdout.trim() !== "") {
      const diff = await git(["diff", "HEAD", "--binary"], { cwd: repoDir });
      dirtyDigest = createHash("sha256").update(diff.stdout).digest("hex")
        .slice(0, 16);
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

function localRepoPath(url: string, cwd: string): string | null {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url) || /^[^/]+@[^:]+:/.test(url)) {
    return null;
  }
  const path = url.startsWith("file://") ? url.slice(7) : url;
  return path.startsWith("/") ? path : `${cwd}/${path}`;
}

const inProcess = new Map<string, Promise<unknown>>();

/** Serializes `fn` per key within this process, then across processes by lock file. */
async function serialized<T>(
  key: string,
  lockPath: string,
  fn: () => Promise<T>,
): Promise<T> {
  const prev = inProcess.get(key) ?? Promise.resolve();
  const run = prev.catch(() => {}).then(() => withFileLock(lockPath, fn));
  inProcess.set(key, run);
  try {
    return await run;
  } finally {
    if (inProcess.get(key) === run) inProcess.delete(key);
  }
}

/**
 * A worktree of `url` at `commit` under `root` (a worker's state dir): one
 * bare clone per URL (borrowing objects from a local repo via alternates),
 * fetching the commit only when missing, and one detached worktree per
 * commit, shared read-only by the cells that build it out of tree (O=).
 *
 * @param root the directory holding `repos/` and `worktrees/`
 * @param url git URL or local path
 * @param commit full sha
 * @returns the worktree path
 * @throws {InfraError} when the commit cannot be fetched
 */
export async function ensureWorktree(
  root: string,
  url: string,
  commit: string,
): Promise<string> {
  const id = createHash("sha256").update(url).digest("hex").slice(0, 16);
  const repo = `${root}/repos/${id}.git`;
  const worktree = `${root}/worktrees/${id}-${commit.slice(0, 16)}`;
  await Deno.mkdir(`${root}/repos`, { recursive: true });
  await Deno.mkdir(`${root}/worktrees`, { recursive: true });
  return await serialized(repo, `${repo}.lock`, async () => {
    if (await exists(`${worktree}.ready`)) return worktree;
    if (!(await exists(`${repo}/HEAD`))) await initBareClone(repo, url);
    if (!(await hasCommit(repo, commit))) await fetchCommit(repo, url, commit);
    await removeWorktree(repo, worktree);
    await addWorktree(repo, commit, worktree);
    await Deno.writeTextFile(`${worktree}.ready`, `${commit}\n`);
    return worktree;
  });
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
}

/**
 * Creates the worker's bare repository for `url`; when `url` is a local
 * repository, it borrows that repository's objects through alternates.
 */
async function initBareClone(repo: string, url: string): Promise<void> {
  await git(["init", "-q", "--bare", repo]);
  const local = localRepoPath(url, "/");
  if (local === null) return;
  const common = await orNullOnUserError(() => gitCommonDir(local));
  if (common === null) return;
  await Deno.writeTextFile(
    `${repo}/objects/info/alternates`,
    `${common}/objects\n`,
  );
}

/**
 * Fetches `commit` from `url` into `repo`: directly when the server allows
 * it, else every branch and tag.
 *
 * @throws {InfraError} when `repo` still lacks the commit afterwards
 */
async function fetchCommit(
  repo: string,
  url: string,
  commit: string,
): Promise<void> {
  try {
    await fetchRef(repo, { url, ref: commit });
  } catch (error) {
    if (!(error instanceof InfraError)) throw error;
    await git([
      "fetch",
      "-q",
      "--no-tags",
      url,
      "+refs/heads/*:refs/remotes/src/*",
      "+refs/tags/*:refs/tags/*",
    ], { cwd: repo });
  }
  if (!(await hasCommit(repo, commit))) {
    throw new InfraError(`Cannot fetch commit "${commit}" from "${url}"`, {
      hint:
        "push the commit to that tree, or give --commit with one the workers can fetch",
    });
  }
}
