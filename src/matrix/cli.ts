/**
 * CLI for the matrix area: `kcross matrix plan|run|worker|diff|export`.
 *
 * @module
 */
import { type AnyParsed, flag, optInt, parseArgs, str } from "../util/args.ts";
import {
  ccacheOf,
  cellsOf,
  commonSpecs,
  DEPRECATED,
  deprecation,
  flagHelp,
  jobsOf,
} from "../util/flags.ts";
import type { Command, CommandContext } from "../util/command.ts";
import { type BuildContext, buildContext } from "../build/mod.ts";
import { UserError } from "../errors.ts";
import { resolveTree } from "./_git.ts";
import { diffRuns, isRegression, renderDiff } from "./diff.ts";
import { expandCells } from "./expand.ts";
import { filterCells, parseShard, shardCells } from "./select_cells.ts";
import { githubMatrix } from "./export_github.ts";
import { loadMatrix } from "./load_matrix.ts";
import { DEFAULT_QUEUE_NAME } from "./queue.ts";
import { findRunDir } from "./run_store.ts";
import { createCellRunner } from "./run_cell.ts";
import { type CellRunner, withToolchainPolicy } from "./runner.ts";
import type { RunSummary } from "./summary.ts";
import { shellLine } from "../util/shell_quote.ts";

const USAGE = `Usage: kcross matrix <subcommand> …

Plan and run arch x config x compiler matrices, on this machine or across
workers on a BullMQ queue over Redis.

  kcross matrix plan <file> [--json] [--only F] [--shard i/n] [--commit REV]
  kcross matrix run <file> [--cells N] [--jobs N] [--oversubscribe]
                    [--shard i/n] [--only F] [--resume RUN-ID] [--ccache]
                    [--queue redis://host:port] [--queue-name NAME] [--commit REV]
                    [--trust-make-line] [--allow-distro] [--offline]
  kcross matrix run --resume RUN-ID          reattach to / continue a run
  kcross matrix worker --queue redis://host:port [--cells N]
                    [--jobs N] [--queue-name NAME] [--allow-distro] [--offline]
  kcross matrix diff <run-a> <run-b> [--json]
  kcross matrix export --github <file> [--shards N]

${
  flagHelp(
    "cells",
    20,
    "cells built at once (run: fitted to the cores; worker: 1)",
  )
}
${flagHelp("jobs", 20, "make -j N per cell (default: the cores shared out)")}
${flagHelp("ccache", 20)} (default: off)
${flagHelp("allow-distro", 20)}
${flagHelp("offline", 20)}
Deprecated (one release): --concurrency N (worker) for --cells; --make-jobs
N for --jobs; in matrix run without --cells, --jobs/-j N still means the
cells at once.

--trust-make-line (plan, run) passes make variables and targets the
make-word policy refuses (docs/matrix.md); the build records say so.
--only takes axis=glob pairs (arch=powerpc,config=all*) or a glob over cell keys.
Runs are recorded in $KCROSS_STATE_DIR/matrix/<run-id>/ (summary.json,
summary.md, junit.xml, summary.html, cells/*.json).

Exit codes: 0 all cells pass, 1 a cell failed (or diff found regressions),
2 user error, 3 infrastructure error (a cell could not run), 130 interrupted.`;

/**
 * `matrix run`'s cells and make jobs. The old spellings keep their meaning
 * for one release: without `--cells`, `--jobs`/`-j` is still the cells at
 * once and `--make-jobs` make's -j (each with a note); with `--cells`,
 * `--jobs` is make's -j as everywhere else.
 */
function cellBudget(
  p: AnyParsed,
  warn: (line: string) => void,
): { cells: number | undefined; makeJobs: number | undefined } {
  const old = optInt(p, "make-jobs");
  if (old !== undefined) warn(deprecation("--make-jobs", "--jobs"));
  const cells = cellsOf(p);
  if (cells === undefined && str(p, "jobs") !== undefined) {
    warn(
      "kcross: --jobs/-j in matrix run still means the cells at once; write --cells N (with --cells, --jobs N is make's -j per cell, as everywhere)",
    );
    return { cells: jobsOf(p), makeJobs: old };
  }
  return { cells, makeJobs: jobsOf(p) ?? old };
}

async function plannedCells(
  ctx: CommandContext,
  file: string,
  p: AnyParsed,
  context: BuildContext,
) {
  const loaded = await loadMatrix(file, ctx.cwd, {
    trustMakeLine: flag(p, "trust-make-line"),
  });
  const tree = await resolveTree(ctx.cwd, {
    url: loaded.spec.tree?.url,
    commit: str(p, "commit") ?? loaded.spec.tree?.commit,
    distributed: false,
    proc: context.proc,
  });
  let cells = await expandCells(loaded, { tree });
  const only = str(p, "only");
  if (only) cells = filterCells(cells, only);
  const shard = str(p, "shard");
  if (shard) cells = shardCells(cells, parseShard(shard));
  return { loaded, tree, cells };
}

