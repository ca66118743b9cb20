/**
 * The facts a build plan needs from the machine, gathered once and in
 * parallel: the kernel version, the toolchain (found or fetched) with the
 * variables make.cross derives from it, the KCFLAGS the compiler accepts,
 * the CPU count and the dts switches. The planners are pure functions of
 * their input and these facts.
 *
 * The kernel version and the KCFLAGS probe are cached (`facts_cache.ts`),
 * keyed by the top Makefile's and the compiler's file identity, so a
 * repeated build spawns no compiler before make.
 *
 * @module
 */
import type { Output } from "../util/output.ts";
import { UserError } from "../errors.ts";
import { type CrossSetup, type Resolver, setupCross } from "./_cross.ts";
import { dtsVars } from "./_common.ts";
import type { ProcessRunner } from "../proc/process_runner.ts";
import { configuredCpus } from "./_host.ts";
import { type FactsCache, factsCache, noFactsCache } from "./facts_cache.ts";
import {
  kcflagCandidates,
  kcflagsTableDigest,
  probeKcflags,
  type ProbeRunner,
  probeRunnerOf,
} from "./kcflags.ts";
import {
  parseKernelVersion,
  readKernelVersionWithFiles,
} from "./kernel_version.ts";

/**
 * Where gathering facts talks to the world: progress, cancelling, and the
 * stand-ins tests give (toolchain resolver, KCFLAGS probe runner, CPU
 * counter, cache).
 */
export interface FactsSeams {
  out?: Output;
  signal?: AbortSignal;
  resolve?: Resolver;
  probe?: ProbeRunner;
  /** How the compiler probes start (the context's `proc`; `probe` wins). */
  proc?: ProcessRunner;
  cpus?: () => Promise<number>;
  /** Default: the cache dir's facts, or none when a test probe is given. */
  cache?: FactsCache;
}

/** The seams set in `from`, and only those (for a `FactsRequest`). */
export function factsSeams(from: FactsSeams): FactsSeams {
  const seams: FactsSeams = {};
  for (const k of SEAMS) {
    if (from[k] !== undefined) (seams as Record<string, unknown>)[k] = from[k];
  }
  return seams;
}

const SEAMS = [
  "out",
  "signal",
  "resolve",
  "probe",
  "proc",
  "cpus",
  "cache",
] as const;

/** What `gatherBuildFacts` needs to know. */
export interface FactsRequest extends FactsSeams {
  /** `ARCH` as make gets it. */
  arch: string;
  /** The crosstool triple the plan settled on. */
  triple: string;
  /** `COMPILER`, e.g. `gcc-11.2.0`, `clang-17`. */
  compiler: string;
  /** The directory `make kernelversion` would run in. */
  kernelDir: string;
  /** The directory whose `arch/<srcarch>/boot/dts/Makefile` decides the dts switches. */
  dtsDir: string;
  /** make.cross's COMPILER_INSTALL_PATH. */
  installPath?: string;
  /** make.cross's `URL`. */
  url?: string;
  /** The environment make.cross starts from. */
  baseEnv: Record<string, string>;
  allowSubstitute: boolean;
  /** Accept a distro build of the exact version. */
  allowDistro?: boolean;
  /** Never fetch (dry run). */
  offline: boolean;
  /** Never fetch (`--offline`): an uninstalled toolchain is an error. */
  noFetch?: boolean;
  /** Let a clang build take the distro's binutils prefix (native builds). */
  distroBinutils?: boolean;
  /** Count CPUs (false when the caller gives the jobs). */
  needCpus: boolean;
  /** Fail (UserError) when `kernelDir` is not a kernel tree (native builds). */
  requireKernelTree?: boolean;
}

/** The facts, plain data. */
export interface BuildFacts {
  /** `make kernelversion`, or null when the directory holds no kernel Makefile. */
  kernelVersion: string | null;
  /** The toolchain part of the make call. */
  cross: CrossSetup;
  /** The KCFLAGS the compiler accepts, in file order. */
  kcflags: string[];
  /** True when no compiler could be probed (every flag listed). */
  kcflagsUnprobed: boolean;
  /** Configured CPUs, or null when not asked. */
  cpus: number | null;
  /** `CONFIG_OF_ALL_DTBS=y CONFIG_DTC=y` or nothing. */
  dts: string[];
  /** How long each fact took, ms (`plan.*` in the record's timings). */
  timings: Record<string, number>;
}

async function timed<T>(
  timings: Record<string, number>,
  name: string,
  f: () => Promise<T>,
): Promise<T> {
  const t0 = performance.now();
  try {
    return await f();
  } finally {
    timings[name] = performance.now() - t0;
  }
}

/** Environment variables that change what a gcc or clang driver runs. */
const DRIVER_ENV = [
  "PATH",
  "LD_LIBRARY_PATH",
  "GCC_EXEC_PREFIX",
  "COMPILER_PATH",
];

/**
 * The accepted KCFLAGS for `compiler`, from the cache when the compiler
 * file is the one probed before (same real path, inode, size, mtime and
 * ctime) under the same driver environment and flag table.
 */
export async function cachedKcflags(
  compiler: string,
  env: Record<string, string>,
  options: { cache: FactsCache; probe?: ProbeRunner },
): Promise<{ flags: string[]; cached: boolean }> {
  const key = JSON.stringify({
    compiler,
    env: DRIVER_ENV.map((k) => env[k] ?? null),
    table: kcflagsTableDigest(),
  });
  const hit = await options.cache.get<string[]>("kcflags", key);
  if (Array.isArray(hit)) return { flags: hit, cached: true };
  const flags = await probeKcflags(compiler, {
    env,
    ...(options.probe ? { runner: options.probe } : {}),
  });
  await options.cache.put("kcflags", key, [compiler], flags);
  return { flags, cached: false };
}

