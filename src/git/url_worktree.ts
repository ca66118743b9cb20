/**
 * Worktrees of a tree named by URL (a matrix run with `--commit`, a matrix
 * worker): one bare clone per URL under `root/repos/` (borrowing objects
 * from a local repository through git alternates), the commit fetched
 * through `ensureCommit` only when missing, and one detached worktree per
 * commit under `root/worktrees/`, shared read-only by the builds of it (O=).
 *
 * @module
 */
import { UserError } from "../errors.ts";
import { sha256Hex, withFileLock } from "../util/mod.ts";
import { gitCommonDir } from "./commits.ts";
import { ensureCommit } from "./ensure_commit.ts";
import { git, type GitVia } from "./run_git.ts";
import { addWorktree, removeWorktree } from "./worktree.ts";
import { pathExists } from "../util/fs.ts";

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
 * The local repository a URL names, or null for a remote one.
 *
 * @example
 * ```ts
 * import { localRepoPath } from "./url_worktree.ts";
 * if (localRepoPath("https://x/linux.git", "/") !== null) throw new Error();
 * if (localRepoPath("linux", "/src") !== "/src/linux") throw new Error();
 * ```
 */
export function localRepoPath(url: string, cwd: string): string | null {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url) || /^[^/]+@[^:]+:/.test(url)) {
    return null;
  }
  const path = url.startsWith("file://") ? url.slice(7) : url;
  return path.startsWith("/") ? path : `${cwd}/${path}`;
}

/**
 * A worktree of `url` at `commit` under `root`.
 *
 * @param root the directory holding `repos/` and `worktrees/`
 * @param url git URL or local path
 * @param commit full sha
 * @param via the process runner for git
 * @returns the worktree path
 * @throws {InfraError} when the commit cannot be fetched
 */
export async function urlWorktree(
  root: string,
  url: string,
  commit: string,
  via: GitVia = {},
): Promise<string> {
  const id = sha256Hex(url).slice(0, 16);
  const repo = `${root}/repos/${id}.git`;
  const worktree = `${root}/worktrees/${id}-${commit.slice(0, 16)}`;
  await Deno.mkdir(`${root}/repos`, { recursive: true });
  await Deno.mkdir(`${root}/worktrees`, { recursive: true });
  return await serialized(repo, `${repo}.lock`, async () => {
    if (await pathExists(`${worktree}.ready`)) return worktree;
    if (!(await pathExists(`${repo}/HEAD`))) {
      await initBareClone(repo, url, via);
    }
    await ensureCommit(repo, { commit, fetchUrl: url, fetchRef: null }, {
      ...via,
      allBranches: true,
      hint:
        "push the commit to that tree, or give --commit with one the workers can fetch",
    });
    await removeWorktree(repo, worktree, via);
    await addWorktree(repo, commit, worktree, via);
    await Deno.writeTextFile(`${worktree}.ready`, `${commit}\n`);
    return worktree;
  });
}

/** `fn()`, or null when it throws a UserError (e.g. "not a git checkout"). */
export async function orNullOnUserError<T>(
  fn: () => Promise<T>,
): Promise<T | null> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof UserError) return null;
    throw error;
  }
}

/**
 * Creates the bare repository for `url`; when `url` is a local repository,
 * it borrows that repository's objects through alternates.
 */
async function initBareClone(
  repo: string,
  url: string,
  via: GitVia,
): Promise<void> {
  await git(["init", "-q", "--bare", repo], via);
  const local = localRepoPath(url, "/");
  if (local === null) return;
  const common = await orNullOnUserError(() => gitCommonDir(local, via));
  if (common === null) return;
  await Deno.writeTextFile(
    `${repo}/objects/info/alternates`,
    `${common}/objects\n`,
  );
}