function onePositional(p: AnyParsed, what: string): string {
  const [file, ...extra] = p.positionals;
  if (!file || extra.length) {
    throw new UserError(`Expected one ${what}`, {
      hint: "run `kcross matrix --help`",
    });
  }
  return file;
}

async function planCmd(
  ctx: CommandContext,
  args: string[],
  context: BuildContext,
): Promise<number> {
  const p = parseArgs(args, {
    ...commonSpecs("json"),
    only: { type: "string" },
    shard: { type: "string" },
    commit: { type: "string" },
    "trust-make-line": { type: "boolean" },
  });
  const { tree, cells } = await plannedCells(
    ctx,
    onePositional(p, "matrix file"),
    p,
    context,
  );
  if (flag(p, "json")) {
    ctx.out.out(JSON.stringify({ tree, cells }, null, 2));
    return 0;
  }
  ctx.out.out(
    `${cells.length} cells at ${
      tree.commit ? tree.commit.slice(0, 12) : "the working tree"
    }:`,
  );
  for (const c of cells) {
    const extras = [
      c.inputs.targets.length ? `targets: ${c.inputs.targets.join(" ")}` : "",
      Object.entries(c.inputs.make).map(([k, v]) => `${k}=${v}`).join(" "),
      c.inputs.werror === "off" ? "werror=off" : "",
      c.inputs.fragments.length
        ? `fragments: ${c.inputs.fragments.length}`
        : "",
      c.inputs.sets.length ? `set: ${c.inputs.sets.join(" ")}` : "",
      c.inputs.allowFailure ? "allow_failure" : "",
    ].filter((s) => s).join("; ");
    ctx.out.out(
      `  ${String(c.index + 1).padStart(3)}  ${c.key}${
        extras ? `  (${extras})` : ""
      }`,
    );
  }
  return 0;
}

/** The one cell runner, on the context's builder, with the toolchain policy. */
function cellRunner(context: BuildContext, p: AnyParsed): CellRunner {
  return withToolchainPolicy(createCellRunner(context.builder), {
    allowDistro: flag(p, "allow-distro"),
    offline: flag(p, "offline"),
  });
}

async function runCmd(
  ctx: CommandContext,
  args: string[],
  context: BuildContext,
): Promise<number> {
  const p = parseArgs(args, {
    ...commonSpecs("cells", "jobs"),
    "make-jobs": DEPRECATED.makeJobs.spec,
    oversubscribe: { type: "boolean" },
    shard: { type: "string" },
    only: { type: "string" },
    resume: { type: "string" },
    ...commonSpecs("ccache", "no-ccache", "allow-distro", "offline"),
    queue: { type: "string" },
    "queue-name": { type: "string" },
    commit: { type: "string" },
    "trust-make-line": { type: "boolean" },
  });
  const file = p.positionals[0];
  if (p.positionals.length > 1 || (!file && !str(p, "resume"))) {
    throw new UserError("Expected one matrix file (or --resume RUN-ID)", {
      hint: "kcross matrix run configs/powerpc-vfio.toml",
    });
  }
  const { runMatrix } = await import("./run_matrix.ts");
  const budget = cellBudget(p, ctx.out.err);
  const result = await runMatrix({
    file,
    cwd: ctx.cwd,
    out: ctx.out,
    signal: ctx.signal,
    runner: cellRunner(context, p),
    proc: context.proc,
    jobs: budget.cells,
    makeJobs: budget.makeJobs,
    oversubscribe: flag(p, "oversubscribe"),
    shard: str(p, "shard"),
    only: str(p, "only"),
    resume: str(p, "resume"),
    ccache: ccacheOf(p, false) || undefined,
    queue: str(p, "queue"),
    queueName: str(p, "queue-name") ?? Deno.env.get("KCROSS_MATRIX_QUEUE_NAME"),
    commit: str(p, "commit"),
    trustMakeLine: flag(p, "trust-make-line"),
  });
  const t = result.summary.totals;
  ctx.out.out(
    `${t.cells} cells: ${t.pass} pass, ${t.fail} fail, ${t.infra} infra` +
      (t.notRun ? `, ${t.notRun} not run` : "") +
      ` (${t.errors} errors, ${t.warnings} warnings)`,
  );
  ctx.out.out(`run ${result.runId}: ${result.runDir}/summary.html`);
  if (ctx.signal.aborted) throw new Deno.errors.Interrupted("interrupted");
  return result.exitCode;
}

