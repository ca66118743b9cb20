/**
 * Driving `git bisect` step by step in a kcross worktree (bisect state is
 * per worktree, so the user's checkout and any bisect of theirs are left
 * alone). Each call returns git's answer parsed: the next commit to test, or
 * the end of the bisection.
 *
 * @module
 */
import { InfraError } from "../errors.ts";
import { git, type GitVia, NO_HOOKS } from "./run_git.ts";
import { checkoutWorktree } from "./worktree.ts";

/** Where a bisection stands after a git bisect command. */
export type BisectState =
  | { kind: "testing"; commit: string; remaining: number | null }
  | { kind: "found"; commit: string }
  | { kind: "only-skipped"; candidates: string[] };

/**
 * Reads git bisect's output into a state; `head` is what the worktree has
 * checked out now (git prints the next commit but the worktree is the truth).
 *
 * @example
 * ```ts
 * import { parseBisectOutput } from "./bisect.ts";
 * const sha = "a".repeat(40);
 * const s = parseBisectOutput(`${sha} is the first bad commit\ncommit ${sha}\n`, "x");
 * if (s.kind !== "found" || s.commit !== sha) throw new Error();
 * ```
 */
export function parseBisectOutput(text: string, head: string): BisectState {
  const found = /^([0-9a-f]{40,64}) is the first bad commit$/m.exec(text);
  if (found) return { kind: "found", commit: found[1]! };
  if (/only 'skip'ped commits left to test/.test(text)) {
    const candidates = [...text.matchAll(/^([0-9a-f]{40,64})$/gm)].map((m) =>
      m[1]!
    );
    return { kind: "only-skipped", candidates };
  }
  const left = /Bisecting: (\d+) revisions? left/.exec(text);
  return {
    kind: "testing",
    commit: head,
    remaining: left ? Number(left[1]) : null,
  };
}

async function revParse(
  dir: string,
  rev: string,
  via: GitVia,
): Promise<string> {
  const r = await git(["rev-parse", rev], { ...via, cwd: dir });
  return r.stdout.trim();
}

async function run(
  dir: string,
  args: string[],
  via: GitVia,
): Promise<BisectState> {
  // git exits 2 when only skipped commits are left: an answer, not a failure
  const r = await git([...NO_HOOKS, "bisect", ...args], {
    ...via,
    cwd: dir,
    allowFail: true,
  });
  const text = `${r.stdout}\n${r.stderr}`;
  const state = parseBisectOutput(text, await revParse(dir, "HEAD", via));
  if (!r.success && state.kind !== "only-skipped") {
    const detail = r.stderr.trim().split("\n").slice(-3).join(" / ");
    throw new InfraError(
      `Command "git bisect ${args.join(" ")}" failed (exit ${r.code})${
        detail ? `: ${detail}` : ""
      }`,
    );
  }
  return state;
}

/**
 * Starts a bisection in the worktree `dir` (resetting any earlier one there).
 *
 * @param dir a kcross worktree
 * @param range full shas of a bad and a good commit
 * @returns the first commit to test (already checked out), or the answer
 * @throws {InfraError} when git refuses (e.g. good is not an ancestor of bad)
 */
export async function bisectStart(
  dir: string,
  range: { bad: string; good: string },
  via: GitVia = {},
): Promise<BisectState> {
  await git([...NO_HOOKS, "bisect", "reset", "--quiet"], {
    ...via,
    cwd: dir,
    allowFail: true,
  });
  const s = await run(
    dir,
    ["start", "--no-checkout", range.bad, range.good],
    via,
  );
  // --no-checkout leaves the tree alone; check the commit out ourselves so
  // only changed files are rewritten (the build dir stays incremental)
  if (s.kind !== "testing") return s;
  const bisectHead = await revParse(dir, "BISECT_HEAD", via);
  await checkoutWorktree(dir, bisectHead, via);
  return { ...s, commit: bisectHead };
}

/**
 * Marks `commit` good, bad or skip and moves the worktree to the next one.
 *
 * @returns the next commit to test (checked out), or the answer
 */
export async function bisectMark(
  dir: string,
  mark: "good" | "bad" | "skip",
  commit: string,
  via: GitVia = {},
): Promise<BisectState> {
  const s = await run(dir, [mark, commit], via);
  if (s.kind !== "testing") return s;
  const next = await revParse(dir, "BISECT_HEAD", via);
  await checkoutWorktree(dir, next, via);
  return { ...s, commit: next };
}

/** The bisect log of the worktree (`git bisect log`), for the record. */
export async function bisectLog(
  dir: string,
  via: GitVia = {},
): Promise<string> {
  const r = await git(["bisect", "log"], {
    ...via,
    cwd: dir,
    allowFail: true,
  });
  return r.stdout;
}

/** Ends the bisection in `dir` (`git bisect reset`), leaving HEAD detached where it is. */
export async function bisectReset(
  dir: string,
  via: GitVia = {},
): Promise<void> {
  await git([...NO_HOOKS, "bisect", "reset", "--quiet", "HEAD"], {
    ...via,
    cwd: dir,
    allowFail: true,
  });
}
