/**
 * One run of a build as steps: `start` (record directory, first
 * `metadata.json`), `configure` (the config step; again after `replan`),
 * `make`, `finish` (the record completed). `guard` maps what a step throws
 * to a recorded result. `runBuild()` and `runNativeBuild()` sequence them;
 * no step plans.
 *
 * @module
 */
import type { Output } from "../util/output.ts";
import type { ConfigOutcome } from "../config/run_config.ts";
import { DiagnosticCollector } from "../diagnostics/mod.ts";
import {
  InfraError,
  InterruptedError,
  KcrossError,
  UserError,
} from "../errors.ts";
import { cacheDir } from "../paths.ts";
import { createRecordDir, writeMetadata } from "../record/store.ts";
import type { RecordMetadata } from "../record/types.ts";
import { VERSION } from "../version.ts";
import { configPhase, goalless } from "./_run_config.ts";
import { ccacheCounters, ccacheDelta } from "./_run_ccache.ts";
import {
  configSection,
  type FinalConfig,
  finalConfigOf,
  finishRecord,
} from "./_run_finish.ts";
import { type LogSink, openLogSink } from "./_run_log.ts";
import { runMakeStep } from "./_run_make.ts";
import { prefetchHostFacts } from "./_run_host.ts";
import type { HostFacts } from "../host/mod.ts";
import { checkTargetTools } from "./_target_tools.ts";
import { pendingPhases } from "./_run_phases.ts";
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
import { viaOf } from "../git/mod.ts";
import type { BuildOutcome, BuildResult, RunBuildOptions } from "./outcome.ts";
import type { BuildPlan } from "./types.ts";

/** A build being carried out, with its record. */
export class BuildRun {
  result: BuildResult = "pass";
  reason: string | null = null;
  exitCode: number | null = null;
  exitSignal: string | null = null;
  /** The config step's outcome (both runs' times summed after a replan). */
  config: ConfigOutcome | null = null;
  readonly out: Output;
  readonly finalConfig: FinalConfig;
  private ccacheBefore: Record<string, number> | null = null;
  private configLog: LogSink | null = null;
  private collector: DiagnosticCollector | null = null;
  private hostFacts: Promise<HostFacts> | null = null;
  private readonly files = new Set(["metadata.json"]);
  /** The record dir was made by this run (else a `--record-dir` of the user's). */
  private createdDir = true;

  private constructor(
    public plan: BuildPlan,
    readonly options: RunBuildOptions,
    readonly id: string,
    readonly dir: string,
    readonly meta: RecordMetadata,
    private made: PreparedMake,
    private readonly env: {
      baseEnv: Record<string, string>;
      timestamp: string;
      ccacheDir: string | null;
      dirty: Promise<boolean | null>;
    },
  ) {
    this.out = options.out;
    this.finalConfig = finalConfigOf(plan.outDir ?? plan.srcTree);
  }

  /** The record's timings (also the outcome's). */
  get timings(): Record<string, number> {
    return this.meta.timings;
  }

  /**
   * Creates the record directory and writes the first `metadata.json`.
   *
   * @throws {InfraError} a named target's host tool is missing (dt-schema
   *   for `dtbs_check`…), before anything is written
   */
  static async start(
    plan: BuildPlan,
    options: RunBuildOptions,
  ): Promise<BuildRun> {
    const started = performance.now();
    const baseEnv = options.baseEnv ?? Deno.env.toObject();
    checkTargetTools(plan.phases ?? [], baseEnv.PATH ?? "");
    const { id, dir, created } = await createRecordDir(options.recordDir);
    const via = viaOf(options);
    const git = await treeGit(plan.srcTree, via);
    const dirty = treeDirty(plan.srcTree, via);
    const timestamp = await buildTimestamp(plan.srcTree, git);
    const ccacheDir = plan.ccache ? `${cacheDir()}/ccache` : null;
    if (ccacheDir) await Deno.mkdir(ccacheDir, { recursive: true });
    const made = prepareMake(plan, baseEnv, timestamp, ccacheDir);
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
      timings: { ...options.timings },
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
    const run = new BuildRun(plan, options, id, dir, meta, made, {
      baseEnv,
      timestamp,
      ccacheDir,
      dirty,
    });
    run.createdDir = created;
    await writeMetadata(dir, meta);
    meta.timings.record = performance.now() - started;
    return run;
  }

  /** Makes `plan` the one the next steps run (after the config step settled it). */
  replan(plan: BuildPlan): void {
    this.plan = plan;
    const e = this.env;
    this.made = prepareMake(plan, e.baseEnv, e.timestamp, e.ccacheDir);
    this.meta.plan = planSection(plan, this.made);
    this.meta.toolchain = toolchainSection(plan);
  }

  /**
   * The config step with the current plan (into `config.log`; a second
   * call, after `replan`, appends and adds its times).
   *
   * @throws {InfraError} make or the compiler missing; {InterruptedError}
   */
  async configure(): Promise<ConfigOutcome> {
    const missing = missingTool(this.plan, this.made);
    if (missing) throw new InfraError(missing);
    if (this.env.ccacheDir && this.ccacheBefore === null) {
      this.ccacheBefore = await ccacheCounters(this.made.env);
    }
    if (this.options.signal.aborted) throw new InterruptedError("Interrupted");
    if (!this.configLog) {
      this.configLog = openLogSink(`${this.dir}/config.log`, null, this.echo);
      this.files.add("config.log");
    }
    const first = this.config;
    const done = await configPhase(
      this.plan,
      this.made,
      this.configLog,
      this.options,
    );
    if (first) {
      done.fetchMs += first.fetchMs;
      done.configMs += first.configMs;
    }
    this.config = done;
    return done;
  }

