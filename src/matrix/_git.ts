/**
 * Git helpers for matrices: which tree and commit a run builds, and the
 * worker-side clone + worktrees. argv arrays only.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { InfraError, UserError } from "../errors.ts";
import type { TreeSpec } from "./types.ts";

const decoder = new TextDecoder();

/** Runs git; resolves to stdout (trimmed) or null on a non-zero exit. */
export async function git(
  args: string[],
  options: { cwd?: string; allowFail?: boolean; raw?: boolean } = {},
): Promise<string> {
  let out: Deno.CommandOutput;
  try {
    out = await new Deno.Command("git", {
      args,
      ...(options.cwd ? { cwd: options.cwd } : {}),
      stdout: "piped",
      stderr: "piped",
      stdin: "null",
      env: { LANG: "C", GIT_TERMINAL_PROMPT: "0" },
    }).output();
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new InfraError("Cannot run git: not installed", {
        hint: "install git (Debian: apt-get install git)",
      });
    }
    throw error;
  }
  const stdout = decoder.decode(out.stdout);
  if (!out.success) {
    if (options.allowFail) return "\0fail";
    throw new InfraError(
      `git ${args.join(" ")} failed: ${decoder.decode(out.stderr).trim()}`,
    );
  }
  return options.raw ? stdout : stdout.trim();
}

async function isFailed(p: Promise<string>): Promise<boolean> {
  return (await p) === "\0fail";
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
  const top = await git(["rev-parse", "--show-toplevel"], {
    cwd,
    allowFail: true,
  });
  const url = options.url ?? (top === "\0fail" ? cwd : top);
  const repoDir = options.url ? localRepoPath(options.url, cwd) : top;
  if (repoDir === null || repoDir === "\0fail") {
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
          repoDir === null ? options.url : cwd
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
  const commit = await git([
    "rev-parse",
    "--verify",
    "--quiet",
    `${rev}^{commit}`,
  ], {
    cwd: repoDir,
    allowFail: true,
  });
  if (commit === "\0fail") {
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
    if (status !== "") {
      const diff = await git(["diff", "HEAD", "--binary"], {
        cwd: repoDir,
        raw: true,
      });
      dirtyDigest = createHash("sha256").update(diff).digest("hex").slice(
        0,
        16,
      );
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

async function withFileLock<T>(path: string, fn: () => Promise<T>): Promise<T> {
  using file = await Deno.open(path, { create: true, write: true });
  await file.lock(true);
  try {
    return await fn();
  } finally {
    await file.unlock();
  }
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
    try {
      await Deno.stat(`${worktree}.ready`);
      return worktree;
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
    try {
      await Deno.stat(`${repo}/HEAD`);
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
      await git(["init", "-q", "--bare", repo]);
      const local = localRepoPath(url, "/");
      if (local !== null) {
        const gitDir = await git(["rev-parse", "--absolute-git-dir"], {
          cwd: local,
          allowFail: true,
        });
        if (gitDir !== "\0fail") {
          const common = await git(["rev-parse", "--git-common-dir"], {
            cwd: local,
          });
          const objects = common.startsWith("/")
            ? `${common}/objects`
            : `${gitDir}/${common}/objects`;
          await Deno.writeTextFile(
            `${repo}/objects/info/alternates`,
            `${objects}\n`,
          );
        }
      }
    }
    const have = !(await isFailed(
      git(["cat-file", "-e", `${commit}^{commit}`], {
        cwd: repo,
        allowFail: true,
      }),
    ));
    if (!have) {
      const direct = await git(["fetch", "-q", "--no-tags", url, commit], {
        cwd: repo,
        allowFail: true,
      });
      if (direct === "\0fail") {
        await git([
          "fetch",
          "-q",
          "--no-tags",
          url,
          "+refs/heads/*:refs/remotes/src/*",
          "+refs/tags/*:refs/tags/*",
        ], { cwd: repo });
      }
      if (
        await isFailed(
          git(["cat-file", "-e", `${commit}^{commit}`], {
            cwd: repo,
            allowFail: true,
          }),
        )
      ) {
        throw new InfraError(`Cannot fetch commit "${commit}" from "${url}"`, {
          hint:
            "push the commit to that tree, or give --commit with one the workers can fetch",
        });
      }
    }
    await Deno.remove(worktree, { recursive: true }).catch(() => {});
    await git(["worktree", "prune"], { cwd: repo });
    await git(["worktree", "add", "-q", "--detach", worktree, commit], {
      cwd: repo,
    });
    await Deno.writeTextFile(`${worktree}.ready`, `${commit}\n`);
    return worktree;
  });
}
