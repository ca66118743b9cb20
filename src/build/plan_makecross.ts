/**
 * The drop-in front door: turn a make.cross command line into a `BuildPlan`
 * whose make call is the one lkp-tests `kbuild/make.cross` would make.
 *
 * @module
 */
import type { Output } from "../util/output.ts";
import { UserError } from "../errors.ts";
import { cacheDir } from "../paths.ts";
import type { Resolver } from "./_cross.ts";
import {
  isDir,
  isSymlink,
  readConfig,
  realPathOr,
  resolvePath,
} from "./_host.ts";
import { decideTriple, isSupportedArch } from "./_common.ts";
import { factsSeams, gatherBuildFacts, kcflagsWords } from "./facts.ts";
import type { FactsCache } from "./facts_cache.ts";
import type { ProbeRunner } from "./kcflags.ts";
import { type DropInOptions, parseMakeCrossArgs } from "./makecross_args.ts";
import type { BuildPlan } from "./types.ts";
import { parseCompiler } from "../toolchain/mod.ts";

/** Inputs of `planMakeCross`. */
export interface MakeCrossInput {
  /** The words after `make.cross`. */
  args: string[];
  /** The directory make.cross runs in. */
  cwd: string;
  /** The whole environment make.cross sees. */
  env: Record<string, string>;
  /** The name the launcher was invoked as (`make.cross`, `make.arm64`). */
  argv0?: string;
  out?: Output;
  signal?: AbortSignal;
  /** Do not fetch anything (dry run). Defaults to `options.dryRun`. */
  offline?: boolean;
  /** Test seams. */
  resolve?: Resolver;
  probe?: ProbeRunner;
  cpus?: () => Promise<number>;
  /** The facts cache (default: the cache dir's; none with a test `probe`). */
  cache?: FactsCache;
}

/** A drop-in plan and kcross's own drop-in options. */
export interface MakeCrossPlan {
  plan: BuildPlan;
  options: DropInOptions;
  /** How long planning took, by part, ms (`plan`, `plan.kcflags`…). */
  timings: Record<string, number>;
}

const LEAKED_SHELL_VARS = ["O", "make_dts", "opt_arch", "subarch", "opt_jobs"];

function archFromArgv0(argv0: string | undefined): string | undefined {
  if (!argv0) return undefined;
  const base = argv0.slice(argv0.lastIndexOf("/") + 1);
  if (base.includes("make.cross")) return undefined;
  return /make\.([a-z0-9_]+)/.exec(base)?.[1];
}

/** Bash's `$PWD` when it names `cwd` (logical path), else `cwd`. */
async function logicalCwd(cwd: string, env: Record<string, string>) {
  const pwd = env.PWD;
  if (pwd && pwd.startsWith("/") && pwd !== cwd) {
    if (await realPathOr(pwd) === await realPathOr(cwd)) return pwd;
  }
  return cwd;
}

/**
 * Plans the make call make.cross would make for `input.args`, run from
 * `input.cwd` with `input.env`.
 *
 * @throws {UserError} conflicting ARCH, bad kcross option, unknown compiler
 * @throws {InfraError} toolchain fetch failures
 */
