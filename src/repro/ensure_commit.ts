/**
 * Makes sure the user's repository has the commit a report names: use it if
 * present, else `git fetch --no-tags <url> <branch>` (into a private ref),
 * else say exactly which remote and commit are needed.
 *
 * @module
 */
import { fetchRef, resolveCommit } from "../git/mod.ts";
import { InfraError, UserError } from "../errors.ts";
import { shellLine } from "../util/shell_quote.ts";
import type { SourcePlan } from "./types.ts";

/** Options for `ensureCommit`. */
export interface EnsureCommitOptions {
  /** Called before a fetch with a progress line. */
  progress?: (line: string) => void;
  /** Never fetch (`--offline`). */
  offline?: boolean;
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
  source: SourcePlan,
  options: EnsureCommitOptions = {},
): Promise<string> {
  const commit = source.commit;
  if (!commit) {
    throw new UserError("No commit to build", { hint: "pass --commit" });
  }
  const have = await resolveCommit(repo, commit);
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
        url: source.fetchUrl,
        ref,
        ...(options.signal ? { signal: options.signal } : {}),
      });
    } catch (error) {
      if (!(error instanceof InfraError)) throw error;
      lastError = error;
      continue;
    }
    const got = await resolveCommit(repo, commit);
    if (got) return got;
  }
  const why = lastError instanceof Error
    ? `: ${lastError.message}`
    : " (the branch has moved past it)";
  throw new InfraError(`Cannot get commit ${need}${why}`, {
    hint:
      `kcross needs ${source.fetchUrl} and commit ${commit}; fetch it yourself (${manual}) or pass --remote-url URL`,
    cause: lastError,
  });
}
