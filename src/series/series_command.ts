/**
 * `kcross series`: build every commit of a range, check bisectability.
 *
 * @module
 */
import type { Command, CommandContext } from "../util/command.ts";
import type { BuildContext } from "../build/mod.ts";
import { UserError } from "../errors.ts";
import { flagHelp } from "../util/flags.ts";
import { type GitVia, repoRoot, resolveCommit } from "../git/mod.ts";
import { listRange } from "../git/rev_list.ts";
import { splitArgs } from "./build_args.ts";
import { seriesCells } from "./series_cells.ts";
import { allBisectable, formatSeries, seriesJson } from "./format_series.ts";
import { parseRange } from "./parse_range.ts";
import { runSeries } from "./run_series.ts";
import {
  claimRunDir,
  loadState,
  newSeriesId,
  saveState,
  seriesDir,
  seriesRoot,
  type SeriesState,
} from "./state.ts";

const BUILD_OPTIONS_HELP =
  `Build options (the same for every commit; see kcross build --help):
  --arch ARCH            e.g. powerpc
  --config NAME|FILE     allmodconfig, defconfig, <board>_defconfig, a .config
  --compiler X           gcc-12.2.0, gcc-11, clang-15 (default gcc)
  -W N, -C N             W=/C= as the robot builds
${flagHelp("jobs", 25)}
${flagHelp("ccache", 25)} (recommended for series; default: off)
${flagHelp("no-ccache", 25)}
${flagHelp("allow-substitute", 25)}
${flagHelp("allow-distro", 25)}
${flagHelp("offline", 25)}
  --kconfig-add F (or --fragment F), --set CONFIG_X=y, --werror=off
  --trust-make-line      pass VAR=value words and targets the make-word
                         policy refuses (docs/build.md; recorded)
  [VAR=value…] [targets…] e.g. W=1 drivers/vfio/`;

const SERIES_USAGE =
  `Usage: kcross series <base>..<head> [build options] [--matrix FILE] [--fail-fast] [--keep] [--json] [--tree DIR]
       kcross series --resume <id> [--json]

Builds every commit of <base>..<head> in order, in one kcross worktree and
one build dir (incremental: commit N+1 costs only what changed), with the
same config and toolchain for all. Your checkout is never touched. Prints one
row per commit (result, errors, warnings, and the diagnostics new relative to
the previous commit, robot-style ">>"), then the verdict: bisectable, or the
commits that break the build and the commit that fixes each break.

Options:
  --matrix FILE   build each commit on every cell of a matrix file
  --fail-fast     stop at the first commit that fails
  --resume ID     continue an interrupted series (its options are reused)
  --keep          keep the worktree and build dir when done
  --tree DIR      the kernel checkout (default: the current directory)
  --json          print the result as JSON

${BUILD_OPTIONS_HELP}

State: ${"$"}KCROSS_STATE_DIR (default ~/.local/state/kcross)/series/<id>/state.json
Exit codes: 0 bisectable, 1 some commit breaks the build or the series stopped
early, 2 usage, 3 infrastructure, 130 interrupted (continue with --resume).`;

const SERIES_OWN = {
  matrix: true,
  "fail-fast": false,
  resume: true,
  keep: false,
  json: false,
  tree: true,
};

async function newState(
  root: string,
  ctx: CommandContext,
  own: Record<string, string | true>,
  rangeText: string | null,
  buildArgs: string[],
  via: GitVia,
): Promise<SeriesState> {
  if (rangeText === null) {
    throw new UserError("Missing the range", {
      hint: "kcross series <base>..<head> --arch … (or --resume <id>)",
    });
  }
  const range = parseRange(rangeText);
  const tree = typeof own.tree === "string" ? own.tree : ctx.cwd;
  const repo = await repoRoot(
    tree.startsWith("/") ? tree : `${ctx.cwd}/${tree}`,
    via,
  );
  const commits = await listRange(repo, range, via);
  if (commits.length === 0) {
    throw new UserError(`No commits in "${rangeText}"`, {
      hint: "the range is <base>..<head>: commits in head that base lacks",
    });
  }
  const base = (await resolveCommit(repo, range.base, via))!;
  const head = commits.at(-1)!.sha;
  const id = await claimRunDir(root, newSeriesId(head));
  const dir = seriesDir(id, root);
  return {
    version: 1,
    id,
    repo,
    range: rangeText,
    base,
    head,
    commits,
    buildArgs,
    cwd: ctx.cwd,
    matrix: typeof own.matrix === "string" ? own.matrix : null,
    cells: [""],
    worktree: `${dir}/src`,
    buildDir: `${dir}/build`,
    failFast: own["fail-fast"] === true,
    status: "running",
    createdAt: new Date().toISOString(),
    updatedAt: "",
    steps: [],
  };
}

/**
 * The `series` command on `context` (tests pass one with a fake make).
 *
 * @param context where builds come from (`buildContext()`)
 * @param root series root (default `seriesRoot()`, read when the command runs)
 * @returns the command
 */
export function seriesCommandWith(
  context: BuildContext,
  root: () => string = seriesRoot,
): Command {
  return {
    name: "series",
    usage: SERIES_USAGE,
    async run(ctx) {
      const split = splitArgs(ctx.args, SERIES_OWN, true);
      const dir = root();
      const own = split.own;
      let state: SeriesState;
      if (typeof own.resume === "string") {
        state = await loadState(own.resume, dir);
        const extra = split.build.length > 0 || split.range !== null;
        if (extra) {
          ctx.out.err(
            "kcross: --resume reuses the series' own range and build options; ignoring the others",
          );
        }
      } else {
        state = await newState(dir, ctx, own, split.range, split.build, {
          proc: context.proc,
        });
      }
      const cells = await seriesCells({
        buildArgs: state.buildArgs,
        matrix: state.matrix,
        repo: state.repo,
        cwd: state.cwd,
        out: ctx.out,
      }, context);
      state.cells = cells.map((c) => c.name);
      await saveState(state, dir);
      ctx.out.err(
        `kcross: series ${state.id}: ${state.commits.length} commits${
          cells.length > 1 ? ` x ${cells.length} cells` : ""
        } (state in ${seriesDir(state.id, dir)})`,
      );
      try {
        await runSeries(state, {
          cells,
          out: ctx.out,
          signal: ctx.signal,
          root: dir,
          keep: own.keep === true,
          proc: context.proc,
        });
      } finally {
        if (own.json === true) {
          ctx.out.out(JSON.stringify(seriesJson(state), null, 2));
        } else {
          for (const line of formatSeries(state)) ctx.out.out(line);
        }
      }
      return allBisectable(state) ? 0 : 1;
    },
  };
}
