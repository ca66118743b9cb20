/**
 * Carries out a `BuildPlan`: config steps, make, record.
 *
 * The record directory gets `metadata.json` (written at the start and again
 * at the end, atomically), `build.log` (make's raw output, stdout and stderr
 * interleaved in order), `build.timed.log` (the same lines, each prefixed
 * with seconds since make started), `config.log` (output of the config
 * steps), `config` (the final `.config`), `diagnostics.json` and
 * `reproducer.sh`.
 *
 * @module
 */
import type { Output } from "../cli/output.ts";
import {
  type ConfigOutcome,
  refreshConfigStamp,
  runConfig,
} from "../config/run_config.ts";
import { parseConfig } from "../config/merge_config.ts";
import type { Diagnostic } from "../diagnostics/types.ts";
import { extractDiagnostics } from "../diagnostics/mod.ts";
import {
  InfraError,
  InterruptedError,
  KcrossError,
  UserError,
} from "../errors.ts";
import { cacheDir } from "../paths.ts";
import { findExecutable } from "../proc/find_executable.ts";
import { runProcess } from "../proc/run_process.ts";
import { sha256Hex, writeJsonAtomic } from "../record/atomic.ts";
import {
  makeCrossLines,
  renderReproducer,
  reproducerSteps,
} from "../record/reproducer.ts";
import { createRecordDir, writeMetadata } from "../record/store.ts";
import type { CcacheStats, RecordMetadata } from "../record/types.ts";
import { VERSION } from "../version.ts";
import { ccacheCompiler, ccacheCounters, ccacheDelta } from "./_run_ccache.ts";
import { emptyTargetReason } from "./_run_empty.ts";
import { makeEnvironment, pinnedEnv } from "./_run_env.ts";
import { type LogSink, openLogSink } from "./_run_log.ts";
import {
  buildTimestamp,
  treeDirty,
  treeGit,
  treeKernelVersion,
} from "./_run_tree.ts";
import type { BuildPlan } from "./types.ts";

/** How a build ended. */
export type BuildResult =
  | "pass"
  | "fail"
  | "infra-error"
  | "interrupted"
  | "empty";

/** Options for `runBuild`. */
export interface RunBuildOptions {
  out: Output;
  signal: AbortSignal;
  /** Record directory override (default: a new dir under the state dir). */
  recordDir?: string;
  /** Stream make's output to `out` (default true). */
  echo?: boolean;
  /** The environment make starts from (default: this process's). */
  baseEnv?: Record<string, string>;
  /** Phase timings measured by the caller (e.g. `fetch` of the toolchain), in ms. */
  timings?: Record<string, number>;
  /** The fetch used for config URLs (default: the global one). */
  fetch?: typeof fetch;
}

/** What a build produced. */
export interface BuildOutcome {
  result: BuildResult;
  /** Record id and directory. */
  id: string;
  recordDir: string;
  exitCode: number | null;
  diagnostics: Diagnostic[];
  /** Phase timings in milliseconds. */
  timings: Record<string, number>;
  /** Why, for results other than pass (one line). */
  reason?: string | null;
}

/** The exit code kcross uses for a build result (0, 1, 3 or 130). */
export function exitCodeForResult(result: BuildResult): number {
  switch (result) {
    case "pass":
      return 0;
    case "fail":
    case "empty":
      return 1;
    case "infra-error":
      return 3;
    case "interrupted":
      return 130;
  }
}

/** Make variables that do not change what Kconfig produces. */
const NOT_CONFIG_VARS = new Set(["W", "C", "CF", "V", "KCFLAGS", "SHELL", "O"]);

/**
 * Runs `plan` and records it. A build that compiles and fails, an empty
 * target, an infra failure and an interrupt are all results recorded in the
 * record, not exceptions.
 *
 * @throws {UserError} bad config inputs (missing fragment or file, bad override);
 *   the record directory is removed then, since nothing ran
 */
