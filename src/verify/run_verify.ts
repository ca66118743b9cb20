/**
 * `kcross verify`: the report's setup (the one planner, through repro's
 * prepared run), the report's commit (its build record when there is one,
 * else built now) and the fix built in the same worktree slot, so the
 * second build is incremental; then the judgement and the trailers.
 *
 * @module
 */
import { git, resolveCommit } from "../git/mod.ts";
import { extractEmail } from "../report/mod.ts";
import { compareReported } from "../diagnostics/mod.ts";
import { UserError } from "../errors.ts";
import { writeJsonAtomic } from "../util/atomic_write.ts";
import { buildReproAt } from "../repro/build_repro.ts";
import { ensureCommit } from "../git/mod.ts";
import {
  type PreparedRepro,
  prepareRepro,
  resolveReproToolchain,
  type RunReproOptions,
} from "../repro/prepare_repro.ts";
import type { ReproPlan } from "../repro/types.ts";
import { type AlsoCell, verifyOnMatrix } from "./also_matrix.ts";
import { createCellRunner } from "../matrix/run_cell.ts";
import { findBaseline } from "./find_baseline.ts";
import { judgeFix } from "./judge_fix.ts";
import { rebuiltInRecord } from "./rebuilt_objects.ts";
import { missingTrailers, reportTrailers } from "./trailers.ts";
import type { FixJudgement } from "./types.ts";

/** Options for `runVerify`: repro's, plus the fix and the report's commit. */
export interface RunVerifyOptions extends Omit<RunReproOptions, "commit"> {
  /** The fix: a revision in the checkout (default `HEAD`). */
  rev?: string;
  /** The commit to compare with, instead of the report's (patch reports). */
  base?: string;
  /** `--also FILE`: the check again on every cell of this matrix file. */
  also?: string;
  /** Where `also` is relative to. */
  cwd?: string;
}

/** A build taking part in the verification. */
export interface VerifyBuild {
  commit: string;
  recordDir: string;
  /** `record`: an earlier build of it was reused; `built`: built now. */
  from: "record" | "built";
}

/** What `runVerify` found (also written as `verify.json` in the fix's record). */
export interface VerifyResult extends FixJudgement {
  /** The trailers the report asks for. */
  trailers: string[];
  /** Those the fix's commit message lacks (empty: it carries them all). */
  trailersMissing: string[];
  fix: VerifyBuild & { subject: string };
  report: VerifyBuild;
  arch: string;
  config: string;
  toolchain: string;
  targets: string[];
  makeVars: string[];
  /** Setup differences from the robot's (as `repro` lists them). */
  differences: string[];
  /** `--also`: one answer per matrix cell. */
  cells?: AlsoCell[];
  plan: ReproPlan;
}

async function prepare(
  text: string,
  options: RunVerifyOptions,
): Promise<PreparedRepro> {
  try {
    return await prepareRepro(text, {
      ...options,
      ...(options.base ? { commit: options.base } : {}),
    });
  } catch (e) {
    if (
      e instanceof UserError && !options.base &&
      e.message.startsWith("This is a patch report without a commit")
    ) {
      throw new UserError(
        "This is a patch report without a commit: verify needs the commit the robot built to compare with",
        {
          hint:
            "apply the patch onto its base (see kcross report parse), then pass --base <sha of the result>",
        },
      );
    }
    throw e;
  }
}

/**
 * Verifies that `rev` fixes the report.
 *
 * @param reportText the report as given (mail, archive copy)
 * @param options the context, checkout, fix revision, repro's overrides
 * @returns the judgement, the builds compared and the trailers
 * @throws {UserError} bad report, unknown revision, missing config or compiler
 * @throws {InfraError} fetch, toolchain or build infrastructure failures
 */
