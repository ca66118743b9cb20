/**
 * The native front door: `kcross build --arch A --config C --compiler X …`
 * as a `BuildPlan`, with the same make.cross rules for the make call.
 *
 * @module
 */
import guess from "../../toolchains/config-guess.json" with { type: "json" };
import type { Output } from "../util/output.ts";
import { UserError } from "../errors.ts";
import { fragmentCacheDir, resolveFragment } from "../config/mod.ts";
import { archInfo } from "../toolchain/arch.ts";
import type { Resolver } from "./_cross.ts";
import { decideTriple } from "./_common.ts";
import { readConfig, resolvePath } from "./_host.ts";
import {
  type BuildFacts,
  type FactsRequest,
  gatherBuildFacts,
  kcflagsWords,
} from "./facts.ts";
import type { FactsCache } from "./facts_cache.ts";
import type { ProbeRunner } from "./kcflags.ts";
import { checkMakeWords, trustedNote } from "./make_words.ts";
import { type ResolvedTargets, resolveTargets } from "./targets.ts";
import type {
  ArtifactLevel,
  BuildPlan,
  ConfigPlan,
  ConfigSource,
} from "./types.ts";

/** Inputs of `planNativeBuild`. */
export interface NativeInput {
  /** Absolute kernel source tree (make runs here). */
  srcTree: string;
  arch: string;
  /** `gcc-11.2.0`, `gcc-11`, `gcc`, `clang-17`… (default `gcc`: newest). */
  compiler?: string;
  /** Where the config comes from; absent: the output dir's existing `.config`. */
  config?: ConfigSource;
  fragments?: string[];
  sets?: string[];
  werror?: "keep" | "off";
  /** Absolute output dir (`O=`). */
  outDir: string;
  /** `W=` and `C=` values. */
  w?: string;
  c?: string;
  /** make -j (default: 2 × configured CPUs, as make.cross). */
  jobs?: number;
  ccache?: boolean;
  targets?: string[];
  /**
   * Read `kernel`, `modules`, `dtbs`… in `targets` as named targets
   * (`toolchains/targets.json`), each a phase (`kcross build`); otherwise
   * every target is a make goal as given (repro, matrix, series).
   */
  namedTargets?: boolean;
  /** What named targets collect into the record (default `default`). */
  artifacts?: ArtifactLevel;
  /** After a failed target, run the ones that do not depend on it. */
  keepGoing?: boolean;
  /** Extra make words (`CF=…`, `KCFLAGS` overrides…), before the targets. */
  makeArgs?: string[];
  allowEmpty?: boolean;
  allowSubstitute?: boolean;
  /** Accept a distro build of the exact version (`--allow-distro`). */
  allowDistro?: boolean;
  /** Pass make words the policy refuses (`--trust-make-line`; noted in the plan). */
  trustMakeLine?: boolean;
  /** Where `makeArgs`/`targets`/`w`/`c` came from, for errors (default "the command line"). */
  makeOrigin?: string;
  /** Force the triple (repro: the report's compiler line names it). */
  triple?: string;
  tripleReason?: string;
  /** Toolchains already installed in make.cross layout, searched first. */
  installPath?: string;
  /** The environment make starts from (default: this process's). */
  env?: Record<string, string>;
  /** Do not fetch (dry run). */
  offline?: boolean;
  /** Never fetch (`--offline`): an uninstalled toolchain is an error. */
  noFetch?: boolean;
  out?: Output;
  signal?: AbortSignal;
  /** Test seams. */
  resolve?: Resolver;
  probe?: ProbeRunner;
  cpus?: () => Promise<number>;
  /** The facts cache (default: the cache dir's; none with a test `probe`). */
  cache?: FactsCache;
}

/** What a native plan needs from the machine (`gatherNativeFacts`). */
export interface NativeFacts {
  /** The triple, why, and whether the config step must confirm it. */
  triple: { triple: string; reason: string; provisional: boolean };
  build: BuildFacts;
}