export async function runBuild(
  plan: BuildPlan,
  options: RunBuildOptions,
): Promise<BuildOutcome> {
  const out = options.out;
  const echo = options.echo === false ? null : out;
  const { id, dir } = await createRecordDir(options.recordDir);
  const objDir = plan.outDir ?? plan.srcTree;
  const timings: Record<string, number> = { ...options.timings };
  const git = await treeGit(plan.srcTree);
  const dirtyPromise = treeDirty(plan.srcTree);
  const kernelVersion = await treeKernelVersion(plan.srcTree);
  const built = makeEnvironment(
    options.baseEnv ?? Deno.env.toObject(),
    pinnedEnv(await buildTimestamp(plan.srcTree, git)),
    plan,
  );
  const env = built.env;
  const argv = [...plan.argv];
  let ccacheDir: string | null = null;
  let ccacheBefore: Record<string, number> = {};
  if (plan.ccache) {
    ccacheDir = `${cacheDir()}/ccache`;
    await Deno.mkdir(ccacheDir, { recursive: true });
    env.CCACHE_DIR = ccacheDir;
    built.delta.CCACHE_DIR = ccacheDir;
    env.CCACHE_BASEDIR ??= plan.srcTree;
    built.delta.CCACHE_BASEDIR = env.CCACHE_BASEDIR;
    if (plan.toolchain && !argv.some((w) => w.startsWith("CC="))) {
      const cc = ccacheCompiler(
        plan.toolchain.family,
        plan.toolchain.crossCompile,
        argv,
      );
      argv.splice(1, 0, `CC=ccache ${cc}`);
    }
  }

  const meta: RecordMetadata = {
    schema: 1,
    id,
    kcrossVersion: VERSION,
    startedAt: new Date().toISOString(),
    finishedAt: null,
    result: "running",
    reason: null,
    exit: null,
    plan: {
      mode: plan.mode,
      arch: plan.arch,
      argv,
      env: built.delta,
      envUnset: built.unset,
      cwd: plan.cwd,
      outDir: plan.outDir,
      targets: plan.targets,
      jobs: plan.jobs,
      ccache: plan.ccache,
      allowEmpty: plan.allowEmpty,
      triple: plan.triple,
      tripleReason: plan.tripleReason,
      notes: plan.notes,
    },
    tree: {
      path: plan.srcTree,
      commit: git.commit,
      dirty: null,
      kernelVersion,
    },
    toolchain: plan.toolchain
      ? {
        id: plan.toolchain.id,
        family: plan.toolchain.family,
        requested: plan.toolchain.requested,
        version: plan.toolchain.version,
        provider: plan.toolchain.provider,
        exact: plan.toolchain.exact,
        triple: plan.toolchain.triple,
        crossCompile: plan.toolchain.crossCompile,
        archiveSha256: plan.toolchain.archiveSha256 ?? null,
        sourceUrl: plan.toolchain.sourceUrl ?? null,
        ccVersionText: null,
      }
      : null,
    config: null,
    timings,
    ccache: null,
    diagnostics: null,
    files: ["metadata.json"],
    reproduce: {
      steps: [],
      makeCross: [],
      cwd: plan.cwd,
      outDir: plan.outDir,
    },
  };
  await writeMetadata(dir, meta);

  let result: BuildResult = "pass";
  let reason: string | null = null;
  let exitCode: number | null = null;
  let exitSignal: string | null = null;
  let config: ConfigOutcome | null = null;
  let diagnostics: Diagnostic[] = [];
  const files = new Set(["metadata.json"]);

  try {
    const infra = checkTools(plan, argv, env);
    if (infra) throw new InfraError(infra);
    if (plan.ccache && ccacheDir) ccacheBefore = await ccacheCounters(env);
    if (options.signal.aborted) throw new InterruptedError("Interrupted");

    // Config phase.
    const configArgv = argv.filter((w, i) =>
      i === 0 || !plan.targets.includes(w)
    );
    const configLog = openLogSink(`${dir}/config.log`, null, echo);
    files.add("config.log");
    try {
      config = await runConfig(plan.config, {
        srcTree: plan.srcTree,
        objDir,
        arch: plan.arch,
        cwd: plan.cwd,
        digestExtra: [
          plan.toolchain
            ? `${plan.toolchain.id}@${plan.toolchain.version}`
            : "",
          ...argv.slice(1).filter((w) => {
            const m = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(w);
            return m !== null && !NOT_CONFIG_VARS.has(m[1]!);
          }),
        ],
        note: (line) => {
          out.err(line);
          configLog.chunk(new TextEncoder().encode(`${line}\n`));
        },
        signal: options.signal,
        ...(options.fetch ? { fetch: options.fetch } : {}),
        make: async (goals, extraEnv) => {
          const words = [...configArgv, ...goals];
          out.err(`kcross: ${words.join(" ")}`);
          const r = await runProcess(words, {
            cwd: plan.cwd,
            env: extraEnv ? { ...env, ...extraEnv } : env,
            signal: options.signal,
            onChunk: (c) => configLog.chunk(c),
            onLine: (l) => configLog.line(l),
          });
          if (r.interrupted) throw new InterruptedError("Interrupted");
          return r.code;
        },
      });
    } finally {
      configLog.close();
    }
    timings.fetch = (timings.fetch ?? 0) + config.fetchMs;
    timings.config = config.configMs;
    if (config.failed) {
      result = configLog.infra ? "infra-error" : "fail";
      exitCode = config.failed.code;
      reason = configLog.infra ??
        `config step "${config.failed.goal}" failed (make exit ${config.failed.code})`;
    } else {
      meta.config = configSection(plan, config);
      await writeMetadata(dir, meta);
      // Build phase.
      const sink = openLogSink(
        `${dir}/build.log`,
        `${dir}/build.timed.log`,
        echo,
      );
      files.add("build.log").add("build.timed.log");
      out.err(`kcross: ${argv.join(" ")}`);
      const t0 = performance.now();
      let r;
      try {
        r = await runProcess(argv, {
          cwd: plan.cwd,
          env,
          signal: options.signal,
          onChunk: (c) => sink.chunk(c),
          onLine: (l) => sink.line(l),
        });
      } finally {
        sink.close();
        timings.build = performance.now() - t0;
      }
      exitCode = r.code;
      exitSignal = r.signal;
      ({ result, reason } = await classify(plan, objDir, r, sink));
    }
  } catch (error) {
    if (error instanceof UserError) {
      await Deno.remove(dir, { recursive: true }).catch(() => {});
      throw error;
    }
    if (error instanceof InterruptedError || options.signal.aborted) {
      result = "interrupted";
      reason = "interrupted by signal";
    } else if (error instanceof KcrossError) {
      result = "infra-error";
      reason = error.message;
    } else if (isDiskFull(error)) {
      result = "infra-error";
      reason = `disk full: ${(error as Error).message}`;
    } else {
      throw error;
    }
  }

  // Finalise the record, whatever happened above.
  const finalConfig = await Deno.readTextFile(`${objDir}/.config`).catch(() =>
    null
  );
  if (finalConfig !== null && config && !config.failed) {
    await Deno.writeTextFile(`${dir}/config`, finalConfig);
    files.add("config");
    if (meta.toolchain) {
      const text = parseConfig(finalConfig).get("CONFIG_CC_VERSION_TEXT");
      meta.toolchain.ccVersionText = text
        ? text.replace(/^"(.*)"$/, "$1")
        : null;
    }
    await refreshConfigStamp(objDir, config.inputsDigest);
    meta.config = configSection(plan, config);
    meta.config.sha256 = sha256Hex(finalConfig);
  }
  if (files.has("build.log")) {
    const log = await Deno.readTextFile(`${dir}/build.log`);
    diagnostics = extractDiagnostics(log, {
      srcTree: plan.srcTree,
      ...(plan.outDir ? { outDir: plan.outDir } : {}),
    });
    await writeJsonAtomic(`${dir}/diagnostics.json`, diagnostics);
    files.add("diagnostics.json");
  }
  if (plan.ccache && ccacheDir) {
    meta.ccache = ccacheDelta(
      ccacheDir,
      ccacheBefore,
      await ccacheCounters(env),
    ) as CcacheStats;
  }
  const steps = reproducerSteps(plan, config?.inputs ?? null);
  const makeCross = makeCrossLines(plan, config?.inputs ?? null);
  meta.reproduce = { steps, makeCross, cwd: plan.cwd, outDir: plan.outDir };
  meta.tree.dirty = await dirtyPromise;
  await Deno.writeTextFile(
    `${dir}/reproducer.sh`,
    renderReproducer({
      id,
      commit: meta.tree.commit,
      dirty: meta.tree.dirty,
      kernelVersion,
      steps,
      makeCross,
    }),
    { mode: 0o755 },
  );
  files.add("reproducer.sh");
  meta.diagnostics = files.has("diagnostics.json")
    ? {
      errors: diagnostics.filter((d) => /error/i.test(d.severity)).length,
      warnings: diagnostics.filter((d) => /warning/i.test(d.severity)).length,
      total: diagnostics.length,
    }
    : null;
  meta.result = result;
  meta.reason = reason;
  meta.exit = { code: exitCode, signal: exitSignal };
  meta.finishedAt = new Date().toISOString();
  meta.files = [...files].sort();
  await writeMetadata(dir, meta);
  if (reason) out.err(`kcross: ${result}: ${reason}`);
  out.err(`kcross: record ${dir}`);
  return {
    result,
    id,
    recordDir: dir,
    exitCode,
    diagnostics,
    timings,
    reason,
  };
}

