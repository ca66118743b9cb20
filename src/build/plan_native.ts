/**
 * The native front door: `kcross build --arch A --config C --compiler X …`
 * as a `BuildPlan`, with the same make.cross rules for the make call.
 * `gatherNativeFacts()` reads and resolves what the plan depends on;
 * `planNativeBuild()` is a pure function of the input and those facts.
 *
 * @module
 */
import { archInfo } from "../toolchain/arch.ts";
import {
  type BuildFacts,
  type FactsRequest,
  type FactsSeams,
  factsSeams,
  gatherBuildFacts,
  kcflagsWords,
} from "./facts.ts";
import { checkMakeWords, trustedNote } from "./make_words.ts";
import { initialTriple, type TripleFact } from "./native_triple.ts";
import { normaliseSet } from "./config_source.ts";
import { type ResolvedTargets, resolveTargets } from "./targets.ts";
import type {
  ArtifactLevel,
  BuildPlan,
  ConfigPlan,
  ConfigSource,
} from "./types.ts";

/** Inputs of `planNativeBuild`. */
export interface NativeInput extends FactsSeams {
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
}

/** What a native plan needs from the machine (`gatherNativeFacts`). */
export interface NativeFacts {
  /** The triple, why, and whether the config step must confirm it. */
  triple: TripleFact;
  build: BuildFacts;
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
    distroBinutils: true,
    needCpus: input.jobs === undefined,
    requireKernelTree: true,
    ...factsSeams(input),
  };
}

/**
 * Reads and resolves everything a native plan depends on: the triple (from
 * `input.triple`, the existing or given `.config` with fragments and sets
 * merged, or the expected result of a named config target; provisional
 * whenever config steps will run), then the build facts for it.
 *
 * @param settled the triple the final `.config` decided (`settleTriple()`),
 *   when it is not the one the facts were first gathered for
 * @throws {UserError} bad config value, missing .config, not a kernel tree;
 *   {InfraError} toolchain fetches
 */
export async function gatherNativeFacts(
  options: NativeInput,
  settled?: TripleFact,
): Promise<NativeFacts> {
  const arch = archInfo(options.arch).name;
  const input = { ...options, arch };
  checkedMakeWords(input);
  const triple = settled ??
    await initialTriple(input, configFor(input, namedTargetsOf(input)));
  const env = input.env ?? Deno.env.toObject();
  const build = await gatherBuildFacts(
    factsRequest(input, arch, triple.triple, env),
  );
  return { triple, build };
}

/**
 * The native plan for `options` and its `facts`: a pure function (no I/O).
 * With a provisional triple it is the plan the config step runs with; the
 * builder plans again with the settled facts before make.
 *
 * @throws {UserError} on a bad `--set` value or a refused make word
 */
export function planNativeBuild(
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
  if (t.from) {
    notes.push(
      `triple changed after the config step: ${t.from} -> ${t.triple}`,
    );
  }
  const jobs = input.jobs ?? 2 * (facts.build.cpus ?? 1);
  const argv = [
    "make",
    "--keep-going",
    `--jobs=${jobs}`,
    `O=${input.outDir}`,
    `ARCH=${input.arch}`,
    ...facts.build.dts,
    ...cross.vars,
    ...kcflags,
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
  };
}