/**
 * `getconf _NPROCESSORS_CONF`, cached for this boot (the configured CPUs do
 * not change while the machine runs; a new boot id is a miss).
 */
export async function cachedCpus(
  count: () => Promise<number>,
  cache: FactsCache,
): Promise<number> {
  let boot: string | null = null;
  try {
    boot = (await Deno.readTextFile(BOOT_ID)).trim();
  } catch {
    return await count(); // no /proc: ask every time
  }
  const hit = await cache.get<number>("cpus", boot);
  if (typeof hit === "number" && hit > 0) return hit;
  const n = await count();
  await cache.put("cpus", boot, [], n); // the key is the boot
  return n;
}

const BOOT_ID = "/proc/sys/kernel/random/boot_id";

/** `make kernelversion` of `dir`, cached by the identity of the Makefiles read. */
export async function cachedKernelVersion(
  dir: string,
  cache: FactsCache,
): Promise<string | null> {
  const hit = await cache.get<string>("kernel-version", dir);
  if (typeof hit === "string") return hit;
  const { version, files } = await readKernelVersionWithFiles(dir);
  if (version !== null) await cache.put("kernel-version", dir, files, version);
  return version;
}

/**
 * Gathers the facts for one build. Independent facts run concurrently; the
 * KCFLAGS probe waits for the toolchain.
 *
 * @throws {UserError} unknown compiler; {InfraError} toolchain fetch failures
 */
export async function gatherBuildFacts(
  req: FactsRequest,
): Promise<BuildFacts> {
  const timings: Record<string, number> = {};
  const cache = req.cache ?? (req.probe ? noFactsCache : factsCache());
  const started = performance.now();
  const cpusP = req.needCpus
    ? timed(
      timings,
      "plan.cpus",
      () => req.cpus ? req.cpus() : cachedCpus(configuredCpus, cache),
    )
    : Promise.resolve(null);
  const dtsP = dtsVars(req.dtsDir, req.arch);
  // Handled below; these keep an early throw from leaving them unhandled.
  cpusP.catch(() => {});
  dtsP.catch(() => {});
  const kernelVersion = await timed(
    timings,
    "plan.kernelVersion",
    () => cachedKernelVersion(req.kernelDir, cache),
  );
  if (kernelVersion === null && req.requireKernelTree) {
    throw new UserError(`"${req.kernelDir}" is not a kernel source tree`, {
      hint: "run kcross build from the top of a kernel checkout",
    });
  }
  const cross = await timed(timings, "plan.toolchain", () =>
    setupCross({
      arch: req.arch,
      triple: req.triple,
      compiler: req.compiler,
      ...(req.installPath ? { installPath: req.installPath } : {}),
      ...(req.url ? { url: req.url } : {}),
      baseEnv: req.baseEnv,
      kernelVersion: kernelVersion === null
        ? null
        : parseKernelVersion(kernelVersion),
      allowSubstitute: req.allowSubstitute,
      ...(req.allowDistro ? { allowDistro: true } : {}),
      offline: req.offline,
      ...(req.noFetch ? { noFetch: true } : {}),
      ...(req.distroBinutils ? { distroBinutils: true } : {}),
      ...(req.out ? { out: req.out } : {}),
      ...(req.signal ? { signal: req.signal } : {}),
      ...(req.resolve ? { resolve: req.resolve } : {}),
    }));
  let kcflags: string[];
  const compiler = cross.compilerPath;
  if (compiler) {
    const r = await timed(
      timings,
      "plan.kcflags",
      () =>
        cachedKcflags(compiler, { ...req.baseEnv, ...cross.env }, {
          cache,
          ...(req.probe
            ? { probe: req.probe }
            : req.proc
            ? { probe: probeRunnerOf(req.proc) }
            : {}),
        }),
    );
    kcflags = r.flags;
    timings["plan.kcflagsCached"] = r.cached ? 1 : 0;
  } else kcflags = kcflagCandidates();
  const [cpus, dts] = await Promise.all([cpusP, dtsP]);
  timings.plan = performance.now() - started;
  return {
    kernelVersion,
    cross,
    kcflags,
    kcflagsUnprobed: compiler === null,
    cpus,
    dts,
    timings,
  };
}

/**
 * The `KCFLAGS=…` make word for `facts` (none when no flag survives); a
 * note when no compiler could be probed.
 *
 * @example
 * ```ts
 * import { kcflagsWords } from "./facts.ts";
 * const notes: string[] = [];
 * const w = kcflagsWords({ kcflags: ["-Wundef", "-funsigned-char"], kcflagsUnprobed: false }, notes);
 * if (w[0] !== "KCFLAGS=-Wundef -funsigned-char" || notes.length) throw new Error();
 * ```
 */
export function kcflagsWords(
  facts: Pick<BuildFacts, "kcflags" | "kcflagsUnprobed">,
  notes: string[],
): string[] {
  if (facts.kcflagsUnprobed) {
    notes.push("KCFLAGS not probed (no compiler yet): every flag listed");
  }
  return facts.kcflags.length ? [`KCFLAGS=${facts.kcflags.join(" ")}`] : [];
}
