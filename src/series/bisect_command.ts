/**
 * `kcross bisect`: find the first commit that introduces a diagnostic.
 *
 * @module
 */
import type { Command } from "../util/command.ts";
import type { BuildContext } from "../build/mod.ts";
import type { Diagnostic } from "../diagnostics/types.ts";
import { UserError } from "../errors.ts";
import { type GitVia, repoRoot, resolveCommit, viaOf } from "../git/mod.ts";
import { parseArgs } from "../util/args.ts";
import { buildableTargets, kbuildTreeAtCommit } from "../repro/kbuild_dirs.ts";
import { BUILD_OPTION_SPECS, splitArgs } from "./build_args.ts";
import { formatDiagnostic } from "./diagnostic_key.ts";
import { seriesCells } from "./series_cells.ts";
import { parseDiagnosticLine } from "./parse_diagnostic.ts";
import { type BisectOutcome, runBisect } from "./run_bisect.ts";
import { claimRunDir, newSeriesId } from "./state.ts";
import { writeJsonAtomic } from "../util/atomic_write.ts";

const BISECT_USAGE =
  `Usage: kcross bisect --good <rev> --bad <rev> (--diagnostic "<file>:<line>: error: …" | --report FILE) [build options] [--keep] [--json] [--tree DIR]

Drives git bisect in a kcross worktree (your checkout is never touched),
building each step into one build dir and judging it:
  bad   the diagnostic appears (same file and message; the line may move),
  good  the build passes without it,
  skip  the build fails for another reason (git bisect skip; listed at the end).
Ends with the first bad commit and its build record.

Options:
  --good REV, --bad REV   a commit without and one with the diagnostic
  --diagnostic TEXT       the diagnostic as the compiler or the robot prints it
                          (repeatable: any of them makes a commit bad)
  --report FILE           a robot report: its ">>" lines are hunted, and its
                          arch, config, compiler, W/C and targets are the
                          default build options
  --keep                  keep the worktree and build dir
  --tree DIR              the kernel checkout (default: the current directory)
  --json                  print the result as JSON

Build options: as for kcross series (--arch --config --compiler -W -C --jobs
--ccache --no-ccache --allow-substitute --allow-distro --offline --kconfig-add
(--fragment) --set --werror=off [targets…]).

Files: ${"$"}KCROSS_STATE_DIR/bisect/<id>/result.json (with the git bisect log)
Exit codes: 0 first bad commit found, 1 only skipped commits left (candidates
listed), 2 usage, 3 infrastructure, 130 interrupted.`;

const BISECT_OWN = {
  good: true,
  bad: true,
  diagnostic: true,
  report: true,
  keep: false,
  json: false,
  tree: true,
};

/** The hunted diagnostics and default build words a report yields. */
export interface ReportTargets {
  targets: Diagnostic[];
  /** Build option words from the report (the user's override them). */
  buildOptions: string[];
  /** make goals from the report (used when the user gives none). */
  buildTargets: string[];
}

/** Reads a report for bisect (the report parser, injected). */
export type ReportReader = (path: string) => Promise<ReportTargets>;

function collectDiagnostics(args: string[]): string[] {
  // --diagnostic is repeatable; splitArgs keeps the last, so gather them here
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const w = args[i]!;
    if (w === "--diagnostic" && i + 1 < args.length) out.push(args[++i]!);
    else if (w.startsWith("--diagnostic=")) out.push(w.slice(13));
  }
  return out;
}

/**
 * Prints a bisect outcome as text lines.
 *
 * @param r the outcome
 * @returns lines for stdout
 */
export function formatBisect(r: BisectOutcome): string[] {
  const lines: string[] = [];
  for (const s of r.steps) {
    lines.push(
      `${s.sha.slice(0, 12)}  ${
        s.mark.padEnd(4)
      }  ${s.subject}  (${s.reason}; record ${s.recordId || "-"})`,
    );
  }
  const skipped = r.steps.filter((s) => s.mark === "skip");
  if (skipped.length > 0) {
    lines.push(
      `Skipped ${skipped.length} commit${
        skipped.length > 1 ? "s" : ""
      } that failed for another reason: ${
        skipped.map((s) => s.sha.slice(0, 12)).join(", ")
      }`,
    );
  }
  if (r.firstBad) {
    lines.push(
      `First bad commit: ${r.firstBad.sha} ${r.firstBad.subject}`,
      `Build record: ${r.firstBad.recordId ?? "(none)"}`,
    );
  } else {
    lines.push(
      "No single first bad commit: only skipped commits are left. It is one of:",
      ...r.candidates.map((c) => `  ${c.sha} ${c.subject}`),
    );
  }
  return lines;
}

/**
 * The `bisect` command on `context`.
 *
 * @param context where builds come from (`buildContext()`)
 * @param root bisect root (`stateDir()/bisect`), read when the command runs
 * @param readReport the report reader for `--report`
 * @returns the command
 */