async function workerCmd(
  ctx: CommandContext,
  args: string[],
  context: BuildContext,
): Promise<number> {
  const p = parseArgs(args, {
    queue: { type: "string" },
    ...commonSpecs("cells"),
    ...commonSpecs("jobs"),
    "queue-name": { type: "string" },
    ...commonSpecs("allow-distro", "offline"),
  }, {
    aliases: [DEPRECATED.concurrency, DEPRECATED.makeJobs],
    warn: ctx.out.err,
  });
  const queueUrl = str(p, "queue");
  if (!queueUrl) {
    throw new UserError("kcross matrix worker needs --queue", {
      hint: "--queue redis://127.0.0.1:6379",
    });
  }
  const { runWorker } = await import("./worker.ts");
  await runWorker({
    queueUrl,
    queueName: str(p, "queue-name") ??
      Deno.env.get("KCROSS_MATRIX_QUEUE_NAME") ?? DEFAULT_QUEUE_NAME,
    concurrency: cellsOf(p) ?? 1,
    makeJobs: jobsOf(p),
    runner: cellRunner(context, p),
    proc: context.proc,
    out: ctx.out,
    signal: ctx.signal,
  });
  return 0;
}

async function readSummary(
  ctx: CommandContext,
  idOrPath: string,
): Promise<RunSummary> {
  const dir = await findRunDir(idOrPath, ctx.cwd);
  try {
    return JSON.parse(
      await Deno.readTextFile(`${dir}/summary.json`),
    ) as RunSummary;
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    throw new UserError(`Run "${idOrPath}" has no summary yet`, {
      hint: `finish it with: ${
        shellLine(["kcross", "matrix", "run", "--resume", idOrPath])
      }`,
    });
  }
}

async function diffCmd(ctx: CommandContext, args: string[]): Promise<number> {
  const p = parseArgs(args, commonSpecs("json"));
  const [a, b, ...extra] = p.positionals;
  if (!a || !b || extra.length) {
    throw new UserError("Expected two run ids", {
      hint: "kcross matrix diff <run-a> <run-b>",
    });
  }
  const sa = await readSummary(ctx, a);
  const sb = await readSummary(ctx, b);
  const changes = diffRuns(sa, sb);
  if (flag(p, "json")) {
    ctx.out.out(JSON.stringify({ a: sa.runId, b: sb.runId, changes }, null, 2));
  } else for (const line of renderDiff(sa, sb, changes)) ctx.out.out(line);
  return changes.some(isRegression) ? 1 : 0;
}

async function exportCmd(
  ctx: CommandContext,
  args: string[],
  context: BuildContext,
): Promise<number> {
  const p = parseArgs(args, {
    github: { type: "boolean" },
    shards: { type: "string" },
    only: { type: "string" },
    commit: { type: "string" },
  });
  if (!flag(p, "github")) {
    throw new UserError("Say which format to export", {
      hint: "kcross matrix export --github <file>",
    });
  }
  const file = onePositional(p, "matrix file");
  const { cells } = await plannedCells(ctx, file, p, context);
  const shards = optInt(p, "shards");
  ctx.out.out(JSON.stringify(githubMatrix(cells, { file, shards }), null, 2));
  return 0;
}

const SUBCOMMANDS: Record<
  string,
  (
    ctx: CommandContext,
    args: string[],
    context: BuildContext,
  ) => Promise<number>
> = {
  plan: planCmd,
  run: runCmd,
  worker: workerCmd,
  diff: diffCmd,
  export: exportCmd,
};

/**
 * The `matrix` command on `context`: `run` and `worker` build every cell
 * through `createCellRunner(context.builder)` (tests pass a context whose
 * toolchain resolver is a stand-in).
 *
 * @param context where builds come from (`buildContext()`)
 * @returns the command
 */
export function matrixCommandWith(context: BuildContext): Command {
  return {
    name: "matrix",
    usage: USAGE,
    run: (ctx) => runSubcommand(ctx, context),
  };
}

function runSubcommand(
  ctx: CommandContext,
  context: BuildContext,
): Promise<number> {
  const [sub, ...rest] = ctx.args;
  const fn = sub === undefined ? undefined : SUBCOMMANDS[sub];
  if (!fn) {
    return Promise.reject(
      new UserError(
        sub === undefined
          ? "Missing matrix subcommand"
          : `Unknown matrix subcommand "${sub}"`,
        {
          hint:
            "one of: plan, run, worker, diff, export (kcross matrix --help)",
        },
      ),
    );
  }
  return fn(ctx, rest, context);
}

/** Subcommands this area provides. */
export const matrixCommands: Command[] = [matrixCommandWith(buildContext())];
