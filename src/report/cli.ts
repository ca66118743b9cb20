/**
 * CLI for the report area: `kcross report parse <file|-> [--json]`. The
 * report area only parses; what a repro would do with the report comes
 * from the planner above it, handed in by `src/repro/report_command.ts`.
 *
 * @module
 */
import { flag, oneOperand, parseArgs, str } from "../util/args.ts";
import { commonSpecs } from "../util/flags.ts";
import type { Command, CommandContext } from "../util/command.ts";
import { UserError } from "../errors.ts";
import { parseReport } from "./parse_report.ts";
import { readReportInput } from "./read_input.ts";
import { formatSummary } from "./summary.ts";
import type { ParsedReport } from "./types.ts";

/** What the `report` command shows beyond the parse. */
export interface ReportCommandOptions {
  /** Lines saying what `kcross repro` would do with the report. */
  describePlan?: (report: ParsedReport) => string[];
}

const USAGE =
  `Usage: kcross report parse <file|-> [--json] [--reproduce FILE] [--lenient]

Parse a 0-day kernel test robot report: the mail body, a whole .eml/mbox
message (MIME parts, quoted-printable/base64, attached reproduce script and
config), text pasted from a web archive (reflowed lines are joined back), or
a bare reproduce script. "-" reads standard input. Without --json it also
shows what "kcross repro" would build: the same plan repro carries out.

Options:
  --json              print the parse as one JSON object
  --reproduce FILE    the robot's reproduce script, parsed into reproduce_file
  --lenient           print what was found instead of failing on a half report

Exit codes: 0 parsed, 2 not a report (the message says what is missing).`;

async function run(
  ctx: CommandContext,
  options: ReportCommandOptions,
): Promise<number> {
  const p = parseArgs(ctx.args, {
    ...commonSpecs("json"),
    reproduce: { type: "string" },
    lenient: { type: "boolean" },
  });
  const [sub, ...words] = p.positionals;
  if (sub !== "parse") {
    throw new UserError(
      sub === undefined
        ? 'Missing subcommand: expected "parse"'
        : `Unknown subcommand "report ${sub}"`,
      { hint: "kcross report parse <file|-> [--json]" },
    );
  }
  const file = oneOperand(words, "report file", {
    missing: "kcross report parse <file|-> (use - for standard input)",
    extra: "kcross report parse takes one report file",
  });
  const text = await readReportInput(file, { cwd: ctx.cwd });
  const reproPath = str(p, "reproduce");
  const parseOptions = reproPath === undefined
    ? { lenient: flag(p, "lenient") }
    : {
      lenient: flag(p, "lenient"),
      reproduceText: await readReportInput(reproPath, { cwd: ctx.cwd }),
      reproduceOrigin: reproPath,
    };
  const report = parseReport(text, parseOptions);
  if (flag(p, "json")) ctx.out.out(JSON.stringify(report, null, 2));
  else {
    for (const line of formatSummary(report)) ctx.out.out(line);
    if (options.describePlan) {
      ctx.out.out("");
      ctx.out.out("kcross repro would:");
      for (const line of options.describePlan(report)) ctx.out.out(line);
    }
  }
  return 0;
}

/**
 * The `report` command, with what it shows beyond the parse.
 *
 * @example
 * ```ts
 * import { reportCommand } from "./cli.ts";
 * if (reportCommand().name !== "report") throw new Error();
 * ```
 */
export function reportCommand(options: ReportCommandOptions = {}): Command {
  return {
    name: "report",
    usage: USAGE,
    run: (ctx) => run(ctx, options),
  };
}
