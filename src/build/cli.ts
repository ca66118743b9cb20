/**
 * CLI for the build area: `kcross make.cross …` (drop-in) and
 * `kcross build …` (native). Both plan, then print (`--dry-run`) or run.
 *
 * @module
 */
import type { Command, CommandContext } from "../util/command.ts";
import { type AnyParsed, flag, str } from "../util/args.ts";
import { commonSpecs, flagHelp } from "../util/flags.ts";
import {
  buildRequestOf,
  parseBuildWords,
  toNativeInput,
} from "./build_request.ts";
import { UserError } from "../errors.ts";
import { resolvePath } from "./_host.ts";
import { formatPlan } from "./format_plan.ts";
import { planMakeCross } from "./plan_makecross.ts";
import type { NativeInput } from "./plan_native.ts";
import { prepareNativeBuild, runNativeBuild } from "./native_build.ts";
import { formatTimings, msSinceProcessStart, ownCpuMs } from "./_timings.ts";
import { type BuildOutcome, exitCodeForResult } from "./outcome.ts";
import { runBuild } from "./run_build.ts";
import type { ArtifactLevel, BuildPlan } from "./types.ts";
import {
  artifactRules,
  kernelImage,
  listTargets,
  resolveTargets,
  supportsArch,
  TARGETS,
  targetSummary,
} from "./targets.ts";
import { archInfo } from "../toolchain/arch.ts";
import { METADATA } from "../record/store.ts";

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
       kcross build --list-targets [--arch ARCH] [--json]