function configSection(
  plan: BuildPlan,
  config: ConfigOutcome,
): NonNullable<RecordMetadata["config"]> {
  return {
    plan: plan.config,
    inputs: {
      ...config.inputs,
      fragments: config.inputs.fragments.map((f) => ({
        path: f.path,
        sha256: f.sha256,
      })),
    },
    inputsDigest: config.inputsDigest,
    reused: config.reused,
    sha256: config.sha256,
    dropped: config.dropped,
    werror: plan.config?.werror ?? "keep",
    werrorEnabled: config.werrorEnabled,
  };
}

/** An infra problem visible before make starts (missing make or compiler). */
function checkTools(
  plan: BuildPlan,
  argv: string[],
  env: Record<string, string>,
): string | null {
  const path = env.PATH ?? "";
  const make = argv[0] ?? "make";
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

async function classify(
  plan: BuildPlan,
  objDir: string,
  r: { code: number; interrupted: boolean },
  sink: LogSink,
): Promise<{ result: BuildResult; reason: string | null }> {
  if (r.interrupted) {
    return { result: "interrupted", reason: "interrupted by signal" };
  }
  if (sink.writeError) {
    return {
      result: "infra-error",
      reason: `cannot write the log: ${sink.writeError.message}`,
    };
  }
  if (r.code !== 0) {
    if (sink.infra) return { result: "infra-error", reason: sink.infra };
    return { result: "fail", reason: `make exited with ${r.code}` };
  }
  if (plan.allowEmpty || plan.targets.length === 0) {
    return { result: "pass", reason: null };
  }
  const text = await Deno.readTextFile(`${objDir}/.config`).catch(() => "");
  const config = parseConfig(text);
  for (const target of plan.targets) {
    const why = await emptyTargetReason(plan.srcTree, target, config);
    if (why) return { result: "empty", reason: why };
  }
  return { result: "pass", reason: null };
}

function isDiskFull(error: unknown): boolean {
  return error instanceof Error &&
    /No space left on device|os error 28/.test(error.message);
}
