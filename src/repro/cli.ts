/**
 * CLI for the repro area: `kcross repro` and `kcross demo`.
 *
 * @module
 */
import { flag, oneOperand, parseArgs, str } from "../util/args.ts";
import { commonSpecs, flagHelp, jobsOf } from "../util/flags.ts";
import type { Command, CommandContext } from "../util/command.ts";
import { UserError } from "../errors.ts";
import { buildContext } from "../build/mod.ts";
import { formatVerdict } from "./format_verdict.ts";
import { runDemo } from "./run_demo.ts";
import { runRepro } from "./run_repro.ts";
import { readReportRun, REPORT_RUN_SPECS } from "./report_flags.ts";

const REPRO_USAGE =
  `Usage: kcross repro <report|-|Message-ID|lore URL> [options]

Reproduce a 0-day kernel test robot report in your kernel checkout: read the
report (a file, standard input, or a Message-ID / lore URL fetched from
public-inbox into the report cache, with the robot's reproduce script and
config from download.01.org), get the
report's commit (fetching it from the report's tree if needed), build it in a
kcross worktree under the state dir (your working tree, index, HEAD and stash
are never touched) with the report's config, exact compiler, make variables
and targets, then compare the build's diagnostics with the report's. A
config the report names but whose file cannot be fetched is regenerated
from its name (a setup difference); the robot builds allmodconfig and
allyesconfig with CONFIG_WERROR off, and so does repro.

Options:
  --tree DIR           your kernel checkout (default: the current directory)
  --remote-url URL     fetch the commit from URL instead of the report's tree
  --commit SHA         build SHA (patch reports: the patch applied on base:)
  --config FILE        use this .config (randconfig reports, attachments)
  --reproduce FILE     the robot's reproduce script for this report
${flagHelp("jobs", 23)}
${
    flagHelp(
      "allow-substitute",
      23,
      "build with another compiler version when the exact one cannot be had (the verdict says so)",
    )
  }
${flagHelp("allow-distro", 23)}
  --trust-make-line    pass make variables and targets from the report that
                       the make-word policy refuses, and config values with
                       $ or backticks (docs/build.md; the build record says so)
  --lore-url URL       public-inbox root for a Message-ID (default
                       $KCROSS_LORE_URL, else https://lore.kernel.org)
  --werror=keep|off    CONFIG_WERROR over the robot's policy (default: off
                       for a regenerated allmodconfig/allyesconfig, as the
                       robot builds them; a robot config file as it is)
${
    flagHelp(
      "offline",
      23,
      "never fetch (reports, files, commits, toolchains): use the caches, say which remote and commit are needed",
    )
  }
${flagHelp("ccache", 23, "compile through ccache (the default for repro)")}
${flagHelp("no-ccache", 23)}
${flagHelp("json", 23, "print the verdict as JSON")}

The verdict (also written as verdict.json in the build record) is
"reproduced" when every new (>>) diagnostic of the report was seen,
"partial" when some were, "not-reproduced" otherwise.

Exit codes: 0 reproduced, 1 partial or not reproduced, 2 user error (bad
report, missing commit or config, no exact compiler), 3 infrastructure error.`;

const DEMO_USAGE = `Usage: kcross demo [--keep | --clean] [--jobs N] [--json]

Go through the whole loop on this machine: check (as root, install) the
Debian packages it needs, make a sample kernel repository from
linux-source-6.1 (a base commit, one that adds the VFIO_DEVICE_STATE_STOP
macro collision to include/uapi/linux/vfio.h, and its fix on top), write a
robot-style report for it (powerpc-allmodconfig, Debian's powerpc64 gcc,
W=1 drivers/vfio/), run kcross repro on it (the >> error, reproduced),
then kcross verify on the fix ("fixed", and the trailers to add).
Everything lives in <state dir>/demo and is reused, so a second run is
incremental (ccache).

Options:
  --keep        keep the sample, its worktree and build dir (the default)
  --clean       remove them and stop
${flagHelp("jobs", 16, "make -j N")}
${
  flagHelp(
    "json",
    16,
    'print the repro verdict as JSON, with verify\'s answer under "verify"',
  )
}

Exit codes: 0 reproduced and fixed, 1 not reproduced or not fixed, 2 user
error (packages missing and not root), 3 infrastructure error.`;

async function repro(ctx: CommandContext): Promise<number> {
  const p = parseArgs(ctx.args, REPORT_RUN_SPECS);
  const file = oneOperand(p.positionals, "report file", {
    missing: "kcross repro <report|-> (use - for standard input)",
    extra: "kcross repro takes one report file",
  });
  const run = await readReportRun(ctx, p, file);
  const commit = str(p, "commit");
  const result = await runRepro(run.text, {
    ...run.options,
    ...(commit ? { commit } : {}),
  });
  if (flag(p, "json")) {
    ctx.out.out(JSON.stringify(result.verdict, null, 2));
  } else {
    for (const line of formatVerdict(result.verdict)) ctx.out.out(line);
  }
  return result.verdict.verdict === "reproduced" ? 0 : 1;
}

async function demo(ctx: CommandContext): Promise<number> {
  const p = parseArgs(ctx.args, {
    keep: { type: "boolean" },
    clean: { type: "boolean" },
    ...commonSpecs("jobs", "json"),
  });
  if (p.positionals.length) {
    throw new UserError(`Unexpected argument "${p.positionals[0]}"`, {
      hint: "kcross demo [--keep | --clean]",
    });
  }
  if (flag(p, "keep") && flag(p, "clean")) {
    throw new UserError("--keep and --clean contradict each other");
  }
  const dispatch = ctx.dispatch;
  if (!dispatch) {
    throw new Error("demo needs a command dispatcher in its context");
  }
  const json = flag(p, "json");
  const result = await runDemo({
    out: json ? { ...ctx.out, out: () => {} } : ctx.out,
    signal: ctx.signal,
    context: buildContext(),
    clean: flag(p, "clean"),
    ...(jobsOf(p) !== undefined ? { jobs: jobsOf(p)! } : {}),
    verify: (args, out) => dispatch("verify", { ...ctx, args, out }),
    json,
  });
  if (result === null) return 0;
  if (json) {
    ctx.out.out(
      JSON.stringify({ ...result.verdict, verify: result.verify }, null, 2),
    );
  }
  return result.verdict.verdict === "reproduced" && result.verifyCode === 0
    ? 0
    : 1;
}

/** Subcommands this area provides. */
export const reproCommands: Command[] = [
  {
    name: "repro",
    usage: REPRO_USAGE,
    run: repro,
  },
  {
    name: "demo",
    usage: DEMO_USAGE,
    run: demo,
  },
];
