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
import type { Output } from "../util/output.ts";
import { shellLine } from "../util/shell_quote.ts";
import { type ConfigOutcome, runConfig } from "../config/run_config.ts";
import { fragmentCacheDir } from "../config/fragment_source.ts";
import { DiagnosticCollector } from "../diagnostics/mod.ts";
import type { Diagnostic } from "../diagnostics/types.ts";
import {
  InfraError,
  InterruptedError,
  KcrossError,
  UserError,
} from "../errors.ts";
import { cacheDir } from "../paths.ts";
import { runProcess } from "../proc/run_process.ts";
import { createRecordDir, writeMetadata } from "../record/store.ts";
import type { RecordMetadata } from "../record/types.ts";
import { VERSION } from "../version.ts";
import { ccacheCounters, ccacheDelta } from "./_run_ccache.ts";
import { emptyTargetReason } from "./_run_empty.ts";
import {
  configSection,
  type FinalConfig,
  finalConfigOf,
  finishRecord,
} from "./_run_finish.ts";
import { type LogSink, openLogSink } from "./_run_log.ts";
import { pendingPhases, runPhases } from "./_run_phases.ts";
import { checkTargetTools } from "./_target_tools.ts";
import { kernelRelease } from "./_run_release.ts";
import {
  missingTool,
  planSection,
  type PreparedMake,
  prepareMake,
  toolchainSection,
} from "./_run_prepare.ts";
import {
  buildTimestamp,
  treeDirty,
  treeGit,
  treeKernelVersion,
} from "./_run_tree.ts";
import { retargetPlan } from "./plan_native.ts";
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
  /** The record as written (`metadata.json`). */
  record: RecordMetadata;
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
 * record, not exceptions. A plan whose triple is provisional is settled with
 * `retargetPlan()` against the final `.config` (and reconfigured when the
 * toolchain changes).
 *
 * @throws {UserError} bad config inputs (missing fragment or file, bad
 *   override) or no toolchain for the settled triple; the record directory
 *   is removed then
 * @throws {InfraError} a named target's host tool is missing (dt-schema for
 *   `dtbs_check`…), before anything is written
 */
