/**
 * Turning a plan into the exact make call: environment (pinned variables,
 * ccache), argv (ccache's `CC=`), the record's plan and toolchain sections,
 * and the checks that make and the compiler exist before anything runs.
 *
 * @module
 */
import { findExecutable } from "../proc/find_executable.ts";
import type { RecordMetadata } from "../record/types.ts";
import { ccacheCompiler } from "./_run_ccache.ts";
import { makeEnvironment, pinnedEnv } from "./_run_env.ts";
import type { BuildPlan } from "./types.ts";

/** The make call as it will run. */
export interface PreparedMake {
  argv: string[];
  env: Record<string, string>;
  /** Variables set over the caller's environment (for the record). */
  delta: Record<string, string>;
  unset: string[];
}

/**
 * The argv and environment for `plan`.
 *
 * @param plan the plan
 * @param baseEnv the caller's environment
 * @param timestamp KBUILD_BUILD_TIMESTAMP
 * @param ccacheDir CCACHE_DIR when `plan.ccache`
 */
export function prepareMake(
  plan: BuildPlan,
  baseEnv: Record<string, string>,
  timestamp: string,
  ccacheDir: string | null,
): PreparedMake {
  const built = makeEnvironment(baseEnv, pinnedEnv(timestamp), plan);
  const argv = [...plan.argv];
  if (plan.ccache && ccacheDir) {
    built.env.CCACHE_DIR = built.delta.CCACHE_DIR = ccacheDir;
    built.env.CCACHE_BASEDIR ??= plan.srcTree;
    built.delta.CCACHE_BASEDIR = built.env.CCACHE_BASEDIR;
    const cc = argv.findIndex((w) => w.startsWith("CC="));
    if (cc >= 0) {
      if (!/^CC=ccache\s/.test(argv[cc]!)) {
        argv[cc] = `CC=ccache ${argv[cc]!.slice(3)}`;
      }
    } else if (plan.toolchain) {
      const compiler = ccacheCompiler(
        plan.toolchain.family,
        plan.toolchain.crossCompile,
        argv,
      );
      argv.splice(1, 0, `CC=ccache ${compiler}`);
    }
  }
  return { argv, env: built.env, delta: built.delta, unset: built.unset };
}

/** The record's `plan` section. */
export function planSection(
  plan: BuildPlan,
  made: PreparedMake,
): RecordMetadata["plan"] {
  return {
    mode: plan.mode,
    arch: plan.arch,
    argv: made.argv,
    env: made.delta,
    envUnset: made.unset,
    cwd: plan.cwd,
    outDir: plan.outDir,
    targets: plan.targets,
    jobs: plan.jobs,
    ccache: plan.ccache,
    allowEmpty: plan.allowEmpty,
    triple: plan.triple,
    tripleReason: plan.tripleReason,
    notes: plan.notes,
  };
}

/** The record's `toolchain` section (CONFIG_CC_VERSION_TEXT filled in later). */
export function toolchainSection(
  plan: BuildPlan,
): RecordMetadata["toolchain"] {
  const tc = plan.toolchain;
  if (!tc) return null;
  return {
    id: tc.id,
    family: tc.family,
    requested: tc.requested,
    version: tc.version,
    provider: tc.provider,
    exact: tc.exact,
    ...(tc.exactness ? { exactness: tc.exactness } : {}),
    ...(tc.verification ? { verification: tc.verification } : {}),
    triple: tc.triple,
    crossCompile: tc.crossCompile,
    archiveSha256: tc.archiveSha256 ?? null,
    sourceUrl: tc.sourceUrl ?? null,
    ccVersionText: null,
  };
}

/** An infra problem visible before make starts (missing make or compiler). */
export function missingTool(
  plan: BuildPlan,
  made: PreparedMake,
): string | null {
  const path = made.env.PATH ?? "";
  const make = made.argv[0] ?? "make";
  if (findExecutable(make, path) === null) {
    return `Cannot run "${make}": not found on PATH`;
  }
  const tc = plan.toolchain;
  if (tc?.family === "gcc") {
    const gcc = `${tc.crossCompile}gcc`;
    const found = gcc.includes("/")
      ? findExecutable(gcc, "")
      : findExecutable(gcc, [tc.binDir, path].join(":"));
    if (found === null) {
      return `Toolchain "${tc.id}" is missing its compiler "${gcc}"`;
    }
  } else if (tc?.family === "clang") {
    try {
      Deno.statSync(tc.binDir);
    } catch {
      return `Toolchain "${tc.id}" is missing: no directory "${tc.binDir}"`;
    }
  }
  return null;
}