const guessTable = guess as unknown as {
  targets: Record<string, Record<string, string>>;
};

/** Config targets kbuild knows by name. */
const NAMED_TARGET =
  /^(allmodconfig|allyesconfig|allnoconfig|alldefconfig|defconfig|tinyconfig|randconfig|olddefconfig|oldconfig|[\w.-]+_defconfig|[\w.-]+\.config)$/;

/**
 * Classifies a `--config` value: URL, existing file, or config target.
 *
 * @throws {UserError} when it is none of these
 * @example
 * ```ts
 * import { configSourceOf } from "./plan_native.ts";
 * if (configSourceOf("allmodconfig", "/").kind !== "target") throw new Error();
 * if (configSourceOf("https://x/config.gz", "/").kind !== "url") throw new Error();
 * ```
 */
export function configSourceOf(value: string, cwd: string): ConfigSource {
  if (/^https?:\/\//.test(value)) return { kind: "url", url: value };
  const path = resolvePath(cwd, value);
  try {
    if (Deno.statSync(path).isFile) return { kind: "file", path };
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  if (NAMED_TARGET.test(value) && !value.includes("/")) {
    return { kind: "target", target: value };
  }
  throw new UserError(`No config file or config target "${value}"`, {
    hint:
      "use a target (allmodconfig, defconfig, <board>_defconfig, randconfig), a .config path or a URL",
  });
}

/**
 * Normalises a `--set` value to a `.config` line.
 *
 * @throws {UserError} on anything but `CONFIG_X=v` or `# CONFIG_X is not set`
 * @example
 * ```ts
 * import { normaliseSet } from "./plan_native.ts";
 * if (normaliseSet("WERROR=n") !== "CONFIG_WERROR=n") throw new Error();
 * if (normaliseSet("# CONFIG_VFIO is not set") !== "# CONFIG_VFIO is not set") throw new Error();
 * ```
 */
export function normaliseSet(value: string): string {
  const v = value.trim();
  if (/^# CONFIG_\w+ is not set$/.test(v)) return v;
  const m = /^(?:CONFIG_)?(\w+)=(.*)$/.exec(v);
  if (!m) {
    throw new UserError(`Bad --set value "${value}"`, {
      hint: 'use CONFIG_X=y|m|n|value or "# CONFIG_X is not set"',
    });
  }
  return `CONFIG_${m[1]}=${m[2]}`;
}

/**
 * `.config` text with `lines` merged over it, last one wins per symbol (what
 * merge_config.sh does, before olddefconfig).
 *
 * @example
 * ```ts
 * import { overlayConfig } from "./plan_native.ts";
 * const t = overlayConfig("CONFIG_64BIT=y\nCONFIG_A=y\n", ["CONFIG_64BIT=n"]);
 * if (t.includes("CONFIG_64BIT=y") || !t.includes("CONFIG_A=y")) throw new Error(t);
 * ```
 */
export function overlayConfig(base: string, lines: string[]): string {
  const symOf = (l: string) =>
    /^(CONFIG_\w+)=/.exec(l)?.[1] ?? /^# (CONFIG_\w+) is not set/.exec(l)?.[1];
  const over = new Map<string, string>();
  for (const l of lines) {
    const s = symOf(l);
    if (s) over.set(s, /=n$/.test(l) ? `# ${s} is not set` : l);
  }
  const kept = base.split("\n").filter((l) => {
    const s = symOf(l);
    return !s || !over.has(s);
  });
  return [...kept.filter((l) => l !== ""), ...over.values()].join("\n") + "\n";
}

/**
 * The fragment and `--set` lines over the base config, for the triple
 * guess. Read from disk only: a URL not downloaded yet is left out (the
 * triple is provisional then, and checked against the final `.config`).
 */
async function overrideLines(input: NativeInput, cfg: ConfigPlan) {
  const lines: string[] = [];
  for (const word of cfg.fragments) {
    const f = await resolveFragment(word, {
      cwd: input.srcTree,
      srcTree: input.srcTree,
      arch: input.arch,
      cacheDir: fragmentCacheDir(),
      offline: true,
    });
    // No spread: a fragment of 10^5 lines would overflow the call stack.
    for (const l of f?.text.split("\n") ?? []) lines.push(l);
  }
  for (const l of cfg.sets) lines.push(l);
  return lines;
}

async function nativeTriple(
  input: NativeInput,
  cfg: ConfigPlan | null,
): Promise<NativeFacts["triple"]> {
  if (input.triple) {
    return {
      triple: input.triple,
      reason: input.tripleReason ?? "given explicitly",
      provisional: false,
    };
  }
  if (cfg === null) {
    // Targets that need no .config (headers, perf): the one there, if any.
    const where = `${input.outDir}/.config`;
    const d = decideTriple(input.arch, await readConfig(where), where);
    return { triple: d.triple, reason: d.reason, provisional: false };
  }
  const lines = await overrideLines(input, cfg);
  const steps = cfg.source.kind !== "existing" || lines.length > 0;
  const src = cfg.source;
  let base: string | null = null;
  let where: string;
  if (src.kind === "existing" || src.kind === "file") {
    where = src.kind === "file" ? src.path : `${input.outDir}/.config`;
    base = await readConfig(where);
    if (base === null && src.kind === "existing") {
      throw new UserError(`No .config in "${input.outDir}"`, {
        hint: "pass --config allmodconfig (or a file or URL) to create one",
      });
    }
  } else if (src.kind === "target") {
    const sym = guessTable.targets[src.target]?.[input.arch];
    base = sym ? `${sym}=y\n` : "";
    where = `${src.target} (expected)`;
  } else {
    where = `${src.url} (not fetched yet)`;
    base = "";
  }
  const text = overlayConfig(base ?? "", lines);
  const d = decideTriple(input.arch, text, where);
  return {
    triple: d.triple,
    reason: steps
      ? `${d.reason}; checked again against the final .config`
      : d.reason,
    provisional: steps,
  };
}

/**
 * The make words from outside (W, C, make args, targets) checked against the
 * make-word policy: every front end (report, matrix, series, rerun) reaches
 * make through here. Pure; throws before anything is read or fetched.
 *
 * @returns the words passed only because the caller trusts them
 * @throws {UserError} a refused word without `trustMakeLine`
 */
function checkedMakeWords(input: NativeInput): string[] {
  return checkMakeWords([
    ...(input.w ? [`W=${input.w}`] : []),
    ...(input.c ? [`C=${input.c}`] : []),
    ...(input.makeArgs ?? []),
    ...(input.targets ?? []),
  ], {
    origin: input.makeOrigin ?? "the command line",
    trust: input.trustMakeLine ?? false,
  });
}

/** The phases of `input`'s named targets, or null without any (pure). */
function namedTargetsOf(input: NativeInput): ResolvedTargets | null {
  if (!input.namedTargets) return null;
  const r = resolveTargets(input.targets ?? [], {
    arch: input.arch,
    artifacts: input.artifacts ?? "default",
  });
  return r.phases.length ? r : null;
}

/**
 * The config steps; none when only targets that need no `.config` run
 * (`headers`, `perf`, `cpupower`) and no config input was given.
 */
function configFor(
  input: NativeInput,
  named: ResolvedTargets | null,
): ConfigPlan | null {
  const plan = configPlanOf(input);
  const noConfig = named !== null &&
    !named.phases.some((p) => p.name === "config") &&
    plan.source.kind === "existing" && plan.fragments.length === 0 &&
    plan.sets.length === 0 && plan.werror === "keep";
  return noConfig ? null : plan;
}

function configPlanOf(input: NativeInput): ConfigPlan {
  return {
    source: input.config ?? { kind: "existing" },
    fragments: input.fragments ?? [],
    sets: (input.sets ?? []).map(normaliseSet),
    werror: input.werror ?? "keep",
    // The same trust covers config values make would evaluate.
    ...(input.trustMakeLine ? { trustValues: true } : {}),
  };
}

function factsRequest(
  input: NativeInput,
  arch: string,
  triple: string,
  env: Record<string, string>,
): FactsRequest {
  const installPath = input.installPath ??
    (env.COMPILER_INSTALL_PATH || undefined);
  return {
    arch,
    triple,
    compiler: input.compiler ?? "gcc",
    kernelDir: input.srcTree,
    dtsDir: input.srcTree,
    ...(installPath ? { installPath } : {}),
    baseEnv: env,
    allowSubstitute: input.allowSubstitute ?? false,
    ...(input.allowDistro ? { allowDistro: true } : {}),
    offline: input.offline ?? false,
    ...(input.noFetch ? { noFetch: true } : {}),
    needCpus: input.jobs === undefined,
    requireKernelTree: true,
    ...(input.out ? { out: input.out } : {}),
    ...(input.signal ? { signal: input.signal } : {}),
    ...(input.resolve ? { resolve: input.resolve } : {}),
    ...(input.probe ? { probe: input.probe } : {}),
    ...(input.cpus ? { cpus: input.cpus } : {}),
    ...(input.cache ? { cache: input.cache } : {}),
  };
}

/**
 * Reads and resolves everything a native plan depends on: the triple (from
 * `input.triple`, the existing or given `.config` with fragments and sets
 * merged, or the expected result of a named config target; provisional
 * whenever config steps will run), then the build facts for it.
 *
 * @throws {UserError} bad config value, missing .config, not a kernel tree;
 *   {InfraError} toolchain fetches
 */
export async function gatherNativeFacts(
  options: NativeInput,
): Promise<NativeFacts> {
  const arch = archInfo(options.arch).name;
  const input = { ...options, arch };
  checkedMakeWords(input);
  const named = namedTargetsOf(input);
  const triple = await nativeTriple(input, configFor(input, named));
  const env = input.env ?? Deno.env.toObject();
  const build = await gatherBuildFacts(
    factsRequest(input, arch, triple.triple, env),
  );
  return { triple, build };
}

/**
 * The native plan for `options` and its `facts`: a pure function (no I/O).
 *
 * @throws {UserError} on a bad `--set` value
 */
export function assembleNativePlan(
  options: NativeInput,
  facts: NativeFacts,
): BuildPlan {
  // ARCH as kbuild spells it: aliases (aarch64, ppc64le…) map to their ARCH.
  const input = { ...options, arch: archInfo(options.arch).name };
  const env = input.env ?? {};
  const compiler = input.compiler ?? "gcc";
  const notes: string[] = [];
  const trusted = checkedMakeWords(input);
  if (trusted.length) notes.push(trustedNote(trusted));
  const named = namedTargetsOf(input);
  const config = configFor(input, named);
  const t = facts.triple;
  const { cross } = facts.build;
  const installPath = input.installPath ??
    (env.COMPILER_INSTALL_PATH || undefined);
  notes.push(...cross.notes);
  const kcflags = kcflagsWords(facts.build, notes);
  const jobs = input.jobs ?? 2 * (facts.build.cpus ?? 1);
  const crossArgs = [...cross.vars, ...kcflags];
  const argv = [
    "make",
    "--keep-going",
    `--jobs=${jobs}`,
    `O=${input.outDir}`,
    `ARCH=${input.arch}`,
    ...facts.build.dts,
    ...crossArgs,
    ...(input.w ? [`W=${input.w}`] : []),
    ...(input.c ? [`C=${input.c}`] : []),
    ...(input.makeArgs ?? []),
    ...(named ? named.kbuild : input.targets ?? []),
  ];
  return {
    mode: "native",
    arch: input.arch,
    srcTree: input.srcTree,
    cwd: input.srcTree,
    outDir: input.outDir,
    argv,
    env: cross.env,
    envUnset: [],
    toolchain: cross.toolchain,
    triple: t.triple,
    tripleReason: t.reason,
    config,
    targets: input.targets ?? [],
    ...(named
      ? {
        phases: named.phases,
        artifacts: input.artifacts ?? "default",
        keepGoing: input.keepGoing ?? false,
      }
      : {}),
    jobs,
    ccache: input.ccache ?? false,
    allowEmpty: input.allowEmpty ?? false,
    notes,
    compiler,
    kernelVersion: facts.build.kernelVersion,
    tripleProvisional: t.provisional,
    allowSubstitute: input.allowSubstitute ?? false,
    ...(input.allowDistro ? { allowDistro: true } : {}),
    ...(input.noFetch ? { noFetch: true } : {}),
    ...(installPath ? { installPath } : {}),
    crossArgs,
  };
}

/**
 * Plans a native build: `gatherNativeFacts`, then the pure
 * `assembleNativePlan`. Pass `facts` gathered earlier to skip the first.
 *
 * @throws {UserError} bad config value, missing .config; {InfraError} fetches
 */
export async function planNativeBuild(
  options: NativeInput,
  facts?: NativeFacts,
): Promise<BuildPlan> {
  return assembleNativePlan(options, facts ?? await gatherNativeFacts(options));
}

/**
 * Settles a provisional triple against the final `.config` (the runner calls
 * this after the config step): same triple → the plan with the reason
 * updated; another triple → the toolchain resolved again and the make
 * call's cross words replaced.
 *
 * @param plan a plan from `planNativeBuild` (others are returned unchanged)
 * @param configText the final `.config`
 */
export async function retargetPlan(
  plan: BuildPlan,
  configText: string,
  options: {
    out?: Output;
    signal?: AbortSignal;
    env?: Record<string, string>;
    resolve?: Resolver;
    probe?: ProbeRunner;
  } = {},
): Promise<BuildPlan> {
  if (!plan.tripleProvisional) return plan;
  const where = `${plan.outDir ?? plan.srcTree}/.config`;
  const d = decideTriple(plan.arch, configText, where);
  if (d.triple === plan.triple) {
    return { ...plan, tripleReason: d.reason, tripleProvisional: false };
  }
  const env = options.env ?? Deno.env.toObject();
  const notes = [...plan.notes];
  const facts = await gatherBuildFacts({
    arch: plan.arch,
    triple: d.triple,
    compiler: plan.compiler ?? "gcc",
    kernelDir: plan.srcTree,
    dtsDir: plan.srcTree,
    ...(plan.installPath ? { installPath: plan.installPath } : {}),
    baseEnv: env,
    allowSubstitute: plan.allowSubstitute ?? false,
    ...(plan.allowDistro ? { allowDistro: true } : {}),
    ...(plan.noFetch ? { noFetch: true } : {}),
    offline: false,
    needCpus: false,
    ...(options.out ? { out: options.out } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.resolve ? { resolve: options.resolve } : {}),
    ...(options.probe ? { probe: options.probe } : {}),
  });
  const cross = facts.cross;
  notes.push(
    ...cross.notes,
    `triple changed after the config step: ${plan.triple} -> ${d.triple}`,
  );
  const kcflags = kcflagsWords(facts, notes);
  const crossArgs = [...cross.vars, ...kcflags];
  const old = plan.crossArgs ?? [];
  const at = indexOfRun(plan.argv, old);
  const argv = at < 0 ? [...plan.argv] : [
    ...plan.argv.slice(0, at),
    ...crossArgs,
    ...plan.argv.slice(at + old.length),
  ];
  return {
    ...plan,
    argv,
    env: cross.env,
    toolchain: cross.toolchain,
    triple: d.triple,
    tripleReason: d.reason,
    tripleProvisional: false,
    notes,
    crossArgs,
  };
}

function indexOfRun(haystack: string[], run: string[]): number {
  if (run.length === 0) return -1;
  outer: for (let i = 0; i + run.length <= haystack.length; i++) {
    for (let j = 0; j < run.length; j++) {
      if (haystack[i + j] !== run[j]) continue outer;
    }
    return i;
  }
  return -1;
}