export async function runBuild(
  initialPlan: BuildPlan,
  options: RunBuildOptions,
): Promise<BuildOutcome> {
  let plan = initialPlan;
  const started = performance.now();
  const out = options.out;
  const echo = options.echo === false ? null : out;
  const baseEnv = options.baseEnv ?? Deno.env.toObject();
  checkTargetTools(plan.phases ?? [], baseEnv.PATH ?? "");
  const { id, dir } = await createRecordDir(options.recordDir);
  const objDir = plan.outDir ?? plan.srcTree;
  const timings: Record<string, number> = { ...options.timings };
  const git = await treeGit(plan.srcTree);
  const dirty = treeDirty(plan.srcTree);
  const timestamp = await buildTimestamp(plan.srcTree, git);
  const ccacheDir = plan.ccache ? `${cacheDir()}/ccache` : null;
  if (ccacheDir) await Deno.mkdir(ccacheDir, { recursive: true });
  let made = prepareMake(plan, baseEnv, timestamp, ccacheDir);

  const meta: RecordMetadata = {
    schema: 1,
    id,
    kcrossVersion: VERSION,
    startedAt: new Date().toISOString(),
    finishedAt: null,
    result: "running",
    reason: null,
    exit: null,
    plan: planSection(plan, made),
    tree: {
      path: plan.srcTree,
      commit: git.commit,
      dirty: null,
      kernelVersion: plan.kernelVersion ??
        await treeKernelVersion(plan.srcTree),
    },
    toolchain: toolchainSection(plan),
    config: null,
    host: null,
    timings,
    ccache: null,
    diagnostics: null,
    files: ["metadata.json"],
    reproduce: { steps: [], makeCross: [], cwd: plan.cwd, outDir: plan.outDir },
  };
  await writeMetadata(dir, meta);
  timings.record = performance.now() - started;

  let result: BuildResult = "pass";
  let reason: string | null = null;
  let exitCode: number | null = null;
  let exitSignal: string | null = null;
  let config: ConfigOutcome | null = null;
  let ccacheBefore: Record<string, number> = {};
  let collector: DiagnosticCollector | null = null;
  const finalConfig = finalConfigOf(objDir);
  const files = new Set(["metadata.json"]);

  try {
    const missing = missingTool(plan, made);
    if (missing) throw new InfraError(missing);
    if (ccacheDir) ccacheBefore = await ccacheCounters(made.env);
    if (options.signal.aborted) throw new InterruptedError("Interrupted");
    const configLog = openLogSink(`${dir}/config.log`, null, echo);
    files.add("config.log");
    try {
      config = await configPhase(plan, made, configLog, options);
      if (plan.tripleProvisional && !config.failed) {
        const text = await Deno.readTextFile(`${objDir}/.config`);
        const settled = await retargetPlan(plan, text, {
          out,
          signal: options.signal,
          env: baseEnv,
        });
        const changed = settled.toolchain?.id !== plan.toolchain?.id ||
          settled.triple !== plan.triple;
        plan = settled;
        made = prepareMake(plan, baseEnv, timestamp, ccacheDir);
        meta.plan = planSection(plan, made);
        meta.toolchain = toolchainSection(plan);
        if (changed) {
          out.err(
            `kcross: toolchain is now ${plan.toolchain?.id}; reconfiguring`,
          );
          const again = missingTool(plan, made);
          if (again) throw new InfraError(again);
          const first = config;
          config = await configPhase(plan, made, configLog, options);
          config.fetchMs += first.fetchMs;
          config.configMs += first.configMs;
        }
      }
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
      // Diagnostics are extracted as make's output arrives, so they are
      // ready when make ends instead of costing a second pass over the log.
      collector = new DiagnosticCollector({
        srcTree: plan.srcTree,
        ...(plan.outDir ? { outDir: plan.outDir } : {}),
      });
      const sink = openLogSink(
        `${dir}/build.log`,
        `${dir}/build.timed.log`,
        echo,
        collector,
      );
      files.add("build.log").add("build.timed.log");
      if (plan.phases?.length) {
        let done;
        try {
          done = await runPhases({
            plan,
            made,
            baseArgv: goalless(plan, made),
            recordDir: dir,
            sink,
            out,
            signal: options.signal,
            finalConfig,
          });
        } finally {
          sink.close();
        }
        meta.phases = done.phases;
        meta.artifacts = done.artifacts;
        timings.build = done.buildMs;
        timings.artifacts = done.artifactsMs;
        ({ result, reason, exitCode } = done);
        exitSignal = done.signal;
        if (sink.writeError && result !== "interrupted") {
          result = "infra-error";
          reason = `cannot write the log: ${sink.writeError.message}`;
        }
      } else {
        out.err(`kcross: ${shellLine(made.argv)}`);
        const t0 = performance.now();
        let r;
        try {
          r = await runProcess(made.argv, {
            cwd: plan.cwd,
            env: made.env,
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
        const checking = performance.now();
        ({ result, reason } = await classify(plan, r, sink, finalConfig));
        timings.check = performance.now() - checking;
      }
      if (result !== "interrupted") {
        meta.tree.kernelRelease = await kernelRelease(plan, {
          argv: goalless(plan, made),
          env: made.env,
          signal: options.signal,
        });
      }
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

  const finishing = performance.now();
  if (ccacheDir) {
    meta.ccache = ccacheDelta(
      ccacheDir,
      ccacheBefore,
      await ccacheCounters(made.env),
    );
  }
  if (plan.phases?.length && !meta.phases) {
    // The config step failed (or never ran): every phase is reported.
    meta.phases = pendingPhases(plan.phases);
    const first = meta.phases[0];
    if (first?.name === "config" && result !== "pass") {
      first.status = result === "interrupted"
        ? "interrupted"
        : result === "infra-error"
        ? "infra-error"
        : "fail";
      first.reason = reason;
      first.exitCode = exitCode;
    }
    meta.artifacts = [];
  }
  meta.result = result;
  meta.reason = reason;
  meta.exit = { code: exitCode, signal: exitSignal };
  const diagnostics = await finishRecord({
    plan,
    dir,
    meta,
    config,
    files,
    dirty,
    collector,
    finishing,
    finalConfig,
    ...(made.env.PATH ? { path: made.env.PATH } : {}),
    // make.cross measures it only when asked: a no-op rebuild costs what make costs.
    ...(baseEnv.KCROSS_DISK_USAGE === "1" ? { diskUsage: true } : {}),
  });
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
    record: meta,
  };
}

/** make's argv for the build without its goals (config steps, phases). */
function goalless(plan: BuildPlan, made: PreparedMake): string[] {
  return made.argv.filter((w, i) => i === 0 || !plan.targets.includes(w));
}

/** The config phase: make runs with the build's variables, minus its goals. */
function configPhase(
  plan: BuildPlan,
  made: PreparedMake,
  log: LogSink,
  options: RunBuildOptions,
): Promise<ConfigOutcome> {
  const out = options.out;
  const configArgv = goalless(plan, made);
  return runConfig(plan.config, {
    srcTree: plan.srcTree,
    objDir: plan.outDir ?? plan.srcTree,
    arch: plan.arch,
    cwd: plan.cwd,
    digestExtra: [
      plan.toolchain ? `${plan.toolchain.id}@${plan.toolchain.version}` : "",
      ...made.argv.slice(1).filter((w) => {
        const m = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(w);
        return m !== null && !NOT_CONFIG_VARS.has(m[1]!);
      }),
    ],
    note: (line) => {
      out.err(line);
      log.chunk(new TextEncoder().encode(`${line}\n`));
    },
    signal: options.signal,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    fragmentCache: fragmentCacheDir(),
    make: async (goals, extraEnv) => {
      const words = [...configArgv, ...goals];
      out.err(`kcross: ${shellLine(words)}`);
      const r = await runProcess(words, {
        cwd: plan.cwd,
        env: extraEnv ? { ...made.env, ...extraEnv } : made.env,
        signal: options.signal,
        onChunk: (c) => log.chunk(c),
        onLine: (l) => log.line(l),
      });
      if (r.interrupted) throw new InterruptedError("Interrupted");
      return r.code;
    },
  });
}

async function classify(
  plan: BuildPlan,
  r: { code: number; interrupted: boolean },
  sink: LogSink,
  finalConfig: FinalConfig,
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
  for (const target of plan.targets) {
    const why = await emptyTargetReason(plan.srcTree, target, finalConfig);
    if (why) return { result: "empty", reason: why };
  }
  return { result: "pass", reason: null };
}

function isDiskFull(error: unknown): boolean {
  return error instanceof Error &&
    /No space left on device|os error 28/.test(error.message);
}
