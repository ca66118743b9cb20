/**
 * CLI for the build area: `kcross make.cross …` (drop-in) and
 * `kcross build …` (native). Both plan, then print (`--dry-run`) or run.
 *
 * @module
 */
import type { Command, CommandContext } from "../util/command.ts";
import { type AnyParsed, flag, parseArgs, str, strs } from "../util/args.ts";
import { ccacheOf, commonSpecs, flagHelp, jobsOf } from "../util/flags.ts";
import { UserError } from "../errors.ts";
import { resolvePath } from "./_host.ts";
import { formatPlan } from "./format_plan.ts";
import { planMakeCross } from "./plan_makecross.ts";
import {
  assembleNativePlan,
  configSourceOf,
  gatherNativeFacts,
  type NativeInput,
} from "./plan_native.ts";
import { formatTimings, msSinceProcessStart, ownCpuMs } from "./_timings.ts";
import { exitCodeForResult, runBuild } from "./run_build.ts";
import type { BuildPlan, ConfigSource } from "./types.ts";

const MAKE_CROSS_USAGE =
  `Usage: [COMPILER=gcc-X] [COMPILER_INSTALL_PATH=DIR] [URL=…] kcross make.cross [VAR=value…] [make args…] [targets…]

Drop-in for lkp-tests make.cross: the same command line makes the same make
call (ARCH, CROSS_COMPILE, --jobs, KCFLAGS, LLVM rules, O=obj-$ARCH…), and the
build leaves a record (kcross logs). Invoked as make.cross or make.<arch> the
launcher routes here. COMPILER, COMPILER_INSTALL_PATH, URL (and GCC_VERSION)
come from the environment or from leading VAR=value words.

kcross's own options (never passed to make):
  --kcross-dry-run            print the plan, run nothing (or KCROSS_DRY_RUN=1)
  --kcross-json               with --kcross-dry-run: the plan as JSON
  --kcross-record-dir=DIR     write the build record there
  --kcross-allow-substitute   accept another version of the compiler
  --kcross-allow-empty        do not fail when a target builds nothing

KCROSS_TIMINGS=1 prints where the time went (start, planning, record, make,
finish) on stderr; the record keeps them too (kcross logs show).

Exit codes: make's result (0 pass, 1 fail or empty target), 2 user error,
3 infrastructure error, 130 interrupted.`;

const BUILD_USAGE =
  `Usage: kcross build --arch ARCH [--config C] [--compiler gcc-X|clang-N] [options] [VAR=value…] [targets…]

Native build: the same make call make.cross would make, from explicit inputs.

Options:
  --arch ARCH            kernel ARCH (required)
  --config C             allmodconfig, defconfig, <board>_defconfig, randconfig,
                         a .config file, or a URL (plain or .gz); default: the
                         output dir's existing .config
  --config-url URL       the config from a URL (same as --config URL)
  --seed N               KCONFIG_SEED for randconfig
  --fragment F           merge a config fragment (repeatable, in order)
  --set CONFIG_X=y       set a symbol (repeatable; =n or "# CONFIG_X is not set")
  --werror=off           turn CONFIG_WERROR off (default: keep the config's)
  --compiler X           gcc-11.2.0, gcc-11, gcc, clang-17… (default gcc: newest)
${flagHelp("allow-substitute", 25)}
${flagHelp("allow-distro", 25)}
  --triple T             force the crosstool triple (default: from the .config)
  -W N, -C N             W=N (extra warnings), C=N (sparse)
  --out DIR              output dir, O= (default build_dir)
  --tree DIR             kernel source tree (default: the current directory)
${flagHelp("jobs", 25)}
${flagHelp("ccache", 25)} (default: off)
${flagHelp("no-ccache", 25)}
${flagHelp("offline", 25)}
  --allow-empty          do not fail when a target builds nothing
  --trust-make-line      pass VAR=value words and targets the make-word
                         policy refuses (see docs/build.md; recorded)
  --record-dir DIR       write the build record there
  --dry-run              print the plan, run nothing
${flagHelp("json", 25, "with --dry-run: the plan as JSON")}

Environment: KCROSS_TIMINGS=1 prints where the time went (start, planning,
record, config, make, finish) on stderr; the record keeps them too.

Exit codes: 0 pass, 1 fail or empty target, 2 user error, 3 infrastructure
error, 130 interrupted.`;

async function printOrRun(
  ctx: CommandContext,
  plan: BuildPlan,
  opts: {
    dryRun: boolean;
    json: boolean;
    recordDir: string | undefined;
    timings: Record<string, number>;
  },
): Promise<number> {
  if (opts.dryRun) {
    if (opts.json) ctx.out.out(JSON.stringify(plan, null, 2));
    else for (const line of formatPlan(plan)) ctx.out.out(line);
    return 0;
  }
  const outcome = await runBuild(plan, {
    out: ctx.out,
    signal: ctx.signal,
    timings: opts.timings,
    ...(opts.recordDir
      ? { recordDir: resolvePath(ctx.cwd, opts.recordDir) }
      : {}),
  });
  const wanted = Deno.env.get("KCROSS_TIMINGS");
  if (wanted && wanted !== "0") {
    ctx.out.err(formatTimings(outcome.timings));
  }
  return exitCodeForResult(outcome.result);
}