export async function runVerify(
  reportText: string,
  options: RunVerifyOptions,
): Promise<VerifyResult> {
  const step = (line: string) => options.out.err(`==> ${line}`);
  const prepared = await prepare(reportText, options);
  const { plan, repo } = prepared;
  const rev = options.rev ?? "HEAD";
  const via = { proc: options.context.proc };
  const fixSha = await resolveCommit(repo, rev, via);
  if (!fixSha) {
    throw new UserError(`The checkout has no commit "${rev}"`, {
      hint: "pass --commit REV (a commit of the checkout, default HEAD)",
    });
  }
  const reportSha = await ensureCommit(repo, plan.source, {
    ...via,
    progress: step,
    signal: options.signal,
    ...(options.offline ? { offline: true } : {}),
  });
  step(`report's commit ${reportSha}, fix ${fixSha}`);
  const ready = await resolveReproToolchain(prepared, options);

  // The objects of the reported .c files, compiled in every build here:
  // make would leave them up to date (and silent) otherwise.
  const reportedObjects = plan.reported.map((d) => d.file)
    .filter((f) => /\.c$/.test(f)).map((f) =>
      f.replace(/^(\.\/)+/, "").replace(/\.c$/, ".o")
    );
  let baseline = await findBaseline(reportSha, ready.setupKey);
  let report: VerifyBuild;
  if (baseline) {
    step(`report's commit: reusing its build record ${baseline.recordDir}`);
    report = {
      commit: reportSha,
      recordDir: baseline.recordDir,
      from: "record",
    };
  } else {
    step(`report's commit: no build of it with this setup yet, building it`);
    const built = await buildReproAt(ready, reportSha, {
      ...options,
      recompile: reportedObjects,
    });
    baseline = {
      id: built.verdict.build!.id,
      recordDir: built.verdict.build!.recordDir,
      diagnostics: built.diagnostics,
    };
    report = {
      commit: reportSha,
      recordDir: baseline.recordDir,
      from: "built",
    };
  }
  step(`fix: building ${fixSha}`);
  // and the objects that printed them at the report's commit (a header's
  // diagnostics come from every unit that includes it)
  const printed = compareReported(plan.reported, baseline.diagnostics).matches
    .flatMap((m) => m.found?.objects ?? []);
  const fixed = await buildReproAt(ready, fixSha, {
    ...options,
    otherCommitExpected: true,
    recompile: [...reportedObjects, ...printed],
  });
  const rebuilt = await rebuiltInRecord(fixed.verdict.build!.recordDir);
  const judgement = judgeFix(plan.reported, {
    base: baseline.diagnostics,
    fix: fixed.diagnostics,
    ...(rebuilt ? { rebuilt } : {}),
  });
  if (fixed.result === "empty" && judgement.verdict !== "not-fixed") {
    judgement.verdict = "not-fixed";
    judgement.notes.push(
      "the fix's build compiled nothing for these targets (see its record): the diagnostics are gone because nothing was built",
    );
  }
  if (fixSha === reportSha) {
    judgement.notes.push(
      `the fix is the report's own commit (${rev}): commit the fix, or pass --commit REV`,
    );
  }
  let cells: AlsoCell[] | undefined;
  if (options.also) {
    step(`also: the same check on the cells of ${options.also}`);
    cells = await verifyOnMatrix(options.also, {
      cwd: options.cwd ?? Deno.cwd(),
      repo,
      reportCommit: reportSha,
      fixCommit: fixSha,
      reported: plan.reported,
      recompile: reportedObjects,
      proc: options.context.proc,
      runner: createCellRunner(options.context.builder),
      out: options.out,
      signal: options.signal,
      ...(options.jobs ? { jobs: options.jobs } : {}),
      ccache: options.ccache ?? true,
      ...(options.allowDistro ? { allowDistro: true } : {}),
      ...(options.offline ? { offline: true } : {}),
      ...(options.trustMakeLine ? { trustMakeLine: true } : {}),
      ...(options.poolRoot ? { poolRoot: options.poolRoot } : {}),
    });
    const worst = (v: string) => cells!.some((c) => c.verdict === v);
    if (judgement.verdict !== "not-fixed") {
      if (worst("not-fixed")) judgement.verdict = "not-fixed";
      else if (worst("fixed-with-new-diagnostics")) {
        judgement.verdict = "fixed-with-new-diagnostics";
      }
    }
    if (cells.some((c) => c.verdict !== judgement.verdict)) {
      judgement.notes.push(
        "the matrix cells of --also count in the verdict: each must be fixed too",
      );
    }
  }
  const email = extractEmail(reportText);
  const parsed = prepared.report;
  const trailers = reportTrailers(email.body, {
    format: parsed.format ?? null,
    messageId: parsed.message_id ?? null,
  });
  const message = (await git(["log", "-1", "--format=%B", fixSha, "--"], {
    cwd: repo,
    proc: options.context.proc,
  })).stdout;
  const subject = message.split("\n")[0] ?? "";
  const result: VerifyResult = {
    ...judgement,
    trailers,
    trailersMissing: missingTrailers(trailers, message),
    fix: {
      commit: fixSha,
      recordDir: fixed.verdict.build!.recordDir,
      from: "built",
      subject,
    },
    report,
    arch: plan.arch,
    config: ready.config.description,
    toolchain: `${ready.toolchain.id} ${ready.toolchain.version}`,
    targets: plan.targets,
    makeVars: plan.makeVars,
    differences: fixed.verdict.differences,
    ...(cells ? { cells } : {}),
    plan,
  };
  const { plan: _plan, ...saved } = result;
  await writeJsonAtomic(`${result.fix.recordDir}/verify.json`, saved);
  return result;
}
