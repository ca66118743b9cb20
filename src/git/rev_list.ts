/**
 * Listing the commits of a range (`base..head`) oldest first, for
 * `kcross series`. Read-only: never touches any working tree.
 *
 * @module
 */
import { UserError } from "../errors.ts";
import { git, type GitVia } from "./run_git.ts";

/** A commit of a range. */
export interface RangeCommit {
  /** Full sha. */
  sha: string;
  /** First line of the message. */
  subject: string;
}

/**
 * The commits reachable from `head` but not from `base`, oldest first
 * (`git rev-list --reverse --topo-order base..head`). Merges are included;
 * use `firstParent` to follow only the first-parent chain.
 *
 * @param repo any directory in the repository
 * @param range base and head revisions (validated: no option-like words)
 * @returns commits in build order
 * @throws {UserError} when a revision does not exist
 */
export async function listRange(
  repo: string,
  range: { base: string; head: string; firstParent?: boolean },
  via: GitVia = {},
): Promise<RangeCommit[]> {
  for (const rev of [range.base, range.head]) {
    if (rev.startsWith("-")) {
      throw new UserError(`Bad revision "${rev}"`);
    }
    const r = await git(
      ["rev-parse", "--verify", "--quiet", `${rev}^{commit}`],
      {
        ...via,
        cwd: repo,
        allowFail: true,
      },
    );
    if (!r.success) {
      throw new UserError(`The repository has no commit "${rev}"`, {
        hint: "check the range with: git log --oneline <base>..<head>",
      });
    }
  }
  const r = await git([
    "log",
    "--reverse",
    "--topo-order",
    ...(range.firstParent ? ["--first-parent"] : []),
    "--format=%H%x00%s",
    `${range.base}..${range.head}`,
    "--",
  ], { ...via, cwd: repo });
  return r.stdout.split("\n").filter((l) => l.length > 0).map((l) => {
    const [sha = "", subject = ""] = l.split("\u0000");
    return { sha, subject };
  });
}
