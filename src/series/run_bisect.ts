/**
 * Drives `git bisect` in a kcross worktree: builds each commit git proposes
 * into one build dir (incremental), judges it against the hunted
 * diagnostics, and marks it good, bad or skip until git names the first bad
 * commit.
 *
 * @module
 */
import type { Output } from "../util/output.ts";
import type { Diagnostic } from "../diagnostics/types.ts";
import { InfraError, InterruptedError } from "../errors.ts";
import {
  commitSubject,
  dropWorktree,
  ownedWorktree,
  viaOf,
} from "../git/mod.ts";
import type { ProcessRunner } from "../proc/process_runner.ts";
import {
  bisectLog,
  bisectMark,
  bisectReset,
  bisectStart,
  type BisectState,
} from "../git/bisect.ts";
import { formatDiagnostic } from "./diagnostic_key.ts";
import { judgeStep } from "./judge.ts";
import type { BuildCommit, CommitInfo, StepResult } from "./types.ts";

/** One tested commit. */
export interface BisectStep {
  sha: string;
  subject: string;
  mark: "good" | "bad" | "skip";
  result: StepResult;
  recordId: string;
  reason: string;
  matched: string[];
  compiled?: number;
}

/** How a bisection ended. */
export interface BisectOutcome {
  /** The first bad commit, or null when only skipped commits were left. */
  firstBad: (CommitInfo & { recordId: string | null }) | null;
  /** When skips left it ambiguous: the commits it could be. */
  candidates: CommitInfo[];
  steps: BisectStep[];
  /** `git bisect log`, for the record. */
  log: string;
}

/** Inputs of `runBisect`. */
export interface RunBisectOptions {
  /** The user's repository. */
  repo: string;
  /** Full shas. */
  good: string;
  bad: string;
  targets: Diagnostic[];
  build: BuildCommit;
  /** Our worktree and build dir (created if missing). */
  worktree: string;
  outDir: string;
  out: Output;
  signal: AbortSignal;
  /** How git starts (the command's context `proc`; default the real runner). */
  proc?: ProcessRunner;
  /** Remove the worktree when done (default true). */
  cleanup?: boolean;
}

/**
 * Runs the bisection.
 *
 * @returns the first bad commit with its build record id, every step, the log
 * @throws {InfraError} when a build fails for an infrastructure reason
 * @throws {InterruptedError} on Ctrl-C
 */
export async function runBisect(
  options: RunBisectOptions,
): Promise<BisectOutcome> {
  const { out, signal } = options;
  const via = viaOf(options);
  await ownedWorktree(options.repo, options.worktree, options.bad, {
    ...via,
    progress: (line) => out.err(`kcross: ${line}`),
  });
  await Deno.mkdir(options.outDir, { recursive: true });
  const steps: BisectStep[] = [];
  const recordOf = new Map<string, string>();
  /** Builds `sha` in the worktree; an interrupted build stops the bisection. */
  const buildAt = async (sha: string, subject: string) => {
    const build = await options.build({
      worktree: options.worktree,
      outDir: options.outDir,
      commit: { sha, subject },
      signal,
    });
    if (build.result === "interrupted" || signal.aborted) throw interrupted();
    return build;
  };
  let state: BisectState = await bisectStart(options.worktree, {
    bad: options.bad,
    good: options.good,
  }, via);
  try {
    while (state.kind === "testing") {
      if (signal.aborted) throw interrupted();
      const sha = state.commit;
      const subject = await commitSubject(options.worktree, sha, via);
      const left = state.remaining === null
        ? ""
        : ` (${state.remaining} left after this)`;
      out.err(`kcross: bisect ${sha.slice(0, 12)} ${subject}${left}`);
      const build = await buildAt(sha, subject);
      if (build.result === "infra-error") {
        throw new InfraError(
          `Building ${sha.slice(0, 12)} failed for an infrastructure reason${
            build.recordId ? `: see build record "${build.recordId}"` : ""
          }`,
        );
      }
      const j = judgeStep(options.targets, build);
      recordOf.set(sha, build.recordId);
      steps.push({
        sha,
        subject,
        mark: j.mark,
        result: build.result,
        recordId: build.recordId,
        reason: j.reason,
        matched: j.matched.map(formatDiagnostic),
        ...(build.compiled === undefined ? {} : { compiled: build.compiled }),
      });
      out.err(
        `kcross: ${sha.slice(0, 12)} is ${j.mark}: ${j.reason}${
          j.mark === "skip" ? " (git bisect skip)" : ""
        }`,
      );
      state = await bisectMark(options.worktree, j.mark, sha, via);
    }
    const log = await bisectLog(options.worktree, via);
    if (state.kind === "found") {
      const sha = state.commit;
      const subject = await commitSubject(options.worktree, sha, via);
      if (!recordOf.has(sha)) {
        // git named the --bad commit itself without testing it: build it so
        // the answer comes with its build record
        out.err(`kcross: building the first bad commit ${sha.slice(0, 12)}`);
        await ownedWorktree(options.repo, options.worktree, sha, via);
        const build = await buildAt(sha, subject);
        recordOf.set(sha, build.recordId);
      }
      return {
        firstBad: { sha, subject, recordId: recordOf.get(sha) || null },
        candidates: [],
        steps,
        log,
      };
    }
    const candidates: CommitInfo[] = [];
    for (const sha of state.candidates) {
      candidates.push({
        sha,
        subject: await commitSubject(options.worktree, sha, via),
      });
    }
    return { firstBad: null, candidates, steps, log };
  } finally {
    await bisectReset(options.worktree, via);
    if (options.cleanup ?? true) {
      await dropWorktree(options.repo, options.worktree, via);
    }
  }
}

function interrupted(): InterruptedError {
  return new InterruptedError("Bisect interrupted", {
    hint: "run the same kcross bisect command again to start over",
  });
}