export function bisectCommandWith(
  context: BuildContext,
  root: () => string,
  readReport?: ReportReader,
): Command {
  return {
    name: "bisect",
    usage: BISECT_USAGE,
    async run(ctx) {
      const split = splitArgs(ctx.args, BISECT_OWN, false);
      const own = split.own;
      const diagnosticTexts = collectDiagnostics(ctx.args);
      if (typeof own.good !== "string" || typeof own.bad !== "string") {
        throw new UserError("Missing --good or --bad", {
          hint:
            'kcross bisect --good v6.1 --bad HEAD --diagnostic "…" --arch …',
        });
      }
      if (diagnosticTexts.length === 0 && typeof own.report !== "string") {
        throw new UserError("Nothing to hunt: give --diagnostic or --report", {
          hint:
            "e.g. --diagnostic \"include/uapi/linux/vfio.h:608:37: error: expected identifier before '(' token\"",
        });
      }
      const targets = diagnosticTexts.map(parseDiagnosticLine);
      let buildArgs = split.build;
      let fromReport: ReportTargets | null = null;
      if (typeof own.report === "string") {
        if (!readReport) {
          throw new UserError("--report is not available in this version", {
            hint: "pass the report's >> line with --diagnostic instead",
          });
        }
        const path = own.report.startsWith("/")
          ? own.report
          : `${ctx.cwd}/${own.report}`;
        fromReport = await readReport(path);
        if (fromReport.targets.length === 0) {
          throw new UserError(
            `The report "${own.report}" quotes no diagnostics to hunt`,
            { hint: "pass the diagnostic with --diagnostic instead" },
          );
        }
        for (const t of fromReport.targets) targets.push(t);
      }
      const tree = typeof own.tree === "string" ? own.tree : ctx.cwd;
      const via = { proc: context.proc };
      const repo = await repoRoot(
        tree.startsWith("/") ? tree : `${ctx.cwd}/${tree}`,
        via,
      );
      const good = await resolveCommit(repo, own.good, via);
      const bad = await resolveCommit(repo, own.bad, via);
      if (!good || !bad) {
        throw new UserError(
          `The repository has no commit "${!good ? own.good : own.bad}"`,
        );
      }
      if (fromReport) {
        buildArgs = await mergeBuildArgs(fromReport, buildArgs, {
          repo,
          bad,
          proc: context.proc,
          note: (n) => ctx.out.err(`kcross: ${n}`),
        });
      }
      const cells = await seriesCells({
        buildArgs,
        matrix: null,
        repo,
        cwd: ctx.cwd,
        out: ctx.out,
      }, context);
      const id = await claimRunDir(root(), newSeriesId(bad));
      const dir = `${root()}/${id}`;
      ctx.out.err(
        `kcross: bisect ${id}: hunting ${targets.length} diagnostic${
          targets.length > 1 ? "s" : ""
        } between ${good.slice(0, 12)} (good) and ${bad.slice(0, 12)} (bad)`,
      );
      for (const t of targets) ctx.out.err(`kcross:   ${formatDiagnostic(t)}`);
      const outcome = await runBisect({
        repo,
        good,
        bad,
        targets,
        build: cells[0]!.build,
        worktree: `${dir}/src`,
        outDir: `${dir}/build`,
        out: ctx.out,
        signal: ctx.signal,
        proc: context.proc,
        cleanup: own.keep !== true,
      });
      if (own.keep !== true) {
        await Deno.remove(`${dir}/build`, { recursive: true }).catch(() => {});
      }
      const result = {
        id,
        good,
        bad,
        targets: targets.map(formatDiagnostic),
        ...outcome,
      };
      await Deno.mkdir(dir, { recursive: true });
      await writeJsonAtomic(`${dir}/result.json`, result);
      if (own.json === true) {
        ctx.out.out(JSON.stringify(result, null, 2));
      } else {
        for (const line of formatBisect(outcome)) ctx.out.out(line);
      }
      return outcome.firstBad ? 0 : 1;
    },
  };
}

/**
 * Report defaults first, the user's words after (a later option wins);
 * the report's targets only when the user gave none, as repro builds them
 * (`buildableTargets()`: a directory without build goals of its own becomes
 * its nearest parent that has some), read at the bad commit.
 */
async function mergeBuildArgs(
  report: ReportTargets,
  user: string[],
  at: { repo: string; bad: string; note: (line: string) => void } & GitVia,
): Promise<string[]> {
  const userTargets = parseArgs(user, BUILD_OPTION_SPECS).positionals;
  if (userTargets.length > 0) return [...report.buildOptions, ...user];
  const kbuild = buildableTargets(
    report.buildTargets,
    await kbuildTreeAtCommit(at.repo, {
      ...viaOf(at),
      commit: at.bad,
      targets: report.buildTargets,
    }),
  );
  for (const n of kbuild.notes) at.note(n);
  return [...report.buildOptions, ...user, ...kbuild.targets];
}
