/**
 * The one way kcross gets a commit into a repository (the user's checkout
 * for repro and verify, a worker's bare clone for matrix cells): use it if
 * present, else `git fetch --no-tags <url> <ref>` for each ref (into a
 * private ref; a branch first, then the sha itself), optionally every branch
 * and tag as a last resort, else say exactly which remote and commit are
 * needed.
 *
 * @module
 */
import { fetchRef, resolveCommit } from "./commits.ts";
import { git, type GitVia, viaOf } from "./run_git.ts";
import { InfraError, UserError } from "../errors.ts";
import { shellLine } from "../util/shell_quote.ts";

/** Where a commit comes from. */
export interface CommitSource {
  /** The commit (full or abbreviated sha), or null (nothing to build). */
  commit: string | null;
  /** Remote to fetch from when the repository lacks the commit. */
  fetchUrl: string | null;
  /** Branch/ref to fetch before the sha itself. */
  fetchRef: string | null;
}

/** Options for `ensureCommit`. */
export interface EnsureCommitOptions extends GitVia {
  /** Called before a fetch with a progress line. */
  progress?: (line: string) => void;
  /** Never fetch (`--offline`). */
  offline?: boolean;
  /** Last resort: fetch every branch and tag (a matrix worker's clone). */
  allBranches?: boolean;
  /** The hint when the commit cannot be had (default: fetch it yourself). */
  hint?: string;
  signal?: AbortSignal;
}

/**
 * The full sha of the plan's commit in `repo`, fetching it when missing.
 *
 * @throws {UserError} the commit is missing and the report names no remote
 * @throws {InfraError} the fetch failed or did not bring the commit (says
 *   which remote, branch and commit are needed)
 */
export async function ensureCommit(
  repo: string,
  source: CommitSource,
  options: EnsureCommitOptions = {},
): Promise<string> {
  const commit = source.commit;
  if (!commit) {
    throw new UserError("No commit to build", { hint: "pass --commit" });
  }
  const via = viaOf(options);
  const have = await resolveCommit(repo, commit, via);
  if (have) return have;
  const need = `${commit}${
    source.fetchRef ? ` (branch "${source.fetchRef}")` : ""
  }${source.fetchUrl ? ` from ${source.fetchUrl}` : ""}`;
  if (!source.fetchUrl) {
    throw new UserError(
      `The checkout does not have commit "${commit}" and the report names no tree to fetch it from`,
      {
        hint: "fetch it yourself, or pass --remote-url URL",
      },
    );
  }
  const manual = shellLine([
    "git",
    "fetch",
    "--no-tags",
    source.fetchUrl,
    source.fetchRef ?? commit,
  ]);
  if (options.offline) {
    throw new InfraError(`The checkout does not have commit ${need}`, {
      hint: `when online, run: ${manual}`,
    });
  }
  const progress = options.progress ?? (() => {});
  const refs = [source.fetchRef, commit].filter((r): r is string => !!r);
  let lastError: unknown = null;
  for (const ref of refs) {
    progress(shellLine(["git", "fetch", "--no-tags", source.fetchUrl, ref]));
    try {
      await fetchRef(repo, {
        ...via,
        url: source.fetchUrl,
        ref,
        ...(options.signal ? { signal: options.signal } : {}),
      });
    } catch (error) {
      if (!(error instanceof InfraError)) throw error;
      lastError = error;
      continue;
    }
    const got = await resolveCommit(repo, commit, via);
    if (got) return got;
  }
  if (options.allBranches) {
    progress(`git fetch --no-tags ${source.fetchUrl} (every branch and tag)`);
    await git([
      "fetch",
      "-q",
      "--no-tags",
      source.fetchUrl,
      "+refs/heads/*:refs/remotes/src/*",
      "+refs/tags/*:refs/tags/*",
    ], { ...via, cwd: repo, allowFail: true });
    const got = await resolveCommit(repo, commit, via);
    if (got) return got;
  }
  const why = lastError instanceof Error
    ? `: ${lastError.message}`
    : " (the branch has moved past it)";
  throw new InfraError(`Cannot get commit ${need}${why}`, {
    hint: options.hint ??
      `kcross needs ${source.fetchUrl} and commit ${commit}; fetch it yourself (${manual}) or pass --remote-url URL`,
    cause: lastError,
  });
}
