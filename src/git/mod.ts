/**
 * Shared git helpers: run git with argv arrays, find and fetch commits
 * (`ensureCommit`), and the one provider of kcross's own worktrees
 * (`acquireWorktree` pool slots for repro, verify and presubmit;
 * `ownedWorktree` for a series' or bisect's own tree; `urlWorktree` for
 * matrix runs and workers) — without ever touching the user's working tree,
 * index, HEAD or stash.
 *
 * @module
 */
export { git, GIT_ENV, GIT_PROTOCOL_ARGS, viaOf } from "./run_git.ts";
export { checkRemote, refProblem, remoteUrlProblem } from "./remote_url.ts";
export type { GitOptions, GitResult, GitVia } from "./run_git.ts";
export {
  commitSubject,
  commitTime,
  fetchedRefName,
  fetchRef,
  gitCommonDir,
  hasCommit,
  repoDir,
  repoRoot,
  resolveCommit,
} from "./commits.ts";
export type { FetchSpec } from "./commits.ts";
// Worktrees come only from the provider below (pool, owned, by URL); the
// plain operations stay inside git/ (worktreeHead is read-only).
export { worktreeHead } from "./worktree.ts";
export {
  acquireWorktree,
  dropWorktree,
  ownedWorktree,
  poolKey,
  removePool,
  worktreeRoot,
} from "./pool.ts";
export {
  localRepoPath,
  orNullOnUserError,
  urlWorktree,
} from "./url_worktree.ts";
export { type CommitSource, ensureCommit } from "./ensure_commit.ts";
export type { EnsureCommitOptions } from "./ensure_commit.ts";
export type { AcquireOptions, WorktreeLease } from "./pool.ts";
