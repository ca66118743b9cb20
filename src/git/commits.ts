/**
 * Questions about commits and getting them: resolve, test, fetch, date.
 * None of these touch the working tree, index, HEAD or stash of the repo.
 *
 * @module
 */
import { InfraError, UserError } from "../errors.ts";
import { sha256Hex } from "../util/digest.ts";
import { shellLine } from "../util/shell_quote.ts";
import { checkRemote } from "./remote_url.ts";
import { git, type GitVia, viaOf } from "./run_git.ts";

/** Absolute top-level directory of the checkout containing `dir`. */
export async function repoRoot(
  dir: string,
  via: GitVia = {},
): Promise<string> {
  const r = await git(["rev-parse", "--show-toplevel"], {
    ...via,
    cwd: dir,
    allowFail: true,
  });
  if (!r.success) {
    throw new UserError(`Not a git checkout: "${dir}"`, {
      hint: "run from your kernel checkout or pass --tree DIR",
    });
  }
  return r.stdout.trim();
}

/**
 * The directory to run repository-wide git commands in: the top level of a
 * checkout, or the repository itself when it is bare.
 *
 * @throws {UserError} when `dir` is not in a git repository
 */
export async function repoDir(
  dir: string,
  via: GitVia = {},
): Promise<string> {
  const bare = await git(["rev-parse", "--is-bare-repository"], {
    ...via,
    cwd: dir,
    allowFail: true,
  });
  if (bare.success && bare.stdout.trim() === "true") {
    const r = await git(["rev-parse", "--path-format=absolute", "--git-dir"], {
      ...via,
      cwd: dir,
    });
    return r.stdout.trim();
  }
  return await repoRoot(dir, via);
}

/**
 * Absolute git common directory (the main repo's `.git`, shared by all its
 * worktrees): the identity of a repository for caches.
 *
 * @throws {UserError} when `dir` is not in a git repository
 */
export async function gitCommonDir(
  dir: string,
  via: GitVia = {},
): Promise<string> {
  const r = await git([
    "rev-parse",
    "--path-format=absolute",
    "--git-common-dir",
  ], {
    ...via,
    cwd: dir,
    allowFail: true,
  });
  if (!r.success) {
    throw new UserError(`Not a git repository: "${dir}"`, {
      hint: "run from your kernel checkout or pass --tree DIR",
    });
  }
  return r.stdout.trim();
}

/**
 * The full sha of `rev` as a commit in `repo`, or null when it is not there.
 *
 * @param repo any directory inside the repository
 * @param rev a sha (full or abbreviated), branch, tag…
 */
export async function resolveCommit(
  repo: string,
  rev: string,
  via: GitVia = {},
): Promise<string | null> {
  if (rev.startsWith("-")) return null;
  const r = await git(["rev-parse", "--verify", "--quiet", `${rev}^{commit}`], {
    ...via,
    cwd: repo,
    allowFail: true,
  });
  const sha = r.stdout.trim();
  return r.success && /^[0-9a-f]{40,64}$/.test(sha) ? sha : null;
}

/** Whether `repo` has commit `rev` (with its objects). */
export async function hasCommit(
  repo: string,
  rev: string,
  via: GitVia = {},
): Promise<boolean> {
  return (await resolveCommit(repo, rev, via)) !== null;
}

/** The commit time of `rev` in seconds since the epoch (`%ct`). */
export async function commitTime(
  repo: string,
  rev: string,
  via: GitVia = {},
): Promise<number> {
  const r = await git(["log", "-1", "--format=%ct", rev, "--"], {
    ...via,
    cwd: repo,
  });
  const n = Number(r.stdout.trim());
  if (!Number.isFinite(n)) {
    throw new InfraError(`Cannot read the commit time of "${rev}"`);
  }
  return n;
}

/** The subject line of `rev`. */
export async function commitSubject(
  repo: string,
  rev: string,
  via: GitVia = {},
): Promise<string> {
  const r = await git(["log", "-1", "--format=%s", rev, "--"], {
    ...via,
    cwd: repo,
  });
  return r.stdout.trim();
}

/** Where to fetch from: a URL (or local path) and a branch/tag/ref. */
export interface FetchSpec extends GitVia {
  url: string;
  /** Branch, tag or full ref name; or a commit sha (servers permitting). */
  ref: string;
  signal?: AbortSignal;
}

/**
 * The private ref `fetchRef` stores a fetched ref under, so the objects stay
 * reachable and no branch, tag, FETCH_HEAD or HEAD of the user changes.
 *
 * @example
 * ```ts
 * import { fetchedRefName } from "./commits.ts";
 * const r = fetchedRefName("https://x/linux.git", "master");
 * if (!r.startsWith("refs/kcross/fetched/")) throw new Error(r);
 * ```
 */
export function fetchedRefName(url: string, ref: string): string {
  const key = sha256Hex(`${url}\n${ref}`).slice(0, 16);
  const readable = ref.replace(/^refs\/(heads|tags)\//, "").replace(
    /[^A-Za-z0-9._-]+/g,
    "_",
  ).replace(/^[.]+/, "").slice(0, 60);
  return `refs/kcross/fetched/${readable || "ref"}-${key}`;
}

/**
 * `git fetch --no-tags <url> <ref>` into `repo`, keeping the result under a
 * private `refs/kcross/fetched/…` ref (not FETCH_HEAD, not a branch).
 *
 * @param repo any directory in the repository to fetch into
 * @param spec url and ref
 * @returns the full sha the ref pointed to
 * @throws {InfraError} when the fetch fails (offline, unknown ref, bad URL)
 */
export async function fetchRef(repo: string, spec: FetchSpec): Promise<string> {
  checkRemote(spec.url, spec.ref);
  const local = fetchedRefName(spec.url, spec.ref);
  const r = await git(
    [
      "fetch",
      "--no-tags",
      "--no-write-fetch-head",
      "--quiet",
      "--",
      spec.url,
      `+${spec.ref}:${local}`,
    ],
    {
      ...viaOf(spec),
      cwd: repo,
      allowFail: true,
      ...(spec.signal ? { signal: spec.signal } : {}),
    },
  );
  if (!r.success) {
    const detail = r.stderr.trim().split("\n").slice(-2).join(" / ");
    throw new InfraError(
      `Cannot fetch "${spec.ref}" from "${spec.url}"${
        detail ? `: ${detail}` : ""
      }`,
      {
        hint: `check the network, or fetch it yourself: ${
          shellLine(["git", "fetch", "--no-tags", spec.url, spec.ref])
        }`,
      },
    );
  }
  const sha = await resolveCommit(repo, local, viaOf(spec));
  if (!sha) {
    throw new InfraError(`Fetched "${spec.ref}" but it is not a commit`);
  }
  return sha;
}