/** `start`: how long the process took to get here (launcher, Deno, modules). */
function startTimings(): Record<string, number> {
  const start = msSinceProcessStart();
  const cpu = ownCpuMs();
  return {
    ...(start === null ? {} : { start }),
    ...(cpu === null ? {} : { "cpu.start": cpu }),
  };
}

async function runMakeCross(ctx: CommandContext): Promise<number> {
  const start = startTimings();
  const env = Deno.env.toObject();
  const argv0 = env.KCROSS_ARGV0;
  const { plan, options, timings } = await planMakeCross({
    args: ctx.args,
    cwd: ctx.cwd,
    env,
    ...(argv0 ? { argv0 } : {}),
    out: ctx.out,
    signal: ctx.signal,
  });
  return await printOrRun(ctx, plan, {
    dryRun: options.dryRun,
    json: options.json,
    recordDir: options.recordDir,
    timings: { ...start, ...timings },
  });
}

const BUILD_OPTIONS = {
  arch: { type: "string" },
  config: { type: "string" },
  "config-url": { type: "string" },
  seed: { type: "string" },
  fragment: { type: "string", multiple: true },
  set: { type: "string", multiple: true },
  werror: { type: "string" },
  compiler: { type: "string" },
  triple: { type: "string" },
  W: { type: "string", short: "W" },
  C: { type: "string", short: "C" },
  out: { type: "string" },
  tree: { type: "string" },
  "allow-empty": { type: "boolean" },
  "trust-make-line": { type: "boolean" },
  "record-dir": { type: "string" },
  "dry-run": { type: "boolean" },
  ...commonSpecs(
    "allow-substitute",
    "allow-distro",
    "jobs",
    "ccache",
    "no-ccache",
    "offline",
    "json",
  ),
} as const;

function configOf(p: AnyParsed, cwd: string): ConfigSource | undefined {
  const config = str(p, "config");
  const url = str(p, "config-url");
  if (config !== undefined && url !== undefined) {
    throw new UserError("Give --config or --config-url, not both");
  }
  const value = url ?? config;
  if (value === undefined) return undefined;
  const src = configSourceOf(value, cwd);
  const seed = str(p, "seed");
  if (seed !== undefined) {
    if (src.kind !== "target" || src.target !== "randconfig") {
      throw new UserError("--seed only goes with --config randconfig");
    }
    return { ...src, seed };
  }
  return src;
}

async function runNative(ctx: CommandContext): Promise<number> {
  const start = startTimings();
  const p = parseArgs(ctx.args, BUILD_OPTIONS);
  const arch = str(p, "arch");
  if (!arch) {
    throw new UserError("Missing --arch", {
      hint:
        "e.g. kcross build --arch powerpc --config allmodconfig drivers/vfio/",
    });
  }
  const werror = str(p, "werror") ?? "keep";
  if (werror !== "off" && werror !== "keep") {
    throw new UserError(`Bad value for --werror: "${werror}"`, {
      hint: "use --werror=off (or keep, the default)",
    });
  }
  const makeArgs = p.positionals.filter((w) => /^[A-Za-z_]\w*=/.test(w));
  const targets = p.positionals.filter((w) => !/^[A-Za-z_]\w*=/.test(w));
  const srcTree = resolvePath(ctx.cwd, str(p, "tree") ?? ".");
  const config = configOf(p, ctx.cwd);
  const compiler = str(p, "compiler");
  const triple = str(p, "triple");
  const w = str(p, "W");
  const c = str(p, "C");
  const dryRun = flag(p, "dry-run");
  const input: NativeInput = {
    srcTree,
    arch,
    ...(compiler ? { compiler } : {}),
    ...(config ? { config } : {}),
    fragments: strs(p, "fragment").map((f) => resolvePath(ctx.cwd, f)),
    sets: strs(p, "set"),
    werror,
    outDir: resolvePath(ctx.cwd, str(p, "out") ?? "build_dir"),
    ...(w ? { w } : {}),
    ...(c ? { c } : {}),
    ...(jobsOf(p) !== undefined ? { jobs: jobsOf(p)! } : {}),
    ccache: ccacheOf(p, false),
    targets,
    makeArgs,
    allowEmpty: flag(p, "allow-empty"),
    allowSubstitute: flag(p, "allow-substitute"),
    ...(flag(p, "allow-distro") ? { allowDistro: true } : {}),
    trustMakeLine: flag(p, "trust-make-line"),
    ...(triple ? { triple, tripleReason: "--triple" } : {}),
    offline: dryRun,
    ...(flag(p, "offline") ? { noFetch: true } : {}),
    out: ctx.out,
    signal: ctx.signal,
  };
  const facts = await gatherNativeFacts(input);
  const plan = assembleNativePlan(input, facts);
  return await printOrRun(ctx, plan, {
    dryRun,
    json: flag(p, "json"),
    recordDir: str(p, "record-dir"),
    timings: { ...start, ...facts.build.timings },
  });
}

/** Subcommands this area provides. */
export const buildCommands: Command[] = [
  {
    name: "build",
    usage: BUILD_USAGE,
    run: runNative,
  },
  {
    name: "make.cross",
    usage: MAKE_CROSS_USAGE,
    run: runMakeCross,
  },
];