export async function planMakeCross(
  input: MakeCrossInput,
): Promise<MakeCrossPlan> {
  const parsed = parseMakeCrossArgs(input.args);
  const options = parsed.options;
  if (input.env.KCROSS_DRY_RUN && input.env.KCROSS_DRY_RUN !== "0") {
    options.dryRun = true;
  }
  const notes: string[] = [];
  const env = { ...input.env, ...parsed.envWords };
  const envDelta: Record<string, string> = { ...parsed.envWords };
  const gccVersion = env.GCC_VERSION;
  const compiler = env.COMPILER ||
    (gccVersion ? `gcc-${gccVersion}` : "gcc");
  if (!env.COMPILER && gccVersion) {
    notes.push(
      `COMPILER taken from GCC_VERSION (old robot mails): "${compiler}"`,
    );
  }
  // A misspelt COMPILER is exit 2 before anything, in a dry run too (which
  // otherwise never resolves the toolchain).
  parseCompiler(compiler);
  const installPath = env.COMPILER_INSTALL_PATH || undefined;
  if (!installPath) {
    notes.push(
      `COMPILER_INSTALL_PATH is not set: make.cross stops here; kcross uses its own cache (${cacheDir()}/toolchains)`,
    );
  }
  const cwd = await logicalCwd(input.cwd, input.env);

  // ARCH: make.<arch> name, then ARCH= on the command line, then obj-<arch>
  // as the cwd name, then the environment, then x86_64.
  const nameArch = archFromArgv0(input.argv0);
  if (nameArch && parsed.arch !== undefined && parsed.arch !== nameArch) {
    throw new UserError(
      `Conflicting ARCH specified: "${nameArch}" (from the name ${input.argv0}) and "${parsed.arch}"`,
    );
  }
  const cwdBase = cwd.slice(cwd.lastIndexOf("/") + 1);
  const objArch = /^obj-(.+)$/.exec(cwdBase)?.[1];
  let arch: string;
  if (nameArch) arch = nameArch;
  else if (parsed.arch !== undefined) arch = parsed.arch;
  else if (objArch && isSupportedArch(objArch)) {
    arch = objArch;
    notes.push(`ARCH set to ${arch} from the directory name ${cwdBase}`);
  } else arch = env.ARCH || "x86_64";
  envDelta.ARCH = arch;

  for (const v of LEAKED_SHELL_VARS) {
    if (input.env[v] !== undefined) {
      notes.push(
        `environment variable ${v} is not put on make's command line (make.cross leaks it as a bare word)`,
      );
    }
  }

  // Where make runs, which tree it builds and where the objects go.
  const sourceMode = await isDir(`${cwd}/source`) &&
    await isSymlink(`${cwd}/source`);
  let makeDir = sourceMode ? `${cwd}/source` : cwd;
  for (const d of parsed.dirs) makeDir = resolvePath(makeDir, d);
  const srcTree = await realPathOr(makeDir);
  const head: string[] = ["make", "--keep-going"];
  let objDir: string;
  if (sourceMode) {
    head.push("-C", "source", `O=${cwd}`);
    objDir = cwd;
  } else if (
    parsed.o === undefined && !env.KBUILD_OUTPUT &&
    await isDir(`${cwd}/obj-${arch}`)
  ) {
    head.push(`O=obj-${arch}`);
    objDir = resolvePath(makeDir, `obj-${arch}`);
  } else objDir = makeDir;
  if (parsed.o !== undefined) objDir = resolvePath(makeDir, parsed.o);
  else if (!sourceMode && env.KBUILD_OUTPUT) {
    objDir = resolvePath(makeDir, env.KBUILD_OUTPUT);
  }
  const outDir = await realPathOr(objDir) === srcTree ? null : objDir;

  // The triple comes from the .config make will use, before make runs.
  const configPath = `${objDir}/.config`;
  const config = await readConfig(configPath);
  const { triple, reason } = decideTriple(arch, config, configPath, {
    aliases: false,
  });

  const offline = input.offline ?? options.dryRun;
  const facts = await gatherBuildFacts({
    arch,
    triple,
    compiler,
    kernelDir: makeDir,
    dtsDir: cwd,
    ...(installPath ? { installPath } : {}),
    ...(env.URL ? { url: env.URL } : {}),
    baseEnv: env,
    allowSubstitute: options.allowSubstitute,
    offline,
    needCpus: !parsed.jobsGiven,
    ...factsSeams(input),
  });
  const cross = facts.cross;
  Object.assign(envDelta, cross.env);
  notes.push(...cross.notes);

  const kcflags = kcflagsWords(facts, notes);
  let jobs: number;
  const jobsArgs: string[] = [];
  if (parsed.jobsGiven) jobs = parsed.jobs ?? 0;
  else {
    jobs = 2 * (facts.cpus ?? 1);
    jobsArgs.push(`--jobs=${jobs}`);
  }
  const archArgs = parsed.arch === undefined ? [`ARCH=${arch}`] : [];
  const dts = facts.dts;
  if (await isFile(`${cwd}/.make-env`)) {
    notes.push(".make-env is not sourced (make.cross runs it as bash)");
  }
  const argv = [
    ...head,
    ...dts,
    ...archArgs,
    ...cross.vars,
    ...jobsArgs,
    ...kcflags,
    ...parsed.makeArgs,
  ];
  const plan: BuildPlan = {
    mode: "make.cross",
    arch,
    srcTree,
    cwd: input.cwd,
    outDir,
    argv,
    env: envDelta,
    envUnset: [],
    toolchain: cross.toolchain,
    triple,
    tripleReason: reason,
    config: null,
    targets: parsed.goals,
    jobs,
    ccache: false,
    allowEmpty: options.allowEmpty,
    notes,
    compiler,
    kernelVersion: facts.kernelVersion,
  };
  return { plan, options, timings: facts.timings };
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isFile;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
}