Native build: the same make call make.cross would make, from explicit inputs.
Targets are Kbuild paths and goals (drivers/vfio/, vmlinux) passed to make as
given, or named targets, each a phase with its own status in the record:
config, kernel (the arch's image), modules (after kernel), dtbs, dtbs_check,
headers, kselftest, perf, cpupower, bindeb-pkg, targz-pkg (--list-targets).

Options:
  --arch ARCH            kernel ARCH (required)
  --config C             allmodconfig, defconfig, <board>_defconfig, randconfig,
                         a .config file, or a URL (plain or .gz); default: the
                         output dir's existing .config
  --config-url URL       the config from a URL (same as --config URL)
  --seed N               KCONFIG_SEED for randconfig
  --kconfig-add F        merge a config fragment (repeatable, in order): a
                         file, an https:// URL (cached), an in-tree name
                         (kvm_guest.config, arch/ARCH/configs/X.config),
                         make:NAME.config, or CONFIG_X=y / "# CONFIG_X is not
                         set"; --fragment F is the same
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
                         policy refuses, and config values with $ or
                         backticks (see docs/build.md; recorded)
  --record-dir DIR       write the build record there
  --artifacts L          what named targets leave in the record's artifacts/:
                         none, default (image, System.map, config,
                         modules.tar.xz, dtbs.tar.xz, headers.tar.xz,
                         packages, perf/cpupower) or all (also vmlinux,
                         Module.symvers, .buildinfo/.changes)
  --keep-going           after a failed target, still run the targets that do
                         not depend on it (default: stop)
  --list-targets         the named targets (for --arch ARCH: those it supports)
  --dry-run              print the plan, run nothing
${
    flagHelp(
      "json",
      25,
      "print the record's metadata.json object on stdout (make's output goes to stderr); with --dry-run the plan, with --list-targets the targets",
    )
  }

Environment: KCROSS_TIMINGS=1 prints where the time went (start, planning,
record, config, make, finish) on stderr; the record keeps them too.

Exit codes: 0 pass, 1 fail or empty target (any named target failed),
2 user error, 3 infrastructure error, 130 interrupted.`;

async function printOrRun(
  ctx: CommandContext,
  plan: BuildPlan,
  opts: {
    dryRun: boolean;
    json: boolean;
    recordDir: string | undefined;
    timings: Record<string, number>;
  },
  run: typeof runBuild = (p, o) => runBuild(p, o),
): Promise<number> {
  if (opts.dryRun) {
    if (opts.json) ctx.out.out(JSON.stringify(plan, null, 2));
    else for (const line of formatPlan(plan)) ctx.out.out(line);
    return 0;
  }
  // With --json stdout is the metadata object alone: make's lines go to stderr.
  const out = opts.json ? { ...ctx.out, out: ctx.out.err } : ctx.out;
  const outcome: BuildOutcome = await run(plan, {
    out,
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
  if (opts.json) {
    ctx.out.out(
      JSON.stringify(
        JSON.parse(await Deno.readTextFile(`${outcome.recordDir}/${METADATA}`)),
        null,
        2,
      ),
    );
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

/** `kcross build`'s own options (the build flags are `BUILD_FLAG_SPECS`). */
const BUILD_OWN = {
  out: { type: "string" },
  tree: { type: "string" },
  "record-dir": { type: "string" },
  artifacts: { type: "string" },
  "keep-going": { type: "boolean" },
  "list-targets": { type: "boolean" },
  "dry-run": { type: "boolean" },
  ...commonSpecs("json"),
} as const;

const ARTIFACT_LEVELS: readonly ArtifactLevel[] = ["none", "default", "all"];

function artifactLevelOf(p: AnyParsed): ArtifactLevel | undefined {
  const v = str(p, "artifacts");
  if (v === undefined) return undefined;
  if (!(ARTIFACT_LEVELS as readonly string[]).includes(v)) {
    throw new UserError(`Bad value for --artifacts: "${v}"`, {
      hint: "use --artifacts none, default or all",
    });
  }
  return v as ArtifactLevel;
}

/** `kcross build --list-targets [--arch A] [--json]`. */
function printTargets(ctx: CommandContext, p: AnyParsed): number {
  const given = str(p, "arch");
  const arch = given === undefined ? undefined : archInfo(given).name;
  if (flag(p, "json")) {
    const rows = TARGETS.filter((t) => !arch || supportsArch(t, arch)).map(
      (t) => ({
        name: t.name,
        summary: targetSummary(t, arch),
        goals: arch
          ? resolveTargets([t.name], { arch, artifacts: "none" }).phases
            .find((ph) => ph.name === t.name)!.goals
          : t.goals,
        requires: t.requires,
        ...(t.needs ? { needs: t.needs } : {}),
        ...(t.arches ? { arches: t.arches } : {}),
        artifacts: arch
          ? artifactRules(t, arch, "all").map((r) =>
            r.kind === "glob" ? r.pattern : r.name
          )
          : undefined,
      }),
    );
    ctx.out.out(JSON.stringify(rows, null, 2));
    return 0;
  }
  if (arch) {
    const img = kernelImage(arch);
    ctx.out.out(`Named targets for ARCH=${arch} (kernel: ${img.path}):`);
  } else ctx.out.out("Named targets (--arch ARCH: the ones it supports):");
  for (const line of listTargets(arch)) ctx.out.out(`  ${line}`);
  ctx.out.out(
    "Any other word is passed to make as a goal (Kbuild paths: drivers/vfio/).",
  );
  return 0;
}

async function runNative(ctx: CommandContext): Promise<number> {
  const start = startTimings();
  const p = parseBuildWords(ctx.args, BUILD_OWN);
  if (flag(p, "list-targets")) return printTargets(ctx, p);
  const request = buildRequestOf(p);
  const dryRun = flag(p, "dry-run");
  const artifacts = artifactLevelOf(p);
  const input: NativeInput = {
    ...toNativeInput(request, {
      srcTree: resolvePath(ctx.cwd, str(p, "tree") ?? "."),
      outDir: resolvePath(ctx.cwd, str(p, "out") ?? "build_dir"),
      cwd: ctx.cwd,
    }),
    namedTargets: true,
    ...(artifacts ? { artifacts } : {}),
    keepGoing: flag(p, "keep-going"),
    offline: dryRun,
    out: ctx.out,
    signal: ctx.signal,
  };
  const build = await prepareNativeBuild(input);
  const { plan, facts } = build;
  if (!plan.phases?.length && (artifacts || input.keepGoing)) {
    ctx.out.err(
      `warning: ${
        artifacts ? "--artifacts" : "--keep-going"
      } applies to named targets (kernel, modules, dtbs…; see --list-targets), and none is given`,
    );
  }
  return await printOrRun(ctx, plan, {
    dryRun,
    json: flag(p, "json"),
    recordDir: str(p, "record-dir"),
    timings: { ...start, ...facts.build.timings },
  }, (_, o) => runNativeBuild(build, o));
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