  /** The final `.config` after a passed config step. */
  async configText(): Promise<string> {
    return await Deno.readTextFile(
      `${this.plan.outDir ?? this.plan.srcTree}/.config`,
    );
  }

  /** make with the current plan, or the config step's failure as the result. */
  async make(): Promise<void> {
    const { meta, timings, plan, made } = this;
    const configLog = this.closeConfigLog();
    const config = this.config;
    if (!config) throw new Error("make() before configure()");
    timings.fetch = (timings.fetch ?? 0) + config.fetchMs;
    timings.config = config.configMs;
    if (config.failed) {
      this.result = configLog?.infra ? "infra-error" : "fail";
      this.exitCode = config.failed.code;
      this.reason = configLog?.infra ??
        `config step "${config.failed.goal}" failed (make exit ${config.failed.code})`;
      return;
    }
    meta.config = configSection(plan, config);
    // Written while make starts; awaited before anything writes it again.
    const written = writeMetadata(this.dir, meta);
    // Diagnostics are extracted as make's output arrives, so they are
    // ready when make ends instead of costing a second pass over the log.
    this.collector = new DiagnosticCollector({
      srcTree: plan.srcTree,
      ...(plan.outDir ? { outDir: plan.outDir } : {}),
    });
    const sink = openLogSink(
      `${this.dir}/build.log`,
      `${this.dir}/build.timed.log`,
      this.echo,
      this.collector,
    );
    this.files.add("build.log").add("build.timed.log");
    // The host's tool versions do not change while make runs: gathered
    // alongside it, they cost the record nothing after make.
    this.hostFacts = prefetchHostFacts(made.env.PATH ?? "/usr/bin:/bin");
    let done;
    try {
      done = await runMakeStep({
        plan,
        made,
        recordDir: this.dir,
        sink,
        out: this.out,
        signal: this.options.signal,
        finalConfig: this.finalConfig,
        ...(this.options.proc ? { proc: this.options.proc } : {}),
      });
    } finally {
      await written;
    }
    Object.assign(timings, done.timings);
    if (done.phases) meta.phases = done.phases;
    if (done.artifacts) meta.artifacts = done.artifacts;
    this.result = done.result;
    this.reason = done.reason;
    this.exitCode = done.exitCode;
    this.exitSignal = done.exitSignal;
    if (this.result !== "interrupted") {
      meta.tree.kernelRelease = await kernelRelease(plan, {
        argv: goalless(plan, made),
        env: made.env,
        signal: this.options.signal,
      });
    }
  }

  /**
   * Runs `steps`; what they throw becomes the recorded result (interrupt,
   * infra, disk full).
   *
   * @throws {UserError} as it is, after removing the record directory
   */
  async guard(steps: () => Promise<void>): Promise<void> {
    try {
      await steps();
    } catch (error) {
      this.closeConfigLog();
      if (error instanceof UserError) {
        // Only a directory this run made: a --record-dir that was there
        // before may be the tree, "." or $HOME.
        if (this.createdDir) {
          await Deno.remove(this.dir, { recursive: true }).catch(() => {});
        }
        throw error;
      }
      if (error instanceof InterruptedError || this.options.signal.aborted) {
        this.result = "interrupted";
        this.reason = "interrupted by signal";
      } else if (error instanceof KcrossError) {
        this.result = "infra-error";
        this.reason = error.message;
      } else if (isDiskFull(error)) {
        this.result = "infra-error";
        this.reason = `disk full: ${(error as Error).message}`;
      } else {
        throw error;
      }
    }
  }

  /** Completes the record and says how the build ended. */
  async finish(): Promise<BuildOutcome> {
    const { meta, plan, result, reason, exitCode } = this;
    const finishing = performance.now();
    if (this.env.ccacheDir) {
      meta.ccache = ccacheDelta(
        this.env.ccacheDir,
        this.ccacheBefore ?? {},
        await ccacheCounters(this.made.env),
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
    meta.exit = { code: exitCode, signal: this.exitSignal };
    const diagnostics = await finishRecord({
      plan,
      dir: this.dir,
      meta,
      config: this.config,
      files: this.files,
      dirty: this.env.dirty,
      collector: this.collector,
      finishing,
      finalConfig: this.finalConfig,
      ...(this.hostFacts ? { hostFacts: this.hostFacts } : {}),
      ...(this.made.env.PATH ? { path: this.made.env.PATH } : {}),
      // make.cross measures it only when asked: a no-op rebuild costs what make costs.
      ...(this.env.baseEnv.KCROSS_DISK_USAGE === "1"
        ? { diskUsage: true }
        : {}),
    });
    if (reason) this.out.err(`kcross: ${result}: ${reason}`);
    this.out.err(`kcross: record ${this.dir}`);
    return {
      result,
      id: this.id,
      recordDir: this.dir,
      exitCode,
      diagnostics,
      timings: meta.timings,
      reason,
      record: meta,
      plan,
    };
  }

  private get echo(): Output | null {
    return this.options.echo === false ? null : this.out;
  }

  private closeConfigLog(): LogSink | null {
    const log = this.configLog;
    if (log && !this.configLogClosed) {
      log.close();
      this.configLogClosed = true;
    }
    return log;
  }

  private configLogClosed = false;
}

function isDiskFull(error: unknown): boolean {
  return error instanceof Error &&
    /No space left on device|os error 28/.test(error.message);
}
