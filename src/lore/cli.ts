/**
 * `kcross report`: `report fetch <Message-ID|URL> [-o FILE]` here, and
 * `report parse` (from `report/`) taking a Message-ID or lore URL as well as
 * a file.
 *
 * @module
 */
import { UserError } from "../errors.ts";
import { stateDir } from "../paths.ts";
import { reportCommand } from "../report/cli.ts";
import { parseReport } from "../report/mod.ts";
import { flag, oneOperand, parseArgs, str } from "../util/args.ts";
import { commonSpecs } from "../util/flags.ts";
import type { Command, CommandContext } from "../util/command.ts";
import { fetchReportArtifacts } from "./fetch_artifacts.ts";
import { looksLikeMessageId } from "./message_id.ts";
import { resolveReportInput } from "./resolve_input.ts";

const FETCH_USAGE =
  `Usage: kcross report fetch <Message-ID|lore URL> [-o FILE] [--lore-url URL] [--offline]

Fetch a 0-day robot report from a public-inbox archive (lore.kernel.org by
default) into the report cache under the state dir, cached by Message-ID so
a second call makes no request. The argument is a Message-ID (with or
without <>) or a message URL of any list (…/raw, …/t.mbox.gz, …/T/). When
the message is not the robot's (a reply), its thread is fetched and the
robot's mail picked out. For new-format reports the robot's reproduce
script and config are fetched from download.01.org as well.

Options:
  -o, --output FILE   also write the message to FILE
  --lore-url URL      the public-inbox root (default $KCROSS_LORE_URL, else
                      https://lore.kernel.org)
  --offline           use the cache only; fail when the report is not there
  --no-artifacts      do not fetch the reproduce script and config

Prints the cached message's path (and the reproduce/config paths).

Exit codes: 0 fetched or cached, 2 bad Message-ID or not in the archive,
3 network or archive failure.`;

async function fetchCommand(ctx: CommandContext): Promise<number> {
  const p = parseArgs(ctx.args.slice(1), {
    output: { type: "string", short: "o" },
    "lore-url": { type: "string" },
    ...commonSpecs("offline"),
    "no-artifacts": { type: "boolean" },
  });
  const arg = oneOperand(p.positionals, "Message-ID", {
    missing: "kcross report fetch <Message-ID|lore URL> [-o FILE]",
    extra: "kcross report fetch takes one Message-ID or URL",
  });
  if (!/^https?:\/\//i.test(arg) && !looksLikeMessageId(arg)) {
    throw new UserError(
      `Not a Message-ID or lore URL: "${arg.slice(0, 200)}"`,
      {
        hint: "e.g. kcross report fetch 202201221146.IDixXFOw-lkp@intel.com",
      },
    );
  }
  const progress = (line: string) => ctx.out.err(`==> ${line}`);
  const loreUrl = str(p, "lore-url");
  const offline = flag(p, "offline");
  const input = await resolveReportInput(arg, {
    cwd: ctx.cwd,
    stateRoot: stateDir(),
    ...(loreUrl !== undefined ? { loreUrl } : {}),
    offline,
    signal: ctx.signal,
    progress,
  });
  ctx.out.out(input.path!);
  if (!flag(p, "no-artifacts")) {
    const report = parseReport(input.text, { lenient: true });
    const got = await fetchReportArtifacts(report, {
      stateRoot: stateDir(),
      offline,
      signal: ctx.signal,
      progress,
    });
    if (got.reproduce) ctx.out.out(got.reproduce.path);
    if (got.config) ctx.out.out(got.config.path);
    for (const note of got.notes) ctx.out.err(`note: ${note}`);
  }
  const output = str(p, "output");
  if (output !== undefined) {
    const path = output.startsWith("/") ? output : `${ctx.cwd}/${output}`;
    await Deno.writeTextFile(path, input.text);
  }
  return 0;
}

async function run(parse: Command, ctx: CommandContext): Promise<number> {
  const [sub, target] = ctx.args;
  if (sub === "fetch") return fetchCommand(ctx);
  // `report parse <Message-ID|URL>`: fetch (or find cached), parse the copy
  if (
    sub === "parse" && target !== undefined && target !== "-" &&
    (/^https?:\/\//i.test(target) || looksLikeMessageId(target))
  ) {
    const input = await resolveReportInput(target, {
      cwd: ctx.cwd,
      stateRoot: stateDir(),
      signal: ctx.signal,
      progress: (line) => ctx.out.err(`==> ${line}`),
    });
    const args = [...ctx.args];
    args[1] = input.path!;
    return parse.run({ ...ctx, args });
  }
  return parse.run(ctx);
}

/**
 * The `report` command with `fetch` added and Message-IDs / lore URLs taken
 * by `parse`: wraps the report area's parse command (a higher layer passes
 * its own, e.g. one that also shows what a repro would do).
 */
export function withLore(parse: Command): Command {
  return {
    name: "report",
    usage: `${parse.usage}

${FETCH_USAGE}`,
    run: (ctx) => run(parse, ctx),
  };
}

/** Subcommands this area provides (`report` with `fetch` added). */
export const loreCommands: Command[] = [withLore(reportCommand())];
