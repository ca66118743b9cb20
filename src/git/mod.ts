/**
 * Shared git helpers: run git with argv arrays, find and fetch commits, and
 * keep kcross's own worktrees — without ever touching the user's working
 * tree, index, HEAD or stash.
 *
 * @module
 */
export { git, GIT_ENV, GIT_PROTOCOL_ARGS } from "./run_git.ts";
export { checkRemote, refProblem, remoteUrlProblem } from "./remote_url.ts";
export type { GitOptions, GitResult } from "./run_git.ts";
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
export {
  addWorktree,
  checkoutWorktree,
  removeWorktree,
  worktreeHead,
} from "./worktree.ts";
export { acquireWorktree, poolKey, removePool, worktreeRoot } from "./pool.ts";
export type { AcquireOptions, WorktreeLease } from "./pool.ts";
