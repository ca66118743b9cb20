/**
 * CLI for the verify area: `kcross verify`.
 *
 * @module
 */
import { flag, oneOperand, parseArgs, str } from "../util/args.ts";
import { flagHelp } from "../util/flags.ts";
import type { Command, CommandContext } from "../util/command.ts";
import { UserError } from "../errors.ts";
import { readReportRun, REPORT_RUN_SPECS } from "../repro/report_flags.ts";
import { formatVerify } from "./format_verify.ts";
import { runVerify } from "./run_verify.ts";

const VERIFY_USAGE =
  `Usage: kcross verify <report|-|Message-ID|lore URL> [--commit REV] [options]

Check that a commit fixes a 0-day kernel test robot report, on the robot's
setup: the build repro plans for the report (config, exact compiler, make
variables, targets) is run on REV, in a kcross worktree (your working tree,
index and HEAD are never touched), and compared with the build of the
report's commit (its build record from an earlier repro or verify, else
built now in the same worktree, so the fix's build is incremental). Each
reported diagnostic is "gone", "still there" or "moved" on REV, and
diagnostics REV brings that the report's commit did not have are listed.
On "fixed" it prints the trailers the report asks for (Reported-by:,
Closes: or Link:) and whether REV's commit message already has them.

Options:
  --commit REV         the fix to check (default: HEAD of the checkout)
  --base REV           compare with REV instead of the report's commit
                       (patch reports: the patch applied on its base)
  --tree DIR           your kernel checkout (default: the current directory)
  --also FILE          the same check on every cell of this matrix file
                       (docs/matrix.md), cells in parallel, one line each;
                       every cell must be fixed for "fixed"
  --trailers-only      print only the trailer lines (when fixed), for
                       git commit --trailer / b4 trailers
${flagHelp("json", 23, "print the result as JSON")}
  --remote-url URL     fetch the report's commit from URL
  --config FILE        use this .config (randconfig reports, attachments)
  --reproduce FILE     the robot's reproduce script for this report
${flagHelp("jobs", 23)}
${
    flagHelp(
      "allow-substitute",
      23,
      "build with another compiler version when the exact one cannot be had (listed as a setup difference)",
    )
  }
${flagHelp("allow-distro", 23)}
  --trust-make-line    pass make words the make-word policy refuses
  --lore-url URL       public-inbox root for a Message-ID (default
                       $KCROSS_LORE_URL, else https://lore.kernel.org)
  --werror=keep|off    CONFIG_WERROR over the robot's policy (as repro)
${
    flagHelp(
      "offline",
      23,
      "never fetch (reports, files, commits, toolchains): use the caches",
    )
  }
${flagHelp("ccache", 23, "compile through ccache (the default for verify)")}
${flagHelp("no-ccache", 23)}

Verdicts: "fixed" (every >> diagnostic is gone and nothing new), exit 0;
"not-fixed" (one is still there or moved, or the report's commit does not
show it here either), exit 1; "fixed-with-new-diagnostics" (gone, but REV
brings new ones), exit 1. Exit 2 user error, 3 infrastructure error.
The result is also written as verify.json in the fix's build record.`;

async function verify(ctx: CommandContext): Promise<number> {
  const p = parseArgs(ctx.args, {
    ...REPORT_RUN_SPECS,
    base: { type: "string" },
    also: { type: "string" },
    "trailers-only": { type: "boolean" },
  });
  if (flag(p, "json") && flag(p, "trailers-only")) {
    throw new UserError("--json and --trailers-only contradict each other");
  }
  const input = oneOperand(p.positionals, "report", {
    missing: "kcross verify <report|-|Message-ID|lore URL> [--commit REV]",
    extra: "kcross verify takes one report; the fix is --commit REV",
  });
  const run = await readReportRun(ctx, p, input);
  const rev = str(p, "commit");
  const base = str(p, "base");
  const also = str(p, "also");
  const result = await runVerify(run.text, {
    ...run.options,
    ...(rev ? { rev } : {}),
    ...(base ? { base } : {}),
    ...(also ? { also, cwd: ctx.cwd } : {}),
  });
  if (flag(p, "json")) {
    const { plan: _plan, ...rest } = result;
    ctx.out.out(JSON.stringify(rest, null, 2));
  } else if (flag(p, "trailers-only")) {
    if (result.verdict === "fixed") {
      for (const t of result.trailers) ctx.out.out(t);
    } else {
      ctx.out.err(`verdict: ${result.verdict} (no trailers: not fixed)`);
    }
  } else {
    for (const line of formatVerify(result)) ctx.out.out(line);
  }
  if (result.cells?.some((c) => c.verdict === "infra-error")) {
    ctx.out.err(
      "error: a matrix cell could not be built (infra-error above): its answer is missing",
    );
    return 3;
  }
  return result.verdict === "fixed" ? 0 : 1;
}

/** Subcommands this area provides. */
export const verifyCommands: Command[] = [
  {
    name: "verify",
    usage: VERIFY_USAGE,
    run: verify,
  },
];
