/**
 * The make step of a run: the named targets' phases, or one make call with
 * the plan's argv, classified (pass, fail, empty target, infra, interrupt).
 *
 * @module
 */
import type { Output } from "../util/output.ts";
import { shellLine } from "../util/shell_quote.ts";
import {
  type ProcessRunner,
  realProcessRunner,
} from "../proc/process_runner.ts";
import type { ArtifactRecord, PhaseRecord } from "../record/types.ts";
import { goalless } from "./_run_config.ts";
import { emptyTargetReason } from "./_run_empty.ts";
import {
  type ConfigLookup,
  type FinalConfig,
  finalConfigOf,
} from "./_run_finish.ts";
import type { LogSink } from "./_run_log.ts";
import { runPhases } from "./_run_phases.ts";
import type { PreparedMake } from "./_run_prepare.ts";
import type { BuildResult } from "./outcome.ts";
import type { BuildPlan } from "./types.ts";

/** What the make step needs. */
export interface MakeStepInput {
  plan: BuildPlan;
  made: PreparedMake;
  recordDir: string;
  /** build.log (+ timed log, diagnostics); closed when make has ended. */
  sink: LogSink;
  out: Output;
  signal: AbortSignal;
  finalConfig: FinalConfig;
  /** How make starts (default `realProcessRunner`). */
  proc?: ProcessRunner;
}

/** How the make step went. */
export interface MakeStepOutcome {
  result: BuildResult;
  reason: string | null;
  exitCode: number | null;
  exitSignal: string | null;
  /** `build`, `check`, `artifacts` in ms. */
  timings: Record<string, number>;
  /** With named targets: each phase and what it collected. */
  phases?: PhaseRecord[];
  artifacts?: ArtifactRecord[];
}

/** Runs make for `input.plan` (its phases, or one call). */
export async function runMakeStep(
  input: MakeStepInput,
): Promise<MakeStepOutcome> {
  const { plan, made, sink } = input;
  if (plan.phases?.length) {
    let done;
    try {
      done = await runPhases({
        plan,
        made,
        baseArgv: goalless(plan, made),
        recordDir: input.recordDir,
        sink,
        out: input.out,
        signal: input.signal,
        finalConfig: input.finalConfig,
        ...(input.proc ? { proc: input.proc } : {}),
      });
    } finally {
      sink.close();
    }
    let { result, reason } = done;
    if (sink.writeError && result !== "interrupted") {
      result = "infra-error";
      reason = `cannot write the log: ${sink.writeError.message}`;
    }
    return {
      result,
      reason,
      exitCode: done.exitCode,
      exitSignal: done.signal,
      timings: { build: done.buildMs, artifacts: done.artifactsMs },
      phases: done.phases,
      artifacts: done.artifacts,
    };
  }
  input.out.err(`kcross: ${shellLine(made.argv)}`);
  const early = speculate(plan);
  const timings: Record<string, number> = {};
  const t0 = performance.now();
  let r;
  try {
    r = await (input.proc ?? realProcessRunner).run(made.argv, {
      cwd: plan.cwd,
      env: made.env,
      signal: input.signal,
      onChunk: (c) => sink.chunk(c),
      onLine: (l) => sink.line(l),
    });
  } finally {
    sink.close();
    timings.build = performance.now() - t0;
  }
  const checking = performance.now();
  // What was worked out on the starting .config stands only if make left
  // the text as it was.
  const same = await early.text === await input.finalConfig.text();
  if (same) input.finalConfig.know(await early.text, early.sha256);
  const { result, reason } = await classify(
    plan,
    r,
    sink,
    input.finalConfig,
    same ? early : null,
  );
  timings.check = performance.now() - checking;
  return { result, reason, exitCode: r.code, exitSignal: r.signal, timings };
}

/** The empty-target verdict and the digest of the `.config` make started with. */
interface EarlyVerdict {
  text: Promise<string | null>;
  sha256: Promise<string | null>;
  /** Undefined when it could not be worked out (then it is, after make). */
  reason: Promise<string | null | undefined>;
}

/** The first directory goal that built nothing under `config`, or null. */
async function emptyReason(
  plan: BuildPlan,
  config: ConfigLookup,
): Promise<string | null> {
  for (const target of plan.targets) {
    const why = await emptyTargetReason(plan.srcTree, target, config);
    if (why) return why;
  }
  return null;
}

/**
 * Works out the empty-target verdict and the `.config` digest while make
 * runs, on the `.config` it starts with (make may rewrite it through
 * syncconfig: both stand only if the final `.config` is the same text).
 * Reading the parents' Makefiles and the symbols, and hashing, cost
 * ~12 ms that would otherwise come after make, on every no-op rebuild.
 */
function speculate(plan: BuildPlan): EarlyVerdict {
  const config = finalConfigOf(plan.outDir ?? plan.srcTree);
  const empty = !plan.allowEmpty && plan.targets.length > 0;
  return {
    text: config.text(),
    sha256: config.sha256().catch(() => null),
    reason: empty
      ? emptyReason(plan, config).catch(() => undefined)
      : Promise.resolve(undefined),
  };
}

async function classify(
  plan: BuildPlan,
  r: { code: number; interrupted: boolean },
  sink: LogSink,
  finalConfig: ConfigLookup,
  /** The speculation, only when the final `.config` is the text it used. */
  early: EarlyVerdict | null = null,
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
  let why = early ? await early.reason : undefined;
  if (why === undefined) why = await emptyReason(plan, finalConfig);
  return why
    ? { result: "empty", reason: why }
    : { result: "pass", reason: null };
}
