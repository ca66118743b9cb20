/**
 * `kcross presubmit`: its flags, help and output.
 *
 * @module
 */
import { flag, parseArgs, str } from "../util/args.ts";
import {
  ccacheOf,
  cellsOf,
  commonSpecs,
  flagHelp,
  jobsOf,
} from "../util/flags.ts";
import type { Command } from "../util/command.ts";
import { UserError } from "../errors.ts";
import type { BuildContext } from "../build/mod.ts";
import { createCellRunner } from "../matrix/run_cell.ts";
import { type CellRunner, withToolchainPolicy } from "../matrix/runner.ts";
import { answerLine, formatResult } from "./render.ts";
import { DEFAULT_PROFILE, runPresubmit } from "./run_presubmit.ts";
import { summaryPaths } from "./write_summaries.ts";

const USAGE =
  `Usage: kcross presubmit [<base>..<head>] [--profile FILE] [--queue URL]
                        [--ccache | --no-ccache] [--json] [options]

Checks a series the way the 0-day robot will: builds the base and every
commit of <base>..<head> on each cell of a profile (default: the robot
profile, configs/robot-profile.toml: the 12 setups that cover the most real
robot reports, see docs/robot-profile.md), with ccache, each cell
incrementally from commit to commit, and prints what the robot would likely
report: per cell and commit, the diagnostics new relative to the base (built
with the same cell), robot-style, new ones prefixed by ">>". Ends with a
one-line answer and the path of the run's summary (summary.md and
summary.html next to each other). Your checkout is never touched.

Without a range: the current branch's upstream..HEAD.

A cell whose compiler this host cannot get is "not run" with the reason (the
robot profile asks for kernel.org's gcc-15 and clang-20); nothing is swapped
silently: --allow-substitute or --allow-distro let another build stand in,
and the cell says which.

Options:
  --profile FILE         a matrix file to run instead of the robot profile
  --tree DIR             the kernel checkout (default: the current directory)
${flagHelp("ccache", 25, "compile through ccache (default: on)")}
${flagHelp("no-ccache", 25)}
${
    flagHelp(
      "jobs",
      25,
      "make -j N of each build (default: the cores shared out between the cells)",
    )
  }
${
    flagHelp(
      "cells",
      25,
      "cells built at once on this machine (default: up to the cores)",
    )
  }
  --queue URL            build on BullMQ workers (redis://host:port[/db]) instead,
                         every commit's cells at once (kcross matrix worker)
  --queue-name NAME      the BullMQ queue (default kcross-matrix)
${flagHelp("allow-substitute", 25)}
${flagHelp("allow-distro", 25)}
${flagHelp("offline", 25)}
  --trust-make-line      pass make words of the profile the make-word policy refuses
${
    flagHelp(
      "json",
      25,
      "print the result as JSON (the answer line goes to stderr)",
    )
  }

Files: $KCROSS_STATE_DIR/presubmit/<id>/ (result.json, summary.md,
summary.html); the worktree and each cell's build dir under
$KCROSS_STATE_DIR/presubmit/worktrees/ are kept, so the next run is
incremental too. Each build leaves a normal build record (kcross logs).

Exit codes: 0 nothing new would be reported, 1 something new would be
reported, 2 usage, 3 some cell could not be checked (not run,
infrastructure) and nothing new was found in the others, 130 interrupted.`;

/**
 * The `presubmit` command on `context`: its cells build through the matrix
 * area's `createCellRunner(context.builder)` (tests pass a context with a
 * fake make and toolchain resolver).
 *
 * @param context where builds come from (`buildContext()`)
 * @returns the command
 */
export function presubmitCommandWith(context: BuildContext): Command {
  return {
    name: "presubmit",
    usage: USAGE,
    async run(ctx) {
      const p = parseArgs(ctx.args, {
        profile: { type: "string" },
        tree: { type: "string" },
        ...commonSpecs(
          "ccache",
          "no-ccache",
          "jobs",
          "cells",
          "allow-substitute",
          "allow-distro",
          "offline",
          "json",
        ),
        queue: { type: "string" },
        "queue-name": { type: "string" },
        "trust-make-line": { type: "boolean" },
      });
      if (p.positionals.length > 1) {
        throw new UserError(
          `Expected one range, got "${p.positionals.join(" ")}"`,
          { hint: "kcross presubmit origin/master..HEAD" },
        );
      }
      const ccache = ccacheOf(p, true);
      const jobs = jobsOf(p);
      const cells = cellsOf(p);
      const queue = str(p, "queue");
      const result = await runPresubmit({
        range: p.positionals[0] ?? null,
        profile: str(p, "profile") ?? DEFAULT_PROFILE,
        cwd: ctx.cwd,
        tree: str(p, "tree"),
        out: ctx.out,
        signal: ctx.signal,
        proc: context.proc,
        runner: queue ? idleRunner : withToolchainPolicy(
          createCellRunner(context.builder),
          {
            allowDistro: false, // travels in each cell's inputs (workers too)
            offline: flag(p, "offline"),
          },
        ),
        ccache,
        queue,
        queueName: str(p, "queue-name"),
        cells,
        makeJobs: jobs,
        allowSubstitute: flag(p, "allow-substitute"),
        allowDistro: flag(p, "allow-distro"),
        trustMakeLine: flag(p, "trust-make-line"),
      });
      const answer = answerLine(result.totals, summaryPaths(result.dir).html);
      if (flag(p, "json")) {
        ctx.out.out(JSON.stringify(result, null, 2));
        ctx.out.err(answer);
      } else {
        for (const line of formatResult(result)) ctx.out.out(line);
        ctx.out.out("");
        ctx.out.out(answer);
      }
      if (result.totals.notRun > 0) {
        ctx.out.err(
          `hint: ${result.totals.notRun} cell(s) could not start (see the reasons above): install their compilers (kcross toolchain fetch/prefetch, --mirror), or let another build stand in with --allow-substitute / --allow-distro (each cell then says which)`,
        );
      }
      return result.exitCode;
    },
  };
}

/** With --queue the workers build; this process never does. */
const idleRunner: CellRunner = {
  run: () => Promise.reject(new Error("the submitter does not build")),
};
